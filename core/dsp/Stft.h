#pragma once

#include "Matrix.h"
#include "RealFft.h"
#include "Window.h"
#include "common/Expected.h"

#include <complex>
#include <cstdint>
#include <span>
#include <vector>

namespace twb::dsp {

/// Short-time Fourier transform parameters, with torch.stft's meaning.
struct StftOptions
{
    int nFft = 512;     ///< FFT size in samples; bins = nFft / 2 + 1 (one-sided)
    int hop = 0;        ///< samples between frame starts; 0 means nFft / 4 (torch's default)
    int winLength = 0;  ///< window length, 1..nFft; 0 means nFft. A shorter window is centred
                        ///< in the frame and zero-padded on both sides ((nFft - winLength) / 2
                        ///< zeros on the left), like torch.stft.
    WindowSpec window;  ///< periodic Hann by default (torch.hann_window(periodic=True))
    bool center = true; ///< pad nFft / 2 samples on both sides by reflection (torch.stft
                        ///< center=True, pad_mode="reflect"; librosa's default pad mode differs)
};

enum class SpectrumKind {
    Magnitude, ///< |X|
    Power,     ///< |X|^2
};

/// The options with the 0 defaults resolved, or an error when they are invalid.
Expected<StftOptions> resolved(const StftOptions &options);

/// An STFT engine for one set of options: the window and the FFT plan are made once.
///
/// Frame f covers padded samples [f * hop, f * hop + nFft), where the padded signal is the
/// signal with nFft / 2 reflected samples in front and behind (center) or the signal itself.
/// Frame counts: 1 + (N + 2 * (nFft / 2) - nFft) / hop with center, 1 + (N - nFft) / hop
/// without (0 frames when the signal is shorter than nFft). Centre padding needs
/// N > nFft / 2 samples (reflection, as torch); shorter signals are an error.
///
/// Any frame range [f0, f1) can be computed alone and gives exactly the same values as the same
/// columns of the whole transform, so a GUI can compute tiles of a long recording on workers.
/// One object must not be used by two threads at once; make one per thread (cheap: FFT plans
/// are shared, see FftPlanCache). The signal is read, never kept.
class Stft
{
public:
    static Expected<Stft> create(const StftOptions &options);

    const StftOptions &options() const { return m_options; }
    int bins() const { return m_options.nFft / 2 + 1; }
    /// The window zero-padded to nFft samples, as applied to each frame.
    const std::vector<float> &paddedWindow() const { return m_window; }

    std::int64_t frameCount(std::int64_t samples) const;
    /// The signal sample at the centre of frame f: f * hop with center, f * hop + nFft / 2
    /// without (divide by the sample rate for its time). For axes and cursor read-outs.
    std::int64_t frameCentre(std::int64_t f) const
    {
        return f * m_options.hop + (m_options.center ? 0 : m_options.nFft / 2);
    }
    /// Ok when a signal of `samples` samples can be transformed (see the class comment).
    Status checkLength(std::int64_t samples) const;

    /// Complex spectra of frames [f0, f1) as `[f1 - f0, bins]` (row = frame, column = bin).
    /// Needs 0 <= f0 <= f1 <= frameCount(signal.size()).
    Expected<ComplexMatrix> complexFrames(std::span<const float> signal, std::int64_t f0,
                                          std::int64_t f1);
    Expected<ComplexMatrix> complexFrames(std::span<const float> signal);

    /// Magnitude or power of frames [f0, f1) as `[bins, f1 - f0]` (row = frequency bin k at
    /// k * sampleRate / nFft Hz, column = frame), the layout of torch.stft and librosa.
    Expected<FloatMatrix> spectrogram(std::span<const float> signal, SpectrumKind kind,
                                      std::int64_t f0, std::int64_t f1);
    Expected<FloatMatrix> spectrogram(std::span<const float> signal, SpectrumKind kind);

