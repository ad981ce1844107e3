#pragma once

#include "common/TokenInfo.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb::explain {

/// The what-if edit "mask these tokens": a copy of `input` in which exactly the input region
/// each chosen token covers is set to `fill` (0 on the normalised scale = the train mean).
///
/// input: [batch, time, channels] (or [time, channels]); every batch row is masked alike.
/// Regions, clipped to the input:
///   TimeStep / TimeRange: rows [begin, end) of every channel, or of `channel` only when
///                         channel >= 0 (PatchTST attends per channel);
///   Variate:              column token.channel, rows [begin, end);
///   Tile:                 rows (frames) [begin, end) x columns (mel bins) [freqBegin, freqEnd);
///   Special:              nothing (a CLS token covers no input).
/// Indices in `which` outside [0, tokens.size()) are skipped. `input` is not modified.
torch::Tensor maskTokens(const torch::Tensor &input, const std::vector<TokenInfo> &tokens,
                         const std::vector<int> &which, float fill = 0.0f,
                         std::int64_t channel = -1);

} // namespace twb::explain
