#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace twb {

/// Dynamic time warping between two multivariate series (Sakoe & Chiba 1978), the dependent
/// form (DTW_D): the cost of matching step i of a with step j of b is the squared Euclidean
/// distance between the two steps' channel vectors, and the distance is the smallest sum of
/// costs along a path from (0, 0) to (la − 1, lb − 1) moving by (1, 0), (0, 1) or (1, 1).
///
/// Series are row-major [steps, channels] float32. The Sakoe–Chiba band admits |i − j| ≤ window
/// (widened to |la − lb| when the lengths differ, so that the end can be reached); a window of 0
/// with equal lengths is the squared Euclidean distance. Plain C++, no torch: callers
/// parallelise over pairs. Thread-safe (no shared state).

inline constexpr double dtwAbandoned = std::numeric_limits<double>::infinity();

/// The DTW cost (squared-difference sum along the best path). Early abandoning: once every
/// cell of a row exceeds `abandonAbove`, no path can end below it and dtwAbandoned is returned.
/// la, lb >= 1, channels >= 1, window >= 0.
double dtwCost(const float *a, std::int64_t la, const float *b, std::int64_t lb,
               std::int64_t channels, std::int64_t window,
               double abandonAbove = std::numeric_limits<double>::infinity());

/// The best path itself, as (i, j) pairs from (0, 0) to (la − 1, lb − 1), and its cost
/// (equal to dtwCost). Ties prefer the diagonal step, then (1, 0).
std::pair<std::vector<std::pair<std::int64_t, std::int64_t>>, double>
dtwPath(const float *a, std::int64_t la, const float *b, std::int64_t lb, std::int64_t channels,
        std::int64_t window);

/// The band half-width for a window given in percent of `length` steps (rounded to the
/// nearest step).
std::int64_t dtwWindowSteps(double percent, std::int64_t length);

} // namespace twb