    /// Low-level: transforms frame f into `bins()` values at `out` (no range checks; the
    /// signal must have passed checkLength). Used by the mel and tile code.
    void transformFrame(std::span<const float> signal, std::int64_t f, std::complex<float> *out);
    /// Low-level: spectrogram() of frames [f0, f1) written into columns [column, column + f1 -
    /// f0) of `out` ([bins(), any], allocated by the caller; no range checks). Threads may fill
    /// disjoint columns of one matrix, each with its own Stft (see parallelSpectrogram).
    void spectrogramInto(std::span<const float> signal, SpectrumKind kind, std::int64_t f0,
                         std::int64_t f1, FloatMatrix &out, std::int64_t column);
    /// Low-level: |X|^2 or |X| of frame f into `bins()` floats at `out`.
    void spectrumOfFrame(std::span<const float> signal, std::int64_t f, SpectrumKind kind,
                         float *out);
    /// Low-level: |X|^2 or |X| of frames [f0, f1) into `[f1 - f0, bins()]` floats at `out`
    /// (frame-major; no range checks). The fast path of every magnitude and power result:
    /// frames 2m and 2m + 1 go through one complex FFT (RealFftPair), a lone frame at either
    /// end of the range is computed with its partner, and the last frame of an odd count with
    /// zeros. So each frame's values depend only on the signal and the frame index, and are
    /// bit-identical whatever range, tile or thread computes them. They agree with
    /// |complexFrames()|^2 to float rounding, not bit for bit.
    void spectraOfFrames(std::span<const float> signal, std::int64_t f0, std::int64_t f1,
                         SpectrumKind kind, float *out);

private:
    Stft(const StftOptions &options, std::vector<float> window);
    void computeFrame(std::span<const float> signal, std::int64_t f); // -> m_fft.spectrum()
    /// The windowed nFft samples of frame f, written to dst[0], dst[stride], ...
    void windowFrame(std::span<const float> signal, std::int64_t f, float *dst, int stride) const;
    /// Frames 2p and 2p + 1 (zeros past the last frame) -> |X|^2 of each, `bins()` floats at
    /// powerA and powerB.
    void powerOfPair(std::span<const float> signal, std::int64_t p, std::int64_t frames,
                     float *powerA, float *powerB);
    Status checkRange(std::int64_t samples, std::int64_t f0, std::int64_t f1) const;

    StftOptions m_options;
    std::vector<float> m_window; // nFft values, zero outside the centred window
    int m_windowBegin = 0;       // first nonzero-capable index of m_window
    RealFft m_fft;
    RealFftPair m_pair;
    std::vector<float> m_pairPower; // 2 * bins: a pair of which only one frame is wanted
};

/// Convenience: the whole complex STFT `[frames, bins]`.
Expected<ComplexMatrix> stft(std::span<const float> signal, const StftOptions &options);
/// Convenience: the whole magnitude or power spectrogram `[bins, frames]`.
Expected<FloatMatrix> spectrogram(std::span<const float> signal, const StftOptions &options,
                                  SpectrumKind kind);

/// spectrogram() computed by up to `threads` threads (`threads` < 1: one per hardware thread),
/// each with its own Stft over an equal range of frames (one thread per 2048 frames at most).
/// The values equal the one-thread result exactly. For a long recording on the command line;
/// the spectrogram view computes tiles on its own workers instead.
Expected<FloatMatrix> parallelSpectrogram(std::span<const float> signal, const StftOptions &options,
                                          SpectrumKind kind, int threads = 0);

/// Inverse STFT of `[frames, bins]` spectra (torch.istft): each frame's inverse FFT times the
/// window is overlap-added and divided by the overlap-added squared window; with center the
/// first nFft / 2 samples are dropped. `length` < 0 gives nFft + hop * (frames - 1) samples
/// (minus 2 * (nFft / 2) with center); otherwise exactly `length` samples (zero beyond the
/// frames). Errors when the squared-window sum is below 1e-11 inside the output (the window
/// and hop violate the NOLA condition) or the spectra have the wrong number of bins.
Expected<std::vector<float>> istft(const ComplexMatrix &frames, const StftOptions &options,
                                   std::int64_t length = -1);

} // namespace twb::dsp
