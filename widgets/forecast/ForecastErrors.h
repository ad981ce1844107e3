#pragma once

#include "runs/ForecastMetrics.h"

#include <cstdint>
#include <limits>

namespace twb {

/// Mean squared and absolute errors of a set of forecast elements, on the normalised scale and
/// in original units. NaN when no element is counted.
struct ForecastErrors
{
    double mse = std::numeric_limits<double>::quiet_NaN();
    double mae = std::numeric_limits<double>::quiet_NaN();
    double mseOriginal = std::numeric_limits<double>::quiet_NaN();
    double maeOriginal = std::numeric_limits<double>::quiet_NaN();
    std::int64_t elements = 0; ///< (window, step, channel) elements averaged
};

/// Errors over windows [windowBegin, windowEnd) x every step x channel `channel` (-1: every
/// channel) of `p` ([windows, horizon, channels]). Elements whose prediction or truth is NaN
/// are left out. Ranges are clamped to the data. Pure function, any thread.
ForecastErrors forecastErrors(const ForecastPredictions &p, std::int64_t windowBegin,
                              std::int64_t windowEnd, int channel = -1);

} // namespace twb
