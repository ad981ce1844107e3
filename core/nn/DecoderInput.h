#pragma once

#include "SeriesDecomposition.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// The decoder input of the encoder-decoder forecasters (the vanilla Transformer, Informer,
/// Autoformer, FEDformer): one generative pass over the last `labelLen` known steps followed by
/// `horizon` steps still to be predicted (zeros, or the history's mean for the trend).
///
/// Shapes: history [B, L, C] (L >= labelLen >= 0, horizon >= 1); every result [B, labelLen +
/// horizon, C], on history's device and dtype. Throws c10::Error on other shapes.

/// Transformer, Informer: history's last labelLen steps, then zeros.
torch::Tensor zeroDecoderInput(const torch::Tensor &history, std::int64_t labelLen,
                               std::int64_t horizon);

/// Autoformer, FEDformer: the history decomposed by `decomposition` (moving-average trend,
/// seasonal = history - trend); the seasonal part's last labelLen steps then zeros, and the
/// trend's last labelLen steps then each channel's mean over the whole history.
Decomposition decomposedDecoderInput(const torch::Tensor &history, std::int64_t labelLen,
                                     std::int64_t horizon, SeriesDecomposition &decomposition);

/// The calendar marks beside the decoder input: `historyMarks`' last labelLen steps then
/// `futureMarks` ([B, L, F] and [B, horizon, F] -> [B, labelLen + horizon, F]).
torch::Tensor decoderMarks(const torch::Tensor &historyMarks, const torch::Tensor &futureMarks,
                           std::int64_t labelLen);

} // namespace twb
