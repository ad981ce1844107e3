#pragma once

#include <cstdint>
#include <string>

namespace twb {

/// What one attention token covers in the model's input. Plain data, no torch, so views and
/// HDF5 export can use it directly.
struct TokenInfo
{
    enum class Kind {
        TimeStep,  ///< one input sample: [begin, end) with end = begin + 1
        TimeRange, ///< a patch of input samples [begin, end) of the lookback window
        Variate,   ///< a whole channel: `channel` and its name in `label`
        Tile,      ///< spectrogram frames [begin, end) x frequency bins [freqBegin, freqEnd)
        Special,   ///< a CLS / distillation token that covers no input
    };

    Kind kind = Kind::TimeStep;
    std::string label;          ///< human-readable, e.g. "patch 3: t[24,40)" or "HUFL"
    std::int64_t begin = 0;     ///< first covered sample / frame (inclusive)
    std::int64_t end = 0;       ///< last covered sample / frame (exclusive)
    std::int64_t channel = -1;  ///< channel index for Variate, -1 if all channels
    std::int64_t freqBegin = 0; ///< Tile only
    std::int64_t freqEnd = 0;   ///< Tile only
};

} // namespace twb
