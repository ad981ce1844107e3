#include "SaliencyView.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

constexpr int kTitleHeight = 20;
constexpr int kMargin = 4;

int mix(int from, int to, double t)
{
    return int(std::lround(from + (to - from) * t));
}

} // namespace

SaliencyView::SaliencyView(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(false);
}

QRgb SaliencyView::colorOf(float value, float scale)
{
    if (!std::isfinite(value) || scale <= 0.0f)
        return qRgb(255, 255, 255);
    const double t = std::clamp(double(value) / double(scale), -1.0, 1.0);
    // White at 0 to a strong red (+) or blue (-), as matplotlib's "bwr"-like diverging maps.
    if (t >= 0.0)
        return qRgb(255, mix(255, 40, t), mix(255, 40, t));
    return qRgb(mix(255, 40, -t), mix(255, 90, -t), 255);
}

void SaliencyView::setSaliency(std::vector<float> values, int rows, int cols, const QString &target,
                               const QStringList &columnNames)
{
    if (rows <= 0 || cols <= 0 || values.size() != std::size_t(rows) * std::size_t(cols)) {
        clear();
        return;
    }
    m_values = std::move(values);
    m_rows = rows;
    m_cols = cols;
    m_target = target;
    m_names = columnNames;
    m_scale = 0.0f;
    for (float v : m_values)
        if (std::isfinite(v))
            m_scale = std::max(m_scale, std::abs(v));
    m_image = QImage(rows, cols, QImage::Format_RGB32);
    for (int c = 0; c < cols; ++c) {
        // Series: channel 0 on top; spectrograms: bin 0 at the bottom.
        const int y = namesChannels() ? c : cols - 1 - c;
        auto *line = reinterpret_cast<QRgb *>(m_image.scanLine(y));
        for (int r = 0; r < rows; ++r)
            line[r] =
                colorOf(m_values[std::size_t(r) * std::size_t(cols) + std::size_t(c)], m_scale);
    }
    update();
}

void SaliencyView::clear()
{
    m_values.clear();
    m_rows = m_cols = 0;
    m_scale = 0.0f;
    m_target.clear();
    m_image = {};
    update();
}

QRect SaliencyView::plotRect() const
{
    int left = kMargin;
    if (namesChannels() && hasSaliency()) {
        const QFontMetrics metrics(font());
        int widest = 0;
        for (int c = 0; c < m_cols; ++c)
            widest = std::max(widest, metrics.horizontalAdvance(
                                          m_names.value(c, QStringLiteral("ch %1").arg(c))));
        left += widest + 6;
    }
    return QRect(left, kTitleHeight + kMargin, std::max(1, width() - left - kMargin),
                 std::max(1, height() - kTitleHeight - 2 * kMargin));
}

void SaliencyView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    painter.setPen(palette().text().color());
    const QRect title(kMargin, 0, width() - 2 * kMargin, kTitleHeight);
    if (!hasSaliency()) {
        painter.drawText(title, Qt::AlignLeft | Qt::AlignVCenter,
                         tr("Gradient × input: not computed for this sample"));
        return;
    }
    painter.drawText(title, Qt::AlignLeft | Qt::AlignVCenter,
                     tr("Gradient × input of the %1 — red raises it, blue lowers it (max |value| "
                        "%2); attention is not explanation: compare the two")
                         .arg(m_target)
                         .arg(double(m_scale), 0, 'g', 3));
    const QRect plot = plotRect();
    painter.drawImage(plot, m_image);
    painter.setPen(palette().mid().color());
    painter.drawRect(plot.adjusted(0, 0, -1, -1));
    if (!namesChannels())
        return;
    painter.setPen(palette().text().color());
    const double rowHeight = double(plot.height()) / m_cols;
    const QFontMetrics metrics(font());
    if (rowHeight < metrics.height() * 0.8)
        return; // too thin to name every channel
    for (int c = 0; c < m_cols; ++c) {
        const QRectF label(0, plot.top() + c * rowHeight, plot.left() - 4, rowHeight);
        painter.drawText(label, Qt::AlignRight | Qt::AlignVCenter,
                         m_names.value(c, QStringLiteral("ch %1").arg(c)));
    }
}

} // namespace twb
