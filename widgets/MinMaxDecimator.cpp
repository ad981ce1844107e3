#include "MinMaxDecimator.h"

#include <algorithm>
#include <cmath>

namespace twb {

QList<QPointF> decimateMinMax(std::span<const double> x, const float *y, std::ptrdiff_t stride,
                              double x0, double x1, int buckets)
{
    QList<QPointF> out;
    if (x.empty() || !y || buckets < 1 || !(x1 >= x0))
        return out;

    // [first, last): the samples in [x0, x1] plus one neighbour on each side.
    std::size_t first = std::size_t(std::lower_bound(x.begin(), x.end(), x0) - x.begin());
    std::size_t last = std::size_t(std::upper_bound(x.begin(), x.end(), x1) - x.begin());
    if (first > 0)
        --first;
    if (last < x.size())
        ++last;
    const auto value = [&](std::size_t i) {
        return y[std::ptrdiff_t(i) * stride];
    };

    if (last - first <= 2 * std::size_t(buckets)) {
        out.reserve(qsizetype(last - first));
        for (std::size_t i = first; i < last; ++i)
            if (!std::isnan(value(i)))
                out.append(QPointF(x[i], value(i)));
        return out;
    }

    out.reserve(2 * buckets + 2);
    const double width = x1 > x0 ? (x1 - x0) / buckets : 1.0;
    const auto bucketOf = [&](double xv) {
        return std::clamp(long((xv - x0) / width), 0L, long(buckets - 1));
    };
    std::size_t i = first;
    // The neighbour left of the range is its own column.
    if (x[i] < x0) {
        if (!std::isnan(value(i)))
            out.append(QPointF(x[i], value(i)));
        ++i;
    }
    while (i < last) {
        if (x[i] > x1) { // the neighbour right of the range
            if (!std::isnan(value(i)))
                out.append(QPointF(x[i], value(i)));
            break;
        }
        // One column: every sample with the same bucket (at least sample i).
        const long bucket = bucketOf(x[i]);
        std::size_t lo = last;
        std::size_t hi = last;
        for (; i < last && x[i] <= x1 && bucketOf(x[i]) == bucket; ++i) {
            const float v = value(i);
            if (std::isnan(v))
                continue;
            if (lo == last || v < value(lo))
                lo = i;
            if (hi == last || v > value(hi))
                hi = i;
        }
        if (lo == last)
            continue; // only missing values in this column
        if (lo == hi) {
            out.append(QPointF(x[lo], value(lo)));
        } else {
            const std::size_t a = std::min(lo, hi);
            const std::size_t b = std::max(lo, hi);
            out.append(QPointF(x[a], value(a)));
            out.append(QPointF(x[b], value(b)));
        }
    }
    return out;
}

} // namespace twb
