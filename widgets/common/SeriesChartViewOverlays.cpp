// SeriesChartView: what is drawn over the plot — split borders and the cursor read-out.
#include "widgets/common/SeriesChartView.h"

#include "widgets/common/Theme.h"
#include "widgets/common/WallClock.h"

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

void SeriesChartView::setSplitBorders(const QList<qint64> &rows, const QStringList &labels)
{
    // Keep each border with the name of the part that ends there.
    QList<QPair<qint64, QString>> borders;
    const qint64 count = qint64(m_x.size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const qint64 row = rows[i];
        const bool known = std::any_of(borders.begin(), borders.end(),
                                       [row](const auto &b) { return b.first == row; });
        if (row >= 0 && row <= count && !known)
            borders.append({row, labels.value(i)});
    }
    std::sort(borders.begin(), borders.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    m_borders.clear();
    m_partLabels.clear();
    for (const auto &[row, label] : std::as_const(borders)) {
        m_borders << row;
        m_partLabels << label;
    }
    m_partLabels << labels.value(rows.size());
    if (std::all_of(m_partLabels.begin(), m_partLabels.end(),
                    [](const QString &label) { return label.isEmpty(); }))
        m_partLabels.clear();
    viewport()->update();
}

CsvTable SeriesChartView::csvTable() const
{
    CsvTable table;
    if (!m_data || m_channels.isEmpty() || m_x.empty())
        return table;
    const auto first = std::size_t(std::lower_bound(m_x.begin(), m_x.end(), m_x0) - m_x.begin());
    const auto last = std::size_t(std::upper_bound(m_x.begin(), m_x.end(), m_x1) - m_x.begin());
    table.header << (m_timeAxis ? m_data->timeColumn : QStringLiteral("row"));
    for (int c : m_channels)
        table.header << m_data->channelNames.value(c);
    if (!m_partLabels.isEmpty())
        table.header << QStringLiteral("part");
    table.rows.reserve(qsizetype(last - first));
    qsizetype part =
        std::upper_bound(m_borders.begin(), m_borders.end(), qint64(first)) - m_borders.begin();
    for (std::size_t r = first; r < last; ++r) {
        QStringList row;
        row.reserve(m_channels.size() + 2);
        row << (m_timeAxis ? QDateTime::fromMSecsSinceEpoch(qint64(m_x[r]), Qt::UTC)
                                 .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss.zzz"))
                           : QString::number(r));
        for (int c : m_channels)
            row << csvNumber(double(m_data->at(std::int64_t(r), c)));
        if (!m_partLabels.isEmpty()) {
            while (part < m_borders.size() && qint64(r) >= m_borders[part])
                ++part;
            row << m_partLabels.value(part);
        }
        table.rows.append(std::move(row));
    }
    return table;
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
    QString text = m_timeAxis
                       ? QDateTime::fromMSecsSinceEpoch(qint64(m_x[std::size_t(row)]), Qt::UTC)
                             .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"))
                       : tr("row %1").arg(row);
    for (int c : m_channels) {
        const float v = m_data->at(row, c);
        text += QStringLiteral("   %1 %2")
                    .arg(m_data->channelNames.value(c),
                         std::isnan(v) ? tr("missing") : QString::number(double(v), 'g', 6));
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
        return chart()
            ->mapToScene(chart()->mapToPosition(QPointF(axisX, 0.0), m_lines.first()))
            .x();
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
    // Each part's name at the bottom of the visible stretch of the part, where it fits.
    const QFontMetrics labelMetrics(font());
    for (qsizetype part = 0; part < m_partLabels.size(); ++part) {
        const QString &label = m_partLabels[part];
        if (label.isEmpty())
            continue;
        const double from =
            std::max(plot.left(), part == 0 ? plot.left() : sceneX(m_borders[part - 1]));
        const double to = std::min(plot.right(), part < m_borders.size() ? sceneX(m_borders[part])
                                                                         : plot.right());
        const int width = labelMetrics.horizontalAdvance(label);
        if (to - from < width + 8)
            continue;
        const QRectF box((from + to - width) / 2.0 - 3.0,
                         plot.bottom() - labelMetrics.height() - 6.0, width + 6.0,
                         labelMetrics.height() + 2.0);
        QColor base = palette().color(QPalette::Base);
        base.setAlpha(200);
        painter->fillRect(box, base);
        painter->setPen(pen.color());
        painter->drawText(box, Qt::AlignCenter, label);
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
