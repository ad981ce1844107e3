#include "Stft.h"

#include "SimdKernels.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <thread>

namespace twb::dsp {

namespace {

/// Index into a signal of n samples with one reflection at each end (n > |overhang|).
inline std::int64_t reflectIndex(std::int64_t q, std::int64_t n)
{
    if (q < 0)
        return -q;
    if (q >= n)
        return 2 * (n - 1) - q;
    return q;
}

} // namespace

Expected<StftOptions> resolved(const StftOptions &options)
{
    StftOptions o = options;
    if (o.nFft < 1)
        return Error{QStringLiteral("n_fft must be at least 1, got %1").arg(o.nFft), {}, 0};
    if (o.hop == 0)
        o.hop = std::max(1, o.nFft / 4);
    if (o.winLength == 0)
        o.winLength = o.nFft;
    if (o.hop < 1)
        return Error{QStringLiteral("hop must be at least 1, got %1").arg(o.hop), {}, 0};
    if (o.winLength < 1 || o.winLength > o.nFft)
        return Error{QStringLiteral("window length must be between 1 and n_fft (%1), got %2")
                         .arg(o.nFft)
                         .arg(o.winLength),
                     {},
                     0};
    if (o.window.type == WindowType::Kaiser && !(o.window.kaiserBeta >= 0.0))
        return Error{QStringLiteral("Kaiser beta must be a number >= 0"), {}, 0};
    return o;
}

Expected<Stft> Stft::create(const StftOptions &options)
{
    auto o = resolved(options);
    if (!o)
        return o.error();
    const std::vector<float> w = makeWindow(o->window, o->winLength);
    std::vector<float> padded(std::size_t(o->nFft), 0.0f);
    const int left = (o->nFft - o->winLength) / 2;
    std::copy(w.begin(), w.end(), padded.begin() + left);
    return Stft(*o, std::move(padded));
}

Stft::Stft(const StftOptions &options, std::vector<float> window)
    : m_options(options)
    , m_window(std::move(window))
    , m_windowBegin((options.nFft - options.winLength) / 2)
    , m_fft(options.nFft)
    , m_pair(options.nFft)
    , m_pairPower(std::size_t(2 * (options.nFft / 2 + 1)))
{}

std::int64_t Stft::frameCount(std::int64_t samples) const
{
    const std::int64_t padded = samples + (m_options.center ? 2 * (m_options.nFft / 2) : 0);
    if (samples <= 0 || padded < m_options.nFft)
        return 0;
    return 1 + (padded - m_options.nFft) / m_options.hop;
}

Status Stft::checkLength(std::int64_t samples) const
{
    if (samples <= 0)
        return Error{QStringLiteral("the signal is empty"), {}, 0};
    if (m_options.center && samples <= m_options.nFft / 2)
        return Error{QStringLiteral("a signal of %1 samples is too short for centre padding "
                                    "with n_fft %2 (needs more than %3 samples)")
                         .arg(samples)
                         .arg(m_options.nFft)
                         .arg(m_options.nFft / 2),
                     {},
                     0};
    return Status::ok();
}

Status Stft::checkRange(std::int64_t samples, std::int64_t f0, std::int64_t f1) const
{
    if (Status s = checkLength(samples); !s)
        return s;
    const std::int64_t frames = frameCount(samples);
    if (f0 < 0 || f1 < f0 || f1 > frames)
        return Error{QStringLiteral("frame range [%1, %2) is outside the %3 frames of the signal")
                         .arg(f0)
                         .arg(f1)
                         .arg(frames),
                     {},
                     0};
    return Status::ok();
}

void Stft::windowFrame(std::span<const float> signal, std::int64_t f, float *dst, int stride) const
{
    const int nFft = m_options.nFft;
    const int begin = m_windowBegin;
    const int end = begin + m_options.winLength;
    const std::int64_t n = std::int64_t(signal.size());
    const std::int64_t start = f * m_options.hop - (m_options.center ? nFft / 2 : 0);
    const float *w = m_window.data();
    for (int i = 0; i < begin; ++i)
        dst[i * stride] = 0.0f;
    for (int i = end; i < nFft; ++i)
        dst[i * stride] = 0.0f;
    if (start + begin >= 0 && start + end <= n) {
        const float *x = signal.data() + start;
        if (stride == 1) {
            for (int i = begin; i < end; ++i)
                dst[i] = x[i] * w[i];
        } else {
            for (int i = begin; i < end; ++i)
                dst[i * stride] = x[i] * w[i];
        }
    } else {
        for (int i = begin; i < end; ++i)
            dst[i * stride] = signal[std::size_t(reflectIndex(start + i, n))] * w[i];
    }
}

void Stft::computeFrame(std::span<const float> signal, std::int64_t f)
{
    windowFrame(signal, f, m_fft.timeData(), 1);
    m_fft.forward();
}

void Stft::powerOfPair(std::span<const float> signal, std::int64_t p, std::int64_t frames,
                       float *powerA, float *powerB)
{
    float *in = reinterpret_cast<float *>(m_pair.input()); // re, im interleaved
    const int nFft = m_options.nFft;
    const std::int64_t start = 2 * p * m_options.hop - (m_options.center ? nFft / 2 : 0);
    const std::int64_t last = start + m_options.hop + m_windowBegin + m_options.winLength;
    if (2 * p + 1 < frames && start + m_windowBegin >= 0 && last <= std::int64_t(signal.size())) {
        // Both frames inside the signal: window them in one pass, interleaved.
        const float *a = signal.data() + start;
        const float *b = a + m_options.hop;
        const float *w = m_window.data();
        const int begin = m_windowBegin;
        const int end = begin + m_options.winLength;
        std::fill(in, in + 2 * begin, 0.0f);
        std::fill(in + 2 * end, in + 2 * nFft, 0.0f);
        simd::windowPairInterleaved(simd::bestIsa(), a, b, w, begin, end, in);
    } else if (2 * p + 1 < frames) {
        windowFrame(signal, 2 * p, in, 2);
        windowFrame(signal, 2 * p + 1, in + 1, 2);
    } else {
        windowFrame(signal, 2 * p, in, 2);
        for (int i = 0; i < m_options.nFft; ++i)
            in[2 * i + 1] = 0.0f;
    }
    m_pair.forward();
    m_pair.powerOfPair(powerA, powerB);
}

void Stft::spectraOfFrames(std::span<const float> signal, std::int64_t f0, std::int64_t f1,
                           SpectrumKind kind, float *out)
{
    if (f1 <= f0)
        return;
    const int b = bins();
    const std::int64_t frames = frameCount(std::int64_t(signal.size()));
    for (std::int64_t p = f0 / 2; 2 * p < f1; ++p) {
        if (2 * p >= f0 && 2 * p + 1 < f1) { // both frames wanted: straight into out
            float *a = out + (2 * p - f0) * b;
            powerOfPair(signal, p, frames, a, a + b);
        } else { // the lone first or last frame of the range
            powerOfPair(signal, p, frames, m_pairPower.data(), m_pairPower.data() + b);
            const std::int64_t f = 2 * p >= f0 ? 2 * p : 2 * p + 1;
            const float *power = m_pairPower.data() + (f - 2 * p) * b;
            std::copy(power, power + b, out + (f - f0) * b);
        }
    }
    if (kind == SpectrumKind::Magnitude)
        for (float *v = out; v != out + (f1 - f0) * b; ++v)
            *v = std::sqrt(*v);
}

void Stft::transformFrame(std::span<const float> signal, std::int64_t f, std::complex<float> *out)
{
    computeFrame(signal, f);
    std::copy(m_fft.spectrum(), m_fft.spectrum() + bins(), out);
}

void Stft::spectrumOfFrame(std::span<const float> signal, std::int64_t f, SpectrumKind kind,
                           float *out)
{
    spectraOfFrames(signal, f, f + 1, kind, out);
}

Expected<ComplexMatrix> Stft::complexFrames(std::span<const float> signal, std::int64_t f0,
                                            std::int64_t f1)
{
    if (Status s = checkRange(std::int64_t(signal.size()), f0, f1); !s)
        return s.error();
    ComplexMatrix out(f1 - f0, bins(), ComplexMatrix::Uninitialized{});
    for (std::int64_t f = f0; f < f1; ++f)
        transformFrame(signal, f, out.row(f - f0));
    return out;
}

Expected<ComplexMatrix> Stft::complexFrames(std::span<const float> signal)
{
    return complexFrames(signal, 0, frameCount(std::int64_t(signal.size())));
}

Expected<FloatMatrix> Stft::spectrogram(std::span<const float> signal, SpectrumKind kind,
                                        std::int64_t f0, std::int64_t f1)
{
    if (Status s = checkRange(std::int64_t(signal.size()), f0, f1); !s)
        return s.error();
    FloatMatrix out(bins(), f1 - f0, FloatMatrix::Uninitialized{});
    spectrogramInto(signal, kind, f0, f1, out, 0);
    return out;
}

void Stft::spectrogramInto(std::span<const float> signal, SpectrumKind kind, std::int64_t f0,
                           std::int64_t f1, FloatMatrix &out, std::int64_t column)
{
    const int b = bins();
    // Frames are computed in blocks of 16 and transposed into a [bins, 248] staging area that
    // stays in L2; each full stage is then copied into `out` row by row (1 KB runs). Writing
    // the blocks straight into a large [bins, frames] matrix touches `bins` rows per block
    // (measured about 10 % slower). 248, not 256: a power-of-two row stride maps every row of the
    // stage onto the same cache sets. Blocks after the first start at even frames so that no
    // pair of frames (see spectraOfFrames) is computed twice.
    constexpr std::int64_t block = 16;
    constexpr std::int64_t stageFrames = 248;
    std::vector<float> scratch(std::size_t(block * b));
    // Small ranges (the view's tiles) stay in cache anyway; the staging area (255 KB) would
    // cost more to allocate than it saves.
    const bool staged = f1 - f0 >= 8 * stageFrames;
    std::vector<float> stage(staged ? std::size_t(stageFrames * b) : 0);
    for (std::int64_t s0 = f0; s0 < f1;) {
        // A stage ends at an even frame (or f1), so that it ends a pair.
        const std::int64_t s1 = std::min(f1, (s0 + stageFrames) & ~std::int64_t(1));
        float *target = staged ? stage.data() : out.row(0) + column + (s0 - f0);
        const std::int64_t stride = staged ? stageFrames : out.cols;
        for (std::int64_t j0 = s0; j0 < s1;) {
            const std::int64_t j1 = std::min(s1, (j0 + block) & ~std::int64_t(1));
            spectraOfFrames(signal, j0, j1, kind, scratch.data());
            simd::transpose(simd::bestIsa(), scratch.data(), int(j1 - j0), b, b, target + (j0 - s0),
                            stride);
            j0 = j1;
        }
        if (staged)
            for (int k = 0; k < b; ++k) {
                const float *row = stage.data() + std::int64_t(k) * stageFrames;
                std::copy(row, row + (s1 - s0), out.row(k) + column + (s0 - f0));
            }
        s0 = s1;
    }
}

Expected<FloatMatrix> Stft::spectrogram(std::span<const float> signal, SpectrumKind kind)
{
    return spectrogram(signal, kind, 0, frameCount(std::int64_t(signal.size())));
}

Expected<ComplexMatrix> stft(std::span<const float> signal, const StftOptions &options)
{
    auto engine = Stft::create(options);
    if (!engine)
        return engine.error();
    return engine->complexFrames(signal);
}

Expected<FloatMatrix> spectrogram(std::span<const float> signal, const StftOptions &options,
                                  SpectrumKind kind)
{
    auto engine = Stft::create(options);
    if (!engine)
        return engine.error();
    return engine->spectrogram(signal, kind);
}

Expected<FloatMatrix> parallelSpectrogram(std::span<const float> signal, const StftOptions &options,
                                          SpectrumKind kind, int threads)
{
    auto engine = Stft::create(options);
    if (!engine)
        return engine.error();
    if (Status s = engine->checkLength(std::int64_t(signal.size())); !s)
        return s.error();
    const std::int64_t frames = engine->frameCount(std::int64_t(signal.size()));
    if (threads < 1)
        threads = int(std::max(1u, std::thread::hardware_concurrency()));
    // Below a few thousand frames a thread costs more than it saves.
    const std::int64_t parts = std::clamp<std::int64_t>(frames / 2048, 1, threads);
    if (parts == 1)
        return engine->spectrogram(signal, kind);
    FloatMatrix out(engine->bins(), frames, FloatMatrix::Uninitialized{});
    // One per worker; cheap, the FFT plans are shared. The options were accepted above.
    std::vector<std::unique_ptr<Stft>> engines;
    for (std::int64_t p = 1; p < parts; ++p) {
        Expected<Stft> made = Stft::create(options);
        engines.push_back(std::make_unique<Stft>(std::move(*made)));
    }
    {
        std::vector<std::jthread> workers;
        for (std::int64_t p = 1; p < parts; ++p)
            workers.emplace_back([&, p] {
                const std::int64_t a = frames * p / parts;
                const std::int64_t b = frames * (p + 1) / parts;
                engines[std::size_t(p - 1)]->spectrogramInto(signal, kind, a, b, out, a);
            });
        engine->spectrogramInto(signal, kind, 0, frames / parts, out, 0);
    } // joins
    return out;
}

Expected<std::vector<float>> istft(const ComplexMatrix &frames, const StftOptions &options,
                                   std::int64_t length)
{
    auto engine = Stft::create(options);
    if (!engine)
        return engine.error();
    const StftOptions &o = engine->options();
    if (frames.cols != engine->bins())
        return Error{QStringLiteral("the spectra have %1 bins, n_fft %2 needs %3")
                         .arg(frames.cols)
                         .arg(o.nFft)
                         .arg(engine->bins()),
                     {},
                     0};
    const std::int64_t total =
        frames.rows > 0 ? o.nFft + std::int64_t(o.hop) * (frames.rows - 1) : 0;
    const std::int64_t start = o.center ? o.nFft / 2 : 0;
    const std::int64_t end =
        length >= 0 ? start + length : std::max<std::int64_t>(start, total - start);

    std::vector<double> sum(std::size_t(std::max(total, end)), 0.0);
    std::vector<double> envelope(sum.size(), 0.0);
    const std::vector<float> &w = engine->paddedWindow();
    RealFft fft(o.nFft);
    const double scale = 1.0 / o.nFft;
    for (std::int64_t f = 0; f < frames.rows; ++f) {
        std::copy(frames.row(f), frames.row(f) + frames.cols, fft.spectrum());
        fft.inverse();
        const float *y = fft.timeData();
        const std::int64_t offset = f * o.hop;
        for (int i = 0; i < o.nFft; ++i) {
            sum[std::size_t(offset + i)] += double(y[i]) * scale * w[std::size_t(i)];
            envelope[std::size_t(offset + i)] += double(w[std::size_t(i)]) * w[std::size_t(i)];
        }
    }
    std::vector<float> out(std::size_t(end - start), 0.0f);
    for (std::int64_t t = start; t < std::min(end, total); ++t) {
        if (envelope[std::size_t(t)] < 1e-11)
            return Error{QStringLiteral("the squared window sums to zero at sample %1: window "
                                        "and hop do not overlap-add (NOLA)")
                             .arg(t - start),
                         {},
                         0};
        out[std::size_t(t - start)] = float(sum[std::size_t(t)] / envelope[std::size_t(t)]);
    }
    return out;
}

} // namespace twb::dsp
