#include "TokenLayout.h"

#include <algorithm>
#include <cstdio>

namespace twb {

std::vector<TokenInfo> timeStepTokens(std::int64_t steps)
{
    std::vector<TokenInfo> result;
    result.reserve(std::size_t(std::max<std::int64_t>(0, steps)));
    char label[32];
    for (std::int64_t t = 0; t < steps; ++t) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeStep;
        token.begin = t;
        token.end = t + 1;
        std::snprintf(label, sizeof label, "t%lld", static_cast<long long>(t));
        token.label = label;
        result.push_back(std::move(token));
    }
    return result;
}

} // namespace twb
