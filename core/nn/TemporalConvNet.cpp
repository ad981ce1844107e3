#include "TemporalConvNet.h"

namespace twb {

namespace {

torch::nn::Conv1d pointwise(std::int64_t in, std::int64_t out)
{
    return torch::nn::Conv1d(torch::nn::Conv1dOptions(in, out, 1));
}

} // namespace

TcnBlockImpl::TcnBlockImpl(const TemporalConvNetOptions &o, std::int64_t dilation)
{
    m_in = register_module("in", pointwise(o.bottleneck(), o.hidden()));
    m_act1 = register_module("act1", torch::nn::PReLU());
    m_norm1 = register_module("norm1", GlobalLayerNorm(o.hidden()));
    m_depthwise = register_module(
        "depthwise", torch::nn::Conv1d(torch::nn::Conv1dOptions(o.hidden(), o.hidden(), o.kernel())
                                           .groups(o.hidden())
                                           .dilation(dilation)
                                           .padding(dilation * (o.kernel() - 1) / 2)));
    m_act2 = register_module("act2", torch::nn::PReLU());
    m_norm2 = register_module("norm2", GlobalLayerNorm(o.hidden()));
    m_residual = register_module("residual", pointwise(o.hidden(), o.bottleneck()));
    m_skip = register_module("skip", pointwise(o.hidden(), o.skip()));
}

std::pair<torch::Tensor, torch::Tensor> TcnBlockImpl::forward(const torch::Tensor &x)
{
    torch::Tensor h = m_norm1(m_act1(m_in(x)));
    h = m_norm2(m_act2(m_depthwise(h)));
    return {x + m_residual(h), m_skip(h)};
}

TemporalConvNetImpl::TemporalConvNetImpl(const TemporalConvNetOptions &options)
    : m_options(options)
{
    const TemporalConvNetOptions &o = options;
    TORCH_CHECK(o.inputChannels() > 0 && o.sources() > 0 && o.bottleneck() > 0 && o.skip() > 0 &&
                    o.hidden() > 0 && o.blocksPerRepeat() > 0 && o.repeats() > 0,
                "TemporalConvNet: every size must be positive");
    TORCH_CHECK(o.kernel() > 0 && o.kernel() % 2 == 1,
                "TemporalConvNet: the kernel must be odd (\"same\" padding), got ", o.kernel());
    m_norm = register_module("norm", GlobalLayerNorm(o.inputChannels()));
    m_bottleneck = register_module("bottleneck", pointwise(o.inputChannels(), o.bottleneck()));
    m_blocks = register_module("blocks", torch::nn::ModuleList());
    for (std::int64_t r = 0; r < o.repeats(); ++r)
        for (std::int64_t x = 0; x < o.blocksPerRepeat(); ++x)
            m_blocks->push_back(TcnBlock(o, std::int64_t(1) << x));
    m_outputAct = register_module("output_act", torch::nn::PReLU());
    m_output = register_module("output", pointwise(o.skip(), o.sources() * o.inputChannels()));
}

std::int64_t TemporalConvNetImpl::receptiveField() const
{
    return 1 + m_options.repeats() * (m_options.kernel() - 1) *
                   ((std::int64_t(1) << m_options.blocksPerRepeat()) - 1);
}

torch::Tensor TemporalConvNetImpl::forward(const torch::Tensor &representation)
{
    const std::int64_t n = m_options.inputChannels();
    TORCH_CHECK(representation.dim() == 3 && representation.size(1) == n,
                "TemporalConvNet: the representation must be [batch, ", n, ", K], got ",
                representation.sizes());
    torch::Tensor x = m_bottleneck(m_norm(representation));
    torch::Tensor skips;
    for (std::size_t i = 0; i < m_blocks->size(); ++i) {
        auto [residual, skip] = m_blocks->at<TcnBlockImpl>(i).forward(x);
        x = residual;
        skips = skips.defined() ? skips + skip : skip;
    }
    const torch::Tensor masks = torch::sigmoid(m_output(m_outputAct(skips)));
    return masks.view({representation.size(0), m_options.sources(), n, representation.size(2)});
}

} // namespace twb
