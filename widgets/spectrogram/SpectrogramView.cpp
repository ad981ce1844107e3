#include "SpectrogramView.h"

#include "audio/AudioReader.h"
#include "dsp/Window.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twb {

namespace {
constexpr int kLeftMargin = 58;
constexpr int kRightMargin = 10;
constexpr int kTopMargin = 6;
constexpr int kBottomMargin = 24;
constexpr int kGap = 6;
constexpr int kFilterbankWidth = 96;
} // namespace

SpectrogramView::SpectrogramView(QWidget *parent)
    : QWidget(parent)
    , m_cache(new SpectrogramTileCache(this))
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_OpaquePaintEvent);
    connect(m_cache, &SpectrogramTileCache::tileReady, this, &SpectrogramView::onTileReady);
    connect(m_cache, &SpectrogramTileCache::tileFailed, this, &SpectrogramView::errorOccurred);
}

SpectrogramView::~SpectrogramView() = default;

Status SpectrogramView::setSignal(std::vector<float> samples, double sampleRate,
                                  const QString &name)
{
    auto signal = std::make_shared<const std::vector<float>>(std::move(samples));
    Expected<std::shared_ptr<const SpectrogramComputer>> computer =
        SpectrogramComputer::create(signal, sampleRate, m_settings);
    if (!computer)
        return Error{computer.error().reason, name};
    m_signal = std::move(signal);
    m_sampleRate = sampleRate;
    m_peak = 1e-6f;
    for (float v : *m_signal)
        m_peak = std::max(m_peak, std::abs(v));
    m_rangeSeeded = false;
    m_name = name;
    m_displayBank.reset();
    m_cache->setComputer(*computer);
    m_t0 = 0.0;
    m_t1 = durationSeconds();
    m_wasComplete = false;
    invalidateImages();
    requestVisible();
    Q_EMIT timeRangeChanged(m_t0, m_t1);
    Q_EMIT settingsChanged();
    return {};
}

Status SpectrogramView::loadAudioFile(const QString &path, double targetRate)
{
    AudioReadOptions options;
    options.targetRate = targetRate;
    Expected<AudioClip> clip = readAudio(path, options);
    if (!clip)
        return clip.error();
    const double rate = clip->sampleRate;
    return setSignal(std::move(clip->samples), rate, path);
}

double SpectrogramView::durationSeconds() const
{
    return m_signal && m_sampleRate > 0 ? double(m_signal->size()) / m_sampleRate : 0.0;
}

Status SpectrogramView::setSettings(const SpectrogramSettings &settings)
{
    if (m_signal) {
        Expected<std::shared_ptr<const SpectrogramComputer>> computer =
            SpectrogramComputer::create(m_signal, m_sampleRate, settings);
        if (!computer) {
            Q_EMIT errorOccurred(computer.error().toString());
            return computer.error();
        }
        m_cache->setComputer(*computer);
    } else if (Expected<dsp::StftOptions> r = dsp::resolved(settings.stft); !r) {
        return r.error();
    }
    m_settings = settings;
    m_rangeSeeded = false;
    m_displayBank.reset();
    m_wasComplete = false;
    setTimeRange(m_t0, m_t1); // the minimum width depends on the hop
    invalidateImages();
    requestVisible();
    Q_EMIT settingsChanged();
    return {};
}

Status SpectrogramView::setNFft(int nFft)
{
    SpectrogramSettings s = m_settings;
    s.stft.nFft = nFft;
    if (s.stft.winLength > nFft)
        s.stft.winLength = 0;
    return setSettings(s);
}

Status SpectrogramView::setHop(int hop)
{
    SpectrogramSettings s = m_settings;
    s.stft.hop = hop;
    return setSettings(s);
}

Status SpectrogramView::setWindowLength(int length)
{
    SpectrogramSettings s = m_settings;
    s.stft.winLength = length;
    return setSettings(s);
}

Status SpectrogramView::setWindow(dsp::WindowType type)
{
    SpectrogramSettings s = m_settings;
    s.stft.window.type = type;
    return setSettings(s);
}

Status SpectrogramView::setFrequencyScale(FrequencyScale scale)
{
    SpectrogramSettings s = m_settings;
    s.scale = scale;
    return setSettings(s);
}

Status SpectrogramView::setMelBands(int nMels)
{
    SpectrogramSettings s = m_settings;
    s.nMels = nMels;
    return setSettings(s);
}

Status SpectrogramView::setSpectrumKind(dsp::SpectrumKind kind)
{
    SpectrogramSettings s = m_settings;
    s.kind = kind;
    return setSettings(s);
}

void SpectrogramView::setColorMap(ColorMapKind kind)
{
    if (kind == m_colorMap)
        return;
    m_colorMap = kind;
    invalidateImages(false);
}

void SpectrogramView::setDbRange(double floor, double top)
{
    if (!(floor < top))
        return;
    m_autoDbRange = false;
    m_dbRange = {floor, top};
    invalidateImages(false);
}

