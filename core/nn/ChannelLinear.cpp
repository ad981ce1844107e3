#include "ChannelLinear.h"

#include <cmath>

namespace twb {

ChannelLinearImpl::ChannelLinearImpl(const ChannelLinearOptions &options)
    : m_options(options)
{
    reset();
}

void ChannelLinearImpl::reset()
{
    TORCH_CHECK(m_options.channels() > 0 && m_options.inFeatures() > 0 &&
                    m_options.outFeatures() > 0,
                "ChannelLinear: channels, inFeatures and outFeatures must be positive");
    // nn.Linear's default: kaiming_uniform(a = sqrt(5)) == U(-1/sqrt(in), 1/sqrt(in)), and the
    // same bound for the bias.
    const double bound = 1.0 / std::sqrt(double(m_options.inFeatures()));
    torch::Tensor weight =
        torch::empty({m_options.channels(), m_options.outFeatures(), m_options.inFeatures()});
    torch::nn::init::uniform_(weight, -bound, bound);
    m_weight = register_parameter("weight", weight);
    if (m_options.bias()) {
        torch::Tensor bias = torch::empty({m_options.channels(), m_options.outFeatures()});
        torch::nn::init::uniform_(bias, -bound, bound);
        m_bias = register_parameter("bias", bias);
    }
}

torch::Tensor ChannelLinearImpl::forward(const torch::Tensor &x)
{
    TORCH_CHECK(x.dim() == 3 && x.size(1) == m_options.channels() &&
                    x.size(2) == m_options.inFeatures(),
                "ChannelLinear: input must be [B, ", m_options.channels(), ", ",
                m_options.inFeatures(), "]");
    torch::Tensor y = torch::einsum("bci,coi->bco", {x, m_weight});
    if (m_bias.defined())
        y = y + m_bias;
    return y;
}

} // namespace twb
