#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/DecompositionForecaster.h"
#include "nn/EncoderOptions.h"
#include "nn/FourierBlocks.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Defaults: Time-Series-Library's ETTh1 script (scripts/long_term_forecast/ETT_script/
/// FEDformer_ETTh1.sh) over run.py's defaults: d_model 512, 8 heads, d_ff 2048, 2 encoder and
/// 1 decoder layers, dropout 0.1, label_len 48, moving_avg 25, GELU, "timeF" calendar
/// embedding; the model's own defaults modes 32, mode_select "random" (FEDformer.py, no flag).
struct FEDformerOptions : EncoderOptions<FEDformerOptions>
{
    static constexpr EncoderSize defaultEncoder{
        .dModel = 512, .numHeads = 8, .dFF = 2048, .numLayers = 2, .dropout = 0.1};

    explicit FEDformerOptions(ModelSpec spec)
        : EncoderOptions(defaultEncoder)
        , spec_(std::move(spec))
    {}

    /// Errors: those of checkDecompositionConfig (nn/DecompositionForecaster.h), modes < 1, a
    /// decoder of fewer than 2 steps (label_len + horizon).
    Status validate() const;
    DecompositionForecasterConfig config() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, decoderLayers) = 1; ///< d_layers
    TORCH_ARG(std::int64_t, labelLen) = 48;     ///< label_len
    TORCH_ARG(std::int64_t, movingAvg) = 25;    ///< moving_avg, odd
    TORCH_ARG(FeedForwardActivation, activation) = FeedForwardActivation::Gelu;
    /// Read the calendar marks when the spec has them (embed "timeF"); false = embed "none".
    TORCH_ARG(bool, useMarks) = true;
    /// Frequencies kept per block: min(modes, length / 2).
    TORCH_ARG(std::int64_t, modes) = 32;
    TORCH_ARG(ModeSelect, modeSelect) = ModeSelect::Random;
    /// Pass the Fourier blocks' output on as the official code does (nn/FourierBlocks.h
    /// asOfficialLayout; plugin setting layout=official) instead of time first.
    TORCH_ARG(bool, officialLayout) = false;
};

/// FEDformer, Fourier version (Zhou et al., ICML 2022), as Time-Series-Library's
/// models/FEDformer.py: the decomposition encoder-decoder of nn/DecompositionForecaster.h with
/// FourierBlock (nn/FourierBlocks.h) as encoder and decoder self correlation and
/// FourierCrossAttention as decoder cross correlation. Differences from the official code:
///   - the embeddings have no positional term (as the paper's own repository and
///     DataEmbedding_wo_pos; Time-Series-Library's FEDformer.py adds it);
///   - every layer has its own Fourier weights and modes (the official code builds one
///     FourierBlock and shares it between all encoder layers);
///   - the key and value projections the Fourier blocks never read are not created;
///   - the blocks' output goes on time first, [B, L, H, E]; the official blocks return [B, H,
///     E, L] and the layer views it as [B, L, d] without moving the axes (officialLayout()
///     does the same, to reproduce the published runs).
/// Random modes are drawn from the global torch generator at construction and saved with the
/// model (buffers "modes", "query_modes", "key_modes").
///
/// Mechanisms (captureAttention), for i over encoder layers and j over decoder layers:
///   "encoder_layer_<i>/modes" [M] int64, "encoder_layer_<i>/mode_magnitude" [heads, M];
///   "decoder_layer_<j>/self/{modes, mode_magnitude}";
///   "decoder_layer_<j>/cross/modes" [Mq], ".../cross/key_modes" [Mk] int64,
///   ".../cross/mode_magnitude" [heads, Mq], ".../cross/frequency_attention" [B, heads, Mq, Mk].
class FEDformerImpl : public DecompositionForecasterImpl
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit FEDformerImpl(const FEDformerOptions &options);

    const FEDformerOptions &options() const { return m_options; }

private:
    FEDformerOptions m_options;
};

TORCH_MODULE(FEDformer);

} // namespace twb
