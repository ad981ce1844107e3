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

/// Defaults: a small configuration in the spirit of t2 (d_model 32, 4 heads, 1 layer, d_ff 128,
/// dropout 0.1). The dropout applies after the embedding, inside the blocks and after pooling.
struct T2Options : EncoderOptions<T2Options>
{
    static constexpr EncoderSize defaultEncoder{
        .dModel = 32, .numHeads = 4, .dFF = 128, .numLayers = 1, .dropout = 0.1};

    explicit T2Options(ModelSpec spec)
        : EncoderOptions(defaultEncoder)
        , spec_(std::move(spec))
    {}

    /// Errors: an invalid classification spec, non-positive sizes, dModel not divisible by
    /// numHeads, dropout outside [0, 1).
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
};

/// A t2-style encoder (Allam & McEwen, "Paying Attention to Astronomical Transients", 2021)
/// for classifying (multivariate) sequences:
///   x [B, T, C] -> 1x1 convolution (= Linear(C -> d) per step) -> ReLU -> + sinusoidal
///   positions -> Dropout -> post-LayerNorm encoder blocks (eps 1e-6, ReLU FFN)
///   -> global average pooling over time -> Dropout -> Linear(d -> classes) = logits.
/// (The paper's softmax is applied by the loss and by the caller for probabilities.)
/// Children: embedding, positions, dropout, encoder, pool_dropout, classifier.
/// Attention: per layer [B, heads, T, T]; tokens() are the time steps.
/// Intermediates: "input", "embedded" [B,T,d], "encoder_layer_i" [B,T,d], "pooled" [B,d],
/// "logits" [B,classes].
class T2Impl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit T2Impl(const T2Options &options);

    void reset();

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override;

    const T2Options &options() const { return m_options; }

private:
    T2Options m_options;
    torch::nn::Linear m_embedding{nullptr};
    SinusoidalPositionalEncoding m_positions{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
    TransformerEncoder m_encoder{nullptr};
    twb::nn::FastDropout m_poolDropout{nullptr};
    torch::nn::Linear m_classifier{nullptr};
};

TORCH_MODULE(T2);

} // namespace twb
