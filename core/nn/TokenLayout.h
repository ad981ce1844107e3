#pragma once

#include "common/TokenInfo.h"

#include <cstdint>
#include <vector>

namespace twb {

/// One TimeStep token per input step: token t covers sample [t, t + 1), labelled "t<t>" (TST,
/// t2 and other per-step encoders).
std::vector<TokenInfo> timeStepTokens(std::int64_t steps);

} // namespace twb
