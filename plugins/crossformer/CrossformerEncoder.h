#pragma once

#include "SegmentMerging.h"
#include "TwoStageAttention.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

struct CrossformerEncoderOptions
{
    /// layer: the sizes of layer 0's two-stage attention (its segments are the input's);
    /// later layers have ceil(previous / window) segments.
    CrossformerEncoderOptions(TwoStageAttentionOptions layer, std::int64_t numLayers,
                              std::int64_t window)
        : layer_(std::move(layer))
        , numLayers_(numLayers)
        , window_(window)
    {}

    TORCH_ARG(TwoStageAttentionOptions, layer);
    TORCH_ARG(std::int64_t, numLayers);
    /// win_size; 1: no merging.
    TORCH_ARG(std::int64_t, window);
};

struct CrossformerEncoderOutput
{
    /// numLayers + 1 scales, each [B, D, N_i, d]: the embedded input, then every layer's
    /// output (the decoder's layer i reads scale i).
    std::vector<torch::Tensor> scales;
    /// Per layer when asked (TwoStageOutput): time [B*D, heads, N_i, N_i], sender [B*N_i,
    /// heads, c, D], receiver [B*N_i, heads, D, c].
    std::vector<torch::Tensor> time;
    std::vector<torch::Tensor> sender;
    std::vector<torch::Tensor> receiver;
    /// Per layer when stages are kept: the merged input [B, D, N_i, d] (undefined for a layer
    /// without merging) and the output of the cross-time stage [B, D, N_i, d].
    std::vector<torch::Tensor> merged;
    std::vector<torch::Tensor> crossTime;
};

/// Crossformer's hierarchical encoder (Encoder / scale_block with depth 1 in both official
/// codes): layer 0 is a two-stage attention layer over the input's N segments; every later
/// layer i first merges `window` adjacent segments (SegmentMerging) and then applies a
/// two-stage attention layer over the ceil(N_{i-1} / window) segments.
/// Children: per layer i, "merge_i" (i >= 1 with window > 1) and "layer_i" (TwoStageAttention).
/// Threading: one thread at a time per instance.
class CrossformerEncoderImpl : public torch::nn::Module
{
public:
    explicit CrossformerEncoderImpl(const CrossformerEncoderOptions &options);

    void reset();

    /// x [B, D, N, d] (the embedded input).
    CrossformerEncoderOutput forward(const torch::Tensor &x, const TwoStageRequest &request = {});

    /// The segments of layer `layer` (its attention's N).
    std::int64_t layerSegments(std::int64_t layer) const;

private:
    CrossformerEncoderOptions m_options;
    std::vector<SegmentMerging> m_merges; ///< per layer, nullptr where there is none
    std::vector<TwoStageAttention> m_layers;
};

TORCH_MODULE(CrossformerEncoder);

} // namespace twb
