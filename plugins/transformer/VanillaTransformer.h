#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/EncoderOptions.h"
#include "nn/VanillaForecaster.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Defaults: Time-Series-Library's (run.py and scripts/long_term_forecast/ETT_script/
/// Transformer_ETTh1.sh): d_model 512, 8 heads, d_ff 2048, e_layers 2, d_layers 1, dropout
/// 0.1, label_len 48, GELU, calendar marks ("timeF").
struct VanillaTransformerOptions : EncoderOptions<VanillaTransformerOptions>
{
    static constexpr EncoderSize defaultEncoder{
        .dModel = 512, .numHeads = 8, .dFF = 2048, .numLayers = 2, .dropout = 0.1};

    explicit VanillaTransformerOptions(ModelSpec spec)
        : EncoderOptions(defaultEncoder)
        , spec_(std::move(spec))
    {}

    /// Errors: an invalid forecast spec, non-positive sizes, d_model not divisible by
    /// n_heads, dropout outside [0, 1), label_len outside 0..lookback, d_layers < 1.
    Status validate() const;
    /// The forecaster these options describe (validate() first).
    VanillaForecasterConfig config() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, decoderLayers) = 1; ///< d_layers
    TORCH_ARG(std::int64_t, labelLen) = 48;     ///< label_len
    TORCH_ARG(FeedForwardActivation, activation) = FeedForwardActivation::Gelu;
    /// embed "timeF" (true) or "none".
    TORCH_ARG(bool, useMarks) = true;
};

/// The vanilla Transformer (Vaswani et al., NeurIPS 2017) as Time-Series-Library uses it for
/// forecasting (models/Transformer.py): VanillaForecaster with full attention everywhere
/// (encoder self-attention, the decoder's causal self-attention and its cross-attention, all
/// with dropout on the attention weights), no distilling. One token per step: tokens() are
/// the lookback's steps, decoderTokens() the label_len known steps and the horizon.
/// Children, attention, mechanisms and intermediates: see VanillaForecaster.
class VanillaTransformerImpl : public VanillaForecaster
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit VanillaTransformerImpl(const VanillaTransformerOptions &options);

    const VanillaTransformerOptions &options() const { return m_options; }

private:
    VanillaTransformerOptions m_options;
};

TORCH_MODULE(VanillaTransformer);

} // namespace twb
