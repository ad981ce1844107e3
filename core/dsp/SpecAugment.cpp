#include "SpecAugment.h"

#include <algorithm>
#include <cmath>

namespace twb::dsp {

namespace {

MaskSpan drawSpan(std::int64_t size, std::int64_t maxWidth, std::mt19937_64 &rng)
{
    const std::int64_t limit = std::clamp<std::int64_t>(maxWidth, 0, size);
    const std::int64_t width = std::uniform_int_distribution<std::int64_t>(0, limit)(rng);
    const std::int64_t start = std::uniform_int_distribution<std::int64_t>(0, size - width)(rng);
    return {start, width};
}

} // namespace

AppliedMasks drawSpecAugmentMasks(std::int64_t bins, std::int64_t frames,
                                  const SpecAugmentOptions &options, std::mt19937_64 &rng)
{
    AppliedMasks masks;
    for (int i = 0; i < options.freqMasks; ++i)
        masks.frequency.push_back(drawSpan(bins, options.freqMaskParam, rng));
    const std::int64_t timeLimit = std::min<std::int64_t>(
        options.timeMaskParam,
        std::int64_t(std::floor(std::clamp(options.maxTimeFraction, 0.0, 1.0) * double(frames))));
    for (int i = 0; i < options.timeMasks; ++i)
        masks.time.push_back(drawSpan(frames, timeLimit, rng));
    return masks;
}

Expected<AppliedMasks> applySpecAugment(std::span<float> values, std::int64_t bins,
                                        std::int64_t frames, SpectrogramLayout layout,
                                        const SpecAugmentOptions &options, std::mt19937_64 &rng)
{
    if (bins < 0 || frames < 0 || std::int64_t(values.size()) != bins * frames)
        return Error{QStringLiteral("the buffer holds %1 values, not %2 bins x %3 frames")
                         .arg(values.size())
                         .arg(bins)
                         .arg(frames),
                     {},
                     0};
    if (options.freqMaskParam < 0 || options.freqMasks < 0 || options.timeMaskParam < 0 ||
        options.timeMasks < 0)
        return Error{QStringLiteral("SpecAugment parameters must not be negative"), {}, 0};
    AppliedMasks masks = drawSpecAugmentMasks(bins, frames, options, rng);
    const bool binsFirst = layout == SpectrogramLayout::BinsFrames;
    auto at = [&](std::int64_t bin, std::int64_t frame) -> float & {
        return values[std::size_t(binsFirst ? bin * frames + frame : frame * bins + bin)];
    };
    for (const MaskSpan &m : masks.frequency)
        for (std::int64_t b = m.start; b < m.start + m.width; ++b)
            for (std::int64_t t = 0; t < frames; ++t)
                at(b, t) = options.fill;
    for (const MaskSpan &m : masks.time)
        for (std::int64_t t = m.start; t < m.start + m.width; ++t)
            for (std::int64_t b = 0; b < bins; ++b)
                at(b, t) = options.fill;
    return masks;
}

} // namespace twb::dsp
