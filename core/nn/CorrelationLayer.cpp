#include "CorrelationLayer.h"

namespace twb {

CorrelationLayerImpl::CorrelationLayerImpl(const CorrelationLayerOptions &options,
                                           std::shared_ptr<CorrelationMechanism> mechanism)
    : m_options(options)
    , m_mechanism(std::move(mechanism))
{
    TORCH_CHECK(m_mechanism, "CorrelationLayer: no mechanism");
    TORCH_CHECK(m_options.dModel() > 0 && m_options.numHeads() > 0 &&
                    m_options.dModel() % m_options.numHeads() == 0,
                "CorrelationLayer: dModel ", m_options.dModel(), " must be a positive multiple of ",
                "numHeads ", m_options.numHeads());
    const std::int64_t d = m_options.dModel();
    m_query = register_module("query_projection", torch::nn::Linear(d, d));
    if (m_mechanism->usesKeys())
        m_key = register_module("key_projection", torch::nn::Linear(d, d));
    if (m_mechanism->usesValues())
        m_value = register_module("value_projection", torch::nn::Linear(d, d));
    m_out = register_module("out_projection", torch::nn::Linear(d, d));
    register_module("inner_correlation", m_mechanism);
}

void CorrelationLayerImpl::setHeadMask(torch::Tensor mask)
{
    TORCH_CHECK(!mask.defined() || (mask.dim() == 1 && mask.size(0) == m_options.numHeads()),
                "CorrelationLayer: the head mask must be [", m_options.numHeads(), "]");
    m_headMask = std::move(mask);
}

torch::Tensor CorrelationLayerImpl::forward(const torch::Tensor &queries, const torch::Tensor &keys,
                                            const torch::Tensor &values,
                                            const CorrelationRequest &request,
                                            std::vector<NamedTensor> &report)
{
    const std::int64_t d = m_options.dModel();
    TORCH_CHECK(queries.dim() == 3 && keys.dim() == 3 && values.dim() == 3 &&
                    queries.size(2) == d && keys.size(2) == d && values.size(2) == d &&
                    keys.size(0) == queries.size(0) && values.sizes() == keys.sizes(),
                "CorrelationLayer: queries must be [B, Lq, ", d, "], keys and values [B, Lk, ", d,
                "]; got ", queries.sizes(), ", ", keys.sizes(), ", ", values.sizes());
    const std::int64_t batch = queries.size(0);
    const std::int64_t heads = m_options.numHeads();
    // Contiguous inputs keep the projections one matrix product (a strided input that requires
    // grad makes LibTorch's matmul fall back to a much slower batched product).
    const auto project = [&](torch::nn::Linear &linear, const torch::Tensor &x) {
        return linear(x.contiguous()).view({batch, x.size(1), heads, d / heads});
    };
    const torch::Tensor q = project(m_query, queries);
    const torch::Tensor k = m_key ? project(m_key, keys) : torch::Tensor();
    const torch::Tensor v = m_value ? project(m_value, values) : torch::Tensor();
    torch::Tensor mixed = m_mechanism->forward(q, k, v, request, report); // [B, Lq, heads, E]
    if (m_headMask.defined())
        mixed = mixed * m_headMask.to(mixed.options()).view({1, 1, heads, 1});
    return m_out(mixed.reshape({batch, queries.size(1), d}));
}

} // namespace twb
