#pragma once

#include "attention/AttentionSet.h"

#include <QImage>

namespace twb::cli {

/// A picture of an attention set for `twb-cli attention --out x.png`: the head average of every
/// layer in forward order, then the rollout through the leading layers over the input tokens,
/// left to right and top to bottom (at most 4 maps a row, 6 px gaps). Each map is queries (rows,
/// top = token 0) x keys (columns), `scale` px per token (1..16, chosen so that the largest map
/// is about 192 px; smaller and non-square maps are drawn top left in their cell), coloured with
/// viridis from 0 to the map's own maximum. No text (QtGui without a GUI application).
QImage renderAttentionGrid(const explain::AttentionSet &set);

} // namespace twb::cli
