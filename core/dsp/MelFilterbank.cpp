#include "MelFilterbank.h"

#include <algorithm>
#include <cmath>

namespace twb::dsp {

namespace {

constexpr double slaneyHzPerMel = 200.0 / 3.0;
constexpr double slaneyMinLogHz = 1000.0;
constexpr double slaneyMinLogMel = slaneyMinLogHz / slaneyHzPerMel; // 15
const double slaneyLogStep = std::log(6.4) / 27.0;

} // namespace

double hzToMel(double hz, MelScale scale)
{
    if (scale == MelScale::Htk)
        return 2595.0 * std::log10(1.0 + hz / 700.0);
    if (hz < slaneyMinLogHz)
        return hz / slaneyHzPerMel;
    return slaneyMinLogMel + std::log(hz / slaneyMinLogHz) / slaneyLogStep;
}

double melToHz(double mel, MelScale scale)
{
    if (scale == MelScale::Htk)
        return 700.0 * (std::pow(10.0, mel / 2595.0) - 1.0);
    if (mel < slaneyMinLogMel)
        return mel * slaneyHzPerMel;
    return slaneyMinLogHz * std::exp(slaneyLogStep * (mel - slaneyMinLogMel));
}

double vtlpWarpHz(double hz, double alpha, double fmax)
{
    if (alpha == 1.0)
        return hz;
    const double high = 0.8 * fmax * std::min(alpha, 1.0);
    const double boundary = high / alpha;
    if (hz <= boundary)
        return alpha * hz;
    return fmax - (fmax - high) / (fmax - boundary) * (fmax - hz);
}

std::vector<double> melFrequencies(int count, double fmin, double fmax, MelScale scale)
{
    std::vector<double> hz(std::size_t(std::max(0, count)));
    const double lo = hzToMel(fmin, scale);
    const double hi = hzToMel(fmax, scale);
    for (int i = 0; i < count; ++i) {
        const double mel = count == 1 ? lo : lo + (hi - lo) * i / double(count - 1);
        hz[std::size_t(i)] = melToHz(mel, scale);
    }
    return hz;
}

Expected<MelFilterbank> MelFilterbank::create(const MelOptions &options)
{
    MelOptions o = options;
    if (!(o.sampleRate > 0.0))
        return Error{QStringLiteral("the sample rate must be positive"), {}, 0};
    if (o.nFft < 2)
        return Error{QStringLiteral("n_fft must be at least 2, got %1").arg(o.nFft), {}, 0};
    if (o.nMels < 1)
        return Error{QStringLiteral("the number of mel bands must be at least 1"), {}, 0};
    const double nyquist = o.sampleRate / 2.0;
    if (o.fmax <= 0.0)
        o.fmax = nyquist;
    if (!(o.fmin >= 0.0 && o.fmin < o.fmax && o.fmax <= nyquist))
        return Error{QStringLiteral("the mel range must satisfy 0 <= fmin < fmax <= %1 Hz, got "
                                    "fmin %2, fmax %3")
                         .arg(nyquist)
                         .arg(o.fmin)
                         .arg(o.fmax),
                     {},
                     0};

    MelFilterbank bank;
    bank.m_options = o;
    if (!(o.vtlpAlpha >= 0.5 && o.vtlpAlpha <= 2.0))
        return Error{
            QStringLiteral("the VTLP warp factor must lie in [0.5, 2], got %1").arg(o.vtlpAlpha),
            {},
            0};
    bank.m_pointsHz = melFrequencies(o.nMels + 2, o.fmin, o.fmax, o.scale);
    for (double &hz : bank.m_pointsHz)
        hz = vtlpWarpHz(hz, o.vtlpAlpha, o.fmax);
    const std::vector<double> &p = bank.m_pointsHz;
    const int bins = o.nFft / 2 + 1;
    const double binHz = o.sampleRate / o.nFft;
    bank.m_rows.resize(std::size_t(o.nMels));
    for (int m = 0; m < o.nMels; ++m) {
        const double left = p[std::size_t(m)];
        const double centre = p[std::size_t(m + 1)];
        const double right = p[std::size_t(m + 2)];
        const double enorm = o.norm == MelNorm::Slaney ? 2.0 / (right - left) : 1.0;
        Row &row = bank.m_rows[std::size_t(m)];
        row.first = -1;
        std::vector<float> all(std::size_t(bins), 0.0f);
        int last = -1;
        for (int k = 0; k < bins; ++k) {
            const double f = k * binHz;
            const double up = (f - left) / (centre - left);
            const double down = (right - f) / (right - centre);
            const double w = std::max(0.0, std::min(up, down)) * enorm;
            if (w > 0.0) {
                if (row.first < 0)
                    row.first = k;
                last = k;
            }
            all[std::size_t(k)] = float(w);
        }
        if (row.first < 0) {
            row.first = 0; // an empty filter (too many mels for this n_fft): all zeros
        } else {
            row.weights.assign(all.begin() + row.first, all.begin() + last + 1);
        }
    }
    return bank;
}

FloatMatrix MelFilterbank::weights() const
{
    FloatMatrix w(mels(), bins());
    for (int m = 0; m < mels(); ++m) {
        const Row &row = m_rows[std::size_t(m)];
        std::copy(row.weights.begin(), row.weights.end(), w.row(m) + row.first);
    }
    return w;
}

void MelFilterbank::apply(const float *spectrum, float *out) const
{
    for (int m = 0; m < mels(); ++m) {
        const Row &row = m_rows[std::size_t(m)];
        const float *x = spectrum + row.first;
        float sum = 0.0f;
        for (std::size_t i = 0; i < row.weights.size(); ++i)
            sum += row.weights[i] * x[i];
        out[m] = sum;
    }
}

void MelFilterbank::applyToColumns(const float *spectra, std::int64_t stride, std::int64_t frames,
                                   float *out, std::int64_t outStride) const
{
    for (int m = 0; m < mels(); ++m) {
        const Row &row = m_rows[std::size_t(m)];
        float *o = out + m * outStride;
        std::fill(o, o + frames, 0.0f);
        for (std::size_t i = 0; i < row.weights.size(); ++i) {
            const float w = row.weights[i];
            const float *x = spectra + (row.first + std::int64_t(i)) * stride;
            for (std::int64_t j = 0; j < frames; ++j)
                o[j] += w * x[j];
        }
    }
}

Expected<FloatMatrix> MelFilterbank::apply(const FloatMatrix &spectrogram) const
{
    if (spectrogram.rows != bins())
        return Error{QStringLiteral("the spectrogram has %1 frequency bins, the mel bank expects "
                                    "%2")
                         .arg(spectrogram.rows)
                         .arg(bins()),
                     {},
                     0};
    FloatMatrix out(mels(), spectrogram.cols, FloatMatrix::Uninitialized{});
    applyToColumns(spectrogram.row(0), spectrogram.cols, spectrogram.cols, out.row(0), out.cols);
    return out;
}

} // namespace twb::dsp
