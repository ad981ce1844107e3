#pragma once

#include "FastOps.h"
#include "SelectableAttention.h"
#include "VanillaEncoder.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// The named result of VanillaDecoderLayer::forward.
struct VanillaDecoderLayerOutput
{
    torch::Tensor output; ///< [B, T, dModel]
    /// When needWeights: [B, heads, T, T] (causal) and [B, heads, T, S].
    torch::Tensor selfWeights;
    torch::Tensor crossWeights;
    /// ProbSparse attention with needWeights: [B, heads, u] int64, else undefined.
    torch::Tensor selfActiveQueries;
    torch::Tensor crossActiveQueries;
};

/// A post-norm decoder layer (Time-Series-Library's DecoderLayer):
///   x = LayerNorm1(x + Dropout(causal SelfAttention(x)))
///   x = LayerNorm2(x + Dropout(CrossAttention(x, encoder, encoder)))
///   x = LayerNorm3(x + Dropout(FeedForward(x)))
/// Children: self_attention, cross_attention (MultiheadAttention or ProbSparseAttention),
/// norm1, norm2, feed_forward, norm3, dropout. Threading: one thread at a time per instance.
class VanillaDecoderLayerImpl : public torch::nn::Module
{
public:
    VanillaDecoderLayerImpl(const VanillaLayerOptions &layer,
                            const SelectableAttentionOptions &selfAttention,
                            const SelectableAttentionOptions &crossAttention);

    /// x: [B, T, dModel] decoder tokens, encoded: [B, S, dModel] encoder output.
    VanillaDecoderLayerOutput forward(const torch::Tensor &x, const torch::Tensor &encoded,
                                      bool needWeights = false);

private:
    SelectableAttention m_selfAttention;
    SelectableAttention m_crossAttention;
    torch::nn::LayerNorm m_norm1{nullptr};
    torch::nn::LayerNorm m_norm2{nullptr};
    torch::nn::Sequential m_feedForward{nullptr};
    torch::nn::LayerNorm m_norm3{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
};

TORCH_MODULE(VanillaDecoderLayer);

struct VanillaDecoderOptions
{
    VanillaDecoderOptions(VanillaLayerOptions layer, SelectableAttentionOptions selfAttention,
                          SelectableAttentionOptions crossAttention, std::int64_t numLayers,
                          std::int64_t outputs)
        : layer_(std::move(layer))
        , selfAttention_(std::move(selfAttention))
        , crossAttention_(std::move(crossAttention))
        , numLayers_(numLayers)
        , outputs_(outputs)
    {}
    TORCH_ARG(VanillaLayerOptions, layer);
    TORCH_ARG(SelectableAttentionOptions, selfAttention); ///< always called causally
    TORCH_ARG(SelectableAttentionOptions, crossAttention);
    TORCH_ARG(std::int64_t, numLayers);
    TORCH_ARG(std::int64_t, outputs); ///< channels of the projection (c_out)
};

struct VanillaDecoderRequest
{
    bool needWeights = false;      ///< the per-layer weights and active queries
    bool needLayerOutputs = false; ///< layerOutputs
};

struct VanillaDecoderOutput
{
    torch::Tensor output; ///< [B, T, outputs]: final LayerNorm, then the projection
    std::vector<torch::Tensor> selfAttention;      ///< per layer [B, heads, T, T]
    std::vector<torch::Tensor> crossAttention;     ///< per layer [B, heads, T, S]
    std::vector<torch::Tensor> selfActiveQueries;  ///< ProbSparse: per layer [B, heads, u]
    std::vector<torch::Tensor> crossActiveQueries; ///< ProbSparse: per layer [B, heads, u]
    std::vector<torch::Tensor> layerOutputs;       ///< per layer [B, T, dModel]
};

/// The decoder of the Transformer and Informer forecasters: numLayers VanillaDecoderLayers,
/// a final LayerNorm and Linear(dModel -> outputs).
/// Children: layers (ModuleList of VanillaDecoderLayer), norm, projection.
/// Threading: one thread at a time per instance.
class VanillaDecoderImpl : public torch::nn::Module
{
public:
    explicit VanillaDecoderImpl(const VanillaDecoderOptions &options);
    void reset();

    /// x: [B, T, dModel], encoded: [B, S, dModel].
    VanillaDecoderOutput forward(const torch::Tensor &x, const torch::Tensor &encoded,
                                 const VanillaDecoderRequest &request = {});

    const VanillaDecoderOptions &options() const { return m_options; }

private:
    VanillaDecoderOptions m_options;
    std::vector<VanillaDecoderLayer> m_layers;
    torch::nn::LayerNorm m_norm{nullptr};
    torch::nn::Linear m_projection{nullptr};
};

TORCH_MODULE(VanillaDecoder);

} // namespace twb
