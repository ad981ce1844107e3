#pragma once

#include "FastOps.h"
#include "MultiheadAttention.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Normalisation of an encoder layer, over d_model.
enum class EncoderNorm {
    Batch, ///< BatchNorm1d over d_model, statistics over batch and tokens (PatchTST)
    Layer, ///< LayerNorm over d_model per token (iTransformer)
};

/// Activation inside the feed-forward block.
enum class FeedForwardActivation { Gelu, Relu };

struct TransformerEncoderLayerOptions
{
    TransformerEncoderLayerOptions(std::int64_t dModel, std::int64_t numHeads, std::int64_t dFF)
        : dModel_(dModel)
        , numHeads_(numHeads)
        , dFF_(dFF)
    {}

    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, numHeads);
    TORCH_ARG(std::int64_t, dFF);
    /// On both residual branches and inside the FFN after the GELU.
    TORCH_ARG(double, dropout) = 0.1;
    /// On the attention weights (iTransformer: = dropout; PatchTST: 0).
    TORCH_ARG(double, attentionDropout) = 0.0;
    /// After the attention's output projection (PatchTST: = dropout; iTransformer: 0).
    TORCH_ARG(double, projectionDropout) = 0.0;
    TORCH_ARG(EncoderNorm, norm) = EncoderNorm::Layer;
    TORCH_ARG(double, normEps) = 1e-5;
    /// Add the previous layer's pre-softmax scores to this layer's (PatchTST's res_attention).
    TORCH_ARG(bool, residualAttention) = false;
    TORCH_ARG(FeedForwardActivation, activation) = FeedForwardActivation::Gelu;
    /// Pre-norm (ViT, AST): x + Attn(Norm1(x)), then x + FFN(Norm2(x)). Off: post-norm.
    TORCH_ARG(bool, preNorm) = false;
};

/// The named result of TransformerEncoderLayer::forward.
struct EncoderLayerOutput
{
    torch::Tensor output;  ///< [B, T, dModel]
    torch::Tensor weights; ///< [B, heads, T, T] when asked, else undefined
    torch::Tensor scores;  ///< pre-softmax scores when residualAttention, else undefined
};

/// A Transformer encoder layer shared by the models, post-norm by default (PatchTST,
/// iTransformer, TST, t2):
///   x = Norm1(x + Dropout(SelfAttention(x)))
///   x = Norm2(x + Dropout(Linear2(Dropout(Act(Linear1(x))))))
/// or pre-norm (ViT / AST): x = x + Dropout(SelfAttention(Norm1(x))); x = x +
/// Dropout(FFN(Norm2(x))). Children: self_attention, norm1, feed_forward
/// (Linear-GELU-Dropout-Linear), norm2. Threading: one thread at a time per instance.
class TransformerEncoderLayerImpl : public torch::nn::Module
{
public:
    explicit TransformerEncoderLayerImpl(const TransformerEncoderLayerOptions &options);

    void reset();

    /// x: [B, T, dModel]. request.prevScores is used only with residualAttention; scores are
    /// returned exactly when residualAttention is on.
    EncoderLayerOutput forward(const torch::Tensor &x, const AttentionRequest &request = {});

    const TransformerEncoderLayerOptions &options() const { return m_options; }

private:
    void registerNorm(int which);
    torch::Tensor applyNorm(int which, const torch::Tensor &x);

    TransformerEncoderLayerOptions m_options;
    MultiheadAttention m_attention{nullptr};
    torch::nn::Sequential m_feedForward{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
    torch::nn::BatchNorm1d m_batchNorm[2] = {nullptr, nullptr};
    torch::nn::LayerNorm m_layerNorm[2] = {nullptr, nullptr};
};

TORCH_MODULE(TransformerEncoderLayer);

} // namespace twb
