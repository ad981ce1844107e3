#include "MaskGenerator.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace twb {

namespace {

void drawPatches(const MaskingScheme &scheme, std::int64_t length, std::int64_t channels,
                 std::mt19937_64 &rng, bool *out /* [length, channels] */)
{
    const std::int64_t p = std::max<std::int64_t>(1, scheme.patchLength);
    const std::int64_t blocks = (length + p - 1) / p;
    const std::int64_t hide = hiddenBlocks(scheme, length);
    std::vector<std::int64_t> order(static_cast<std::size_t>(blocks));
    for (std::int64_t c = 0; c < channels; ++c) {
        std::iota(order.begin(), order.end(), 0);
        // A partial Fisher-Yates shuffle: the first `hide` entries are a uniform sample.
        for (std::int64_t i = 0; i < hide; ++i) {
            std::uniform_int_distribution<std::int64_t> pick(i, blocks - 1);
            std::swap(order[std::size_t(i)], order[std::size_t(pick(rng))]);
        }
        for (std::int64_t i = 0; i < hide; ++i) {
            const std::int64_t begin = order[std::size_t(i)] * p;
            for (std::int64_t t = begin; t < std::min(length, begin + p); ++t)
                out[t * channels + c] = true;
        }
    }
}

void drawSpans(const MaskingScheme &scheme, std::int64_t length, std::int64_t channels,
               std::mt19937_64 &rng, bool *out /* [length, channels] */)
{
    const double ratio = std::clamp(scheme.ratio, 1e-6, 1.0 - 1e-6);
    const double pHiddenEnds = 1.0 / std::max(1.0, scheme.meanSpan);
    const double pVisibleEnds = pHiddenEnds * ratio / (1.0 - ratio);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::int64_t c = 0; c < channels; ++c) {
        bool hidden = u(rng) < ratio;
        bool any = false;
        for (std::int64_t t = 0; t < length; ++t) {
            out[t * channels + c] = hidden;
            any = any || hidden;
            if (u(rng) < (hidden ? pHiddenEnds : pVisibleEnds))
                hidden = !hidden;
        }
        if (!any) { // a channel with nothing hidden teaches nothing: hide one value
            std::uniform_int_distribution<std::int64_t> pick(0, length - 1);
            out[pick(rng) * channels + c] = true;
        }
    }
}

} // namespace

std::int64_t hiddenBlocks(const MaskingScheme &scheme, std::int64_t length)
{
    const std::int64_t p = std::max<std::int64_t>(1, scheme.patchLength);
    const std::int64_t blocks = (length + p - 1) / p;
    std::int64_t hide = std::llround(scheme.ratio * double(blocks));
    if (blocks >= 2)
        hide = std::min(hide, blocks - 1);
    return std::clamp<std::int64_t>(hide, 1, std::max<std::int64_t>(1, blocks));
}

torch::Tensor drawMask(const MaskingScheme &scheme, std::int64_t batch, std::int64_t length,
                       std::int64_t channels, std::mt19937_64 &rng)
{
    torch::Tensor mask = torch::zeros({batch, length, channels}, torch::kBool);
    if (length < 1 || channels < 1)
        return mask;
    bool *data = mask.data_ptr<bool>();
    for (std::int64_t b = 0; b < batch; ++b) {
        bool *one = data + b * length * channels;
        if (scheme.kind == MaskingScheme::Kind::Patches)
            drawPatches(scheme, length, channels, rng, one);
        else
            drawSpans(scheme, length, channels, rng, one);
    }
    return mask;
}

} // namespace twb
