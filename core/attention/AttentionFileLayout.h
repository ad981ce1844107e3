#pragma once

// The dataset names of the attention HDF5 file (layout in AttentionFile.h), shared by its writer
// (AttentionFile.cpp) and its reader (AttentionFileReader.cpp). Internal to twb_attention.

#include "AttentionSet.h"

#include <QString>

#include <array>
#include <cstdint>
#include <utility>

namespace twb::explain::layout {

/// "/attention/layer_{i}": float32 [heads, queries, keys].
inline QString layerPath(int i)
{
    return QStringLiteral("/attention/layer_%1").arg(i);
}

/// The int64 [tokens] datasets under /tokens and the TokenInfo member each holds, in the order
/// they are written.
inline constexpr std::array<std::pair<const char *, std::int64_t TokenInfo::*>, 5> tokenNumbers{{
    {"begin", &TokenInfo::begin},
    {"end", &TokenInfo::end},
    {"channel", &TokenInfo::channel},
    {"freq_begin", &TokenInfo::freqBegin},
    {"freq_end", &TokenInfo::freqEnd},
}};

} // namespace twb::explain::layout
