#include "SegmentTokens.h"

#include <algorithm>
#include <string>

namespace twb {

std::vector<SegmentRange> inputSegmentRanges(std::int64_t lookback, std::int64_t segmentLength,
                                             bool frontPadding)
{
    std::vector<SegmentRange> ranges;
    if (lookback <= 0 || segmentLength <= 0)
        return ranges;
    const std::int64_t count = (lookback + segmentLength - 1) / segmentLength;
    const std::int64_t shift = frontPadding ? count * segmentLength - lookback : 0;
    for (std::int64_t j = 0; j < count; ++j) {
        const std::int64_t begin = std::max<std::int64_t>(j * segmentLength - shift, 0);
        const std::int64_t end = std::min((j + 1) * segmentLength - shift, lookback);
        ranges.emplace_back(begin, end);
    }
    return ranges;
}

std::vector<SegmentRange> mergedSegmentRanges(const std::vector<SegmentRange> &ranges,
                                              std::int64_t window)
{
    if (window <= 1 || ranges.empty())
        return ranges;
    const std::int64_t n = std::int64_t(ranges.size());
    const std::int64_t pad = (window - n % window) % window;
    // Source of padded position p >= n: the last `pad` segments again, in order (the last
    // segment alone when there are fewer than `pad`), as SegmentMerging pads.
    const auto source = [&](std::int64_t p) {
        if (p < n)
            return p;
        return pad <= n ? n - pad + (p - n) : n - 1;
    };
    std::vector<SegmentRange> merged;
    for (std::int64_t j = 0; j < (n + pad) / window; ++j) {
        SegmentRange range = ranges[std::size_t(source(j * window))];
        for (std::int64_t i = 1; i < window; ++i) {
            const SegmentRange &r = ranges[std::size_t(source(j * window + i))];
            range.first = std::min(range.first, r.first);
            range.second = std::max(range.second, r.second);
        }
        merged.push_back(range);
    }
    return merged;
}

std::vector<TokenInfo> segmentTokens(const std::vector<SegmentRange> &ranges)
{
    std::vector<TokenInfo> tokens;
    tokens.reserve(ranges.size());
    for (std::size_t j = 0; j < ranges.size(); ++j) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeRange;
        token.begin = ranges[j].first;
        token.end = ranges[j].second;
        token.label = "segment " + std::to_string(j) + ": t[" + std::to_string(token.begin) + "," +
                      std::to_string(token.end) + ")";
        tokens.push_back(std::move(token));
    }
    return tokens;
}

} // namespace twb
