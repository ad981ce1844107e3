#pragma once

#include "Matrix.h"
#include "common/Expected.h"

#include <vector>

namespace twb::dsp {

enum class MelScale {
    Htk,    ///< mel = 2595 log10(1 + f / 700) (torchaudio's default, HTK)
    Slaney, ///< linear below 1 kHz (f / (200/3)), logarithmic above (librosa's default)
};

enum class MelNorm {
    None,   ///< triangles of height 1 (torchaudio melscale_fbanks norm=None)
    Slaney, ///< each triangle scaled by 2 / (f_right - f_left): constant energy per channel
};

/// librosa.filters.mel parameters (torchaudio.functional.melscale_fbanks for Htk + None).
struct MelOptions
{
    double sampleRate = 16000.0; ///< Hz
    int nFft = 512;              ///< the STFT size; the bank has nFft / 2 + 1 columns
    int nMels = 128;
    double fmin = 0.0; ///< Hz, lower edge of the first triangle
    double fmax = 0.0; ///< Hz, upper edge of the last triangle; <= 0 means sampleRate / 2
    MelScale scale = MelScale::Slaney;
    MelNorm norm = MelNorm::Slaney;
    /// Vocal tract length perturbation (Jaitly & Hinton 2013): the triangle corners are moved
    /// by vtlpWarpHz(f, vtlpAlpha, fmax); 1 = no warp. Must lie in [0.5, 2].
    double vtlpAlpha = 1.0;
};

double hzToMel(double hz, MelScale scale);
double melToHz(double mel, MelScale scale);
/// The VTLP frequency warp: f -> alpha f up to the boundary f_b = 0.8 fmax min(alpha, 1) / alpha,
/// then the straight line from there to fmax, which stays fixed; continuous and increasing, so
/// every filter keeps its order. alpha > 1 moves the filters up (a shorter vocal tract's formants
/// read like a longer one's), alpha < 1 down.
double vtlpWarpHz(double hz, double alpha, double fmax);

/// `count` frequencies in Hz equally spaced on the mel scale from fmin to fmax inclusive.
std::vector<double> melFrequencies(int count, double fmin, double fmax, MelScale scale);

/// A triangular mel filterbank.
///
/// Filter m rises linearly (in Hz) from 0 at p[m] to its peak at p[m + 1] and falls to 0 at
/// p[m + 2], where p = melFrequencies(nMels + 2, fmin, fmax); bin k is at k * sampleRate / nFft
/// Hz (librosa uses linspace(0, sr/2, bins), the same for even nFft). Stored sparsely (only the
/// nonzero span of each filter) so that applying it costs O(bins), not O(nMels * bins).
/// Immutable after creation: safe to share between threads.
class MelFilterbank
{
public:
    /// Errors: nFft < 2, nMels < 1, a sample rate <= 0, or not 0 <= fmin < fmax <= sr / 2.
    static Expected<MelFilterbank> create(const MelOptions &options);

    const MelOptions &options() const { return m_options; }
    int mels() const { return m_options.nMels; }
    int bins() const { return m_options.nFft / 2 + 1; }
    /// The nMels + 2 triangle corners in Hz (p above).
    const std::vector<double> &pointsHz() const { return m_pointsHz; }
    /// The dense weights `[nMels, bins]`, as librosa.filters.mel returns them.
    FloatMatrix weights() const;
    /// First bin and nonzero weights of filter m.
    int firstBin(int m) const { return m_rows[std::size_t(m)].first; }
    const std::vector<float> &rowWeights(int m) const { return m_rows[std::size_t(m)].weights; }

    /// `bins()` spectrum values -> `mels()` filter outputs (out[m] = sum_k W[m,k] in[k]).
    void apply(const float *spectrum, float *out) const;
    /// The same for `frames` spectra at once, in columns: spectra[k * stride + j] is bin k of
    /// frame j, out[m * outStride + j] receives filter m of frame j. Sums in the same order as
    /// apply(), so the values are bit-identical; the loop over frames vectorises.
    void applyToColumns(const float *spectra, std::int64_t stride, std::int64_t frames, float *out,
                        std::int64_t outStride) const;
    /// `[bins, frames]` -> `[nMels, frames]`. Errors when the rows are not bins().
    Expected<FloatMatrix> apply(const FloatMatrix &spectrogram) const;

private:
    MelFilterbank() = default;
    struct Row
    {
        int first = 0;
        std::vector<float> weights;
    };
    MelOptions m_options;
    std::vector<double> m_pointsHz;
    std::vector<Row> m_rows;
};

} // namespace twb::dsp
