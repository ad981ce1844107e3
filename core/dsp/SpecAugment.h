#pragma once

#include "common/Expected.h"

#include <cstdint>
#include <random>
#include <span>
#include <vector>

namespace twb::dsp {

/// SpecAugment masking (Park et al., 2019), without time warping.
struct SpecAugmentOptions
{
    int freqMaskParam = 27;  ///< F: each frequency mask is f ~ U{0..F} channels wide
    int freqMasks = 2;       ///< m_F
    int timeMaskParam = 100; ///< T: each time mask is t ~ U{0..T} frames wide
    int timeMasks = 2;       ///< m_T
    /// p: a time mask is at most p * frames wide (Park et al.'s upper bound; 1 = no bound).
    double maxTimeFraction = 1.0;
    float fill = 0.0f; ///< value written into masked cells (0, or the mean of a normalised input)
};

/// The layout of the buffer being masked.
enum class SpectrogramLayout {
    BinsFrames, ///< `[bins, frames]`: row = frequency bin or mel band, column = frame
    FramesBins, ///< `[frames, bins]`: row = frame (Kaldi fbank, AST input)
};

/// One mask: `width` consecutive bins or frames starting at `start` (width may be 0).
struct MaskSpan
{
    std::int64_t start = 0;
    std::int64_t width = 0;
    bool operator==(const MaskSpan &) const = default;
};

struct AppliedMasks
{
    std::vector<MaskSpan> frequency;
    std::vector<MaskSpan> time;
};

/// Draws the masks for a `bins` x `frames` spectrogram: for each frequency mask
/// f ~ U{0..min(F, bins)}, f0 ~ U{0..bins - f}; for each time mask
/// t ~ U{0..min(T, floor(p * frames))}, t0 ~ U{0..frames - t}. Masks may overlap. The same
/// generator state gives the same masks (reproducible augmentation).
AppliedMasks drawSpecAugmentMasks(std::int64_t bins, std::int64_t frames,
                                  const SpecAugmentOptions &options, std::mt19937_64 &rng);

/// Draws masks and writes options.fill into them, in place, in a buffer of bins * frames
/// floats of the given layout. Errors when the buffer size does not match or a parameter is
/// negative. Returns the masks applied.
Expected<AppliedMasks> applySpecAugment(std::span<float> values, std::int64_t bins,
                                        std::int64_t frames, SpectrogramLayout layout,
                                        const SpecAugmentOptions &options, std::mt19937_64 &rng);

} // namespace twb::dsp
