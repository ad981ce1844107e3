#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/EncoderOptions.h"
#include "nn/FastOps.h"
#include "nn/Model.h"
#include "nn/RevIN.h"
#include "nn/TransformerEncoder.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Defaults: the paper's settings (d_model 512, 8 heads, d_ff 2048, 2 layers, dropout 0.1).
/// The dropout applies after the variate embedding, on the attention weights, in the FFN and on
/// both residual branches (as the official code).
struct ITransformerOptions : EncoderOptions<ITransformerOptions>
{
    static constexpr EncoderSize defaultEncoder{
        .dModel = 512, .numHeads = 8, .dFF = 2048, .numLayers = 2, .dropout = 0.1};

    explicit ITransformerOptions(ModelSpec spec)
        : EncoderOptions(defaultEncoder)
        , spec_(std::move(spec))
    {}

    /// Errors: an invalid forecast spec, non-positive sizes, dModel not divisible by
    /// numHeads, dropout outside [0, 1).
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    /// Normalise each variate of each window (mean, biased std, eps 1e-5) and undo it.
    TORCH_ARG(bool, useNorm) = true;
};

/// iTransformer (Liu et al., ICLR 2024), following the official implementation without time
/// covariate tokens (the model sees only the series):
///   x [B, L, N] -> per-variate normalisation -> [B, N, L] -> Linear(L -> d) -> Dropout
///   -> N variate tokens -> Transformer encoder (post-LayerNorm, GELU FFN, final LayerNorm)
///   -> Linear(d -> H) -> [B, H, N] -> denormalisation.
/// Children: normalization (RevIN without affine), embedding, dropout, encoder, projection.
/// Attention: per layer [B, heads, N, N], variate to variate; tokens() are the variates.
/// Intermediates: "input" [B,L,N], "normalized" [B,L,N], "variate_tokens" [B,N,d],
/// "encoder_layer_i" [B,N,d] (i from 0; the projection sees the final LayerNorm of the last),
/// "projection" [B,N,H], "output" [B,H,N].
class ITransformerImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit ITransformerImpl(const ITransformerOptions &options);

    void reset();

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override;

    const ITransformerOptions &options() const { return m_options; }

private:
    ITransformerOptions m_options;
    RevIN m_normalization{nullptr};
    torch::nn::Linear m_embedding{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
    TransformerEncoder m_encoder{nullptr};
    torch::nn::Linear m_projection{nullptr};
};

TORCH_MODULE(ITransformer);

} // namespace twb
