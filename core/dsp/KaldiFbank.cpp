#include "KaldiFbank.h"
#include "MelFilterbank.h"

#include "RealFft.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace twb::dsp {

namespace {

int nextPowerOfTwo(int n)
{
    int p = 1;
    while (p < n)
        p *= 2;
    return p;
}

/// Nonzero span of each row of a dense bank, so applying it is O(bins).
struct SparseRow
{
    int first = 0;
    int last = -1; // inclusive
};

} // namespace

double kaldiMel(double hz)
{
    return 1127.0 * std::log(1.0 + hz / 700.0);
}

Expected<KaldiFrameGeometry> kaldiFrameGeometry(const KaldiFbankOptions &o, std::int64_t samples)
{
    if (!(o.sampleFrequency > 0.0))
        return Error{QStringLiteral("the sample frequency must be positive"), {}, 0};
    KaldiFrameGeometry g;
    g.windowSize = int(o.sampleFrequency * o.frameLengthMs * 0.001);
    g.windowShift = int(o.sampleFrequency * o.frameShiftMs * 0.001);
    if (g.windowSize < 2)
        return Error{QStringLiteral("the frame length gives a window of %1 samples (needs >= 2)")
                         .arg(g.windowSize),
                     {},
                     0};
    if (g.windowShift < 1)
        return Error{
            QStringLiteral("the frame shift gives %1 samples (needs >= 1)").arg(g.windowShift),
            {},
            0};
    g.paddedSize = o.roundToPowerOfTwo ? nextPowerOfTwo(g.windowSize) : g.windowSize;
    if (g.paddedSize % 2 != 0)
        return Error{QStringLiteral("the padded window size must be even, got %1 (use "
                                    "roundToPowerOfTwo or an even frame length)")
                         .arg(g.paddedSize),
                     {},
                     0};
    if (samples <= 0)
        g.frames = 0;
    else if (o.snipEdges)
        g.frames = samples < g.windowSize ? 0 : 1 + (samples - g.windowSize) / g.windowShift;
    else
        g.frames = (samples + g.windowShift / 2) / g.windowShift;
    return g;
}

Expected<FloatMatrix> kaldiMelBanks(const KaldiFbankOptions &o)
{
    auto g = kaldiFrameGeometry(o, 0);
    if (!g)
        return g.error();
    if (o.numMelBins < 3)
        return Error{
            QStringLiteral("Kaldi fbank needs at least 3 mel bins, got %1").arg(o.numMelBins),
            {},
            0};
    const double nyquist = 0.5 * o.sampleFrequency;
    const double high = o.highFreq <= 0.0 ? o.highFreq + nyquist : o.highFreq;
    if (!(o.lowFreq >= 0.0 && o.lowFreq < high && high <= nyquist))
        return Error{QStringLiteral("the fbank range must satisfy 0 <= low_freq < high_freq <= "
                                    "%1 Hz, got %2 and %3")
                         .arg(nyquist)
                         .arg(o.lowFreq)
                         .arg(high),
                     {},
                     0};
    const int fftBins = g->paddedSize / 2; // Kaldi's bank has no Nyquist column
    const double binWidth = o.sampleFrequency / g->paddedSize;
    const double melLow = kaldiMel(o.lowFreq);
    const double delta = (kaldiMel(high) - melLow) / (o.numMelBins + 1);
    FloatMatrix bank(o.numMelBins, fftBins + 1);
    if (!(o.vtlpAlpha >= 0.5 && o.vtlpAlpha <= 2.0))
        return Error{
            QStringLiteral("the VTLP warp factor must lie in [0.5, 2], got %1").arg(o.vtlpAlpha),
            {},
            0};
    // A corner on the Kaldi mel scale, warped in Hz (no warp: the corner as it is).
    const auto corner = [&](double mel) {
        if (o.vtlpAlpha == 1.0)
            return mel;
        const double hz = 700.0 * std::expm1(mel / 1127.0);
        return kaldiMel(vtlpWarpHz(hz, o.vtlpAlpha, high));
    };
    for (int m = 0; m < o.numMelBins; ++m) {
        const double left = corner(melLow + m * delta);
        const double centre = corner(melLow + (m + 1.0) * delta);
        const double right = corner(melLow + (m + 2.0) * delta);
        for (int k = 0; k < fftBins; ++k) {
            const double mel = kaldiMel(binWidth * k);
            const double up = (mel - left) / (centre - left);
            const double down = (right - mel) / (right - centre);
            bank(m, k) = float(std::max(0.0, std::min(up, down)));
        }
    }
    return bank;
}

