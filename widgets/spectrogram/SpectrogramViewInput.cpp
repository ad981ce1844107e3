// SpectrogramView: mouse, wheel and keyboard.

#include "widgets/spectrogram/SpectrogramView.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace twb {

void SpectrogramView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_wasComplete = false;
    invalidateImages();
    requestVisible();
}

void SpectrogramView::wheelEvent(QWheelEvent *event)
{
    const QRect plot = plotRect();
    const QPoint delta = event->angleDelta();
    if (delta.x() != 0 || (event->modifiers() & Qt::ShiftModifier)) {
        const int d = delta.x() != 0 ? delta.x() : delta.y();
        scrollTime(-d / 1200.0);
    } else if (delta.y() != 0) {
        const double anchor =
            std::clamp((event->position().x() - plot.left()) / std::max(1, plot.width()), 0.0, 1.0);
        zoomTime(std::pow(1.0015, delta.y()), anchor);
    }
    event->accept();
}

void SpectrogramView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        m_dragStart = event->position().toPoint();
        m_dragT0 = m_t0;
    }
    QWidget::mousePressEvent(event);
}

void SpectrogramView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint p = event->position().toPoint();
    if (m_dragStart && (event->buttons() & Qt::LeftButton)) {
        const double secondsPerPixel = (m_t1 - m_t0) / std::max(1, plotRect().width());
        const double start = m_dragT0 - (p.x() - m_dragStart->x()) * secondsPerPixel;
        setTimeRange(start, start + (m_t1 - m_t0));
    }
    m_cursor = p;
    if (const auto r = readoutAt(p))
        Q_EMIT readoutChanged(readoutText(*r));
    update();
}

void SpectrogramView::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragStart.reset();
    QWidget::mouseReleaseEvent(event);
}

void SpectrogramView::leaveEvent(QEvent *event)
{
    m_cursor.reset();
    update();
    QWidget::leaveEvent(event);
}

void SpectrogramView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Left:
        scrollTime(-0.1);
        break;
    case Qt::Key_Right:
        scrollTime(0.1);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomTime(1.5);
        break;
    case Qt::Key_Minus:
        zoomTime(1.0 / 1.5);
        break;
    case Qt::Key_Home:
        showAll();
        break;
    default:
        QWidget::keyPressEvent(event);
        return;
    }
    event->accept();
}

} // namespace twb
