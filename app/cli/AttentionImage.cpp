#include "AttentionImage.h"

#include "attention/AttentionMath.h"
#include "render/ColorMap.h"

#include <algorithm>

namespace twb::cli {

namespace {

constexpr int gap = 6;
constexpr int perRow = 4;

void drawMap(QImage &image, int x0, int y0, int scale, const explain::AttentionLayer &map,
             const ColorMap &colours)
{
    const float top = *std::max_element(map.weights.begin(), map.weights.end());
    for (int q = 0; q < map.queries; ++q)
        for (int k = 0; k < map.keys; ++k) {
            const QRgb rgb = colours.map(top > 0.0f ? double(map.at(0, q, k) / top) : 0.0);
            for (int dy = 0; dy < scale; ++dy) {
                QRgb *line = reinterpret_cast<QRgb *>(image.scanLine(y0 + q * scale + dy));
                std::fill(line + x0 + k * scale, line + x0 + (k + 1) * scale, rgb);
            }
        }
}

} // namespace

QImage renderAttentionGrid(const explain::AttentionSet &set)
{
    std::vector<explain::AttentionLayer> maps;
    for (const explain::AttentionLayer &layer : set.layers)
        maps.push_back(explain::headAverage(layer));
    // Rollout through the leading layers over the input tokens (a chain of square maps).
    const int chain = set.inputTokenChain();
    if (chain > 0) {
        const explain::AttentionLayer rolled = explain::rollout(set.layers, chain - 1);
        if (rolled.isValid())
            maps.push_back(rolled);
    }
    if (maps.empty() || !maps.front().isValid())
        return {};
    // Every map fits a square cell of the largest map's side (distilled and cross-attention
    // maps are smaller or not square: drawn at the same scale, top left).
    int n = 1;
    for (const explain::AttentionLayer &map : maps)
        n = std::max({n, map.queries, map.keys});
    const int scale = std::clamp((192 + n - 1) / n, 1, 16);
    const int side = n * scale;
    const int columns = std::min<int>(perRow, int(maps.size()));
    const int rows = (int(maps.size()) + perRow - 1) / perRow;
    QImage image(gap + columns * (side + gap), gap + rows * (side + gap), QImage::Format_RGB32);
    image.fill(QColor(40, 40, 40));
    const ColorMap &colours = ColorMap::get(ColorMapKind::Viridis);
    for (int i = 0; i < int(maps.size()); ++i)
        if (maps[std::size_t(i)].isValid())
            drawMap(image, gap + (i % perRow) * (side + gap), gap + (i / perRow) * (side + gap),
                    scale, maps[std::size_t(i)], colours);
    return image;
}

} // namespace twb::cli
