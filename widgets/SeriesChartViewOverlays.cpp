// SeriesChartView: what is drawn over the plot — split borders and the cursor read-out.
#include "SeriesChartView.h"

#include "Theme.h"
#include "WallClock.h"

#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

const QColor borderColor(0x9c, 0x27, 0xb0); // purple: distinct from the channel palette
const QColor cursorColor(0x60, 0x60, 0x60);

} // namespace

void SeriesChartView::setSplitBorders(const QList<qint64> &rows)
{
    m_borders.clear();
    const qint64 count = qint64(m_x.size());
    for (qint64 row : rows)
        if (row >= 0 && row <= count && !m_borders.contains(row))
            m_borders << row;
    std::sort(m_borders.begin(), m_borders.end());
    viewport()->update();
}

qint64 SeriesChartView::rowAt(double x) const
{
    if (m_x.empty() || !std::isfinite(x))
        return -1;
    const auto it = std::lower_bound(m_x.begin(), m_x.end(), x);
    if (it == m_x.begin())
        return 0;
    if (it == m_x.end())
        return qint64(m_x.size()) - 1;
    const auto before = it - 1;
    return qint64((x - *before <= *it - x ? before : it) - m_x.begin());
}

QString SeriesChartView::cursorText(double x) const
{
    const qint64 row = rowAt(x);
    if (row < 0 || !m_data)
        return {};
    QString text = m_timeAxis ? QDateTime::fromMSecsSinceEpoch(qint64(m_x[std::size_t(row)]),
                                                               Qt::UTC)
                                    .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"))
                              : tr("row %1").arg(row);
    for (int c : m_channels) {
        const float v = m_data->at(row, c);
        text += QStringLiteral("   %1 %2").arg(m_data->channelNames.value(c),
                                              std::isnan(v) ? tr("missing")
                                                            : QString::number(double(v), 'g', 6));
    }
    return text;
}

void SeriesChartView::mouseMoveEvent(QMouseEvent *event)
{
    QChartView::mouseMoveEvent(event);
    qint64 row = -1;
    if (m_data && !m_lines.isEmpty()) {
        const QPointF scenePos = mapToScene(event->position().toPoint());
        const QPointF chartPos = chart()->mapFromScene(scenePos);
        if (chart()->plotArea().contains(chartPos)) {
            double x = chart()->mapToValue(chartPos, m_lines.first()).x();
            if (m_timeAxis)
                x = axisToWallClock(x);
            row = rowAt(x);
            m_cursorText = cursorText(x);
        }
    }
    if (row < 0)
        m_cursorText.clear();
    if (row != m_cursorRow || row >= 0) {
        m_cursorRow = row;
        viewport()->update();
        Q_EMIT cursorMoved(row, m_cursorText);
    }
}

void SeriesChartView::leaveEvent(QEvent *event)
{
    QChartView::leaveEvent(event);
    if (m_cursorRow >= 0) {
        m_cursorRow = -1;
        m_cursorText.clear();
        viewport()->update();
        Q_EMIT cursorMoved(-1, QString());
    }
}

void SeriesChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    if (!m_data || m_lines.isEmpty() || m_x.empty())
        return;
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    auto sceneX = [&](qint64 row) {
        const double x = m_x[std::size_t(std::min<qint64>(row, qint64(m_x.size()) - 1))];
        const double axisX = m_timeAxis ? wallClockToAxis(x) : x;
        return chart()->mapToScene(chart()->mapToPosition(QPointF(axisX, 0.0), m_lines.first())).x();
    };
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing, false);
    painter->setClipRect(plot);
    // Lighter variants on a dark theme (Theme.h), so the overlays stay visible.
    const bool dark = systemPrefersDark(palette());
    const QColor cursor = dark ? QColor(0xb0, 0xb0, 0xb0) : cursorColor;
    QPen pen(dark ? borderColor.lighter(160) : borderColor);
    pen.setWidthF(2.0);
    pen.setStyle(Qt::DashLine);
    painter->setPen(pen);
    for (qint64 row : std::as_const(m_borders)) {
        const double x = sceneX(row);
        if (x >= plot.left() && x <= plot.right())
            painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    if (m_cursorRow >= 0 && m_cursorRow < qint64(m_x.size())) {
        const double x = sceneX(m_cursorRow);
        painter->setPen(QPen(cursor, 1.0));
        painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        const QFontMetrics metrics(font());
        QRectF box = metrics.boundingRect(m_cursorText);
        box.adjust(-4, -2, 4, 2);
        box.moveTopLeft(plot.topLeft() + QPointF(6, 6));
        painter->setPen(cursor);
        QColor base = palette().color(QPalette::Base);
        base.setAlpha(220);
        painter->setBrush(base);
        painter->drawRect(box);
        painter->setPen(palette().color(QPalette::Text));
        painter->drawText(box, Qt::AlignCenter, m_cursorText);
    }
    painter->restore();
}

} // namespace twb
