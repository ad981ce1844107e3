#pragma once

#include "CorrelationLayer.h"
#include "FastOps.h"
#include "Model.h"
#include "SeriesDecomposition.h"
#include "TransformerEncoderLayer.h" // FeedForwardActivation

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace twb {

/// Autoformer's my_Layernorm for the seasonal part: LayerNorm over the features, then each
/// feature's mean over time subtracted. [B, T, d] -> [B, T, d]. Child: "layernorm".
/// Appends the intermediates "<stage>.seasonal" and "<stage>.trend" (the forward-pass view draws
/// such pairs over time).
void addDecompositionStages(std::vector<NamedTensor> &stages, const std::string &stage,
                            const Decomposition &parts);

class SeasonalLayerNormImpl : public torch::nn::Module
{
public:
    explicit SeasonalLayerNormImpl(std::int64_t dModel);
    torch::Tensor forward(const torch::Tensor &x);

private:
    torch::nn::LayerNorm m_norm{nullptr};
};

TORCH_MODULE(SeasonalLayerNorm);

struct DecompositionLayerOptions
{
    DecompositionLayerOptions(std::int64_t dModel, std::int64_t dFF)
        : dModel_(dModel)
        , dFF_(dFF)
    {}
    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, dFF);
    TORCH_ARG(std::int64_t, movingAvg) = 25; ///< odd moving-average window of each decomposition
    TORCH_ARG(double, dropout) = 0.1;
    TORCH_ARG(FeedForwardActivation, activation) = FeedForwardActivation::Gelu;
};

/// What to capture in one layer's forward pass.
struct DecompositionRequest
{
    bool report = false; ///< the mechanisms' reports
    bool stages = false; ///< the seasonal and trend part of every decomposition
};

/// One decomposition layer's result. Names in `mechanisms` and `stages` have no layer prefix.
struct DecompositionLayerOutput
{
    torch::Tensor seasonal; ///< [B, T, dModel]
    /// Decoder layers: the sum of the layer's three trends through the trend projection,
    /// [B, T, cOut]. Undefined for encoder layers (they drop their trends).
    torch::Tensor trend;
    /// "self/<what>" (decoder: also "cross/<what>"; encoder: "<what>") from the mechanisms.
    std::vector<NamedTensor> mechanisms;
    /// Encoder: "after_attention.{seasonal,trend}", "after_feed_forward.{seasonal,trend}".
    /// Decoder: "after_self.…", "after_cross.…", "after_feed_forward.…" and "residual_trend"
    /// [B, T, cOut]. Each [B, T, dModel] unless said.
    std::vector<NamedTensor> stages;
};

/// Autoformer's EncoderLayer (progressive decomposition), used by Autoformer and FEDformer:
///   x = x + dropout(attention(x, x, x)); x, _ = decomp1(x)
///   y = dropout(ff_out(dropout(act(ff_in(x))))); x, _ = decomp2(x + y)
/// The official 1x1 convolutions without bias are the linear maps "feed_forward_in"
/// (dModel -> dFF) and "feed_forward_out" (dFF -> dModel) without bias. Children: "attention",
/// "feed_forward_in", "feed_forward_out", "decomp1", "decomp2", "dropout".
class DecompositionEncoderLayerImpl : public torch::nn::Module
{
public:
    DecompositionEncoderLayerImpl(const DecompositionLayerOptions &options,
                                  CorrelationLayer attention);
    /// x [B, T, dModel].
    DecompositionLayerOutput forward(const torch::Tensor &x, const DecompositionRequest &request);

private:
    DecompositionLayerOptions m_options;
    CorrelationLayer m_attention{nullptr};
    torch::nn::Linear m_in{nullptr};
    torch::nn::Linear m_out{nullptr};
    SeriesDecomposition m_decomp1{nullptr};
    SeriesDecomposition m_decomp2{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
};

TORCH_MODULE(DecompositionEncoderLayer);

/// Autoformer's DecoderLayer:
///   x = x + dropout(self(x, x, x));          x, t1 = decomp1(x)
///   x = x + dropout(cross(x, enc, enc));     x, t2 = decomp2(x)
///   y = feed-forward(x) as in the encoder;   x, t3 = decomp3(x + y)
///   trend = projection(t1 + t2 + t3), a Conv1d(dModel -> cOut, kernel 3, circular, no bias).
/// Children: "self_attention", "cross_attention", "feed_forward_in", "feed_forward_out",
/// "decomp1", "decomp2", "decomp3", "dropout", "projection".
class DecompositionDecoderLayerImpl : public torch::nn::Module
{
public:
    DecompositionDecoderLayerImpl(const DecompositionLayerOptions &options, std::int64_t cOut,
                                  CorrelationLayer selfAttention, CorrelationLayer crossAttention);
    /// x [B, T, dModel], encoded [B, S, dModel].
    DecompositionLayerOutput forward(const torch::Tensor &x, const torch::Tensor &encoded,
                                     const DecompositionRequest &request);

private:
    DecompositionLayerOptions m_options;
    CorrelationLayer m_self{nullptr};
    CorrelationLayer m_cross{nullptr};
    torch::nn::Linear m_in{nullptr};
    torch::nn::Linear m_out{nullptr};
    SeriesDecomposition m_decomp1{nullptr};
    SeriesDecomposition m_decomp2{nullptr};
    SeriesDecomposition m_decomp3{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
    torch::nn::Conv1d m_projection{nullptr};
};

TORCH_MODULE(DecompositionDecoderLayer);

} // namespace twb
