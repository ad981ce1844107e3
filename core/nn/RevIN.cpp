#include "RevIN.h"

namespace twb {

RevINImpl::RevINImpl(const RevINOptions &options)
    : m_options(options)
{
    reset();
}

void RevINImpl::reset()
{
    TORCH_CHECK(m_options.numChannels() > 0, "RevIN: numChannels must be positive");
    if (m_options.affine()) {
        m_weight = register_parameter("weight", torch::ones({m_options.numChannels()}));
        m_bias = register_parameter("bias", torch::zeros({m_options.numChannels()}));
    }
}

torch::Tensor RevINImpl::normalize(const torch::Tensor &x)
{
    TORCH_CHECK(x.dim() == 3 && x.size(2) == m_options.numChannels(),
                "RevIN: input must be [B, T, ", m_options.numChannels(), "]");
    {
        torch::NoGradGuard noGrad;
        m_mean = x.mean(1, true);
        m_stdev = torch::sqrt(x.var(1, /*unbiased=*/false, /*keepdim=*/true) + m_options.eps());
        if (m_options.subtractLast())
            m_last = x.slice(1, x.size(1) - 1).clone();
    }
    torch::Tensor y = (x - (m_options.subtractLast() ? m_last : m_mean)) / m_stdev;
    if (m_options.affine())
        y = y * m_weight + m_bias;
    return y;
}

torch::Tensor RevINImpl::denormalize(const torch::Tensor &y) const
{
    TORCH_CHECK(m_stdev.defined(), "RevIN: denormalize() called before normalize()");
    TORCH_CHECK(y.dim() == 3 && y.size(0) == m_stdev.size(0) && y.size(2) == m_stdev.size(2),
                "RevIN: denormalize() input must be [B, T, C] of the normalised batch");
    torch::Tensor x = y;
    if (m_options.affine())
        x = (x - m_bias) / (m_weight + m_options.eps() * m_options.eps());
    x = x * m_stdev;
    return x + (m_options.subtractLast() ? m_last : m_mean);
}

} // namespace twb
