#include "SMambaLayer.h"

namespace twb::smamba {

SMambaLayerImpl::SMambaLayerImpl(const SMambaLayerOptions &options)
    : m_options(options)
{
    reset();
}

void SMambaLayerImpl::reset()
{
    TORCH_CHECK(m_options.dFF() > 0, "S-Mamba layer: d_ff must be positive");
    const std::int64_t d = m_options.mamba().dModel();
    m_mamba = register_module("mamba", Mamba(m_options.mamba()));
    m_mambaReverse = register_module("mamba_reverse", Mamba(m_options.mamba()));
    m_norm1 = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    m_feedForward = register_module(
        "feed_forward", torch::nn::Sequential(torch::nn::Linear(d, m_options.dFF()),
                                              m_options.activation() == FeedForwardActivation::Relu
                                                  ? torch::nn::AnyModule(torch::nn::ReLU())
                                                  : torch::nn::AnyModule(torch::nn::GELU()),
                                              twb::nn::FastDropout(m_options.dropout()),
                                              torch::nn::Linear(m_options.dFF(), d)));
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
    m_norm2 = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
}

SMambaLayerOutput SMambaLayerImpl::mix(const torch::Tensor &x, bool trace)
{
    TORCH_CHECK(x.dim() == 3, "S-Mamba layer: input must be [B, N, d], got ", x.sizes());
    SMambaLayerOutput out;
    out.forward = m_mamba->forward(x, trace);
    MambaOutput reverse = m_mambaReverse->forward(x.flip({1}), trace);
    out.output = out.forward.output + reverse.output.flip({1});
    if (trace) {
        out.reverse.u = reverse.u.flip({1});
        out.reverse.delta = reverse.delta.flip({1});
        out.reverse.ssm = reverse.ssm.flip({1});
        out.reverse.implicitAttention = reverse.implicitAttention.flip({-2, -1});
        out.implicitAttention = out.forward.implicitAttention + out.reverse.implicitAttention;
    }
    out.forward.output = torch::Tensor();
    return out;
}

SMambaLayerOutput SMambaLayerImpl::forward(const torch::Tensor &x, bool trace)
{
    SMambaLayerOutput out = mix(x, trace);
    const torch::Tensor h = m_norm1(x + out.output);
    out.output = m_norm2(h + m_dropout(m_feedForward->forward(h)));
    return out;
}

} // namespace twb::smamba
