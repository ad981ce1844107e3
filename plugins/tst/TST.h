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
#include <optional>

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

    /// Errors: an invalid classification (or reconstruct) spec, non-positive sizes, dModel not
    /// divisible by numHeads, dropout outside [0, 1); for pretraining a mask ratio outside
    /// (0, 1) or a mean span below 1.
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(EncoderNorm, norm) = EncoderNorm::Batch;
    TORCH_ARG(bool, learnablePositions) = true;
    /// Pretraining: the share of each channel's values hidden (the paper's 15 %) ...
    TORCH_ARG(double, maskRatio) = 0.15;
    /// ... in spans of geometric length with this mean (steps).
    TORCH_ARG(double, meanSpan) = 3.0;
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
///
/// Self-supervised (spec.task Reconstruct; Zerveas et al. section 3.2): the values that
/// ForwardOptions::hidden marks (spans of geometric length per channel, MaskingScheme::
/// GeometricSpans) are set to 0 before the projection, and the encoder's GELU outputs go through
/// Dropout -> Linear(d -> C) (child pretrain_head, instead of classifier): prediction = the
/// reconstructed input [B, T, C]. Intermediates end with "reconstruction" [B,T,C]. A classifier
/// of the same length, channels and width loads every tensor but pretrain_head; another channel
/// count changes input_projection.weight, another length positions.
class TSTImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit TSTImpl(const TSTOptions &options);

    void reset();

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override;
    std::optional<MaskingScheme> maskingScheme() const override;

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
    torch::nn::Linear m_pretrainHead{nullptr};
};

TORCH_MODULE(TST);

} // namespace twb
