#include "Distilling.h"

#include <algorithm>
#include <limits>

namespace twb {

namespace {

constexpr std::int64_t poolKernel = 3;
constexpr std::int64_t poolStride = 2;
constexpr std::int64_t poolPadding = 1;

} // namespace

DistillingLayerImpl::DistillingLayerImpl(const DistillingLayerOptions &options)
    : m_options(options)
{
    reset();
}

void DistillingLayerImpl::reset()
{
    TORCH_CHECK(m_options.dModel() > 0, "DistillingLayer: dModel must be positive");
    TORCH_CHECK(m_options.padding() == 1 || m_options.padding() == 2,
                "DistillingLayer: padding must be 1 or 2, got ", m_options.padding());
    const std::int64_t d = m_options.dModel();
    m_conv = register_module("down_conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(d, d, 3)
                                                                .padding(m_options.padding())
                                                                .padding_mode(torch::kCircular)));
    m_norm = register_module("norm", torch::nn::BatchNorm1d(d));
}

torch::Tensor DistillingLayerImpl::forward(const torch::Tensor &x)
{
    TORCH_CHECK(x.dim() == 3 && x.size(2) == m_options.dModel() && x.size(1) >= 1,
                "DistillingLayer: x must be [B, T, ", m_options.dModel(), "], got ", x.sizes());
    torch::Tensor y = torch::elu(m_norm(m_conv(x.transpose(1, 2))));
    y = torch::max_pool1d(y, {poolKernel}, {poolStride}, {poolPadding});
    return y.transpose(1, 2);
}

std::int64_t DistillingLayerImpl::outputLength(std::int64_t length) const
{
    const std::int64_t convolved = length + 2 * m_options.padding() - 2;
    return (convolved + 2 * poolPadding - poolKernel) / poolStride + 1;
}

std::vector<std::pair<std::int64_t, std::int64_t>> DistillingLayerImpl::outputRanges(
    const std::vector<std::pair<std::int64_t, std::int64_t>> &input) const
{
    const auto length = std::int64_t(input.size());
    const std::int64_t convolved = length + 2 * m_options.padding() - 2;
    // Convolution output o is centred on input token o - (padding - 1).
    const std::int64_t shift = m_options.padding() - 1;
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    const std::int64_t count = outputLength(length);
    out.reserve(std::size_t(std::max<std::int64_t>(0, count)));
    for (std::int64_t j = 0; j < count; ++j) {
        std::int64_t begin = std::numeric_limits<std::int64_t>::max();
        std::int64_t end = std::numeric_limits<std::int64_t>::min();
        const std::int64_t first = j * poolStride - poolPadding;
        for (std::int64_t o = first; o < first + poolKernel; ++o) {
            const std::int64_t centre = o - shift;
            if (o < 0 || o >= convolved || centre < 0 || centre >= length)
                continue;
            begin = std::min(begin, input[std::size_t(centre)].first);
            end = std::max(end, input[std::size_t(centre)].second);
        }
        if (begin > end) // a window that reads only padding (cannot happen for padding <= 2)
            begin = end = input.empty() ? 0 : input.back().second;
        out.emplace_back(begin, end);
    }
    return out;
}

} // namespace twb
