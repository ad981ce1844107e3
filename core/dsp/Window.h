#pragma once

#include "common/Expected.h"

#include <QString>

#include <vector>

namespace twb::dsp {

enum class WindowType {
    Rectangular,
    Hann,
    Hamming,        ///< 0.54 - 0.46 cos
    Blackman,       ///< 0.42 - 0.5 cos + 0.08 cos 2x (scipy/numpy "blackman")
    BlackmanHarris, ///< 4-term, 0.35875 0.48829 0.14128 0.01168 (scipy "blackmanharris")
    Kaiser,         ///< I0(beta sqrt(1 - (2n/(N-1) - 1)^2)) / I0(beta)
    Povey,          ///< Kaldi: symmetric Hann to the power 0.85
};

/// Symmetric windows are for filter design and framing (Kaldi, numpy.hanning): w[0] = w[N-1].
/// Periodic windows are for spectral analysis (STFT): the first N points of the symmetric
/// window of length N+1, equal to scipy.signal.get_window(..., fftbins=True) and
/// torch.hann_window(N, periodic=True).
enum class WindowSymmetry { Symmetric, Periodic };

struct WindowSpec
{
    WindowType type = WindowType::Hann;
    WindowSymmetry symmetry = WindowSymmetry::Periodic;
    double kaiserBeta = 12.0; ///< only for Kaiser (torch's default; scipy has no default)
};

/// The window of `length` samples (length >= 0; length 1 gives {1}). Computed in double and
/// rounded to float32. Povey is defined by Kaldi as symmetric; with Periodic it is the first
/// `length` points of the length+1 Povey window like every other type.
std::vector<float> makeWindow(const WindowSpec &spec, int length);

/// Lower-case names used by the command line and the GUI: "rect" (also "rectangular",
/// "boxcar"), "hann" (also "hanning"), "hamming", "blackman", "blackman-harris", "kaiser",
/// "povey".
QString windowName(WindowType type);
Expected<WindowType> windowTypeFromName(const QString &name);

} // namespace twb::dsp