void SpectrogramView::setAutoDbRange(bool on)
{
    m_autoDbRange = on;
    if (!on)
        return;
    m_rangeSeeded = false;
    const VisibleTiles v = visibleTiles();
    for (std::int64_t t = v.first; t <= v.last; ++t)
        if (const dsp::FloatMatrix *m = m_cache->tile(v.level, t))
            followRange(*m);
    invalidateImages(false);
}

void SpectrogramView::followRange(const dsp::FloatMatrix &tile)
{
    float top = -std::numeric_limits<float>::infinity();
    for (float v : tile.data)
        if (std::isfinite(v))
            top = std::max(top, v);
    if (!std::isfinite(top))
        return;
    const double rounded = std::ceil(double(top) / 10.0) * 10.0;
    if (!m_rangeSeeded || rounded > m_dbRange.top) {
        m_dbRange = DbRange{rounded - 80.0, rounded};
        m_rangeSeeded = true;
    }
}

void SpectrogramView::setShowFilterbank(bool show)
{
    if (show == m_showFilterbank)
        return;
    m_showFilterbank = show;
    invalidateImages();
    requestVisible();
}

void SpectrogramView::setTimeRange(double t0, double t1)
{
    const double duration = durationSeconds();
    if (duration <= 0) {
        m_t0 = m_t1 = 0;
        return;
    }
    const int hop = computer() ? computer()->settings().stft.hop : 128;
    const double minSpan = std::min(duration, 8.0 * hop / m_sampleRate);
    double span = std::clamp(t1 - t0, minSpan, duration);
    double start = std::clamp(t0, 0.0, duration - span);
    if (start == m_t0 && start + span == m_t1)
        return;
    m_t0 = start;
    m_t1 = start + span;
    m_wasComplete = false;
    invalidateImages();
    requestVisible();
    Q_EMIT timeRangeChanged(m_t0, m_t1);
}

void SpectrogramView::zoomTime(double factor, double anchor)
{
    if (!(factor > 0))
        return;
    const double span = m_t1 - m_t0;
    const double pivot = m_t0 + anchor * span;
    const double newSpan = span / factor;
    setTimeRange(pivot - anchor * newSpan, pivot + (1.0 - anchor) * newSpan);
}

void SpectrogramView::scrollTime(double fraction)
{
    const double shift = fraction * (m_t1 - m_t0);
    setTimeRange(m_t0 + shift, m_t1 + shift);
}

void SpectrogramView::showAll()
{
    setTimeRange(0.0, durationSeconds());
}

QRect SpectrogramView::waveformRect() const
{
    const int right = width() - kRightMargin - (m_showFilterbank ? kFilterbankWidth + kGap : 0);
    const int h = std::max(30, height() / 6);
    return QRect(QPoint(kLeftMargin, kTopMargin), QPoint(right - 1, kTopMargin + h - 1));
}

QRect SpectrogramView::plotRect() const
{
    const QRect wave = waveformRect();
    return QRect(QPoint(wave.left(), wave.bottom() + 1 + kGap),
                 QPoint(wave.right(), height() - kBottomMargin - 1));
}

QRect SpectrogramView::filterbankRect() const
{
    if (!m_showFilterbank)
        return {};
    const QRect plot = plotRect();
    return QRect(plot.right() + 1 + kGap, plot.top(), kFilterbankWidth, plot.height());
}

FrequencyAxis SpectrogramView::frequencyAxis() const
{
    const double nyquist = m_sampleRate > 0 ? m_sampleRate / 2 : 1.0;
    switch (m_settings.scale) {
    case FrequencyScale::Linear:
        return FrequencyAxis(FrequencyScale::Linear, 0.0, nyquist);
    case FrequencyScale::Log: {
        const int nFft = computer() ? computer()->settings().stft.nFft : m_settings.stft.nFft;
        return FrequencyAxis(FrequencyScale::Log, m_sampleRate / std::max(1, nFft), nyquist);
    }
    case FrequencyScale::Mel:
        return FrequencyAxis(FrequencyScale::Mel, 0.0, nyquist, m_settings.melScale);
    }
    return {};
}

double SpectrogramView::timeAtX(double x) const
{
    const QRect plot = plotRect();
    return m_t0 + (x - plot.left() + 0.5) / std::max(1, plot.width()) * (m_t1 - m_t0);
}

double SpectrogramView::xOfTime(double t) const
{
    const QRect plot = plotRect();
    return plot.left() + (t - m_t0) / (m_t1 - m_t0) * plot.width();
}

int SpectrogramView::currentLevel() const
{
    const SpectrogramComputer *c = computer();
    if (!c || m_t1 <= m_t0)
        return 0;
    const double hopSeconds = c->settings().stft.hop / m_sampleRate;
    const double framesPerPixel = (m_t1 - m_t0) / hopSeconds / std::max(1, plotRect().width());
    if (framesPerPixel < 2.0)
        return 0;
    return std::min(40, int(std::floor(std::log2(framesPerPixel))));
}

