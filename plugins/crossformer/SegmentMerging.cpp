#include "SegmentMerging.h"

namespace twb {

SegmentMergingImpl::SegmentMergingImpl(std::int64_t dModel, std::int64_t window)
    : m_dModel(dModel)
    , m_window(window)
{
    reset();
}

void SegmentMergingImpl::reset()
{
    TORCH_CHECK(m_dModel > 0 && m_window > 1,
                "SegmentMerging: dModel must be positive and the window at least 2");
    m_norm = register_module(
        "norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({m_window * m_dModel})));
    m_linear = register_module("linear", torch::nn::Linear(m_window * m_dModel, m_dModel));
}

torch::Tensor SegmentMergingImpl::forward(const torch::Tensor &x)
{
    TORCH_CHECK(x.dim() == 4 && x.size(3) == m_dModel, "SegmentMerging: input must be [B, D, N, ",
                m_dModel, "], got ", x.sizes());
    const std::int64_t n = x.size(2);
    const std::int64_t pad = (m_window - n % m_window) % m_window;
    torch::Tensor padded = x;
    if (pad > 0 && pad <= n) {
        padded = torch::cat({x, x.narrow(2, n - pad, pad)}, 2);
    } else if (pad > n) { // fewer segments than copies needed: repeat the last one
        std::vector<std::int64_t> shape = x.sizes().vec();
        shape[2] = pad;
        padded = torch::cat({x, x.narrow(2, n - 1, 1).expand(shape)}, 2);
    }
    const std::int64_t merged = (n + pad) / m_window;
    // Segments j*w .. j*w + w - 1 side by side: [..., j, i*d + k] = padded[..., j*w + i, k].
    const torch::Tensor grouped =
        padded.reshape({x.size(0), x.size(1), merged, m_window * m_dModel});
    return m_linear(m_norm(grouped));
}

} // namespace twb
