#pragma once

#include "common/TokenInfo.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace twb {

/// The input steps a segment covers: [first, second) of the lookback window (steps counted
/// from the window's start).
using SegmentRange = std::pair<std::int64_t, std::int64_t>;

/// The ranges of the ceil(lookback / segmentLength) input segments. The series is padded to
/// a multiple of segmentLength by repeating a value: at the front (frontPadding, the authors'
/// code) or at the end (Time-Series-Library); padded steps cover no input, so the first (or
/// last) segment is shorter. Every range holds at least one step. Empty for non-positive
/// sizes.
std::vector<SegmentRange> inputSegmentRanges(std::int64_t lookback, std::int64_t segmentLength,
                                             bool frontPadding);

/// The ranges after one segment merging (SegmentMerging): the segments are padded at the end
/// to a multiple of `window` by repeating the last (window - n % window) segments (the last one
/// that often when there are fewer), and every
/// `window` consecutive segments become one, covering the union of its sources' ranges.
/// window 1 returns `ranges` unchanged.
std::vector<SegmentRange> mergedSegmentRanges(const std::vector<SegmentRange> &ranges,
                                              std::int64_t window);

/// TimeRange tokens for `ranges`, labelled "segment j: t[a,b)" as PatchTST's patches.
std::vector<TokenInfo> segmentTokens(const std::vector<SegmentRange> &ranges);

} // namespace twb
