#include "InputMasking.h"

#include <algorithm>

namespace twb::explain {

torch::Tensor maskTokens(const torch::Tensor &input, const std::vector<TokenInfo> &tokens,
                         const std::vector<int> &which, float fill, std::int64_t channel)
{
    torch::Tensor out = input.clone();
    if (out.dim() != 2 && out.dim() != 3)
        return out;
    // View as [batch, time, channels] so that one code path serves both ranks.
    torch::Tensor x = out.dim() == 2 ? out.unsqueeze(0) : out;
    const std::int64_t time = x.size(1), channels = x.size(2);
    const auto clip = [](std::int64_t v, std::int64_t hi) {
        return std::clamp<std::int64_t>(v, 0, hi);
    };
    using torch::indexing::Slice;
    for (int i : which) {
        if (i < 0 || std::size_t(i) >= tokens.size())
            continue;
        const TokenInfo &t = tokens[std::size_t(i)];
        const std::int64_t r0 = clip(t.begin, time), r1 = clip(t.end, time);
        std::int64_t c0 = 0, c1 = channels;
        switch (t.kind) {
        case TokenInfo::Kind::TimeStep:
        case TokenInfo::Kind::TimeRange:
            if (channel >= 0) {
                c0 = clip(channel, channels);
                c1 = clip(channel + 1, channels);
            }
            break;
        case TokenInfo::Kind::Variate:
            c0 = clip(t.channel, channels);
            c1 = clip(t.channel + 1, channels);
            break;
        case TokenInfo::Kind::Tile:
            c0 = clip(t.freqBegin, channels);
            c1 = clip(t.freqEnd, channels);
            break;
        case TokenInfo::Kind::Special:
            continue;
        }
        if (r0 < r1 && c0 < c1)
            x.index_put_({Slice(), Slice(r0, r1), Slice(c0, c1)}, fill);
    }
    return out;
}

} // namespace twb::explain
