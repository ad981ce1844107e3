#include "InceptionBlock.h"

#include <algorithm>
#include <cmath>

namespace twb {

InceptionBlockImpl::InceptionBlockImpl(const InceptionBlockOptions &options)
    : m_options(options)
{
    reset();
}

void InceptionBlockImpl::reset()
{
    TORCH_CHECK(m_options.inChannels() > 0 && m_options.outChannels() > 0 &&
                    m_options.numKernels() > 0,
                "InceptionBlock: channels and numKernels must be positive");
    m_kernels = register_module("kernels", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < m_options.numKernels(); ++i) {
        const std::int64_t size = 2 * i + 1;
        torch::nn::Conv2d conv(
            torch::nn::Conv2dOptions(m_options.inChannels(), m_options.outChannels(), size)
                .padding(i));
        torch::NoGradGuard noGrad;
        const double fanOut = double(m_options.outChannels()) * double(size * size);
        conv->weight.normal_(0.0, std::sqrt(2.0 / fanOut));
        conv->bias.zero_();
        m_kernels->push_back(conv);
    }
}

torch::nn::Conv2d InceptionBlockImpl::kernel(std::int64_t i) const
{
    return torch::nn::Conv2d(m_kernels->ptr<torch::nn::Conv2dImpl>(std::size_t(i)));
}

torch::Tensor InceptionBlockImpl::forward(const torch::Tensor &x)
{
    TORCH_CHECK(x.dim() == 4 && x.size(1) == m_options.inChannels(),
                "InceptionBlock: x must be [B, ", m_options.inChannels(), ", H, W], got ",
                x.sizes());
    const std::int64_t n = m_options.numKernels();
    torch::Tensor weight;
    torch::Tensor bias;
    for (std::int64_t i = 0; i < n; ++i) {
        const torch::nn::Conv2d conv = kernel(i);
        const std::int64_t pad = n - 1 - i;
        const torch::Tensor w = torch::constant_pad_nd(conv->weight, {pad, pad, pad, pad}, 0.0);
        weight = weight.defined() ? weight + w : w;
        bias = bias.defined() ? bias + conv->bias : conv->bias;
    }
    // Kernel rows (columns) more than H - 1 (W - 1) from the centre only ever meet the zero
    // padding: cut them off (a fold of 2 cycles needs 3 of the 11 rows).
    const std::int64_t radius = n - 1;
    const std::int64_t ry = std::min(radius, x.size(2) - 1);
    const std::int64_t rx = std::min(radius, x.size(3) - 1);
    weight = weight.narrow(2, radius - ry, 2 * ry + 1).narrow(3, radius - rx, 2 * rx + 1);
    return torch::conv2d(x, weight / double(n), bias / double(n), 1, {ry, rx});
}

} // namespace twb
