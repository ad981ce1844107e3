#include "ReconstructionPlot.h"

#include <QFontMetrics>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

constexpr int kMargin = 6;
const QColor kHiddenShade(255, 214, 170, 150);    // the stretches the model did not see
const QColor kSeriesColor(60, 60, 60);            // the series, where the model saw it
const QColor kTruthHidden(60, 60, 60, 120);       // the series under the shade (the answer)
const QColor kReconstruction(214, 96, 0);         // the model's guess
const QColor kReconstructionSeen(214, 96, 0, 70); // its output where it saw the input

} // namespace

ReconstructionPlot::ReconstructionPlot(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void ReconstructionPlot::setSeries(std::vector<float> values, std::vector<float> reconstruction,
                                   std::vector<bool> hidden, const QString &channelName)
{
    if (values.empty() || values.size() != reconstruction.size() ||
        values.size() != hidden.size()) {
        clear();
        return;
    }
    m_values = std::move(values);
    m_reconstruction = std::move(reconstruction);
    m_hidden = std::move(hidden);
    m_channel = channelName;
    double low = INFINITY, high = -INFINITY;
    for (const std::vector<float> *series : {&m_values, &m_reconstruction})
        for (float v : *series)
            if (std::isfinite(v)) {
                low = std::min(low, double(v));
                high = std::max(high, double(v));
            }
    if (!std::isfinite(low)) {
        low = 0.0;
        high = 1.0;
    }
    const double pad = high > low ? 0.06 * (high - low) : 1.0;
    m_low = low - pad;
    m_high = high + pad;
    update();
}

void ReconstructionPlot::clear()
{
    m_values.clear();
    m_reconstruction.clear();
    m_hidden.clear();
    m_channel.clear();
    update();
}

std::vector<std::pair<int, int>> ReconstructionPlot::hiddenStretches() const
{
    std::vector<std::pair<int, int>> stretches;
    for (int t = 0; t < int(m_hidden.size()); ++t) {
        if (!m_hidden[std::size_t(t)])
            continue;
        if (!stretches.empty() && stretches.back().second == t - 1)
            stretches.back().second = t;
        else
            stretches.push_back({t, t});
    }
    return stretches;
}

QRect ReconstructionPlot::plotRect() const
{
    const QFontMetrics fm(font());
    const int left = kMargin + fm.horizontalAdvance(QStringLiteral("-00000.0")) + 4;
    const int top = kMargin + fm.height();
    const int bottom = height() - kMargin - fm.height() - 2;
    return QRect(QPoint(left, top), QPoint(width() - kMargin - 1, bottom));
}

QPointF ReconstructionPlot::toPixel(int step, float value, const QRect &plot) const
{
    const double steps = std::max<double>(1.0, double(m_values.size()) - 1.0);
    const double x = plot.left() + plot.width() * double(step) / steps;
    const double y = plot.bottom() - plot.height() * (double(value) - m_low) / (m_high - m_low);
    return {x, y};
}

void ReconstructionPlot::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    p.setPen(palette().text().color());
    if (m_values.empty()) {
        p.drawText(rect(), Qt::AlignCenter,
                   tr("No reconstruction to show: open a finished pretraining run."));
        return;
    }
    p.setRenderHint(QPainter::Antialiasing);
    const QRect plot = plotRect();
    const QFontMetrics fm(font());

    // The hidden stretches, each as wide as its steps (half a step either side).
    const double stepWidth = plot.width() / std::max<double>(1.0, double(m_values.size()) - 1.0);
    for (const auto &[first, last] : hiddenStretches()) {
        const double x0 =
            std::max<double>(plot.left(), toPixel(first, 0, plot).x() - stepWidth / 2);
        const double x1 =
            std::min<double>(plot.right(), toPixel(last, 0, plot).x() + stepWidth / 2);
        p.fillRect(QRectF(x0, plot.top(), x1 - x0, plot.height()), kHiddenShade);
    }

    // Axes: the frame, the y extremes and the first and last step.
    p.setPen(palette().mid().color());
    p.drawRect(plot);
    p.setPen(palette().text().color());
    const auto label = [](double v) {
        return QString::number(v, 'g', 4);
    };
    p.drawText(QRect(0, plot.top() - fm.height() / 2, plot.left() - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, label(m_high));
    p.drawText(QRect(0, plot.bottom() - fm.height() / 2, plot.left() - 4, fm.height()),
               Qt::AlignRight | Qt::AlignVCenter, label(m_low));
    p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), fm.height()),
               Qt::AlignLeft | Qt::AlignTop, tr("step 0"));
    p.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), fm.height()),
               Qt::AlignRight | Qt::AlignTop, tr("step %1").arg(m_values.size() - 1));
    p.drawText(QRect(plot.left(), kMargin, plot.width(), fm.height()), Qt::AlignLeft, m_channel);

    // A curve as runs of consecutive steps that pass `keep`, each run one path.
    const auto drawCurve = [&](const std::vector<float> &series, const QPen &pen, auto keep) {
        p.setPen(pen);
        QPainterPath path;
        bool open = false;
        for (int t = 0; t < int(series.size()); ++t) {
            const float v = series[std::size_t(t)];
            if (!keep(t) || !std::isfinite(v)) {
                open = false;
                continue;
            }
            const QPointF at = toPixel(t, v, plot);
            if (open)
                path.lineTo(at);
            else
                path.moveTo(at);
            open = true;
        }
        p.drawPath(path);
    };
    // A hidden stretch's curve reaches one step out on either side, so the lines join.
    const auto nearHidden = [this](int t) {
        const int n = int(m_hidden.size());
        return m_hidden[std::size_t(t)] || (t > 0 && m_hidden[std::size_t(t - 1)]) ||
               (t + 1 < n && m_hidden[std::size_t(t + 1)]);
    };
    const auto seen = [this](int t) {
        return !m_hidden[std::size_t(t)];
    };
    p.setBrush(Qt::NoBrush);
    drawCurve(m_reconstruction, QPen(kReconstructionSeen, 1.0), seen);
    drawCurve(m_values, QPen(kTruthHidden, 1.2, Qt::DashLine), nearHidden);
    drawCurve(m_values, QPen(kSeriesColor, 1.4), seen);
    drawCurve(m_reconstruction, QPen(kReconstruction, 2.0), nearHidden);
}

} // namespace twb
