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

/// The attributes of a layer dataset (all optional; absent: "layer i", self-attention, the
/// queries and keys are /tokens).
inline constexpr const char *layerName = "name";
inline constexpr const char *layerKind = "kind";
inline constexpr const char *layerQueryTokens = "query_tokens"; ///< int64 j: tokenListPath(j)
inline constexpr const char *layerKeyTokens = "key_tokens";     ///< int64 j: tokenListPath(j)
inline constexpr const char *selfAttention = "self_attention";
inline constexpr const char *crossAttention = "cross_attention";

/// "/layer_tokens/list_{j}": a group with the datasets of /tokens (label, kind, begin, ...)
/// for the layers whose queries or keys are other tokens than /tokens.
inline QString tokenListPath(int j)
{
    return QStringLiteral("/layer_tokens/list_%1").arg(j);
}

/// The longest layer name a file may hold (characters).
inline constexpr int maxLayerNameLength = 200;

/// The int64 [tokens] datasets under /tokens (and each token list) and the TokenInfo member each
/// holds, in the order they are written.
inline constexpr std::array<std::pair<const char *, std::int64_t TokenInfo::*>, 5> tokenNumbers{{
    {"begin", &TokenInfo::begin},
    {"end", &TokenInfo::end},
    {"channel", &TokenInfo::channel},
    {"freq_begin", &TokenInfo::freqBegin},
    {"freq_end", &TokenInfo::freqEnd},
}};

} // namespace twb::explain::layout
