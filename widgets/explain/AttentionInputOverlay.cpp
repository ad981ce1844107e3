#include "AttentionInputOverlay.h"

#include "dsp/Decibel.h"
#include "dsp/SpeechFrames.h"
#include "dsp/Stft.h"
#include "render/SpectrogramImage.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {
constexpr int kPad = 6;
constexpr int kNameWidth = 110;   // channel names left of the variate bars
constexpr int kValueWidth = 52;   // weights right of the bars
const QColor kShade(255, 120, 0); // opaque shade of the largest weight
} // namespace

AttentionInputOverlay::AttentionInputOverlay(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void AttentionInputOverlay::setTokens(std::vector<TokenInfo> tokens)
{
    m_tokens = std::move(tokens);
    m_weights.clear();
    chooseLayout();
    invalidate();
}

void AttentionInputOverlay::chooseLayout()
{
    int series = 0, variates = 0, tiles = 0;
    for (const TokenInfo &token : m_tokens) {
        switch (token.kind) {
        case TokenInfo::Kind::TimeStep:
        case TokenInfo::Kind::TimeRange:
            ++series;
            break;
        case TokenInfo::Kind::Variate:
            ++variates;
            break;
        case TokenInfo::Kind::Tile:
            ++tiles;
            break;
        case TokenInfo::Kind::Special:
            break;
        }
    }
    if (series == 0 && variates == 0 && tiles == 0)
        m_layout = Layout::None;
    else if (tiles >= series && tiles >= variates)
        m_layout = Layout::Tiles;
    else if (variates >= series)
        m_layout = Layout::Variates;
    else
        m_layout = Layout::Series;
}

void AttentionInputOverlay::setWeights(std::vector<float> weights, const QString &caption)
{
    m_weights = weights.size() == m_tokens.size() ? std::move(weights) : std::vector<float>{};
    m_caption = caption;
    invalidate();
}

void AttentionInputOverlay::setInputSeries(std::vector<float> values, int length, int channels,
                                           const QStringList &channelNames)
{
    if (length <= 0 || channels <= 0 ||
        values.size() != std::size_t(length) * std::size_t(channels)) {
        m_values.clear();
        m_length = m_channels = 0;
    } else {
        m_values = std::move(values);
        m_length = length;
        m_channels = channels;
    }
    m_channelNames = channelNames;
    // A sound belongs to the series it was set with.
    m_sound = QImage();
    m_scaledSound = QImage();
    m_soundRate = 0.0;
    setChannel(m_channel);
    invalidate();
}

void AttentionInputOverlay::setInputSound(std::span<const float> samples, double sampleRate)
{
    m_sound = QImage();
    m_scaledSound = QImage();
    m_soundRate = 0.0;
    invalidate();
    if (!(sampleRate > 0.0) || samples.empty())
        return;
    Expected<dsp::Stft> stft = dsp::Stft::create(dsp::speechStftOptions(sampleRate));
    if (!stft || !stft->checkLength(std::int64_t(samples.size())))
        return;
    Expected<dsp::FloatMatrix> power = stft->spectrogram(samples, dsp::SpectrumKind::Power);
    if (!power || power->isEmpty())
        return;
    dsp::DbOptions db;
    db.refIsMax = true; // 0 dB at the peak, 80 dB below it the floor
    dsp::powerToDb(power->data, db);
    m_sound = renderSpectrogram(*power, ColorMap::get(ColorMapKind::Magma), DbRange{-80.0, 0.0});
    m_soundRate = sampleRate;
}

double AttentionInputOverlay::partialKeyExtent() const
{
    if (m_layout != Layout::Series || m_length <= 0)
        return 0.0;
    std::int64_t end = 0;
    for (const TokenInfo &token : m_tokens)
        if (token.kind == TokenInfo::Kind::TimeRange || token.kind == TokenInfo::Kind::TimeStep)
            end = std::max(end, token.end);
    return end > 0 && 2 * end < m_length ? double(end) : 0.0;
}

QString AttentionInputOverlay::sampleAxisText(double sample) const
{
    if (m_soundRate > 0.0)
        return tr("%1 s").arg(sample / m_soundRate, 0, 'f', 2);
    return tr("%1 samples").arg(QString::number(sample));
}

void AttentionInputOverlay::setChannel(int channel)
{
    m_channel = std::clamp(channel, 0, std::max(0, m_channels - 1));
    m_seriesLayer = QPixmap();
    invalidate();
}

void AttentionInputOverlay::setInputSpectrogram(const dsp::FloatMatrix &binsByFrames,
                                                ColorMapKind colorMap)
{
    if (binsByFrames.isEmpty()) {
        m_spectrogram = QImage();
        m_scaledSpectrogram = QImage();
        invalidate();
        return;
    }
    float lo = INFINITY, hi = -INFINITY;
    for (float v : binsByFrames.data)
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    if (!(lo < hi)) {
        lo = std::isfinite(lo) ? lo - 1.0f : 0.0f;
        hi = lo + 2.0f;
    }
    m_spectrogram = renderSpectrogram(binsByFrames, ColorMap::get(colorMap), DbRange{lo, hi});
    m_scaledSpectrogram = QImage();
    invalidate();
}

void AttentionInputOverlay::setInputSpectrogramImage(const QImage &image)
{
    m_spectrogram = image;
    m_scaledSpectrogram = QImage();
    invalidate();
}

QRect AttentionInputOverlay::plotRect() const
{
    const int line = QFontMetrics(font()).height();
    const int top = kPad + 2 * line + kPad; // caption, special tokens
    QRect r(kPad, top, width() - 2 * kPad, height() - top - kPad - line);
    if (m_layout == Layout::Variates)
        r.adjust(kNameWidth, 0, -kValueWidth, line);
    return r.isValid() ? r : QRect();
}

double AttentionInputOverlay::sampleExtent() const
{
    if (m_length > 0)
        return m_length;
    std::int64_t end = 0;
    for (const TokenInfo &token : m_tokens)
        if (token.kind == TokenInfo::Kind::TimeRange || token.kind == TokenInfo::Kind::TimeStep)
            end = std::max(end, token.end);
    return double(std::max<std::int64_t>(end, 1));
}

std::pair<double, double> AttentionInputOverlay::tileExtent() const
{
    if (!m_spectrogram.isNull())
        return {m_spectrogram.width(), m_spectrogram.height()};
    std::int64_t frames = 1, bins = 1;
    for (const TokenInfo &token : m_tokens)
        if (token.kind == TokenInfo::Kind::Tile) {
            frames = std::max(frames, token.end);
            bins = std::max(bins, token.freqEnd);
        }
    return {double(frames), double(bins)};
}

double AttentionInputOverlay::maxWeight() const
{
    double max = 0.0;
    for (std::size_t i = 0; i < m_weights.size(); ++i)
        if (m_tokens[i].kind != TokenInfo::Kind::Special)
            max = std::max(max, double(m_weights[i]));
    return max;
}

void AttentionInputOverlay::setQueryToken(std::optional<TokenInfo> query)
{
    m_query = std::move(query);
    invalidate();
}

bool AttentionInputOverlay::queryPastTheWindow() const
{
    return m_query && m_layout == Layout::Series &&
           (m_query->kind == TokenInfo::Kind::TimeStep ||
            m_query->kind == TokenInfo::Kind::TimeRange) &&
           double(m_query->begin) >= sampleExtent();
}

QRectF AttentionInputOverlay::queryRect() const
{
    const QRectF plot = plotRect();
    if (!m_query || m_layout != Layout::Series || plot.isEmpty() ||
        (m_query->kind != TokenInfo::Kind::TimeStep && m_query->kind != TokenInfo::Kind::TimeRange))
        return {};
    if (queryPastTheWindow()) {
        const QFontMetrics metrics(font());
        const double w = metrics.horizontalAdvance(queryMarkerText()) + 2.0 * kPad;
        return {plot.right() - w, plot.top(), w, double(metrics.height()) + 4.0};
    }
    const double scale = plot.width() / sampleExtent();
    const double end = std::min(double(m_query->end), sampleExtent());
    return {plot.left() + double(m_query->begin) * scale, plot.top(),
            std::max(1.0, (end - double(m_query->begin)) * scale), plot.height()};
}

QString AttentionInputOverlay::queryMarkerText() const
{
    if (!m_query)
        return {};
    // "decoder step t+12" -> "query t+12 →": the words before the step are in the caption.
    const QString label = QString::fromStdString(m_query->label);
    return tr("query %1 →").arg(label.section(QLatin1Char(' '), -1));
}

QRectF AttentionInputOverlay::keyRect(int key) const
{
    if (key < 0 || key >= int(m_tokens.size()))
        return {};
    const TokenInfo &token = m_tokens[std::size_t(key)];
    const QRectF plot = plotRect();
    if (plot.isEmpty())
        return {};
    switch (token.kind) {
    case TokenInfo::Kind::TimeStep:
    case TokenInfo::Kind::TimeRange: {
        if (m_layout != Layout::Series)
            return {};
        const double scale = plot.width() / sampleExtent();
        return {plot.left() + double(token.begin) * scale, plot.top(),
                double(token.end - token.begin) * scale, plot.height()};
    }
    case TokenInfo::Kind::Tile: {
        if (m_layout != Layout::Tiles)
            return {};
        const auto [frames, bins] = tileExtent();
        const double sx = plot.width() / frames;
        const double sy = plot.height() / bins;
        return {plot.left() + double(token.begin) * sx, plot.bottom() - double(token.freqEnd) * sy,
                double(token.end - token.begin) * sx, double(token.freqEnd - token.freqBegin) * sy};
    }
    case TokenInfo::Kind::Variate: {
        if (m_layout != Layout::Variates)
            return {};
        int row = 0;
        int rows = 0;
        for (std::size_t i = 0; i < m_tokens.size(); ++i)
            if (m_tokens[i].kind == TokenInfo::Kind::Variate) {
                if (int(i) == key)
                    row = rows;
                ++rows;
            }
        const double rowHeight = plot.height() / std::max(rows, 1);
        const double max = maxWeight();
        const double w = m_weights.empty() || max <= 0.0
                             ? 0.0
                             : plot.width() * double(m_weights[std::size_t(key)]) / max;
        return {plot.left(), plot.top() + row * rowHeight + 1.0, w, std::max(rowHeight - 2.0, 1.0)};
    }
    case TokenInfo::Kind::Special:
        return {};
    }
    return {};
}

QString AttentionInputOverlay::barLabel(int key) const
{
    if (key < 0 || key >= int(m_tokens.size()))
        return {};
    const TokenInfo &token = m_tokens[std::size_t(key)];
    if (token.channel >= 0 && token.channel < m_channelNames.size() &&
        !m_channelNames[int(token.channel)].isEmpty())
        return m_channelNames[int(token.channel)];
    if (!token.label.empty())
        return QString::fromStdString(token.label);
    return QStringLiteral("ch %1").arg(token.channel);
}

QString AttentionInputOverlay::specialText() const
{
    if (m_weights.empty())
        return {};
    QStringList parts;
    for (std::size_t i = 0; i < m_tokens.size(); ++i)
        if (m_tokens[i].kind == TokenInfo::Kind::Special) {
            const QString label = m_tokens[i].label.empty()
                                      ? tr("special %1").arg(i)
                                      : QString::fromStdString(m_tokens[i].label);
            parts.append(QStringLiteral("%1 %2").arg(label).arg(double(m_weights[i]), 0, 'f', 3));
        }
    return parts.join(QStringLiteral("   "));
}

void AttentionInputOverlay::paintEvent(QPaintEvent *)
{
    const qreal ratio = devicePixelRatioF();
    if (m_base.isNull() || m_base.size() != size() * ratio) {
        m_base = QPixmap(size() * ratio);
        m_base.setDevicePixelRatio(ratio);
        QPainter base(&m_base);
        paintBase(base);
    }
    QPainter painter(this);
    painter.drawPixmap(0, 0, m_base);
}

void AttentionInputOverlay::resizeEvent(QResizeEvent *event)
{
    m_base = QPixmap();
    m_seriesLayer = QPixmap();
    m_scaledSpectrogram = QImage();
    m_scaledSound = QImage();
    QWidget::resizeEvent(event);
}

void AttentionInputOverlay::invalidate()
{
    m_base = QPixmap();
    update();
}

void AttentionInputOverlay::paintBase(QPainter &painter) const
{
    painter.fillRect(rect(), palette().base());
    painter.setPen(palette().color(QPalette::Text));
    const int line = QFontMetrics(font()).height();
    painter.drawText(QRect(kPad, kPad, width() - 2 * kPad, line), Qt::AlignLeft | Qt::AlignVCenter,
                     m_caption);
    const QString special = specialText();
    if (!special.isEmpty())
        painter.drawText(QRect(kPad, kPad + line, width() - 2 * kPad, line),
                         Qt::AlignLeft | Qt::AlignVCenter,
                         tr("attention to special tokens: %1").arg(special));
    const QRect plot = plotRect();
    if (plot.isEmpty())
        return;
    switch (m_layout) {
    case Layout::None:
        painter.drawText(plot, Qt::AlignCenter, tr("no input tokens"));
        break;
    case Layout::Series:
        drawSeries(painter, plot);
        break;
    case Layout::Variates:
        drawVariates(painter, plot);
        break;
    case Layout::Tiles:
        drawTiles(painter, plot);
        break;
    }
}

void AttentionInputOverlay::drawSeries(QPainter &painter, const QRect &plot) const
{
    const double max = maxWeight();
    if (!m_sound.isNull()) {
        drawSound(painter, plot);
    } else {
        painter.fillRect(plot, palette().alternateBase());
        if (max > 0.0)
            for (std::size_t i = 0; i < m_tokens.size(); ++i) {
                const QRectF r = keyRect(int(i));
                if (r.isEmpty())
                    continue;
                QColor shade = kShade;
                shade.setAlphaF(float(std::clamp(0.85 * m_weights[i] / max, 0.0, 0.85)));
                painter.fillRect(r, shade);
            }
    }
    if (!m_sound.isNull()) {
        // The spectrogram stands for the series.
    } else if (m_length > 0) {
        // The line depends only on the series, the channel and the size: drawn once, reused
        // for every query.
        const qreal ratio = devicePixelRatioF();
        if (m_seriesLayer.isNull() || m_seriesLayer.size() != size() * ratio) {
            m_seriesLayer = QPixmap(size() * ratio);
            m_seriesLayer.setDevicePixelRatio(ratio);
            m_seriesLayer.fill(Qt::transparent);
            QPainter layer(&m_seriesLayer);
            layer.setFont(font());
            drawSeriesLine(layer, plot);
        }
        painter.drawPixmap(0, 0, m_seriesLayer);
    } else {
        painter.setPen(palette().color(QPalette::Text));
        painter.drawText(plot, Qt::AlignCenter, tr("no input series"));
    }
    // The query: outlined where it covers the input; past the window's end (a decoder step of
    // the horizon) named at the right edge.
    if (const QRectF query = queryRect(); !query.isEmpty()) {
        painter.setBrush(Qt::NoBrush);
        if (queryPastTheWindow()) {
            painter.fillRect(query, palette().base());
            painter.setPen(palette().color(QPalette::Text));
            painter.drawRect(query);
            painter.drawText(query, Qt::AlignCenter, queryMarkerText());
        } else {
            painter.setPen(QPen(palette().color(QPalette::Text), 1.5, Qt::DashLine));
            painter.drawRect(query);
        }
    }
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRect(plot.left(), plot.bottom() + 2, plot.width(), height() - plot.bottom()),
                     Qt::AlignLeft | Qt::AlignTop, QStringLiteral("0"));
    const QRect axis(plot.left(), plot.bottom() + 2, plot.width(), height() - plot.bottom());
    painter.drawText(axis, Qt::AlignRight | Qt::AlignTop, sampleAxisText(sampleExtent()));
    if (const double keys = partialKeyExtent(); keys > 0.0)
        painter.drawText(
            axis, Qt::AlignHCenter | Qt::AlignTop,
            tr("keys: 0–%1 of %2").arg(sampleAxisText(keys), sampleAxisText(sampleExtent())));
}

