#include "TwoStageAttention.h"

namespace twb {

TwoStageAttentionImpl::TwoStageAttentionImpl(const TwoStageAttentionOptions &options)
    : m_options(options)
{
    reset();
}

void TwoStageAttentionImpl::reset()
{
    const std::int64_t d = m_options.dModel();
    TORCH_CHECK(d > 0 && m_options.numHeads() > 0 && m_options.dFF() > 0 &&
                    m_options.segments() > 0 && m_options.routers() > 0,
                "TwoStageAttention: sizes must be positive");
    const auto attention = [&] {
        return MultiheadAttention(MultiheadAttentionOptions(d, m_options.numHeads())
                                      .attentionDropout(m_options.dropout()));
    };
    const auto norm = [d] {
        return torch::nn::LayerNorm(torch::nn::LayerNormOptions({d}));
    };
    const auto mlp = [&] {
        return torch::nn::Sequential(torch::nn::Linear(d, m_options.dFF()), torch::nn::GELU(),
                                     torch::nn::Linear(m_options.dFF(), d));
    };
    m_time = register_module("time_attention", attention());
    m_sender = register_module("dim_sender", attention());
    m_receiver = register_module("dim_receiver", attention());
    m_router =
        register_parameter("router", torch::randn({m_options.segments(), m_options.routers(), d}));
    m_norm1 = register_module("norm1", norm());
    m_norm2 = register_module("norm2", norm());
    m_norm3 = register_module("norm3", norm());
    m_norm4 = register_module("norm4", norm());
    m_mlp1 = register_module("mlp1", mlp());
    m_mlp2 = register_module("mlp2", mlp());
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
}

RouterExchange TwoStageAttentionImpl::routerExchange(const torch::Tensor &dimSend, bool needWeights)
{
    const std::int64_t n = m_options.segments();
    TORCH_CHECK(dimSend.dim() == 3 && dimSend.size(0) % n == 0 &&
                    dimSend.size(2) == m_options.dModel(),
                "TwoStageAttention: the cross-dimension input must be [B*", n, ", D, ",
                m_options.dModel(), "], got ", dimSend.sizes());
    const std::int64_t batch = dimSend.size(0) / n;
    const torch::Tensor routers =
        m_router.unsqueeze(0)
            .expand({batch, n, m_options.routers(), m_options.dModel()})
            .reshape({batch * n, m_options.routers(), m_options.dModel()});
    AttentionRequest request;
    request.needWeights = needWeights;
    AttentionOutput gathered = m_sender(routers, dimSend, dimSend, request);
    AttentionOutput read = m_receiver(dimSend, gathered.output, gathered.output, request);
    return {std::move(read.output), std::move(gathered.weights), std::move(read.weights)};
}

TwoStageOutput TwoStageAttentionImpl::forward(const torch::Tensor &x,
                                              const TwoStageRequest &request)
{
    const std::int64_t n = m_options.segments();
    const std::int64_t d = m_options.dModel();
    TORCH_CHECK(x.dim() == 4 && x.size(2) == n && x.size(3) == d,
                "TwoStageAttention: input must be [B, D, ", n, ", ", d, "], got ", x.sizes());
    const std::int64_t batch = x.size(0);
    const std::int64_t variables = x.size(1);
    TwoStageOutput out;

    // Cross-time stage: attention over the segments of each variable.
    const torch::Tensor timeIn = x.reshape({batch * variables, n, d});
    AttentionRequest timeRequest;
    timeRequest.needWeights = request.needWeights;
    AttentionOutput timed = m_time(timeIn, timeIn, timeIn, timeRequest);
    torch::Tensor dimIn = m_norm1(timeIn + m_dropout(timed.output));
    dimIn = m_norm2(dimIn + m_dropout(m_mlp1->forward(dimIn)));
    if (request.keepStages)
        out.crossTime = dimIn.view({batch, variables, n, d});

    // Cross-dimension stage: per segment, through the routers.
    const torch::Tensor dimSend =
        dimIn.view({batch, variables, n, d}).transpose(1, 2).reshape({batch * n, variables, d});
    RouterExchange exchange = routerExchange(dimSend, request.needWeights);
    torch::Tensor dimEnc = m_norm3(dimSend + m_dropout(exchange.output));
    dimEnc = m_norm4(dimEnc + m_dropout(m_mlp2->forward(dimEnc)));

    out.output = dimEnc.view({batch, n, variables, d}).transpose(1, 2).contiguous();
    if (request.needWeights) {
        out.time = std::move(timed.weights);
        out.sender = std::move(exchange.sender);
        out.receiver = std::move(exchange.receiver);
    }
    return out;
}

} // namespace twb
