#pragma once

#include "common/TokenInfo.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace twb {

// The tokens of the encoder-decoder forecasters, named relative to the forecast start t (the
// first horizon step; the last input step is t-1). begin/end count input steps from the start
// of the lookback window, so step t has begin == lookback.

/// "t-3", "t", "t+2": step `offset` relative to the forecast start.
std::string relativeStep(std::int64_t offset);

/// One TimeStep token per lookback step, labelled "encoder step t-<lookback - s>".
std::vector<TokenInfo> encoderStepTokens(std::int64_t lookback);

/// The labelLen known steps and the horizon: TimeStep tokens "decoder step t-<labelLen>" ...
/// "decoder step t+<horizon - 1>", begin = lookback - labelLen + i.
std::vector<TokenInfo> decoderStepTokens(std::int64_t lookback, std::int64_t labelLen,
                                         std::int64_t horizon);

/// TimeRange tokens covering input steps [first, second) of the lookback window, labelled
/// "encoder token j: [t-a, t-b)".
std::vector<TokenInfo>
encoderRangeTokens(std::int64_t lookback,
                   const std::vector<std::pair<std::int64_t, std::int64_t>> &ranges);

} // namespace twb
