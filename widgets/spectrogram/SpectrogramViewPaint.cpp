// SpectrogramView: composing the images and drawing axes, filterbank and read-out.

#include "widgets/common/ChartTicks.h"
#include "widgets/spectrogram/SpectrogramView.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {
const QColor kMissing(48, 48, 52);
const QColor kBackground(250, 250, 250);

QString hzLabel(double hz)
{
    if (hz >= 1000.0)
        return QStringLiteral("%1k").arg(hz / 1000.0, 0, 'g', 3);
    return QString::number(hz, 'g', 4);
}
} // namespace

QImage SpectrogramView::composeSpectrogram() const
{
    const QRect plot = plotRect();
    const SpectrogramComputer *c = computer();
    if (!c || plot.width() <= 0 || plot.height() <= 0)
        return {};
    QImage image(plot.size(), QImage::Format_RGB32);
    image.fill(kMissing);
    if (c->frames() == 0)
        return image;
    const ColorMap &map = ColorMap::get(m_colorMap);
    const std::vector<int> rows = frequencyAxis().rowsForPixels(c->rowHz(), plot.height());
    const int level = currentLevel();
    const double stride = double(std::int64_t(1) << level);
    const std::int64_t framesL = c->framesAt(level);
    const double duration = c->durationSeconds();
    const int w = plot.width();
    const int h = plot.height();
    for (int x = 0; x < w; ++x) {
        const double t = timeAtX(plot.left() + x);
        if (t < 0 || t > duration)
            continue;
        const std::int64_t fl = std::clamp<std::int64_t>(
            std::llround(double(c->nearestFrame(t)) / stride), 0, framesL - 1);
        const dsp::FloatMatrix *m = m_cache->tile(level, fl / SpectrogramComputer::kTileFrames);
        if (!m)
            continue;
        const std::int64_t col = fl % SpectrogramComputer::kTileFrames;
        for (int y = 0; y < h; ++y)
            reinterpret_cast<QRgb *>(image.scanLine(y))[x] =
                map.at(colourIndex((*m)(rows[std::size_t(y)], col), m_dbRange));
    }
    return image;
}

QImage SpectrogramView::composeWaveform() const
{
    const QRect wave = waveformRect();
    if (!m_signal || wave.width() <= 0 || wave.height() <= 0)
        return {};
    QImage image(wave.size(), QImage::Format_RGB32);
    image.fill(Qt::white);
    const std::vector<float> &s = *m_signal;
    const auto n = std::int64_t(s.size());
    const float peak = m_peak; // the loudest sample of the whole signal: scrolling keeps the scale
    QPainter p(&image);
    p.setPen(QColor(200, 200, 200));
    const int mid = wave.height() / 2;
    p.drawLine(0, mid, wave.width(), mid);
    p.setPen(QColor(31, 119, 180));
    const double samplesPerPixel = (m_t1 - m_t0) * m_sampleRate / wave.width();
    for (int x = 0; x < wave.width(); ++x) {
        const double a = m_t0 * m_sampleRate + x * samplesPerPixel;
        auto i0 = std::int64_t(std::floor(a));
        auto i1 = std::max(i0 + 1, std::int64_t(std::floor(a + samplesPerPixel)));
        i0 = std::clamp<std::int64_t>(i0, 0, n);
        i1 = std::clamp<std::int64_t>(i1, 0, n);
        if (i0 >= i1)
            continue;
        const auto [lo, hi] = std::minmax_element(s.begin() + i0, s.begin() + i1);
        const int yHi = mid - int(std::lround(*hi / peak * (mid - 1)));
        const int yLo = mid - int(std::lround(*lo / peak * (mid - 1)));
        p.drawLine(x, yHi, x, std::max(yHi, yLo));
    }
    return image;
}

