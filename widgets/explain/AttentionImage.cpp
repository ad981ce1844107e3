#include "AttentionImage.h"

#include <algorithm>

namespace twb {

PooledAttention poolAttention(const AttentionMapRef &map, int maxWidth, int maxHeight)
{
    PooledAttention pooled;
    if (!map.isValid() || maxWidth < 1 || maxHeight < 1)
        return pooled;
    const int queries = map.queries();
    const int keys = map.keys();
    pooled.width = std::min(keys, maxWidth);
    pooled.height = std::min(queries, maxHeight);
    pooled.values.assign(std::size_t(pooled.width) * std::size_t(pooled.height), 0.0f);
    std::vector<int> columnOf(static_cast<std::size_t>(keys));
    for (int k = 0; k < keys; ++k)
        columnOf[std::size_t(k)] = int(std::int64_t(k) * pooled.width / keys);
    const float *values = map.data();
    float max = 0.0f;
    for (int q = 0; q < queries; ++q) {
        float *out = pooled.values.data() + std::size_t(std::int64_t(q) * pooled.height / queries) *
                                                std::size_t(pooled.width);
        const float *row = values + std::size_t(q) * std::size_t(keys);
        for (int k = 0; k < keys; ++k) {
            const float v = row[k];
            float &cell = out[columnOf[std::size_t(k)]];
            cell = std::max(cell, v);
            max = std::max(max, v);
        }
    }
    pooled.max = max;
    return pooled;
}

QImage colouriseAttention(const PooledAttention &pooled, const ColorMap &map, float scaleMax)
{
    if (pooled.isEmpty())
        return {};
    QImage image(pooled.width, pooled.height, QImage::Format_RGB32);
    const float scale = scaleMax > 0.0f ? 255.0f / scaleMax : 0.0f;
    for (int y = 0; y < pooled.height; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        const float *row = pooled.values.data() + std::size_t(y) * std::size_t(pooled.width);
        for (int x = 0; x < pooled.width; ++x) {
            const float t = row[x] * scale; // NaN fails both tests and gives entry 0
            line[x] = map.at(t >= 255.0f ? 255 : t > 0.0f ? int(t + 0.5f) : 0);
        }
    }
    return image;
}

} // namespace twb