Expected<FloatMatrix> kaldiFbank(std::span<const float> waveform, const KaldiFbankOptions &o)
{
    auto geometry = kaldiFrameGeometry(o, std::int64_t(waveform.size()));
    if (!geometry)
        return geometry.error();
    if (!(o.preemphasis >= 0.0 && o.preemphasis <= 1.0))
        return Error{QStringLiteral("the pre-emphasis coefficient must be in [0, 1]"), {}, 0};
    switch (o.window) {
    case WindowType::Povey:
    case WindowType::Hann:
    case WindowType::Hamming:
    case WindowType::Rectangular:
    case WindowType::Blackman:
        break;
    default:
        return Error{QStringLiteral("Kaldi fbank supports the povey, hann, hamming, rect and "
                                    "blackman windows, not %1")
                         .arg(windowName(o.window)),
                     {},
                     0};
    }
    auto bankOr = kaldiMelBanks(o);
    if (!bankOr)
        return bankOr.error();
    const FloatMatrix &bank = *bankOr;
    const KaldiFrameGeometry g = *geometry;

    std::vector<SparseRow> spans(std::size_t(bank.rows));
    for (std::int64_t m = 0; m < bank.rows; ++m) {
        SparseRow &s = spans[std::size_t(m)];
        for (std::int64_t k = 0; k < bank.cols; ++k) {
            if (bank(m, k) != 0.0f) {
                if (s.last < 0)
                    s.first = int(k);
                s.last = int(k);
            }
        }
    }

    const std::vector<float> window =
        makeWindow({o.window, WindowSymmetry::Symmetric, 0.0}, g.windowSize);
    const std::int64_t n = std::int64_t(waveform.size());
    // Frame f starts at f * shift; without snipEdges the signal is extended by reflection
    // (Kaldi: [x[pad-1] .. x[0], x, x[N-1] .. x[0]], pad = size / 2 - shift / 2).
    const std::int64_t pad = o.snipEdges ? 0 : g.windowSize / 2 - g.windowShift / 2;
    auto sample = [&](std::int64_t p) {
        std::int64_t q = p - pad;
        if (q < 0)
            q = -q - 1;
        else if (q >= n)
            q = 2 * n - 1 - q;
        return double(waveform[std::size_t(std::clamp<std::int64_t>(q, 0, n - 1))]);
    };

    std::mt19937_64 rng(o.ditherSeed);
    std::normal_distribution<double> gauss(0.0, 1.0);
    const float eps = std::numeric_limits<float>::epsilon();
    RealFft fft(g.paddedSize);
    std::vector<double> frame(std::size_t(g.windowSize));
    std::vector<float> power(std::size_t(fft.bins()));
    FloatMatrix out(g.frames, o.numMelBins, FloatMatrix::Uninitialized{});
    for (std::int64_t f = 0; f < g.frames; ++f) {
        const std::int64_t start = f * g.windowShift;
        if (start - pad >= 0 && start - pad + g.windowSize <= n) {
            const float *x = waveform.data() + (start - pad);
            for (int i = 0; i < g.windowSize; ++i)
                frame[std::size_t(i)] = double(x[i]) * o.inputScale;
        } else {
            for (int i = 0; i < g.windowSize; ++i)
                frame[std::size_t(i)] = sample(start + i) * o.inputScale;
        }
        if (o.dither != 0.0)
            for (double &v : frame)
                v += gauss(rng) * o.dither;
        if (o.removeDcOffset) {
            double mean = 0.0;
            for (double v : frame)
                mean += v;
            mean /= g.windowSize;
            for (double &v : frame)
                v -= mean;
        }
        if (o.preemphasis != 0.0) {
            for (int i = g.windowSize - 1; i > 0; --i)
                frame[std::size_t(i)] -= o.preemphasis * frame[std::size_t(i - 1)];
            frame[0] -= o.preemphasis * frame[0];
        }
        float *time = fft.timeData();
        for (int i = 0; i < g.windowSize; ++i)
            time[i] = float(frame[std::size_t(i)] * window[std::size_t(i)]);
        std::fill(time + g.windowSize, time + g.paddedSize, 0.0f);
        fft.forward();
        const std::complex<float> *x = fft.spectrum();
        for (int k = 0; k < fft.bins(); ++k) {
            const float p = x[k].real() * x[k].real() + x[k].imag() * x[k].imag();
            power[std::size_t(k)] = o.usePower ? p : std::sqrt(p);
        }
        float *dst = out.row(f);
        for (std::int64_t m = 0; m < bank.rows; ++m) {
            const SparseRow &s = spans[std::size_t(m)];
            double sum = 0.0;
            for (int k = s.first; k <= s.last; ++k)
                sum += double(bank(m, k)) * power[std::size_t(k)];
            dst[m] = o.useLogFbank ? std::log(std::max(float(sum), eps)) : float(sum);
        }
    }
    return out;
}

} // namespace twb::dsp
