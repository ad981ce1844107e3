#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace twb {

/// The position of the smallest and the largest sample of every block of `blockSize`
/// consecutive samples of one channel, so that decimateMinMax can take a whole block in one
/// step instead of reading its samples: a full view of 5 million samples reads about 80,000
/// block entries instead of 5 million floats.
///
/// `y` holds `count` samples with `stride` floats between consecutive ones (a column of a
/// row-major [time, channels] buffer). NaN samples are skipped; a block of only NaN has no
/// extremes. Ties keep the first sample (as decimateMinMax does), so decimating with or without
/// the blocks gives the same points.
///
/// Building reads every sample once (about 5 ms per million). The object keeps no pointer to
/// `y`: pass the same buffer to decimateMinMax, and rebuild when it changes. Immutable after
/// construction; any thread.
class MinMaxBlocks
{
public:
    static constexpr std::size_t blockSize = 64;
    static constexpr std::uint32_t none = UINT32_MAX; ///< offset of a block of only NaN

    MinMaxBlocks() = default;
    MinMaxBlocks(const float *y, std::ptrdiff_t stride, std::size_t count);

    /// Samples covered (the `count` given at construction).
    std::size_t samples() const { return m_samples; }
    std::size_t blocks() const { return m_min.size(); }
    /// Sample index of block b's minimum / maximum, or SIZE_MAX when it holds only NaN.
    std::size_t minIndex(std::size_t block) const { return indexOf(block, m_min[block]); }
    std::size_t maxIndex(std::size_t block) const { return indexOf(block, m_max[block]); }

private:
    static std::size_t indexOf(std::size_t block, std::uint32_t offset)
    {
        return offset == none ? SIZE_MAX : block * blockSize + offset;
    }

    std::size_t m_samples = 0;
    std::vector<std::uint32_t> m_min; ///< offset in the block of its minimum, or none
    std::vector<std::uint32_t> m_max;
};

} // namespace twb
