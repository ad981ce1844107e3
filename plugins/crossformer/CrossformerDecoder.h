#pragma once

#include "TwoStageAttention.h"
#include "nn/FastOps.h"
#include "nn/MultiheadAttention.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

struct CrossformerDecoderOptions
{
    /// layer: the decoder's two-stage attention (its segments are the output segments).
    CrossformerDecoderOptions(TwoStageAttentionOptions layer, std::int64_t numLayers,
                              std::int64_t segmentLength)
        : layer_(std::move(layer))
        , numLayers_(numLayers)
        , segmentLength_(segmentLength)
    {}

    TORCH_ARG(TwoStageAttentionOptions, layer);
    /// One per encoder scale: e_layers + 1.
    TORCH_ARG(std::int64_t, numLayers);
    /// seg_len: forecast steps per output segment.
    TORCH_ARG(std::int64_t, segmentLength);
};

struct CrossformerDecoderOutput
{
    /// The sum of every layer's prediction, [B, Nout * seg_len, D].
    torch::Tensor prediction;
    /// Per layer when stages are kept: its output [B, D, Nout, d] and its prediction
    /// [B, Nout * seg_len, D].
    std::vector<torch::Tensor> layerOutputs;
    std::vector<torch::Tensor> layerPredictions;
    /// Per layer when asked: the self two-stage attention's weights (TwoStageOutput, N = Nout)
    /// and the cross-attention [B*D, heads, Nout, N_scale] (row b * D + v).
    std::vector<torch::Tensor> time;
    std::vector<torch::Tensor> sender;
    std::vector<torch::Tensor> receiver;
    std::vector<torch::Tensor> cross;
};

/// Crossformer's decoder (DecoderLayer / Decoder in both official codes), one layer per
/// encoder scale. Layer j on x [B, D, Nout, d] and scale j [B, D, N_j, d]:
///   x = TSA(x); per variable X = x as [B*D, Nout, d], E = scale j as [B*D, N_j, d];
///   X = norm1(X + Drop(MSA_cross(X, E, E))); out = norm2(X + MLP(X)),
///   MLP = Linear(d, d) - GELU - Linear(d, d);
///   prediction_j = Linear(d -> seg_len)(out) -> [B, D, Nout * seg_len] -> [B, Nout*seg_len, D].
/// The next layer reads out; the forecast is the sum of every layer's prediction.
/// Children: per layer j "layer_j" with self_attention (TwoStageAttention), cross_attention
/// (MultiheadAttention), norm1, norm2, mlp, prediction, dropout.
/// Threading: one thread at a time per instance.
class CrossformerDecoderImpl : public torch::nn::Module
{
public:
    explicit CrossformerDecoderImpl(const CrossformerDecoderOptions &options);

    void reset();

    /// x [B, D, Nout, d] (the learned decoder positions); scales: numLayers tensors
    /// [B, D, N_j, d] (CrossformerEncoderOutput::scales).
    CrossformerDecoderOutput forward(const torch::Tensor &x,
                                     const std::vector<torch::Tensor> &scales,
                                     const TwoStageRequest &request = {});

private:
    struct Layer
    {
        TwoStageAttention selfAttention{nullptr};
        MultiheadAttention crossAttention{nullptr};
        torch::nn::LayerNorm norm1{nullptr};
        torch::nn::LayerNorm norm2{nullptr};
        torch::nn::Sequential mlp{nullptr};
        torch::nn::Linear prediction{nullptr};
        twb::nn::FastDropout dropout{nullptr};
    };

    CrossformerDecoderOptions m_options;
    std::vector<Layer> m_layers;
};

TORCH_MODULE(CrossformerDecoder);

} // namespace twb
