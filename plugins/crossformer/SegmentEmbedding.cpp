#include "SegmentEmbedding.h"

namespace twb {

SegmentEmbeddingImpl::SegmentEmbeddingImpl(const SegmentEmbeddingOptions &options)
    : m_options(options)
{
    reset();
}

void SegmentEmbeddingImpl::reset()
{
    TORCH_CHECK(m_options.channels() > 0 && m_options.lookback() > 0 &&
                    m_options.segmentLength() > 0 && m_options.dModel() > 0,
                "SegmentEmbedding: sizes must be positive");
    const std::int64_t d = m_options.dModel();
    m_value = register_module(
        "value",
        torch::nn::Linear(
            torch::nn::LinearOptions(m_options.segmentLength(), d).bias(m_options.valueBias())));
    if (m_options.sinusoidal()) {
        m_sinusoidal = register_module(
            "sinusoidal",
            SinusoidalPositionalEncoding(PositionalEncodingOptions(numSegments(), d)));
    }
    m_position =
        register_parameter("position", torch::randn({m_options.channels(), numSegments(), d}));
    m_norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
}

std::int64_t SegmentEmbeddingImpl::numSegments() const
{
    return (m_options.lookback() + m_options.segmentLength() - 1) / m_options.segmentLength();
}

std::int64_t SegmentEmbeddingImpl::padding() const
{
    return numSegments() * m_options.segmentLength() - m_options.lookback();
}

torch::Tensor SegmentEmbeddingImpl::segments(const torch::Tensor &x) const
{
    TORCH_CHECK(x.dim() == 3 && x.size(1) == m_options.lookback() &&
                    x.size(2) == m_options.channels(),
                "SegmentEmbedding: input must be [B, ", m_options.lookback(), ", ",
                m_options.channels(), "], got ", x.sizes());
    torch::Tensor series = x.transpose(1, 2); // [B, D, L]
    const std::int64_t pad = padding();
    if (pad > 0) {
        const std::int64_t length = m_options.lookback();
        std::vector<std::int64_t> shape = series.sizes().vec();
        shape.back() = pad;
        if (m_options.frontPadding())
            series = torch::cat({series.narrow(2, 0, 1).expand(shape), series}, 2);
        else
            series = torch::cat({series, series.narrow(2, length - 1, 1).expand(shape)}, 2);
    }
    return series.reshape(
        {x.size(0), m_options.channels(), numSegments(), m_options.segmentLength()});
}

torch::Tensor SegmentEmbeddingImpl::embed(const torch::Tensor &segments)
{
    torch::Tensor tokens = m_value(segments); // [B, D, N, d]
    if (m_sinusoidal)
        tokens = tokens + m_sinusoidal->table().narrow(0, 0, numSegments());
    return m_norm(tokens + m_position);
}

torch::Tensor SegmentEmbeddingImpl::forward(const torch::Tensor &x)
{
    return embed(segments(x));
}

} // namespace twb
