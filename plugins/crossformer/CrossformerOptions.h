#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/EncoderOptions.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Which official code the Crossformer follows where the two disagree (checked:
/// thuml/Time-Series-Library models/Crossformer.py, layers/Crossformer_EncDec.py,
/// layers/SelfAttention_Family.py TwoStageAttentionLayer, layers/Embed.py PatchEmbedding; and
/// Thinklab-SJTU/Crossformer cross_models/*.py). Everything else (two-stage attention, routers,
/// merging, decoder) is the same in both.
enum class CrossformerVariant {
    /// Time-Series-Library (the published .423/.448 on ETTh1 at lookback 96, H 96): the series
    /// padded at the END by repeating its last value; Linear(seg_len -> d_model) without bias
    /// plus a sinusoidal encoding of the segment index plus the learned position; the forecast
    /// is the LAST horizon steps of the decoder's ceil(H / seg_len) segments.
    TimeSeriesLibrary,
    /// The authors' code: the series padded at the FRONT by repeating its first value;
    /// Linear(seg_len -> d_model) with bias plus the learned position; the forecast is the
    /// FIRST horizon steps.
    Authors,
};

/// Defaults: Time-Series-Library's run.py with scripts/long_term_forecast/ETT_script/
/// Crossformer_ETTh1.sh: d_model 512, 8 heads, d_ff 2048, e_layers 2, factor 3, dropout 0.1,
/// seg_len 12 and win_size 2 (fixed in its model). (The authors' main_crossformer.py defaults
/// differ: d_model 256, 4 heads, d_ff 512, e_layers 3, factor 10, dropout 0.2, seg_len 6.)
/// The dropout applies on every attention's weights and after every attention and MLP branch.
struct CrossformerOptions : EncoderOptions<CrossformerOptions>
{
    static constexpr EncoderSize defaultEncoder{
        .dModel = 512, .numHeads = 8, .dFF = 2048, .numLayers = 2, .dropout = 0.1};

    explicit CrossformerOptions(ModelSpec spec)
        : EncoderOptions(defaultEncoder)
        , spec_(std::move(spec))
    {}

    /// Errors: an invalid forecast spec, non-positive sizes, d_model not divisible by n_heads,
    /// dropout outside [0, 1), seg_len, win_size or factor below 1.
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    /// seg_len: input steps per segment (and forecast steps per decoder segment).
    TORCH_ARG(std::int64_t, segmentLength) = 12;
    /// win_size: segments merged into one between encoder layers (1: no merging).
    TORCH_ARG(std::int64_t, mergeWindow) = 2;
    /// factor: router tokens per segment in the cross-dimension stage (the paper's c).
    TORCH_ARG(std::int64_t, factor) = 3;
    TORCH_ARG(CrossformerVariant, variant) = CrossformerVariant::TimeSeriesLibrary;

public: // TORCH_ARG leaves the section private
    /// ceil(lookback / seg_len).
    std::int64_t inputSegments() const;
    /// ceil(horizon / seg_len): the decoder's segments.
    std::int64_t outputSegments() const;
    /// The segments encoder layer `layer` attends over: inputSegments() for layer 0, then
    /// ceil(previous / win_size) after each merging.
    std::int64_t layerSegments(std::int64_t layer) const;
};

} // namespace twb
