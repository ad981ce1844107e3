#pragma once

#include "Distilling.h"
#include "FastOps.h"
#include "SelectableAttention.h"
#include "TransformerEncoderLayer.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// The sizes of one layer of the vanilla encoder-decoder family (Time-Series-Library's
/// Transformer_EncDec EncoderLayer / DecoderLayer).
struct VanillaLayerOptions
{
    VanillaLayerOptions(std::int64_t dModel, std::int64_t dFF)
        : dModel_(dModel)
        , dFF_(dFF)
    {}
    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, dFF);
    /// On the residual branches and after the feed-forward's activation.
    TORCH_ARG(double, dropout) = 0.1;
    TORCH_ARG(FeedForwardActivation, activation) = FeedForwardActivation::Gelu;
};

/// The feed-forward block of the family: Linear(d -> dFF) - activation - Dropout -
/// Linear(dFF -> d), the official 1x1 convolutions "conv1" and "conv2" written as the
/// equivalent linear layers.
torch::nn::Sequential vanillaFeedForward(const VanillaLayerOptions &options);

/// The named result of VanillaEncoderLayer::forward.
struct VanillaEncoderLayerOutput
{
    torch::Tensor output;        ///< [B, T, dModel]
    torch::Tensor weights;       ///< [B, heads, T, T] when needWeights
    torch::Tensor activeQueries; ///< ProbSparse with needWeights: [B, heads, u] int64
};

/// A post-norm encoder layer:
///   x = LayerNorm1(x + Dropout(SelfAttention(x)))
///   x = LayerNorm2(x + Dropout(FeedForward(x)))
/// Children: self_attention (MultiheadAttention or ProbSparseAttention), norm1, feed_forward,
/// norm2, dropout. Threading: one thread at a time per instance.
class VanillaEncoderLayerImpl : public torch::nn::Module
{
public:
    VanillaEncoderLayerImpl(const VanillaLayerOptions &layer,
                            const SelectableAttentionOptions &attention);

    /// x: [B, T, dModel].
    VanillaEncoderLayerOutput forward(const torch::Tensor &x, bool needWeights = false);

private:
    SelectableAttention m_attention;
    torch::nn::LayerNorm m_norm1{nullptr};
    torch::nn::Sequential m_feedForward{nullptr};
    torch::nn::LayerNorm m_norm2{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
};

TORCH_MODULE(VanillaEncoderLayer);

struct VanillaEncoderOptions
{
    VanillaEncoderOptions(VanillaLayerOptions layer, SelectableAttentionOptions attention,
                          std::int64_t numLayers)
        : layer_(std::move(layer))
        , attention_(std::move(attention))
        , numLayers_(numLayers)
    {}
    TORCH_ARG(VanillaLayerOptions, layer);
    TORCH_ARG(SelectableAttentionOptions, attention);
    TORCH_ARG(std::int64_t, numLayers);
    /// Informer: a DistillingLayer after every layer but the last.
    TORCH_ARG(bool, distil) = false;
    /// DistillingLayerOptions::padding.
    TORCH_ARG(std::int64_t, distilPadding) = 1;
};

/// What VanillaEncoder::forward should return besides the output.
struct VanillaEncoderRequest
{
    bool needWeights = false;      ///< attention and activeQueries
    bool needLayerOutputs = false; ///< layerOutputs and distilled
};

struct VanillaEncoderOutput
{
    torch::Tensor output; ///< [B, T_last, dModel], after the final LayerNorm
    /// One per layer, [B, heads, T_i, T_i] (T_i shrinks after each distilling).
    std::vector<torch::Tensor> attention;
    /// ProbSparse: one per layer, [B, heads, u_i] int64.
    std::vector<torch::Tensor> activeQueries;
    std::vector<torch::Tensor> layerOutputs; ///< one per layer, [B, T_i, dModel]
    std::vector<torch::Tensor> distilled;    ///< one per distilling layer, [B, T_{i+1}, dModel]
};

/// The encoder of the Transformer and Informer forecasters: numLayers VanillaEncoderLayers,
/// optionally distilling between them, and a final LayerNorm.
/// Children: layers (ModuleList of VanillaEncoderLayer), distil (ModuleList of
/// DistillingLayer; only when distil and numLayers > 1), norm.
/// Threading: one thread at a time per instance.
class VanillaEncoderImpl : public torch::nn::Module
{
public:
    explicit VanillaEncoderImpl(const VanillaEncoderOptions &options);
    void reset();

    /// x: [B, T, dModel].
    VanillaEncoderOutput forward(const torch::Tensor &x, const VanillaEncoderRequest &request = {});

    /// The distilling layers (empty without distilling), for token bookkeeping.
    const std::vector<DistillingLayer> &distillingLayers() const { return m_distil; }
    const VanillaEncoderOptions &options() const { return m_options; }

private:
    VanillaEncoderOptions m_options;
    std::vector<VanillaEncoderLayer> m_layers;
    std::vector<DistillingLayer> m_distil;
    torch::nn::LayerNorm m_norm{nullptr};
};

TORCH_MODULE(VanillaEncoder);

} // namespace twb
