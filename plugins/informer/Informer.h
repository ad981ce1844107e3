#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/EncoderOptions.h"
#include "nn/VanillaForecaster.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Which official code the Informer follows where the two disagree.
enum class InformerVariant {
    /// The authors' code (zhouhaoyi/Informer2020) and the paper: ProbSparse encoder with the
    /// heads concatenated per query, the decoder's causal ProbSparse self-attention with
    /// "mix" (ProbSparseAttentionOptions::mixHeads), full cross-attention, length-preserving
    /// distilling convolution (96 -> 48 -> 24 tokens).
    Informer2020,
    /// thuml/Time-Series-Library's models/Informer.py: every attention ProbSparse (also the
    /// cross-attention) and every one with mixed heads (its ProbAttention returns [B, heads,
    /// L, dk] and AttentionLayer views it as [B, L, heads * dk]); the distilling convolution
    /// pads by 2 (96 -> 49 -> 26 tokens).
    TimeSeriesLibrary,
};

/// Defaults: Time-Series-Library's run.py and scripts/long_term_forecast/ETT_script/
/// Informer_ETTh1.sh: d_model 512, 8 heads, d_ff 2048, e_layers 2, d_layers 1, dropout 0.1,
/// label_len 48, factor 3, distil on, GELU, calendar marks ("timeF"). (Informer2020's own
/// defaults differ in factor 5 and dropout 0.05.)
struct InformerOptions : EncoderOptions<InformerOptions>
{
    static constexpr EncoderSize defaultEncoder{
        .dModel = 512, .numHeads = 8, .dFF = 2048, .numLayers = 2, .dropout = 0.1};

    explicit InformerOptions(ModelSpec spec)
        : EncoderOptions(defaultEncoder)
        , spec_(std::move(spec))
    {}

    /// Errors: an invalid forecast spec, non-positive sizes, d_model not divisible by
    /// n_heads, dropout outside [0, 1), label_len outside 0..lookback, d_layers < 1,
    /// factor < 1.
    Status validate() const;
    /// The forecaster these options describe (validate() first).
    VanillaForecasterConfig config() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, decoderLayers) = 1; ///< d_layers
    TORCH_ARG(std::int64_t, labelLen) = 48;     ///< label_len
    /// c: c * ceil(ln L) sampled keys and active queries (ProbSparseAttentionOptions::factor).
    TORCH_ARG(std::int64_t, factor) = 3;
    /// A DistillingLayer between consecutive encoder layers.
    TORCH_ARG(bool, distil) = true;
    TORCH_ARG(FeedForwardActivation, activation) = FeedForwardActivation::Gelu;
    /// embed "timeF" (true) or "none".
    TORCH_ARG(bool, useMarks) = true;
    TORCH_ARG(InformerVariant, variant) = InformerVariant::Informer2020;
};

/// Informer (Zhou et al., AAAI 2021): VanillaForecaster with ProbSparse self-attention in
/// the encoder (no dropout on its weights, as the official code) and distilling between the
/// encoder layers, causal ProbSparse self-attention in the decoder (lazy queries: cumsum of
/// V), and cross-attention as the variant says (full attention with dropout on the weights,
/// or ProbSparse).
///
/// The active queries are chosen from randomly sampled keys: in training mode from the global
/// generator (torch::manual_seed reproduces a step), in eval mode from a generator with the
/// fixed seed 2021, so that one input always gives the same prediction (ProbSparseAttention.h).
/// Tokens: tokens() one per lookback step; encoderLayerTokens(i) for i >= 1 with distilling
/// are TimeRange tokens (DistillingLayer::outputRanges), ModelOutput::attention[i] is [B,
/// heads, T_i, T_i] over them and crossAttention's keys are the last layer's tokens.
/// Mechanisms: "encoder_layer_i/active_queries" and the others of VanillaForecaster.
class InformerImpl : public VanillaForecaster
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit InformerImpl(const InformerOptions &options);

    const InformerOptions &options() const { return m_options; }

private:
    InformerOptions m_options;
};

TORCH_MODULE(Informer);

} // namespace twb
