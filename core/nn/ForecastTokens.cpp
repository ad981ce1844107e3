#include "ForecastTokens.h"

#include <algorithm>

namespace twb {

std::string relativeStep(std::int64_t offset)
{
    if (offset == 0)
        return "t";
    return offset > 0 ? "t+" + std::to_string(offset) : "t-" + std::to_string(-offset);
}

std::vector<TokenInfo> encoderStepTokens(std::int64_t lookback)
{
    std::vector<TokenInfo> result;
    result.reserve(std::size_t(std::max<std::int64_t>(0, lookback)));
    for (std::int64_t s = 0; s < lookback; ++s) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeStep;
        token.begin = s;
        token.end = s + 1;
        token.label = "encoder step " + relativeStep(s - lookback);
        result.push_back(std::move(token));
    }
    return result;
}

std::vector<TokenInfo> decoderStepTokens(std::int64_t lookback, std::int64_t labelLen,
                                         std::int64_t horizon)
{
    std::vector<TokenInfo> result;
    result.reserve(std::size_t(std::max<std::int64_t>(0, labelLen + horizon)));
    for (std::int64_t i = 0; i < labelLen + horizon; ++i) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeStep;
        token.begin = lookback - labelLen + i;
        token.end = token.begin + 1;
        token.label = "decoder step " + relativeStep(i - labelLen);
        result.push_back(std::move(token));
    }
    return result;
}

std::vector<TokenInfo>
encoderRangeTokens(std::int64_t lookback,
                   const std::vector<std::pair<std::int64_t, std::int64_t>> &ranges)
{
    std::vector<TokenInfo> result;
    result.reserve(ranges.size());
    for (std::size_t j = 0; j < ranges.size(); ++j) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeRange;
        token.begin = ranges[j].first;
        token.end = ranges[j].second;
        token.label = "encoder token " + std::to_string(j) + ": [" +
                      relativeStep(token.begin - lookback) + ", " +
                      relativeStep(token.end - lookback) + ")";
        result.push_back(std::move(token));
    }
    return result;
}

} // namespace twb
