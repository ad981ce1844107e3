#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/EncoderOptions.h"
#include "nn/FastOps.h"
#include "nn/Model.h"
#include "nn/PositionalEncoding.h"
#include "nn/TransformerEncoder.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Defaults: Zerveas et al.'s classification settings (d_model 64, 8 heads, 3 layers, d_ff 256,
/// dropout 0.1, BatchNorm, learnable positions). The dropout applies after the embedding,
/// inside the encoder and before the classifier.
struct TSTOptions : EncoderOptions<TSTOptions>
{
    static constexpr EncoderSize defaultEncoder{
        .dModel = 64, .numHeads = 8, .dFF = 256, .numLayers = 3, .dropout = 0.1};

    explicit TSTOptions(ModelSpec spec)
        : EncoderOptions(defaultEncoder)
        , spec_(std::move(spec))
    {}

    /// Errors: an invalid classification spec, non-positive sizes, dModel not divisible by
    /// numHeads, dropout outside [0, 1).
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(EncoderNorm, norm) = EncoderNorm::Batch;
    TORCH_ARG(bool, learnablePositions) = true;
};

/// TST, the Transformer encoder for multivariate series of Zerveas et al. (KDD 2021), in its
/// supervised classification form:
///   x [B, T, C] -> Linear(C -> d) * sqrt(d) -> + positions -> Dropout -> T time-step tokens
///   -> post-norm encoder (BatchNorm by default, GELU FFN) -> GELU -> Dropout
///   -> flatten [B, T * d] -> Linear(-> classes) = logits [B, classes].
/// Padded steps are zeros on the normalised scale (the data pipeline pads).
/// Children: input_projection, positions, dropout, encoder, output_dropout, classifier.
/// Attention: per layer [B, heads, T, T]; tokens() are the time steps.
/// Intermediates: "input" [B,T,C], "embedded" [B,T,d], "encoder_layer_i" [B,T,d],
/// "features" [B,T*d], "logits" [B,classes].
class TSTImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit TSTImpl(const TSTOptions &options);

    void reset();

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override;

    const TSTOptions &options() const { return m_options; }

private:
    TSTOptions m_options;
    torch::nn::Linear m_inputProjection{nullptr};
    SinusoidalPositionalEncoding m_fixedPositions{nullptr};
    LearnablePositionalEncoding m_learnedPositions{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
    TransformerEncoder m_encoder{nullptr};
    twb::nn::FastDropout m_outputDropout{nullptr};
    torch::nn::Linear m_classifier{nullptr};
};

TORCH_MODULE(TST);

} // namespace twb