SpectrogramView::VisibleTiles SpectrogramView::visibleTiles() const
{
    VisibleTiles v;
    const SpectrogramComputer *c = computer();
    if (!c || c->frames() == 0)
        return v;
    v.level = currentLevel();
    const double stride = double(std::int64_t(1) << v.level);
    const std::int64_t framesL = c->framesAt(v.level);
    auto tileOf = [&](double t) {
        const std::int64_t f = c->nearestFrame(t);
        const auto fl = std::clamp<std::int64_t>(std::llround(f / stride), 0, framesL - 1);
        return fl / SpectrogramComputer::kTileFrames;
    };
    const QRect plot = plotRect();
    v.first = tileOf(timeAtX(plot.left()));
    v.last = tileOf(timeAtX(plot.right()));
    return v;
}

void SpectrogramView::requestVisible()
{
    const VisibleTiles v = visibleTiles();
    if (v.last >= v.first)
        m_cache->request(v.level, v.first, v.last);
}

bool SpectrogramView::visibleTilesReady() const
{
    const VisibleTiles v = visibleTiles();
    if (v.last < v.first)
        return false;
    for (std::int64_t t = v.first; t <= v.last; ++t)
        if (!m_cache->tile(v.level, t))
            return false;
    return true;
}

void SpectrogramView::computeVisibleNow()
{
    const VisibleTiles v = visibleTiles();
    if (v.last >= v.first)
        m_cache->computeNow(v.level, v.first, v.last);
    invalidateImages();
}

void SpectrogramView::onTileReady(int level, qint64 index)
{
    if (m_autoDbRange)
        if (const dsp::FloatMatrix *m = m_cache->tile(level, index))
            followRange(*m);
    invalidateImages(false);
    Q_EMIT tileArrived(level, index);
    if (!m_wasComplete && visibleTilesReady()) {
        m_wasComplete = true;
        Q_EMIT visibleTilesCompleted();
    }
}

void SpectrogramView::invalidateImages(bool waveformToo)
{
    m_spectrogramImage = QImage();
    if (waveformToo)
        m_waveformImage = QImage();
    update();
}

const dsp::MelFilterbank *SpectrogramView::displayedBank() const
{
    if (const SpectrogramComputer *c = computer(); c && c->melBank())
        return c->melBank();
    if (!m_displayBank && m_sampleRate > 0 && computer()) {
        dsp::MelOptions mel;
        mel.sampleRate = m_sampleRate;
        mel.nFft = computer()->settings().stft.nFft;
        mel.nMels = m_settings.nMels;
        mel.scale = m_settings.melScale;
        if (Expected<dsp::MelFilterbank> bank = dsp::MelFilterbank::create(mel))
            m_displayBank = std::move(*bank);
    }
    return m_displayBank ? &*m_displayBank : nullptr;
}

std::optional<SpectrogramReadout> SpectrogramView::readoutAt(QPoint position) const
{
    const SpectrogramComputer *c = computer();
    const QRect plot = plotRect();
    if (!c || c->frames() == 0 || !plot.contains(position))
        return std::nullopt;
    SpectrogramReadout r;
    r.timeS = timeAtX(position.x());
    const int y = position.y() - plot.top();
    const FrequencyAxis axis = frequencyAxis();
    r.frequencyHz = axis.hzAt(1.0 - (y + 0.5) / plot.height());
    const std::vector<int> rows = axis.rowsForPixels(c->rowHz(), plot.height());
    r.row = rows[std::size_t(y)];
    r.rowHz = c->rowHz()[std::size_t(r.row)];
    const int level = currentLevel();
    const std::int64_t stride = std::int64_t(1) << level;
    const std::int64_t f = c->nearestFrame(r.timeS);
    const std::int64_t fl = std::clamp<std::int64_t>(std::llround(double(f) / double(stride)), 0,
                                                     c->framesAt(level) - 1);
    r.frame = fl * stride;
    r.valueDb = std::numeric_limits<float>::quiet_NaN();
    if (const dsp::FloatMatrix *m = m_cache->tile(level, fl / SpectrogramComputer::kTileFrames))
        r.valueDb = (*m)(r.row, fl % SpectrogramComputer::kTileFrames);
    return r;
}

QString SpectrogramView::readoutText(const SpectrogramReadout &r)
{
    const QString value = std::isnan(r.valueDb) ? QStringLiteral("… dB")
                                                : QStringLiteral("%1 dB").arg(r.valueDb, 0, 'f', 1);
    return QStringLiteral("%1 s  %2 Hz  %3")
        .arg(r.timeS, 0, 'f', 3)
        .arg(r.frequencyHz, 0, 'f', 0)
        .arg(value);
}

} // namespace twb
