#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace twb {

/// The sample autocorrelation function of a series (Box–Jenkins estimator, as statsmodels'
/// acf with adjusted=False):
///   r[k] = sum_{t=0}^{n-1-k} d[t] d[t+k] / sum_t d[t]^2,   d[t] = x[t] - mean,
/// so r[0] == 1 and |r[k]| <= 1. Missing values (NaN, inf) are left out of the mean and
/// contribute d = 0 to every sum (they neither add nor remove correlation).
struct Autocorrelation
{
    std::vector<double> r;   ///< lags 0..maxLag; empty when undefined (constant or < 2 values)
    std::int64_t values = 0; ///< finite values used
    /// Half width of the approximate 95 % band of white noise: 1.96 / sqrt(values).
    double band = 0.0;

    int maxLag() const { return int(r.size()) - 1; }
};

/// ACF of `count` values read at values[0], values[stride], ... up to lag min(maxLag,
/// count - 1). Direct sums: O(count x maxLag) — 17,420 rows x 200 lags is ~3.5 M products,
/// a few milliseconds. Thread-safe.
Autocorrelation computeAutocorrelation(const float *values, std::int64_t count,
                                       std::ptrdiff_t stride = 1, int maxLag = 200);

} // namespace twb