void SpectrogramView::drawAxes(QPainter &painter) const
{
    const QRect plot = plotRect();
    const QRect wave = waveformRect();
    const QFontMetrics fm = painter.fontMetrics();
    painter.setPen(Qt::black);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(plot.adjusted(0, 0, -1, -1));
    painter.drawRect(wave.adjusted(0, 0, -1, -1));

    // Time ticks under the plot (and thin marks on the waveform: same x mapping).
    const double step = niceTickInterval(m_t1 - m_t0, std::max(2, plot.width() / 90));
    for (double t = std::ceil(m_t0 / step) * step; t <= m_t1 + 1e-12; t += step) {
        const int x = int(std::lround(xOfTime(t)));
        painter.drawLine(x, plot.bottom(), x, plot.bottom() + 4);
        painter.drawLine(x, wave.bottom(), x, wave.bottom() - 3);
        const QString label = QString::number(t, 'g', 6) + QStringLiteral(" s");
        painter.drawText(QRect(x - 40, plot.bottom() + 5, 80, fm.height()), Qt::AlignHCenter,
                         label);
    }

    // Frequency ticks left of the plot: round values that are at least a label apart.
    const FrequencyAxis axis = frequencyAxis();
    std::vector<double> candidates;
    if (axis.scale() == FrequencyScale::Linear) {
        const double fstep = niceTickInterval(axis.fmax(), std::max(2, plot.height() / 40));
        for (double f = 0; f <= axis.fmax() + 1e-9; f += fstep)
            candidates.push_back(f);
    } else {
        if (axis.scale() == FrequencyScale::Mel)
            candidates.push_back(0.0);
        for (double decade = 1; decade <= axis.fmax(); decade *= 10)
            for (double m : {1.0, 2.0, 5.0})
                candidates.push_back(m * decade);
    }
    int lastY = 1 << 30;
    for (double f : candidates) {
        if (f < axis.fmin() || f > axis.fmax())
            continue;
        const double u = axis.positionOf(f);
        const int y = plot.top() + int(std::lround((1.0 - u) * plot.height()));
        if (lastY - y < fm.height() + 2)
            continue;
        lastY = y;
        painter.drawLine(plot.left() - 4, y, plot.left(), y);
        painter.drawText(QRect(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                         Qt::AlignRight | Qt::AlignVCenter, hzLabel(f));
    }
    painter.save();
    painter.translate(10, plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-60, -8, 120, 16), Qt::AlignCenter,
                     QStringLiteral("Hz (%1)").arg(frequencyScaleName(axis.scale())));
    painter.restore();
}

void SpectrogramView::drawFilterbank(QPainter &painter) const
{
    const QRect panel = filterbankRect();
    const dsp::MelFilterbank *bank = displayedBank();
    if (panel.isEmpty() || !bank)
        return;
    painter.save();
    painter.setPen(Qt::black);
    painter.setBrush(Qt::white);
    painter.drawRect(panel.adjusted(0, 0, -1, -1));
    painter.setClipRect(panel);
    painter.setRenderHint(QPainter::Antialiasing);
    const FrequencyAxis axis = frequencyAxis();
    const double binHz = bank->options().sampleRate / bank->options().nFft;
    float maxWeight = 0.0f;
    for (int m = 0; m < bank->mels(); ++m)
        for (float v : bank->rowWeights(m))
            maxWeight = std::max(maxWeight, v);
    if (maxWeight <= 0)
        maxWeight = 1;
    auto yOf = [&](double hz) {
        return panel.top() + (1.0 - std::clamp(axis.positionOf(hz), -0.01, 1.01)) * panel.height();
    };
    for (int m = 0; m < bank->mels(); ++m) {
        const std::vector<float> &weights = bank->rowWeights(m);
        const int first = bank->firstBin(m);
        QPainterPath path;
        path.moveTo(panel.left(), yOf(std::max(0, first - 1) * binHz));
        for (std::size_t k = 0; k < weights.size(); ++k)
            path.lineTo(panel.left() + (panel.width() - 4) * weights[k] / maxWeight,
                        yOf((first + double(k)) * binHz));
        path.lineTo(panel.left(), yOf((first + double(weights.size())) * binHz));
        painter.setPen(QPen(m % 2 ? QColor(214, 39, 40) : QColor(31, 119, 180), 1.0));
        painter.drawPath(path);
    }
    painter.setClipping(false);
    painter.setPen(Qt::black);
    painter.drawText(panel.adjusted(2, 2, -2, -2), Qt::AlignTop | Qt::AlignRight,
                     QStringLiteral("%1 mel").arg(bank->mels()));
    painter.restore();
}

void SpectrogramView::drawReadout(QPainter &painter) const
{
    const QRect plot = plotRect();
    QString text = QStringLiteral("%1 … %2 dB  %3")
                       .arg(m_dbRange.floor)
                       .arg(m_dbRange.top)
                       .arg(colorMapName(m_colorMap));
    if (m_cursor) {
        if (const auto r = readoutAt(*m_cursor)) {
            text = readoutText(*r);
            painter.setPen(QPen(QColor(255, 255, 255, 140), 1, Qt::DashLine));
            painter.drawLine(m_cursor->x(), waveformRect().top(), m_cursor->x(), plot.bottom());
        }
    }
    const QFontMetrics fm = painter.fontMetrics();
    const QRect box(plot.left() + 4, plot.top() + 4, fm.horizontalAdvance(text) + 10,
                    fm.height() + 4);
    painter.fillRect(box, QColor(0, 0, 0, 150));
    painter.setPen(Qt::white);
    painter.drawText(box, Qt::AlignCenter, text);
}

void SpectrogramView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), kBackground);
    if (!m_signal) {
        painter.setPen(Qt::darkGray);
        painter.drawText(rect(), Qt::AlignCenter, tr("No signal"));
        return;
    }
    if (m_spectrogramImage.isNull())
        m_spectrogramImage = composeSpectrogram();
    if (m_waveformImage.isNull())
        m_waveformImage = composeWaveform();
    painter.drawImage(plotRect().topLeft(), m_spectrogramImage);
    painter.drawImage(waveformRect().topLeft(), m_waveformImage);
    drawAxes(painter);
    drawFilterbank(painter);
    drawReadout(painter);
}

} // namespace twb
