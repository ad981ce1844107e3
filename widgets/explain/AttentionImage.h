#pragma once

#include "render/ColorMap.h"
#include "widgets/explain/AttentionModel.h"

#include <QImage>

#include <vector>

namespace twb {

/// An attention map reduced to at most `width` x `height` cells by taking the maximum of each
/// block (so a sharp peak survives the reduction); one cell per value when the map is smaller.
/// Row 0 = query 0 (drawn at the top), column 0 = key 0. Value type, any thread.
struct PooledAttention
{
    int width = 0;             ///< cells across (keys)
    int height = 0;            ///< cells down (queries)
    std::vector<float> values; ///< [height, width] row-major
    float max = 0.0f;          ///< the largest value of the whole map

    bool isEmpty() const { return width <= 0 || height <= 0; }
};

/// Pools `map` to at most maxWidth x maxHeight cells (both >= 1). Reads every value once.
PooledAttention poolAttention(const AttentionMapRef &map, int maxWidth, int maxHeight);

/// One pixel per cell, colour = colour map at value / scaleMax (clamped to [0, 1]; scaleMax <= 0
/// gives the first colour everywhere). Format RGB32; null for an empty map.
QImage colouriseAttention(const PooledAttention &pooled, const ColorMap &map, float scaleMax);

} // namespace twb
