#pragma once

#include "Matrix.h"
#include "Window.h"
#include "common/Expected.h"

#include <cstdint>
#include <span>

namespace twb::dsp {

/// torchaudio.compliance.kaldi.fbank options (Kaldi's compute-fbank-feats), with its defaults
/// except where noted. The AST front end (REFERENCES.md) is: sampleFrequency 16000,
/// numMelBins 128, window Hann, dither 0, the rest default; AST feeds torchaudio.load's
/// float samples in [-1, 1] after subtracting the clip mean (no 2^15 scaling; Kaldi's own tools
/// read int16 values, i.e. inputScale 32768). Not implemented (AST does not use them):
/// use_energy / raw_energy / energy_floor, htk_compat, subtract_mean, min_duration, VTLN.
struct KaldiFbankOptions
{
    double sampleFrequency = 16000.0; ///< Hz
    double frameLengthMs = 25.0;      ///< window_size = int(sf * ms / 1000) samples
    double frameShiftMs = 10.0;       ///< window_shift = int(sf * ms / 1000) samples
    double dither = 0.0;              ///< Gaussian dither stddev (Kaldi's default is 1; AST 0)
    std::uint64_t ditherSeed = 0;     ///< std::mt19937_64 seed when dither != 0
    double preemphasis = 0.97;
    bool removeDcOffset = true;
    /// Povey (Kaldi's default), Hann, Hamming, Rectangular or Blackman (symmetric, Kaldi's
    /// formulas; Blackman uses the Kaldi/numpy coefficient 0.42). Other types are an error.
    WindowType window = WindowType::Povey;
    bool roundToPowerOfTwo = true; ///< FFT size = next power of two >= window_size
    bool snipEdges = true;   ///< true: only frames inside the signal; false: Kaldi's reflection
    int numMelBins = 23;     ///< torchaudio's default; AST uses 128
    double lowFreq = 20.0;   ///< Hz
    double highFreq = 0.0;   ///< Hz; <= 0 means Nyquist + highFreq (Kaldi's convention)
    bool usePower = true;    ///< power (|X|^2) or magnitude spectrum
    bool useLogFbank = true; ///< log(max(x, float32 eps)) (natural log)
    /// VTLP (see vtlpWarpHz in MelFilterbank.h): each triangle's corners are warped in Hz
    /// with highFreq as the fixed top; 1 = none (Kaldi's own VTLN, vtln_warp, is not this).
    double vtlpAlpha = 1.0;
    double inputScale = 1.0; ///< the waveform is multiplied by this first (32768 for Kaldi's
                             ///< int16 convention)
};

/// Frames and FFT size the options give for `samples` samples (window_size, window_shift,
/// padded size); frames = 1 + (N - window_size) / window_shift with snipEdges (0 when the
/// signal is shorter than one window), (N + window_shift / 2) / window_shift without.
struct KaldiFrameGeometry
{
    int windowSize = 0;
    int windowShift = 0;
    int paddedSize = 0;
    std::int64_t frames = 0;
};
Expected<KaldiFrameGeometry> kaldiFrameGeometry(const KaldiFbankOptions &options,
                                                std::int64_t samples);

/// Kaldi mel scale: 1127 ln(1 + f / 700).
double kaldiMel(double hz);

/// The Kaldi mel bank `[numMelBins, paddedSize / 2 + 1]` (the Nyquist column is zero, as
/// torchaudio pads it): triangles between equally spaced Kaldi-mel points from lowFreq to
/// highFreq, height 1, evaluated at the mel of each bin's frequency (not linear in Hz).
Expected<FloatMatrix> kaldiMelBanks(const KaldiFbankOptions &options);

/// Filterbank features `[frames, numMelBins]` (row = frame, column = mel bin: Kaldi's and
/// torchaudio's layout), float32. Per frame: dither, remove the DC offset, pre-emphasis
/// (x[i] -= c x[i-1], x[-1] = x[0]), window, zero-pad to the FFT size, power spectrum,
/// mel bank, log. An empty result (0 rows) when the signal is shorter than one frame.
/// Errors on invalid options. Thread-safe (no shared mutable state).
Expected<FloatMatrix> kaldiFbank(std::span<const float> waveform, const KaldiFbankOptions &options);

} // namespace twb::dsp
