#include "SpectrogramTiles.h"

#include "dsp/Decibel.h"
#include "dsp/MelSpectrogram.h"

#include <QMetaObject>

#include <algorithm>
#include <cmath>

namespace twb {

Expected<std::shared_ptr<const SpectrogramComputer>>
SpectrogramComputer::create(std::shared_ptr<const std::vector<float>> signal, double sampleRate,
                            const SpectrogramSettings &settings)
{
    if (!signal)
        return Error{QStringLiteral("no signal"), {}};
    if (!(sampleRate > 0))
        return Error{QStringLiteral("the sample rate must be positive"), {}};
    Expected<dsp::StftOptions> stft = dsp::resolved(settings.stft);
    if (!stft)
        return stft.error();
    Expected<dsp::Stft> engine = dsp::Stft::create(*stft);
    if (!engine)
        return engine.error();
    if (Status s = engine->checkLength(std::int64_t(signal->size())); !s)
        return s.error();

    std::shared_ptr<SpectrogramComputer> c(new SpectrogramComputer);
    c->m_signal = std::move(signal);
    c->m_sampleRate = sampleRate;
    c->m_settings = settings;
    c->m_settings.stft = *stft;
    c->m_frames = engine->frameCount(std::int64_t(c->m_signal->size()));
    if (settings.scale == FrequencyScale::Mel) {
        dsp::MelOptions mel;
        mel.sampleRate = sampleRate;
        mel.nFft = stft->nFft;
        mel.nMels = settings.nMels;
        mel.scale = settings.melScale;
        Expected<dsp::MelFilterbank> bank = dsp::MelFilterbank::create(mel);
        if (!bank)
            return bank.error();
        c->m_bank = std::move(*bank);
        c->m_rowHz = melRowFrequencies(*c->m_bank);
    } else {
        c->m_rowHz = stftRowFrequencies(stft->nFft, sampleRate);
    }
    return std::shared_ptr<const SpectrogramComputer>(std::move(c));
}

double SpectrogramComputer::frameTime(std::int64_t f) const
{
    const auto &o = m_settings.stft;
    return double(f * o.hop + (o.center ? 0 : o.nFft / 2)) / m_sampleRate;
}

std::int64_t SpectrogramComputer::nearestFrame(double seconds) const
{
    if (m_frames <= 0)
        return -1;
    const auto &o = m_settings.stft;
    const double sample = seconds * m_sampleRate - (o.center ? 0 : o.nFft / 2);
    const auto f = std::int64_t(std::llround(sample / o.hop));
    return std::clamp<std::int64_t>(f, 0, m_frames - 1);
}

std::int64_t SpectrogramComputer::framesAt(int level) const
{
    const std::int64_t stride = std::int64_t(1) << level;
    return (m_frames + stride - 1) / stride;
}

std::int64_t SpectrogramComputer::tilesAt(int level) const
{
    return (framesAt(level) + kTileFrames - 1) / kTileFrames;
}

Expected<dsp::FloatMatrix> SpectrogramComputer::computeTile(int level, std::int64_t tile) const
{
    if (level < 0 || level > 40 || tile < 0 || tile >= tilesAt(level))
        return Error{QStringLiteral("tile %1 of level %2 is out of range").arg(tile).arg(level),
                     {}};
    const std::int64_t first = tile * kTileFrames;
    const std::int64_t count = std::min<std::int64_t>(kTileFrames, framesAt(level) - first);
    const std::int64_t stride = std::int64_t(1) << level;
    return computeStrided(first * stride, count, stride);
}

Expected<dsp::FloatMatrix> SpectrogramComputer::computeFrames(std::int64_t f0,
                                                              std::int64_t f1) const
{
    if (f0 < 0 || f1 < f0 || f1 > m_frames)
        return Error{QStringLiteral("frames [%1, %2) are out of range").arg(f0).arg(f1), {}};
    return computeStrided(f0, f1 - f0, 1);
}

Expected<dsp::FloatMatrix> SpectrogramComputer::computeStrided(std::int64_t first,
                                                               std::int64_t count,
                                                               std::int64_t stride) const
{
    Expected<dsp::Stft> stft = dsp::Stft::create(m_settings.stft);
    if (!stft)
        return stft.error();
    const std::span<const float> signal(*m_signal);
    const int bins = stft->bins();
    dsp::FloatMatrix out(rows(), count, dsp::FloatMatrix::Uninitialized{});
    if (stride == 1 && !m_bank) {
        stft->spectrogramInto(signal, m_settings.kind, first, first + count, out, 0);
    } else if (stride == 1) {
        Expected<dsp::FloatMatrix> mel =
            dsp::melSpectrogram(*stft, *m_bank, signal, m_settings.kind, first, first + count);
        if (!mel)
            return mel.error();
        out = std::move(*mel);
    } else {
        // Every stride-th frame (zoomed out): one frame at a time.
        std::vector<float> spectrum(static_cast<std::size_t>(bins));
        std::vector<float> column(static_cast<std::size_t>(rows()));
        for (std::int64_t j = 0; j < count; ++j) {
            stft->spectrumOfFrame(signal, first + j * stride, m_settings.kind, spectrum.data());
            const float *values = spectrum.data();
            if (m_bank) {
                m_bank->apply(spectrum.data(), column.data());
                values = column.data();
            }
            for (int r = 0; r < rows(); ++r)
                out(r, j) = values[r];
        }
    }
    dsp::DbOptions db;
    db.topDb = std::nullopt;
    if (m_settings.kind == dsp::SpectrumKind::Power)
        dsp::powerToDb(out.data, db);
    else
        dsp::amplitudeToDb(out.data, db);
    return out;
}

SpectrogramTileCache::SpectrogramTileCache(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(std::max(1, QThread::idealThreadCount()));
    m_cache.setMaxCost(256 * 1024); // KiB
}

SpectrogramTileCache::~SpectrogramTileCache()
{
    cancelAll();
    m_pool.clear();
    m_pool.waitForDone();
}

void SpectrogramTileCache::cancelAll()
{
    for (auto &[k, flag] : m_pending)
        flag->store(true);
    m_pending.clear();
}

void SpectrogramTileCache::setComputer(std::shared_ptr<const SpectrogramComputer> computer)
{
    cancelAll();
    m_pool.clear();
    m_cache.clear();
    ++m_generation;
    m_computer = std::move(computer);
}

const dsp::FloatMatrix *SpectrogramTileCache::tile(int level, std::int64_t index) const
{
    return m_cache.object(key(level, index));
}

void SpectrogramTileCache::request(int level, std::int64_t first, std::int64_t last)
{
    if (!m_computer)
        return;
    first = std::max<std::int64_t>(first, 0);
    last = std::min<std::int64_t>(last, m_computer->tilesAt(level) - 1);
    const quint64 k0 = key(level, std::max<std::int64_t>(first, 0));
    const quint64 k1 = key(level, std::max<std::int64_t>(last, 0));
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->first < k0 || it->first > k1) {
            it->second->store(true);
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    for (std::int64_t t = first; t <= last; ++t) {
        const quint64 k = key(level, t);
        if (m_cache.contains(k) || m_pending.count(k))
            continue;
        auto cancelled = std::make_shared<std::atomic<bool>>(false);
        m_pending.emplace(k, cancelled);
        const quint64 generation = m_generation;
        std::shared_ptr<const SpectrogramComputer> computer = m_computer;
        m_pool.start([this, computer, cancelled, generation, level, t] {
            if (cancelled->load())
                return;
            auto result =
                std::make_shared<Expected<dsp::FloatMatrix>>(computer->computeTile(level, t));
            QMetaObject::invokeMethod(
                this,
                [this, result, cancelled, generation, level, t] {
                    if (generation != m_generation || cancelled->load())
                        return;
                    m_pending.erase(key(level, t));
                    if (!result->hasValue()) {
                        Q_EMIT tileFailed(result->error().toString());
                        return;
                    }
                    store(level, t, std::move(result->value()));
                },
                Qt::QueuedConnection);
        });
    }
}

void SpectrogramTileCache::store(int level, std::int64_t index, dsp::FloatMatrix &&matrix)
{
    auto *m = new dsp::FloatMatrix(std::move(matrix));
    const auto cost = qsizetype(m->data.size() * sizeof(float) / 1024 + 1);
    m_cache.insert(key(level, index), m, cost);
    ++m_delivered;
    Q_EMIT tileReady(level, qint64(index));
}

void SpectrogramTileCache::computeNow(int level, std::int64_t first, std::int64_t last)
{
    if (!m_computer)
        return;
    first = std::max<std::int64_t>(first, 0);
    last = std::min<std::int64_t>(last, m_computer->tilesAt(level) - 1);
    for (std::int64_t t = first; t <= last; ++t) {
        const quint64 k = key(level, t);
        if (m_cache.contains(k))
            continue;
        if (auto it = m_pending.find(k); it != m_pending.end()) {
            it->second->store(true);
            m_pending.erase(it);
        }
        Expected<dsp::FloatMatrix> m = m_computer->computeTile(level, t);
        if (!m) {
            Q_EMIT tileFailed(m.error().toString());
            continue;
        }
        store(level, t, std::move(*m));
    }
}

} // namespace twb
