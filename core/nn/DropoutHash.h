#pragma once

#include <algorithm>
#include <cstdint>

namespace twb::nn {

/// The keep decision of element `index` of a tensor dropped under `seed` (the low and high
/// halves): a 32-bit hash of the counter (Chris Wellons' "lowbias32", full avalanche)
/// compared with keep·2³² (dropoutThreshold()). Stateless, so that a backward recomputes the
/// mask instead of storing it, and written in 32-bit integer operations that vectorise (AVX2
/// has 32-bit but not 64-bit multiplies). nn::dropout (FastOps.h) and fusedRowMlp
/// (FusedRowMlp.h) share it, so that the same seed drops the same elements in both.
[[gnu::always_inline]] inline bool dropoutKeeps(std::uint32_t index, std::uint32_t seedLow,
                                                std::uint32_t seedHigh, std::uint32_t threshold)
{
    std::uint32_t x = (index + seedLow) ^ seedHigh;
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x < threshold;
}

/// keep·2³² rounded down, at most 2³² − 1, for a drop probability 0 < p < 1.
inline std::uint32_t dropoutThreshold(double p)
{
    return static_cast<std::uint32_t>(std::min((1.0 - p) * 4294967296.0, 4294967295.0));
}

/// One 64-bit draw from LibTorch's default CPU generator (so torch::manual_seed, and a
/// checkpoint's saved generator state, reproduce the masks). Thread-safe (its mutex).
std::uint64_t drawDropoutSeed();

} // namespace twb::nn
