#include "SeriesDecomposition.h"

namespace twb {

SeriesDecompositionImpl::SeriesDecompositionImpl(const SeriesDecompositionOptions &options)
    : m_options(options)
{
    reset();
}

void SeriesDecompositionImpl::reset()
{
    TORCH_CHECK(m_options.kernelSize() >= 1 && m_options.kernelSize() % 2 == 1,
                "SeriesDecomposition: kernelSize must be odd and positive, got ",
                m_options.kernelSize());
}

Decomposition SeriesDecompositionImpl::forward(const torch::Tensor &x)
{
    TORCH_CHECK(x.dim() == 3, "SeriesDecomposition: input must be [B, L, C]");
    const std::int64_t k = m_options.kernelSize();
    const std::int64_t pad = (k - 1) / 2;
    const std::int64_t length = x.size(1);
    const torch::Tensor front = x.slice(1, 0, 1).expand({-1, pad, -1});
    const torch::Tensor back = x.slice(1, length - 1, length).expand({-1, pad, -1});
    const torch::Tensor padded = torch::cat({front, x, back}, 1).transpose(1, 2); // [B, C, L+k-1]
    const torch::Tensor trend = torch::avg_pool1d(padded, {k}, {1}).transpose(1, 2);
    return {x - trend, trend};
}

} // namespace twb
