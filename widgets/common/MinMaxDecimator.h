#pragma once

#include "widgets/common/MinMaxBlocks.h"

#include <QList>
#include <QPointF>

#include <cstddef>
#include <span>

namespace twb {

/// Per-pixel min/max decimation of one line, so that millions of samples draw as fast as a
/// few thousand and still show every peak.
///
/// `x` is ascending (time in ms or row index), `y` holds the samples of one channel with
/// `stride` floats between consecutive samples (a column of a row-major [time, channels]
/// buffer: y[i * stride] belongs to x[i]). NaN samples are skipped (the line bridges them).
///
/// Returns the points of [x0, x1] plus the nearest sample outside on each side (so the line
/// reaches the borders). If that is at most 2 * buckets points they are returned unchanged;
/// otherwise [x0, x1] is cut into `buckets` equal columns and each column keeps its minimum and
/// maximum in sample order: at most 2 * buckets + 2 points. Column ends are found by binary
/// search.
///
/// `blocks`, when given and built from the same `y` with x.size() samples, lets a column take
/// whole blocks of samples at once: the cost falls from linear in the samples of the range to
/// about range / MinMaxBlocks::blockSize + 2 * blockSize * buckets. The points are the same with
/// and without it. Pure function, any thread.
QList<QPointF> decimateMinMax(std::span<const double> x, const float *y, std::ptrdiff_t stride,
                              double x0, double x1, int buckets,
                              const MinMaxBlocks *blocks = nullptr);

} // namespace twb
