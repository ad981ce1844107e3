// SeriesChartView: the visible x range and how the user changes it (zoom, pan, keys, wheel).
#include "widgets/common/SeriesChartView.h"

#include "widgets/common/WallClock.h"

#include <QDateTimeAxis>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace twb {

void SeriesChartView::setXRange(double x0, double x1)
{
    if (!setOwnXRange(x0, x1))
        return;
    // The group follows this view's (clamped) range; each member clamps it to its own data
    // but does not pass it on, so a group never ping-pongs.
    for (SeriesChartView *view : linkedViews())
        view->setOwnXRange(m_x0, m_x1);
}

bool SeriesChartView::setOwnXRange(double x0, double x1)
{
    if (!std::isfinite(x0) || !std::isfinite(x1))
        return false;
    if (x1 < x0)
        std::swap(x0, x1);
    const auto [full0, full1] = fullXRange();
    const double fullWidth = full1 - full0;
    // Never narrower than four sample steps, never wider than the data.
    const double minWidth = m_x.size() > 1 ? 4.0 * fullWidth / double(m_x.size() - 1) : fullWidth;
    double width = std::clamp(x1 - x0, std::min(minWidth, fullWidth), fullWidth);
    double center = (x0 + x1) / 2.0;
    x0 = std::clamp(center - width / 2.0, full0, full1 - width);
    x1 = x0 + width;
    if (x0 == m_x0 && x1 == m_x1)
        return false;
    m_x0 = x0;
    m_x1 = x1;
    applyAxisRange();
    refreshPoints();
    Q_EMIT xRangeChanged(m_x0, m_x1);
    return true;
}

void SeriesChartView::linkXAxis(SeriesChartView *other)
{
    if (!other || other == this || m_links.contains(other))
        return;
    m_links << other;
    other->m_links << this;
    const QList<SeriesChartView *> group = linkedViews();
    for (SeriesChartView *view : group)
        view->setOwnXRange(m_x0, m_x1);
}

void SeriesChartView::unlinkXAxis()
{
    const QList<QPointer<SeriesChartView>> links = m_links;
    m_links.clear();
    for (const QPointer<SeriesChartView> &view : links)
        if (view)
            view->m_links.removeAll(this);
    // The former neighbours stay one group: link them to each other.
    for (qsizetype i = 1; i < links.size(); ++i)
        if (links[0] && links[i])
            links[0]->linkXAxis(links[i]);
}

QList<SeriesChartView *> SeriesChartView::linkedViews() const
{
    QList<const SeriesChartView *> seen{this};
    QList<SeriesChartView *> group;
    for (qsizetype i = 0; i < seen.size(); ++i)
        for (const QPointer<SeriesChartView> &view : seen[i]->m_links)
            if (view && !seen.contains(view.data())) {
                seen << view.data();
                group << view.data();
            }
    return group;
}

void SeriesChartView::zoomX(double factor, double anchor)
{
    if (factor <= 0.0)
        return;
    anchor = std::clamp(anchor, 0.0, 1.0);
    const double width = m_x1 - m_x0;
    const double fixed = m_x0 + anchor * width;
    const double newWidth = width / factor;
    setXRange(fixed - anchor * newWidth, fixed + (1.0 - anchor) * newWidth);
}

void SeriesChartView::panX(double fraction)
{
    const double shift = fraction * (m_x1 - m_x0);
    setXRange(m_x0 + shift, m_x1 + shift);
}

void SeriesChartView::showAll()
{
    const auto range = fullXRange();
    setXRange(range.first, range.second);
}

void SeriesChartView::onAxisRangeChanged(double axisMin, double axisMax)
{
    if (m_applyingRange)
        return;
    // The chart zoomed (rubber band, right click): take its range, clamped, as ours.
    setXRange(axisMin, axisMax);
    applyAxisRange(); // the clamped range may differ from what the chart chose
}

void SeriesChartView::applyAxisRange()
{
    if (!m_xAxis)
        return;
    m_applyingRange = true;
    if (auto *time = qobject_cast<QDateTimeAxis *>(m_xAxis))
        time->setRange(wallClockToDateTime(m_x0), wallClockToDateTime(m_x1));
    else if (auto *value = qobject_cast<QValueAxis *>(m_xAxis))
        value->setRange(m_x0, m_x1);
    m_applyingRange = false;
}

void SeriesChartView::wheelEvent(QWheelEvent *event)
{
    if (!m_data) {
        QChartView::wheelEvent(event);
        return;
    }
    const QRectF area = chart()->plotArea();
    const double notches = event->angleDelta().y() / 120.0;
    const double anchor =
        area.width() > 0 ? (event->position().x() - area.left()) / area.width() : 0.5;
    zoomX(std::pow(1.25, notches), anchor);
    event->accept();
}

void SeriesChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (m_data && event->button() == Qt::LeftButton) {
        showAll();
        event->accept();
        return;
    }
    QChartView::mouseDoubleClickEvent(event);
}

void SeriesChartView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Home:
        showAll();
        break;
    case Qt::Key_Left:
        panX(-0.1);
        break;
    case Qt::Key_Right:
        panX(0.1);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomX(1.25);
        break;
    case Qt::Key_Minus:
        zoomX(0.8);
        break;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace twb
