#include "MechanismPicture.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QString>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

namespace twb {

namespace {

using explain::ForwardStage;
using explain::ForwardTrace;

QString tr(const char *text)
{
    return QCoreApplication::translate("MechanismPicture", text);
}

const QColor kAxis(110, 110, 110);
const QColor kFaint(180, 190, 210);
const QColor kMain(31, 119, 180);
const QColor kMark(214, 39, 40);
const QColor kSecond(255, 127, 14);
const QColor kThird(148, 103, 189);

bool endsWith(const std::string &s, const std::string &suffix)
{
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// `name` with its last `suffix` replaced by `replacement`.
std::string sibling(const std::string &name, const std::string &suffix,
                    const std::string &replacement)
{
    return name.substr(0, name.size() - suffix.size()) + replacement;
}

const ForwardStage *findStage(const ForwardTrace &trace, const std::string &name)
{
    for (const ForwardStage &stage : trace.stages)
        if (stage.name == name)
            return &stage;
    return nullptr;
}

bool previewOk(const ForwardStage &stage)
{
    return stage.rows > 0 && stage.cols > 0 &&
           stage.preview.size() == std::size_t(stage.rows) * std::size_t(stage.cols);
}

float at(const ForwardStage &stage, int row, int col)
{
    return stage.preview[std::size_t(row) * std::size_t(stage.cols) + std::size_t(col)];
}

/// The preview's row `row` as integers (indices a model reported: delays, modes, queries).
std::vector<long> indexRow(const ForwardStage &stage, int row)
{
    std::vector<long> out;
    for (int c = 0; c < stage.cols; ++c)
        if (std::isfinite(at(stage, row, c)))
            out.push_back(std::lround(at(stage, row, c)));
    return out;
}

/// A chart area with data ranges: maps data coordinates to pixels.
class Frame
{
public:
    Frame(QPainter &painter, QSize size, double xMin, double xMax, double yMin, double yMax)
        : m_painter(painter)
        , m_area(8.0, 16.0, size.width() - 16.0, size.height() - 30.0)
        , m_xMin(xMin)
        , m_xMax(xMax > xMin ? xMax : xMin + 1.0)
        , m_yMin(yMin)
        , m_yMax(yMax > yMin ? yMax : yMin + 1.0)
    {
        painter.setPen(kAxis);
        painter.drawLine(m_area.bottomLeft(), m_area.bottomRight());
    }

    QPointF map(double x, double y) const
    {
        return {m_area.left() + (x - m_xMin) / (m_xMax - m_xMin) * m_area.width(),
                m_area.bottom() - (y - m_yMin) / (m_yMax - m_yMin) * m_area.height()};
    }
    const QRectF &area() const { return m_area; }

    /// A polyline through (xs[i], ys[i]).
    void line(const std::vector<double> &xs, const std::vector<double> &ys, const QPen &pen)
    {
        QPainterPath path;
        for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
            if (!std::isfinite(ys[i]))
                continue;
            const QPointF p = map(xs[i], ys[i]);
            if (path.elementCount() == 0)
                path.moveTo(p);
            else
                path.lineTo(p);
        }
        m_painter.setPen(pen);
        m_painter.setBrush(Qt::NoBrush);
        m_painter.drawPath(path);
    }

    /// The caption above the area (left) and the axis text below it (left: x from, centre:
    /// what x is, right: x to).
    void texts(const QString &caption, const QString &axis)
    {
        m_painter.setPen(Qt::black);
        const QRectF top(m_area.left(), 0.0, m_area.width(), m_area.top() - 2.0);
        m_painter.drawText(top, Qt::AlignLeft | Qt::AlignBottom, caption);
        const QRectF bottom(m_area.left(), m_area.bottom() + 1.0, m_area.width(), 13.0);
        m_painter.setPen(kAxis);
        m_painter.drawText(bottom, Qt::AlignLeft | Qt::AlignTop, QString::number(m_xMin));
        m_painter.drawText(bottom, Qt::AlignHCenter | Qt::AlignTop, axis);
        m_painter.drawText(bottom, Qt::AlignRight | Qt::AlignTop, QString::number(m_xMax));
    }

private:
    QPainter &m_painter;
    QRectF m_area;
    double m_xMin, m_xMax, m_yMin, m_yMax;
};

struct Canvas
{
    QImage image;
    std::optional<QPainter> painter;

