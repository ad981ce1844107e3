#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace twb {

/// How the bin width of a histogram is chosen.
enum class BinRule {
    /// Freedman–Diaconis: width = 2 IQR / n^(1/3) (robust to outliers and heavy tails). Falls
    /// back to Sturges when the interquartile range is 0.
    FreedmanDiaconis,
    /// Sturges: ceil(log2 n) + 1 bins of equal width.
    Sturges,
};

/// Equal-width bins over [min, max] of the finite values. Bin i holds edges[i] <= x <
/// edges[i + 1]; the last bin also holds x == max. counts.size() + 1 == edges.size(), and the
/// counts sum to `values`. When every value is equal there is one bin [v - 0.5, v + 0.5].
/// Empty (no edges, no counts) when there is no finite value.
struct Histogram
{
    std::vector<double> edges;
    std::vector<std::int64_t> counts;
    std::int64_t values = 0;                                ///< finite values counted
    std::int64_t ignored = 0;                               ///< NaN or infinite values left out
    double mean = std::numeric_limits<double>::quiet_NaN(); ///< of the finite values
    double std = std::numeric_limits<double>::quiet_NaN();  ///< population (ddof 0)
    BinRule rule = BinRule::FreedmanDiaconis;               ///< the rule actually used

    int bins() const { return int(counts.size()); }
};

/// The histogram of `count` values read at values[0], values[stride], ... (a channel of a
/// row-major SeriesDataset: values = data.values.data() + channel, stride = channels).
/// The number of bins is clamped to [1, maxBins]. Linear time plus a partial sort for the
/// quartiles; thread-safe.
Histogram computeHistogram(const float *values, std::int64_t count, std::ptrdiff_t stride = 1,
                           BinRule rule = BinRule::FreedmanDiaconis, int maxBins = 256);

/// The q-quantile (q in [0, 1]) of `sorted` ascending values with linear interpolation between
/// closest ranks (numpy's default): position q * (n - 1). NaN when empty.
double quantileSorted(const std::vector<double> &sorted, double q);

} // namespace twb
