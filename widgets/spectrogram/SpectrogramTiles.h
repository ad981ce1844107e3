#pragma once

#include "common/Expected.h"
#include "dsp/Matrix.h"
#include "dsp/MelFilterbank.h"
#include "dsp/Stft.h"
#include "render/SpectrogramImage.h"

#include <QCache>
#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace twb {

/// What the spectrogram view computes: the STFT options, magnitude or power, and the frequency
/// scale. With FrequencyScale::Mel the rows are the bands of a mel filterbank (nMels bands from
/// 0 Hz to the Nyquist frequency, Slaney area normalisation, `melScale`) applied to each
/// frame's spectrum - the same dsp code a model's log-mel front end uses; with Linear and Log
/// the rows are the nFft / 2 + 1 STFT bins (Log only changes how they are drawn).
struct SpectrogramSettings
{
    dsp::StftOptions stft;
    dsp::SpectrumKind kind = dsp::SpectrumKind::Power;
    FrequencyScale scale = FrequencyScale::Linear;
    int nMels = 128;
    dsp::MelScale melScale = dsp::MelScale::Slaney;
};

/// A signal and settings, turned into tiles of dB values on demand. Immutable after create():
/// computeTile() may run on any number of threads at once (each call uses its own Stft).
///
/// Frames are those of dsp::Stft (frame f centred on sample f * hop with centre padding).
/// Levels give cheap overviews of long recordings: level L holds every 2^L-th frame, so a
/// screen showing an hour needs a few tiles, not thousands. Tile t of level L has up to
/// kTileFrames columns; column j is frame (t * kTileFrames + j) * 2^L.
/// Values are 10 log10(max(power, 1e-10)) dB (power) or 20 log10(max(|X|, 1e-5)) (magnitude),
/// reference 1, no top-dB clip (the view's dB range does the clipping when drawing).
class SpectrogramComputer
{
public:
    static constexpr int kTileFrames = 256;

    /// Errors for invalid STFT or mel options, a sample rate <= 0, or a signal too short for
    /// centre padding. The signal is shared read-only and kept alive by the computer.
    static Expected<std::shared_ptr<const SpectrogramComputer>>
    create(std::shared_ptr<const std::vector<float>> signal, double sampleRate,
           const SpectrogramSettings &settings);

    /// The settings with hop / window length defaults resolved.
    const SpectrogramSettings &settings() const { return m_settings; }
    double sampleRate() const { return m_sampleRate; }
    const std::vector<float> &signal() const { return *m_signal; }
    double durationSeconds() const { return double(m_signal->size()) / m_sampleRate; }

    int rows() const { return int(m_rowHz.size()); }
    /// Hz of each row, ascending (STFT bin frequencies or mel band centres).
    const std::vector<double> &rowHz() const { return m_rowHz; }
    /// The filterbank of the Mel scale; nullptr for Linear and Log.
    const dsp::MelFilterbank *melBank() const { return m_bank ? &*m_bank : nullptr; }

    std::int64_t frames() const { return m_frames; }
    /// Seconds of frame f's centre.
    double frameTime(std::int64_t f) const;
    /// The frame whose centre is nearest to `seconds` (clamped to the existing frames; -1 when
    /// there are none).
    std::int64_t nearestFrame(double seconds) const;

    std::int64_t framesAt(int level) const;
    std::int64_t tilesAt(int level) const;
    /// The dB tile `[rows, columns]` (see the class comment). Errors for a tile out of range.
    Expected<dsp::FloatMatrix> computeTile(int level, std::int64_t tile) const;
    /// Level-0 frames [f0, f1) as dB `[rows, f1 - f0]`.
    Expected<dsp::FloatMatrix> computeFrames(std::int64_t f0, std::int64_t f1) const;

private:
    SpectrogramComputer() = default;
    Expected<dsp::FloatMatrix> computeStrided(std::int64_t first, std::int64_t count,
                                              std::int64_t stride) const;

    std::shared_ptr<const std::vector<float>> m_signal;
    double m_sampleRate = 0.0;
    SpectrogramSettings m_settings;
    std::optional<dsp::MelFilterbank> m_bank;
    std::vector<double> m_rowHz;
    std::int64_t m_frames = 0;
};

/// Computes tiles on worker threads (its own QThreadPool) and caches them (QCache, about 256 MB).
///
/// Threading: the object lives on the GUI thread and all its methods are called there; tiles
/// are computed on the pool and handed back with queued calls, so tileReady() is emitted on the
/// GUI thread. Requests that are no longer wanted (request() for another range, a new
/// computer) are cancelled through an atomic flag checked before the work starts; results of
/// an old computer are dropped. The destructor cancels the queue and waits for running tiles.
class SpectrogramTileCache : public QObject
{
    Q_OBJECT

public:
    explicit SpectrogramTileCache(QObject *parent = nullptr);
    ~SpectrogramTileCache() override;

    /// Replaces the computer (nullptr clears): the cache is emptied, pending work cancelled.
    void setComputer(std::shared_ptr<const SpectrogramComputer> computer);
    const SpectrogramComputer *computer() const { return m_computer.get(); }
    std::shared_ptr<const SpectrogramComputer> sharedComputer() const { return m_computer; }

    /// The cached tile or nullptr. The pointer stays valid until control returns to the event
    /// loop (a later delivery may evict it).
    const dsp::FloatMatrix *tile(int level, std::int64_t index) const;

    /// Makes sure tiles [first, last] of `level` are cached or being computed, and cancels every
    /// queued tile outside that range (the view calls it with the visible tiles).
    void request(int level, std::int64_t first, std::int64_t last);

    /// Computes the missing tiles of [first, last] on the calling thread and caches them
    /// (cancelling their queued work). For exports that must show everything.
    void computeNow(int level, std::int64_t first, std::int64_t last);

    int pendingCount() const { return int(m_pending.size()); }
    int cachedCount() const { return int(m_cache.size()); }
    /// Tiles delivered since construction (for tests and benchmarks).
    std::int64_t deliveredCount() const { return m_delivered; }

Q_SIGNALS:
    void tileReady(int level, qint64 index);
    void tileFailed(const QString &message);

private:
    static quint64 key(int level, std::int64_t index)
    {
        return (quint64(level) << 48) | quint64(index);
    }
    void cancelAll();
    void store(int level, std::int64_t index, dsp::FloatMatrix &&matrix);

    QThreadPool m_pool;
    mutable QCache<quint64, dsp::FloatMatrix> m_cache;
    std::shared_ptr<const SpectrogramComputer> m_computer;
    std::map<quint64, std::shared_ptr<std::atomic<bool>>> m_pending; // key -> cancelled flag
    quint64 m_generation = 0;
    std::int64_t m_delivered = 0;
};

} // namespace twb
