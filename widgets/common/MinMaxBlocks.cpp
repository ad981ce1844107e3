#include "MinMaxBlocks.h"

#include <algorithm>
#include <cmath>

namespace twb {

MinMaxBlocks::MinMaxBlocks(const float *y, std::ptrdiff_t stride, std::size_t count)
    : m_samples(y ? count : 0)
{
    const std::size_t blockCount = (m_samples + blockSize - 1) / blockSize;
    m_min.assign(blockCount, none);
    m_max.assign(blockCount, none);
    for (std::size_t b = 0; b < blockCount; ++b) {
        const std::size_t begin = b * blockSize;
        const std::size_t end = std::min(m_samples, begin + blockSize);
        std::uint32_t lo = none;
        std::uint32_t hi = none;
        float loValue = 0.0f;
        float hiValue = 0.0f;
        for (std::size_t i = begin; i < end; ++i) {
            const float v = y[std::ptrdiff_t(i) * stride];
            if (std::isnan(v))
                continue;
            const auto offset = std::uint32_t(i - begin);
            if (lo == none || v < loValue) {
                lo = offset;
                loValue = v;
            }
            if (hi == none || v > hiValue) {
                hi = offset;
                hiValue = v;
            }
        }
        m_min[b] = lo;
        m_max[b] = hi;
    }
}

} // namespace twb
