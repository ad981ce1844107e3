#include "MinMaxDecimator.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace twb {

QList<QPointF> decimateMinMax(std::span<const double> x, const float *y, std::ptrdiff_t stride,
                              double x0, double x1, int buckets, const MinMaxBlocks *blocks)
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
    const bool useBlocks = blocks && blocks->samples() == x.size();
    constexpr std::size_t blockSize = MinMaxBlocks::blockSize;
    while (i < last) {
        if (x[i] > x1) { // the neighbour right of the range
            if (!std::isnan(value(i)))
                out.append(QPointF(x[i], value(i)));
            break;
        }
        // One column: [i, end) are the samples with the same bucket (at least sample i).
        const long bucket = bucketOf(x[i]);
        const std::size_t end = std::size_t(
            std::partition_point(x.begin() + std::ptrdiff_t(i), x.begin() + std::ptrdiff_t(last),
                                 [&](double xv) { return xv <= x1 && bucketOf(xv) == bucket; }) -
            x.begin());
        // The first minimum and the first maximum of the column (the samples are visited in
        // order, a block's extremes are its first ones).
        std::size_t lo = last;
        std::size_t hi = last;
        const auto takeMin = [&](std::size_t j) {
            if (j != SIZE_MAX && !std::isnan(value(j)) && (lo == last || value(j) < value(lo)))
                lo = j;
        };
        const auto takeMax = [&](std::size_t j) {
            if (j != SIZE_MAX && !std::isnan(value(j)) && (hi == last || value(j) > value(hi)))
                hi = j;
        };
        std::size_t j = i;
        if (useBlocks && end - i >= 2 * blockSize) {
            const std::size_t firstBlock = (i + blockSize - 1) / blockSize;
            const std::size_t endBlock = end / blockSize;
            for (; j < firstBlock * blockSize; ++j) {
                takeMin(j);
                takeMax(j);
            }
            for (std::size_t b = firstBlock; b < endBlock; ++b) {
                takeMin(blocks->minIndex(b));
                takeMax(blocks->maxIndex(b));
            }
            j = endBlock * blockSize;
        }
        for (; j < end; ++j) {
            takeMin(j);
            takeMax(j);
        }
        i = end;
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
