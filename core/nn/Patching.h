#pragma once

#include "common/TokenInfo.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

struct PatchingOptions
{
    PatchingOptions(std::int64_t patchLength = 16, std::int64_t stride = 8)
        : patchLength_(patchLength)
        , stride_(stride)
    {}

    TORCH_ARG(std::int64_t, patchLength); ///< P, samples per patch
    TORCH_ARG(std::int64_t, stride);      ///< S, samples between patch starts
};

/// PatchTST's patching: the series is padded at the end by repeating its last value S times,
/// then cut into N = floor((L - P) / S) + 2 overlapping patches of P samples, patch i starting
/// at sample i * S (42 patches for L = 336, 64 for L = 512 with P = 16, S = 8). Requires
/// L >= P. No parameters.
class PatchingImpl : public torch::nn::Module
{
public:
    explicit PatchingImpl(const PatchingOptions &options = {});

    void reset();

    /// x: [..., L] (e.g. [B*M, L]) -> [..., N, P].
    torch::Tensor forward(const torch::Tensor &x);

    /// N for a lookback of `length` samples (0 if length < P).
    std::int64_t numPatches(std::int64_t length) const;

    /// One TimeRange token per patch: patch i covers [i*S, min(i*S + P, length)), labelled
    /// "patch i: t[begin,end)". A patch wholly inside the end padding (only when S > P) covers
    /// the last sample, [length - 1, length).
    std::vector<TokenInfo> tokens(std::int64_t length) const;

    const PatchingOptions &options() const { return m_options; }

private:
    PatchingOptions m_options;
};

TORCH_MODULE(Patching);

} // namespace twb
