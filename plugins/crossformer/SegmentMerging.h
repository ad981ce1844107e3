#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Crossformer's segment merging between encoder scales (SegMerging in both official codes):
///   x [B, D, N, d] -> padded at the end to M * w segments by repeating the last (w - N % w)
///   segments (the last segment w - N % w times when N is smaller than that), M = ceil(N / w)
///   -> every w consecutive segments concatenated [B, D, M, w * d]
///   -> LayerNorm(w * d) (child "norm") -> Linear(w * d -> d) (child "linear") -> [B, D, M, d].
/// Threading: one thread at a time per instance.
class SegmentMergingImpl : public torch::nn::Module
{
public:
    SegmentMergingImpl(std::int64_t dModel, std::int64_t window);

    void reset();

    torch::Tensor forward(const torch::Tensor &x);

    std::int64_t window() const { return m_window; }

private:
    std::int64_t m_dModel;
    std::int64_t m_window;
    torch::nn::LayerNorm m_norm{nullptr};
    torch::nn::Linear m_linear{nullptr};
};

TORCH_MODULE(SegmentMerging);

} // namespace twb
