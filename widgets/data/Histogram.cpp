#include "Histogram.h"

#include <algorithm>
#include <cmath>

namespace twb {

double quantileSorted(const std::vector<double> &sorted, double q)
{
    if (sorted.empty())
        return std::numeric_limits<double>::quiet_NaN();
    const double pos = std::clamp(q, 0.0, 1.0) * double(sorted.size() - 1);
    const std::size_t lo = std::size_t(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]);
}

Histogram computeHistogram(const float *values, std::int64_t count, std::ptrdiff_t stride,
                           BinRule rule, int maxBins)
{
    Histogram h;
    h.rule = rule;
    std::vector<double> x;
    x.reserve(std::size_t(std::max<std::int64_t>(count, 0)));
    for (std::int64_t i = 0; i < count; ++i) {
        const double v = values[i * stride];
        if (std::isfinite(v))
            x.push_back(v);
        else
            ++h.ignored;
    }
    h.values = std::int64_t(x.size());
    if (x.empty())
        return h;

    double sum = 0.0;
    for (double v : x)
        sum += v;
    h.mean = sum / double(x.size());
    double squares = 0.0;
    for (double v : x)
        squares += (v - h.mean) * (v - h.mean);
    h.std = std::sqrt(squares / double(x.size()));

    std::sort(x.begin(), x.end());
    const double lo = x.front();
    const double hi = x.back();
    if (lo == hi) {
        h.edges = {lo - 0.5, hi + 0.5};
        h.counts = {h.values};
        return h;
    }

    const double n = double(x.size());
    const int sturges = int(std::ceil(std::log2(n))) + 1;
    int bins = sturges;
    if (rule == BinRule::FreedmanDiaconis) {
        const double iqr = quantileSorted(x, 0.75) - quantileSorted(x, 0.25);
        if (iqr > 0.0) {
            const double width = 2.0 * iqr / std::cbrt(n);
            bins = int(std::min(std::ceil((hi - lo) / width), double(maxBins)));
        } else {
            h.rule = BinRule::Sturges;
        }
    }
    bins = std::clamp(bins, 1, std::max(1, maxBins));

    const double width = (hi - lo) / bins;
    h.edges.resize(std::size_t(bins) + 1);
    for (int i = 0; i < bins; ++i)
        h.edges[std::size_t(i)] = lo + i * width;
    h.edges.back() = hi;
    h.counts.assign(std::size_t(bins), 0);
    for (double v : x) {
        int k = std::clamp(int((v - lo) / width), 0, bins - 1);
        // Agree exactly with the stored edges despite rounding in the division.
        while (k > 0 && v < h.edges[std::size_t(k)])
            --k;
        while (k < bins - 1 && v >= h.edges[std::size_t(k) + 1])
            ++k;
        ++h.counts[std::size_t(k)];
    }
    return h;
}

} // namespace twb
