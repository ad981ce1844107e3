#pragma once

#include <cstdint>

namespace twb {

/// How a model's inputs are hidden for self-supervised pretraining (masked reconstruction).
/// Plain data, no torch. The data pipeline draws the masks (train/MaskGenerator.h); the model
/// only says which scheme it learns from.
struct MaskingScheme
{
    enum class Kind {
        /// PatchTST (Nie et al. 2023): each channel's lookback is cut into consecutive blocks of
        /// `patchLength` steps (the last block may be shorter); round(ratio * blocks) blocks
        /// per channel, drawn uniformly without replacement, are hidden.
        Patches,
        /// TST (Zerveas et al. 2021): per channel, a two-state Markov chain of hidden spans of
        /// geometric length with mean `meanSpan` and visible spans of mean meanSpan * (1 -
        /// ratio) / ratio, so that on average `ratio` of the values are hidden.
        GeometricSpans,
    };

    Kind kind = Kind::Patches;
    double ratio = 0.4;            ///< share of the values hidden, in (0, 1)
    std::int64_t patchLength = 12; ///< Patches: steps per block
    double meanSpan = 3.0;         ///< GeometricSpans: mean length of a hidden span (steps)
};

} // namespace twb