    explicit Canvas(QSize size)
        : image(size, QImage::Format_RGB32)
    {
        image.fill(Qt::white);
        painter.emplace(&image);
        painter->setRenderHint(QPainter::Antialiasing);
        QFont font = painter->font();
        font.setPointSizeF(7.0);
        painter->setFont(font);
    }
    QImage finish()
    {
        painter.reset();
        return image;
    }
};

std::pair<double, double> rangeOf(const std::vector<double> &values)
{
    double lo = 0.0, hi = 0.0;
    bool any = false;
    for (double v : values)
        if (std::isfinite(v)) {
            lo = any ? std::min(lo, v) : v;
            hi = any ? std::max(hi, v) : v;
            any = true;
        }
    return {lo, hi};
}

QImage autocorrelation(const ForwardTrace &trace, const ForwardStage &stage, QSize size)
{
    const int heads = stage.rows;
    std::vector<double> lags, mean(std::size_t(stage.cols), 0.0);
    for (int c = 0; c < stage.cols; ++c)
        lags.push_back(double(c) * stage.colStride);
    std::vector<std::vector<double>> perHead(static_cast<std::size_t>(heads));
    std::vector<double> all;
    for (int h = 0; h < heads; ++h)
        for (int c = 0; c < stage.cols; ++c) {
            const double v = at(stage, h, c);
            perHead[std::size_t(h)].push_back(v);
            mean[std::size_t(c)] += v / heads;
            all.push_back(v);
        }
    const auto [lo, hi] = rangeOf(all);
    Canvas canvas(size);
    Frame frame(*canvas.painter, size, 0.0, lags.back(), lo, hi);
    for (const auto &line : perHead)
        frame.line(lags, line, QPen(kFaint, 1.0));
    frame.line(lags, mean, QPen(kMain, 1.6));
    QString caption = tr("R(τ): %1 heads, their mean (blue)").arg(heads);
    if (const ForwardStage *delays =
            findStage(trace, sibling(stage.name, "autocorrelation", "delays"));
        delays && previewOk(*delays)) {
        const std::vector<long> chosen = indexRow(*delays, 0);
        // Crisp one-pixel marks: no antialiasing (it would blur them over two columns).
        canvas.painter->setRenderHint(QPainter::Antialiasing, false);
        canvas.painter->setPen(QPen(kMark, 1.0, Qt::DashLine));
        for (long tau : chosen) {
            const double x = frame.map(double(tau), lo).x();
            canvas.painter->drawLine(QPointF(x, frame.area().top()),
                                     QPointF(x, frame.area().bottom()));
        }
        if (!chosen.empty()) {
            // The strongest few; the card of the delays lists them all.
            QStringList taus;
            for (std::size_t i = 0; i < chosen.size() && i < 3; ++i)
                taus << QString::number(chosen[i]);
            if (chosen.size() > 3)
                taus << QStringLiteral("…");
            caption += tr(", delays (red) %1").arg(taus.join(QStringLiteral(", ")));
        }
    }
    frame.texts(caption, tr("lag τ (steps)"));
    return canvas.finish();
}

/// The last channel of the stage "input" [1, L, C] (preview [L, C]), as values over time.
std::vector<double> inputSeries(const ForwardTrace &trace, double *step)
{
    const ForwardStage *input = findStage(trace, "input");
    if (!input || !previewOk(*input) || input->shape.size() != 3)
        return {};
    std::vector<double> out;
    for (int r = 0; r < input->rows; ++r)
        out.push_back(at(*input, r, input->cols - 1));
    *step = input->rowStride;
    return out;
}

QImage delays(const ForwardTrace &trace, const ForwardStage &stage, QSize size)
{
    double step = 1.0;
    const std::vector<double> series = inputSeries(trace, &step);
    const std::vector<long> chosen = indexRow(stage, 0);
    if (series.size() < 2 || chosen.empty())
        return {};
    const auto n = long(series.size());
    std::vector<double> times;
    for (long t = 0; t < n; ++t)
        times.push_back(double(t) * step);
    // x(t + τ), rolled round as the aggregation does (in preview rows: τ / stride).
    const auto rolledBy = [&](long tau) {
        const long shift = std::lround(double(tau) / step);
        std::vector<double> rolled;
        for (long t = 0; t < n; ++t)
            rolled.push_back(series[std::size_t(((t + shift) % n + n) % n)]);
        return rolled;
    };
    const auto [lo, hi] = rangeOf(series);
    Canvas canvas(size);
    Frame frame(*canvas.painter, size, 0.0, times.back(), lo, hi);
    frame.line(times, series, QPen(kFaint, 1.4));
    // The three strongest delays (the model lists them strongest first), the strongest on top.
    const QColor colours[] = {kMark, kSecond, kThird};
    const std::size_t shown = std::min<std::size_t>(chosen.size(), 3);
    for (std::size_t i = shown; i-- > 0;)
        frame.line(times, rolledBy(chosen[i]), QPen(colours[i], i == 0 ? 1.4 : 1.0));
    QStringList taus;
    for (std::size_t i = 0; i < shown; ++i)
        taus << QString::number(chosen[i]);
    frame.texts(
        tr("input's last channel (grey), rolled by τ = %1").arg(taus.join(QStringLiteral(", "))),
        tr("time step of the window"));
    return canvas.finish();
}

QImage modeMagnitude(const ForwardTrace &trace, const ForwardStage &stage, QSize size)
{
    const ForwardStage *modes = findStage(trace, sibling(stage.name, "mode_magnitude", "modes"));
    std::vector<long> frequencies;
    if (modes && previewOk(*modes))
        frequencies = indexRow(*modes, 0);
    if (frequencies.size() != std::size_t(stage.cols)) {
        frequencies.clear();
        for (int c = 0; c < stage.cols; ++c)
            frequencies.push_back(long(c) * stage.colStride);
    }
    std::vector<double> magnitude(std::size_t(stage.cols), 0.0);
    for (int h = 0; h < stage.rows; ++h)
        for (int c = 0; c < stage.cols; ++c)
            magnitude[std::size_t(c)] += at(stage, h, c) / stage.rows;
    const double top = *std::max_element(magnitude.begin(), magnitude.end());
    const long last = *std::max_element(frequencies.begin(), frequencies.end());
    Canvas canvas(size);
    Frame frame(*canvas.painter, size, 0.0, double(last + 1), 0.0, top);
    const double width = std::max(1.5, frame.area().width() / double(last + 2) * 0.8);
    canvas.painter->setPen(Qt::NoPen);
    canvas.painter->setBrush(kMain);
    for (std::size_t i = 0; i < magnitude.size(); ++i) {
        const QPointF foot = frame.map(double(frequencies[i]) + 0.5, 0.0);
        const QPointF head = frame.map(double(frequencies[i]) + 0.5, magnitude[i]);
        canvas.painter->drawRect(
            QRectF(foot.x() - width / 2, head.y(), width, foot.y() - head.y()));
    }
    frame.texts(tr("%1 kept Fourier modes: mean weight magnitude over %2 heads")
                    .arg(magnitude.size())
                    .arg(stage.rows),
                tr("frequency (cycles per window)"));
    return canvas.finish();
}

QImage activeQueries(const ForwardTrace &trace, const ForwardStage &stage, QSize size)
{
    const std::string layer = stage.name.substr(0, stage.name.find('.'));
    long queries = 0;
    if (const ForwardStage *own = findStage(trace, layer); own && own->shape.size() == 3)
        queries = long(own->shape[1]);
    std::vector<std::vector<long>> active;
    for (int h = 0; h < stage.rows; ++h) {
        active.push_back(indexRow(stage, h));
        for (long q : active.back())
            queries = std::max(queries, q + 1);
    }
    if (queries < 1)
        return {};
    Canvas canvas(size);
    Frame frame(*canvas.painter, size, 0.0, double(queries), 0.0, double(stage.rows));
    const double cell = frame.area().width() / double(queries);
    const double rowHeight = frame.area().height() / double(stage.rows);
    canvas.painter->setPen(Qt::NoPen);
    for (int h = 0; h < stage.rows; ++h) {
        const double y = frame.area().top() + h * rowHeight;
        canvas.painter->setBrush(QColor(235, 238, 243));
        canvas.painter->drawRect(
            QRectF(frame.area().left(), y + 1, frame.area().width(), rowHeight - 2));
        canvas.painter->setBrush(kSecond);
        for (long q : active[std::size_t(h)])
            canvas.painter->drawRect(
                QRectF(frame.area().left() + q * cell, y + 1, std::max(cell, 1.5), rowHeight - 2));
    }
    frame.texts(
        tr("active queries of %1 per head (%2 heads, one row each)").arg(queries).arg(stage.rows),
        tr("query token"));
    return canvas.finish();
}

QImage decomposition(const ForwardTrace &trace, const ForwardStage &stage, QSize size, bool trend)
{
    const ForwardStage *input = findStage(trace, "input");
    if (!input || input->shape.size() != 3 || stage.shape.size() != 3 ||
        stage.shape[2] != input->shape[2])
        return {};
    std::vector<double> times, values;
    for (int r = 0; r < stage.rows; ++r) {
        times.push_back(double(r) * stage.rowStride);
        values.push_back(at(stage, r, stage.cols - 1));
    }
    if (times.size() < 2)
        return {};
    const auto [lo, hi] = rangeOf(values);
    Canvas canvas(size);
    Frame frame(*canvas.painter, size, 0.0, times.back(), lo, hi);
    frame.line(times, values, QPen(trend ? kSecond : kMain, 1.4));
    frame.texts(tr("%1 of the last channel, %2 to %3")
                    .arg(trend ? tr("trend") : tr("seasonal part"))
                    .arg(lo, 0, 'g', 3)
                    .arg(hi, 0, 'g', 3),
                tr("time step"));
    return canvas.finish();
}

QImage spectrum(const ForwardTrace &trace, const ForwardStage &stage, QSize size)
{
    std::vector<double> frequencies, amplitudes;
    for (int c = 0; c < stage.cols; ++c) {
        frequencies.push_back(double(c) * stage.colStride);
        amplitudes.push_back(at(stage, stage.rows - 1, c));
    }
    const auto [lo, hi] = rangeOf(amplitudes);
    Canvas canvas(size);
    Frame frame(*canvas.painter, size, 0.0, frequencies.back(), std::min(0.0, lo), hi);
    frame.line(frequencies, amplitudes, QPen(kMain, 1.4));
    QString caption = tr("amplitude |FFT| over frequency");
    std::vector<long> chosen, periods;
    if (const ForwardStage *marks =
            findStage(trace, sibling(stage.name, "spectrum", "frequencies"));
        marks && previewOk(*marks))
        chosen = indexRow(*marks, marks->rows - 1);
    if (const ForwardStage *p = findStage(trace, sibling(stage.name, "spectrum", "periods"));
        p && previewOk(*p))
        periods = indexRow(*p, p->rows - 1);
    if (periods.size() != chosen.size())
        periods.clear();
    if (!chosen.empty()) {
        // Crisp one-pixel marks, as the delays of the auto-correlation; each labelled with its
        // period when the periods are known. Labels of neighbouring marks (frequencies 7 and 8
        // of 96, say) go one line lower instead of over each other.
        canvas.painter->setRenderHint(QPainter::Antialiasing, false);
        const QFontMetricsF metrics(canvas.painter->font());
        std::vector<std::size_t> order(chosen.size());
        std::iota(order.begin(), order.end(), std::size_t(0));
        std::sort(order.begin(), order.end(),
                  [&](std::size_t a, std::size_t b) { return chosen[a] < chosen[b]; });
        std::vector<double> lineEnds; // the right end of the last label on each line
        for (const std::size_t i : order) {
            const double x = frame.map(double(chosen[i]), 0.0).x();
            canvas.painter->setPen(QPen(kMark, 1.0, Qt::DashLine));
            canvas.painter->drawLine(QPointF(x, frame.area().top()),
                                     QPointF(x, frame.area().bottom()));
            if (periods.empty())
                continue;
            const QString label = QString::number(periods[i]);
            std::size_t line = 0;
            while (line < lineEnds.size() && lineEnds[line] > x + 1.0)
                ++line;
            if (line == lineEnds.size())
                lineEnds.push_back(0.0);
            lineEnds[line] = x + 2.0 + metrics.horizontalAdvance(label) + 2.0;
            canvas.painter->drawText(
                QPointF(x + 2.0, frame.area().top() + 8.0 + double(line) * metrics.height()),
                label);
        }
        caption += periods.empty() ? tr("; red: chosen frequencies") : tr("; red: chosen periods");
    }
    frame.texts(caption, tr("frequency (cycles per window)"));
    return canvas.finish();
}

} // namespace

QImage mechanismPicture(const ForwardTrace &trace, int stageIndex, QSize size)
{
    if (stageIndex < 0 || stageIndex >= int(trace.stages.size()) || size.width() < 40 ||
        size.height() < 40)
        return {};
    const ForwardStage &stage = trace.stages[std::size_t(stageIndex)];
    if (!previewOk(stage))
        return {};
    const std::size_t rank = stage.shape.size();
    const std::string &name = stage.name;
    if (endsWith(name, ".autocorrelation") && rank == 3 && stage.cols > 1)
        return autocorrelation(trace, stage, size);
    if (endsWith(name, ".delays") && rank == 2)
        return delays(trace, stage, size);
    if (endsWith(name, ".mode_magnitude") && rank == 2)
        return modeMagnitude(trace, stage, size);
    if (endsWith(name, "active_queries") && rank == 3)
        return activeQueries(trace, stage, size);
    if (endsWith(name, ".spectrum") && (rank == 1 || (rank == 2 && stage.shape[0] == 1)) &&
        stage.cols > 1)
        return spectrum(trace, stage, size);
    if (endsWith(name, ".seasonal") || endsWith(name, ".trend"))
        return decomposition(trace, stage, size, endsWith(name, ".trend"));
    return {};
}

} // namespace twb
