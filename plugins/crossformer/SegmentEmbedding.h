#pragma once

#include "nn/PositionalEncoding.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

struct SegmentEmbeddingOptions
{
    SegmentEmbeddingOptions(std::int64_t channels, std::int64_t lookback,
                            std::int64_t segmentLength, std::int64_t dModel)
        : channels_(channels)
        , lookback_(lookback)
        , segmentLength_(segmentLength)
        , dModel_(dModel)
    {}

    TORCH_ARG(std::int64_t, channels);
    TORCH_ARG(std::int64_t, lookback);
    TORCH_ARG(std::int64_t, segmentLength);
    TORCH_ARG(std::int64_t, dModel);
    /// Pad at the front by repeating the first value (the authors' code); off: at the end by
    /// repeating the last value (Time-Series-Library's ReplicationPad1d((0, pad))).
    TORCH_ARG(bool, frontPadding) = false;
    /// Bias in Linear(seg_len -> d_model) (the authors' code; Time-Series-Library: none).
    TORCH_ARG(bool, valueBias) = false;
    /// Add the fixed sinusoidal encoding of the segment index (Time-Series-Library's
    /// PatchEmbedding adds it; the authors' code does not).
    TORCH_ARG(bool, sinusoidal) = true;
};

/// Crossformer's dimension-segment-wise (DSW) embedding:
///   x [B, L, D] -> each variable's series padded to N * seg_len steps, N = ceil(L / seg_len)
///   -> segments [B, D, N, seg_len] -> Linear(seg_len -> d) (child "value")
///   (+ sinusoidal pe[segment], buffer child "sinusoidal") + position[variable, segment]
///   (parameter "position" [D, N, d], N(0, 1) as torch.randn) -> LayerNorm(d) (child "norm")
///   -> [B, D, N, d].
/// Threading: one thread at a time per instance.
class SegmentEmbeddingImpl : public torch::nn::Module
{
public:
    explicit SegmentEmbeddingImpl(const SegmentEmbeddingOptions &options);

    void reset();

    /// x [B, L, D] -> [B, D, N, d].
    torch::Tensor forward(const torch::Tensor &x);

    /// x [B, L, D] -> the padded series cut into segments [B, D, N, seg_len] (segment j of
    /// variable v holds padded steps [j * seg_len, (j + 1) * seg_len)).
    torch::Tensor segments(const torch::Tensor &x) const;
    /// segments [B, D, N, seg_len] -> the embedded tokens [B, D, N, d].
    torch::Tensor embed(const torch::Tensor &segments);

    std::int64_t numSegments() const;
    /// The padded steps: numSegments() * seg_len - lookback (< seg_len).
    std::int64_t padding() const;
    const SegmentEmbeddingOptions &options() const { return m_options; }

private:
    SegmentEmbeddingOptions m_options;
    torch::nn::Linear m_value{nullptr};
    SinusoidalPositionalEncoding m_sinusoidal{nullptr};
    torch::Tensor m_position;
    torch::nn::LayerNorm m_norm{nullptr};
};

TORCH_MODULE(SegmentEmbedding);

} // namespace twb
