#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/DecompositionForecaster.h"
#include "nn/EncoderOptions.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Defaults: Time-Series-Library's ETTh1 script (scripts/long_term_forecast/ETT_script/
/// Autoformer_ETTh1.sh) over run.py's defaults: d_model 512, 8 heads, d_ff 2048, 2 encoder and
/// 1 decoder layers, dropout 0.1, label_len 48, factor 3 (run.py: 1), moving_avg 25, GELU,
/// "timeF" calendar embedding.
struct AutoformerOptions : EncoderOptions<AutoformerOptions>
{
    static constexpr EncoderSize defaultEncoder{
        .dModel = 512, .numHeads = 8, .dFF = 2048, .numLayers = 2, .dropout = 0.1};

    explicit AutoformerOptions(ModelSpec spec)
        : EncoderOptions(defaultEncoder)
        , spec_(std::move(spec))
    {}

    /// Errors: those of checkDecompositionConfig (nn/DecompositionForecaster.h) and a factor
    /// that is not positive.
    Status validate() const;
    DecompositionForecasterConfig config() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, decoderLayers) = 1; ///< d_layers
    TORCH_ARG(std::int64_t, labelLen) = 48;     ///< label_len
    /// c in k = int(c · ln L) aggregated delays.
    TORCH_ARG(double, factor) = 3.0;
    TORCH_ARG(std::int64_t, movingAvg) = 25; ///< moving_avg, odd
    TORCH_ARG(FeedForwardActivation, activation) = FeedForwardActivation::Gelu;
    /// Read the calendar marks when the spec has them (embed "timeF"); false = embed "none".
    TORCH_ARG(bool, useMarks) = true;
};

/// Autoformer (Wu et al., NeurIPS 2021) as Time-Series-Library's models/Autoformer.py: the
/// decomposition encoder-decoder of nn/DecompositionForecaster.h with auto-correlation
/// (nn/AutoCorrelation.h) in every CorrelationLayer (encoder self, decoder self, decoder cross).
/// Each CorrelationLayer has query, key, value and output projections.
///
/// Mechanisms (captureAttention), for i over encoder layers and j over decoder layers, with
/// L = lookback and T = label_len + horizon:
///   "encoder_layer_<i>/autocorrelation" [B, heads, L] R(τ) per head over lags τ = 0..L-1,
///   "encoder_layer_<i>/delays" [B, k] int64 (k = int(factor · ln L)),
///   "encoder_layer_<i>/delay_weights" [B, k] (softmax of R at the delays);
///   "decoder_layer_<j>/self/{autocorrelation [B, heads, T], delays, delay_weights}" and
///   "decoder_layer_<j>/cross/{…}" (the encoder output padded with zeros or cut to T steps;
///   k = int(factor · ln T)).
/// In training mode the delays are shared by the batch (chosen on its mean correlation), in
/// evaluation mode chosen per sample, as the official code.
class AutoformerImpl : public DecompositionForecasterImpl
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit AutoformerImpl(const AutoformerOptions &options);

    const AutoformerOptions &options() const { return m_options; }

private:
    AutoformerOptions m_options;
};

TORCH_MODULE(Autoformer);

} // namespace twb
