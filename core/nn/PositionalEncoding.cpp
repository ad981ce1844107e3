#include "PositionalEncoding.h"

#include <cmath>

namespace twb {

namespace {

void checkOptions(const PositionalEncodingOptions &options)
{
    TORCH_CHECK(options.maxLength() > 0 && options.dModel() > 0,
                "PositionalEncoding: maxLength and dModel must be positive");
}

torch::Tensor addEncoding(const torch::Tensor &x, const torch::Tensor &pe)
{
    TORCH_CHECK(x.dim() == 3 && x.size(2) == pe.size(1),
                "PositionalEncoding: input must be [B, T, ", pe.size(1), "]");
    TORCH_CHECK(x.size(1) <= pe.size(0), "PositionalEncoding: sequence length ", x.size(1),
                " exceeds maxLength ", pe.size(0));
    return x + pe.slice(0, 0, x.size(1));
}

} // namespace

SinusoidalPositionalEncodingImpl::SinusoidalPositionalEncodingImpl(
    const PositionalEncodingOptions &options)
    : m_options(options)
{
    reset();
}

void SinusoidalPositionalEncodingImpl::reset()
{
    checkOptions(m_options);
    const std::int64_t d = m_options.dModel();
    const torch::Tensor position =
        torch::arange(m_options.maxLength(), torch::kFloat32).unsqueeze(1);
    const torch::Tensor divTerm =
        torch::exp(torch::arange(0, d, 2, torch::kFloat32) * (-std::log(10000.0) / double(d)));
    torch::Tensor pe = torch::zeros({m_options.maxLength(), d});
    const torch::Tensor angles = position * divTerm; // [maxLength, ceil(d / 2)]
    pe.slice(1, 0, d, 2).copy_(torch::sin(angles));
    pe.slice(1, 1, d, 2).copy_(torch::cos(angles.slice(1, 0, d / 2)));
    if (m_options.normalize()) {
        pe = pe - pe.mean();
        pe = pe / (pe.std() * 10);
    }
    m_pe = register_buffer("pe", pe);
}

torch::Tensor SinusoidalPositionalEncodingImpl::forward(const torch::Tensor &x)
{
    return addEncoding(x, m_pe);
}

LearnablePositionalEncodingImpl::LearnablePositionalEncodingImpl(
    const PositionalEncodingOptions &options)
    : m_options(options)
{
    reset();
}

void LearnablePositionalEncodingImpl::reset()
{
    checkOptions(m_options);
    torch::Tensor pe = torch::empty({m_options.maxLength(), m_options.dModel()});
    torch::nn::init::uniform_(pe, -0.02, 0.02);
    m_pe = register_parameter("pe", pe);
}

torch::Tensor LearnablePositionalEncodingImpl::forward(const torch::Tensor &x)
{
    return addEncoding(x, m_pe);
}

} // namespace twb