void AttentionInputOverlay::drawSound(QPainter &painter, const QRect &plot) const
{
    if (m_scaledSound.size() != plot.size())
        m_scaledSound =
            m_sound.scaled(plot.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    painter.drawImage(plot.topLeft(), m_scaledSound);
    const double max = maxWeight();
    if (max <= 0.0)
        return;
    // Dark everywhere, the spectrogram lit again over each key's time range with opacity ∝ its
    // weight (overlapping keys add up), and the shade along the bottom edge for the eye.
    painter.fillRect(plot, QColor(0, 0, 0, 150));
    const int bar = std::max(4, plot.height() / 30);
    for (std::size_t i = 0; i < m_tokens.size(); ++i) {
        const QRectF r = keyRect(int(i)).intersected(QRectF(plot));
        const double t = std::clamp(double(m_weights[i]) / max, 0.0, 1.0);
        if (r.isEmpty() || !(t >= 0.02))
            continue;
        painter.setOpacity(t);
        painter.drawImage(r, m_scaledSound, r.translated(-plot.left(), -plot.top()));
        painter.setOpacity(1.0);
        QColor shade = kShade;
        shade.setAlphaF(float(0.9 * t));
        painter.fillRect(QRectF(r.left(), plot.bottom() + 1 - bar, r.width(), bar), shade);
    }
}

void AttentionInputOverlay::drawSeriesLine(QPainter &painter, const QRect &plot) const
{
    float lo = INFINITY, hi = -INFINITY;
    for (int t = 0; t < m_length; ++t) {
        const float v = m_values[std::size_t(t) * std::size_t(m_channels) + std::size_t(m_channel)];
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (!(lo < hi)) {
        lo -= 1.0f;
        hi += 1.0f;
    }
    const double sx = double(plot.width()) / m_length;
    const double sy = (plot.height() - 8.0) / double(hi - lo);
    QPainterPath path;
    bool started = false;
    for (int t = 0; t < m_length; ++t) {
        const float v = m_values[std::size_t(t) * std::size_t(m_channels) + std::size_t(m_channel)];
        if (!std::isfinite(v)) {
            started = false;
            continue;
        }
        const QPointF p(plot.left() + (t + 0.5) * sx, plot.bottom() - 4.0 - (v - lo) * sy);
        if (started)
            path.lineTo(p);
        else
            path.moveTo(p);
        started = true;
    }
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setPen(QPen(QColor(20, 70, 160), 1.5));
    painter.drawPath(path);
    painter.setRenderHint(QPainter::Antialiasing, false);
    const QString name =
        m_channel < m_channelNames.size() ? m_channelNames[m_channel] : tr("ch %1").arg(m_channel);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(plot.adjusted(4, 2, -4, -2), Qt::AlignLeft | Qt::AlignTop, name);
}

void AttentionInputOverlay::drawVariates(QPainter &painter, const QRect &plot) const
{
    const int line = QFontMetrics(font()).height();
    for (std::size_t i = 0; i < m_tokens.size(); ++i) {
        if (m_tokens[i].kind != TokenInfo::Kind::Variate)
            continue;
        QRectF bar = keyRect(int(i));
        const QRectF row(plot.left(), bar.top(), plot.width(), bar.height());
        painter.fillRect(row, palette().alternateBase());
        painter.fillRect(bar, kShade);
        painter.setPen(palette().color(QPalette::Text));
        if (row.height() >= line * 0.6) {
            painter.drawText(QRectF(kPad, row.top(), kNameWidth - kPad, row.height()),
                             Qt::AlignRight | Qt::AlignVCenter, barLabel(int(i)));
            if (!m_weights.empty())
                painter.drawText(QRectF(plot.right() + 4, row.top(), kValueWidth, row.height()),
                                 Qt::AlignLeft | Qt::AlignVCenter,
                                 QString::number(double(m_weights[i]), 'f', 3));
        }
    }
}

void AttentionInputOverlay::drawTiles(QPainter &painter, const QRect &plot) const
{
    if (m_spectrogram.isNull()) {
        painter.fillRect(plot, QColor(40, 40, 40));
    } else {
        if (m_scaledSpectrogram.size() != plot.size())
            m_scaledSpectrogram =
                m_spectrogram.scaled(plot.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        painter.drawImage(plot.topLeft(), m_scaledSpectrogram);
    }
    const double max = maxWeight();
    if (max <= 0.0)
        return;
    // A dark veil over the whole picture, lifted where the query attends: tiles overlap (stride
    // < size), so each is outlined and filled with a translucent shade ∝ its weight.
    painter.fillRect(plot, QColor(0, 0, 0, 110));
    for (std::size_t i = 0; i < m_tokens.size(); ++i) {
        if (m_tokens[i].kind != TokenInfo::Kind::Tile)
            continue;
        const double t = std::clamp(m_weights[i] / max, 0.0, 1.0);
        if (!(t >= 0.02))
            continue;
        QColor shade = kShade;
        shade.setAlphaF(float(0.75 * t));
        painter.fillRect(keyRect(int(i)), shade);
    }
}

} // namespace twb
