#include "MiniRocketTransform.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twb {

torch::Tensor miniRocketKernels()
{
    torch::Tensor kernels = torch::full({miniRocketKernelCount, miniRocketKernelLength}, -1.0f);
    auto w = kernels.accessor<float, 2>();
    std::int64_t k = 0;
    for (std::int64_t a = 0; a < miniRocketKernelLength; ++a)
        for (std::int64_t b = a + 1; b < miniRocketKernelLength; ++b)
            for (std::int64_t c = b + 1; c < miniRocketKernelLength; ++c, ++k) {
                w[k][a] = 2.0f;
                w[k][b] = 2.0f;
                w[k][c] = 2.0f;
            }
    return kernels;
}

MiniRocketLayout miniRocketLayout(std::int64_t length, std::int64_t numFeatures,
                                  std::int64_t maxDilations)
{
    TORCH_CHECK(length >= 1, "MiniRocket: the series length must be positive, got ", length);
    TORCH_CHECK(numFeatures >= miniRocketKernelCount, "MiniRocket: at least ",
                miniRocketKernelCount, " features (one per kernel), got ", numFeatures);
    TORCH_CHECK(maxDilations >= 1, "MiniRocket: at least one dilation, got ", maxDilations);
    const std::int64_t perKernel = numFeatures / miniRocketKernelCount;
    const std::int64_t dilationCount = std::min(perKernel, maxDilations);
    const double multiplier = double(perKernel) / double(dilationCount);
    const double maxExponent =
        length > 1
            ? std::max(0.0, std::log2(double(length - 1) / double(miniRocketKernelLength - 1)))
            : 0.0;
    MiniRocketLayout layout;
    std::vector<std::int64_t> counts;
    for (std::int64_t i = 0; i < dilationCount; ++i) {
        const double exponent =
            dilationCount > 1 ? maxExponent * double(i) / double(dilationCount - 1) : 0.0;
        const auto dilation =
            std::max<std::int64_t>(1, std::int64_t(std::floor(std::exp2(exponent))));
        if (!layout.dilations.empty() && layout.dilations.back() == dilation) {
            ++counts.back();
        } else {
            layout.dilations.push_back(dilation);
            counts.push_back(1);
        }
    }
    std::int64_t assigned = 0;
    for (std::int64_t count : counts) {
        layout.featuresPerDilation.push_back(std::int64_t(double(count) * multiplier));
        assigned += layout.featuresPerDilation.back();
    }
    for (std::size_t i = 0; assigned < perKernel; i = (i + 1) % counts.size(), ++assigned)
        ++layout.featuresPerDilation[i];
    std::int64_t offset = 0;
    for (std::int64_t n : layout.featuresPerDilation) {
        layout.offsets.push_back(offset);
        offset += miniRocketKernelCount * n;
    }
    layout.featureCount = offset;
    return layout;
}

std::vector<double> goldenQuantiles(std::int64_t n)
{
    const double phi = (std::sqrt(5.0) + 1.0) / 2.0;
    std::vector<double> q(std::size_t(std::max<std::int64_t>(0, n)));
    for (std::size_t i = 0; i < q.size(); ++i)
        q[i] = std::fmod(double(i + 1) * phi, 1.0);
    return q;
}

torch::Tensor miniRocketConvolve(const torch::Tensor &x, const torch::Tensor &kernels,
                                 const torch::Tensor &channelMask, std::int64_t dilation)
{
    TORCH_CHECK(x.dim() == 3, "MiniRocket: x must be [B, time, channels], got ", x.sizes());
    TORCH_CHECK(channelMask.dim() == 2 && channelMask.size(0) == kernels.size(0) &&
                    channelMask.size(1) == x.size(2),
                "MiniRocket: the channel mask must be [", kernels.size(0), ", ", x.size(2),
                "], got ", channelMask.sizes());
    const std::int64_t batch = x.size(0), steps = x.size(1), channels = x.size(2);
    const torch::Tensor series = x.permute({0, 2, 1}).reshape({batch * channels, 1, steps});
    const std::int64_t padding = (miniRocketKernelLength - 1) / 2 * dilation;
    const torch::Tensor conv = torch::conv1d(series, kernels.unsqueeze(1), {}, 1, padding, dilation)
                                   .view({batch, channels, kernels.size(0), steps});
    if (channels == 1)
        return conv.squeeze(1) * channelMask.view({1, -1, 1});
    return torch::einsum("bckt,kc->bkt", {conv, channelMask.to(conv.dtype())});
}

torch::Tensor proportionPositive(const torch::Tensor &conv, const torch::Tensor &biases,
                                 const torch::Tensor &steps)
{
    TORCH_CHECK(conv.dim() == 3 && biases.dim() == 2 && biases.size(0) == conv.size(1) &&
                    steps.dim() == 2 && steps.size(0) == conv.size(0) &&
                    steps.size(1) == conv.size(2),
                "MiniRocket: PPV needs conv [B, K, T], biases [K, n], steps [B, T]; got ",
                conv.sizes(), ", ", biases.sizes(), ", ", steps.sizes());
    // Steps not read become -inf, below every bias; a sorted row then tells how many values
    // lie at or below each bias (searchsorted), the rest are above it.
    const torch::Tensor values =
        conv.masked_fill(steps.logical_not().unsqueeze(1), -std::numeric_limits<float>::infinity());
    const torch::Tensor sorted = std::get<0>(values.sort(-1));
    const torch::Tensor levels =
        biases.unsqueeze(0).expand({conv.size(0), biases.size(0), biases.size(1)}).contiguous();
    const torch::Tensor atOrBelow = torch::searchsorted(sorted, levels, false, /*right=*/true);
    const torch::Tensor above = (conv.size(2) - atOrBelow).to(torch::kFloat);
    const torch::Tensor counted = steps.sum(1).to(torch::kFloat).clamp_min(1.0).view({-1, 1, 1});
    return above / counted;
}

torch::Tensor miniRocketSteps(const torch::Tensor &real, std::int64_t dilation, bool padded)
{
    if (padded)
        return real;
    const std::int64_t margin = (miniRocketKernelLength - 1) / 2 * dilation;
    const torch::Tensor t = torch::arange(real.size(1), torch::kLong).unsqueeze(0);
    const torch::Tensor length = real.sum(1, /*keepdim=*/true);
    const torch::Tensor valid = real & (t >= margin) & (t < length - margin);
    return torch::where(valid.any(1, /*keepdim=*/true), valid, real);
}

} // namespace twb
