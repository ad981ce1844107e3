#pragma once

#include "dsp/Stft.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace twb::dsp {

/// The short-time Fourier transform the workbench draws speech with: frames of about 32 ms (the
/// largest power of two not above it, at least 64 samples) and hops of a quarter frame (about
/// 8 ms), so that formants and pitch harmonics show at any sample rate (256 / 64 samples at
/// 8 kHz, 512 / 128 at 16 kHz). The rest as StftOptions' defaults (periodic Hann, centred).
/// `sampleRate` in Hz, > 0.
inline StftOptions speechStftOptions(double sampleRate)
{
    StftOptions options;
    const auto frame = unsigned(std::max(64.0, std::round(0.032 * sampleRate)));
    options.nFft = int(std::bit_floor(frame));
    options.hop = options.nFft / 4;
    return options;
}

} // namespace twb::dsp
