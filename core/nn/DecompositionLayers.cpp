#include "DecompositionLayers.h"

namespace twb {

namespace {

torch::Tensor activate(FeedForwardActivation activation, const torch::Tensor &x)
{
    return activation == FeedForwardActivation::Gelu ? torch::gelu(x) : torch::relu(x);
}

void addReport(std::vector<NamedTensor> &to, const std::string &prefix,
               std::vector<NamedTensor> &&from)
{
    for (NamedTensor &entry : from)
        to.push_back({prefix + entry.name, std::move(entry.value)});
}

} // namespace

void addDecompositionStages(std::vector<NamedTensor> &stages, const std::string &stage,
                            const Decomposition &parts)
{
    stages.push_back({stage + ".seasonal", parts.seasonal});
    stages.push_back({stage + ".trend", parts.trend});
}

SeasonalLayerNormImpl::SeasonalLayerNormImpl(std::int64_t dModel)
{
    m_norm =
        register_module("layernorm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({dModel})));
}

torch::Tensor SeasonalLayerNormImpl::forward(const torch::Tensor &x)
{
    const torch::Tensor normed = m_norm(x);
    return normed - normed.mean(1, true);
}

DecompositionEncoderLayerImpl::DecompositionEncoderLayerImpl(
    const DecompositionLayerOptions &options, CorrelationLayer attention)
    : m_options(options)
{
    const std::int64_t d = m_options.dModel();
    m_attention = register_module("attention", std::move(attention));
    m_in = register_module(
        "feed_forward_in",
        torch::nn::Linear(torch::nn::LinearOptions(d, m_options.dFF()).bias(false)));
    m_out = register_module(
        "feed_forward_out",
        torch::nn::Linear(torch::nn::LinearOptions(m_options.dFF(), d).bias(false)));
    m_decomp1 = register_module("decomp1", SeriesDecomposition(m_options.movingAvg()));
    m_decomp2 = register_module("decomp2", SeriesDecomposition(m_options.movingAvg()));
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
}

DecompositionLayerOutput DecompositionEncoderLayerImpl::forward(const torch::Tensor &x,
                                                                const DecompositionRequest &request)
{
    DecompositionLayerOutput out;
    std::vector<NamedTensor> report;
    const torch::Tensor attended = m_attention(x, x, x, CorrelationRequest{request.report}, report);
    addReport(out.mechanisms, "", std::move(report));
    const Decomposition first = m_decomp1(x + m_dropout(attended));
    const torch::Tensor hidden =
        m_dropout(activate(m_options.activation(), m_in(first.seasonal.contiguous())));
    const Decomposition second = m_decomp2(first.seasonal + m_dropout(m_out(hidden)));
    if (request.stages) {
        addDecompositionStages(out.stages, "after_attention", first);
        addDecompositionStages(out.stages, "after_feed_forward", second);
    }
    out.seasonal = second.seasonal;
    return out;
}

DecompositionDecoderLayerImpl::DecompositionDecoderLayerImpl(
    const DecompositionLayerOptions &options, std::int64_t cOut, CorrelationLayer selfAttention,
    CorrelationLayer crossAttention)
    : m_options(options)
{
    const std::int64_t d = m_options.dModel();
    m_self = register_module("self_attention", std::move(selfAttention));
    m_cross = register_module("cross_attention", std::move(crossAttention));
    m_in = register_module(
        "feed_forward_in",
        torch::nn::Linear(torch::nn::LinearOptions(d, m_options.dFF()).bias(false)));
    m_out = register_module(
        "feed_forward_out",
        torch::nn::Linear(torch::nn::LinearOptions(m_options.dFF(), d).bias(false)));
    m_decomp1 = register_module("decomp1", SeriesDecomposition(m_options.movingAvg()));
    m_decomp2 = register_module("decomp2", SeriesDecomposition(m_options.movingAvg()));
    m_decomp3 = register_module("decomp3", SeriesDecomposition(m_options.movingAvg()));
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
    m_projection =
        register_module("projection", torch::nn::Conv1d(torch::nn::Conv1dOptions(d, cOut, 3)
                                                            .padding(1)
                                                            .padding_mode(torch::kCircular)
                                                            .bias(false)));
}

DecompositionLayerOutput DecompositionDecoderLayerImpl::forward(const torch::Tensor &x,
                                                                const torch::Tensor &encoded,
                                                                const DecompositionRequest &request)
{
    DecompositionLayerOutput out;
    std::vector<NamedTensor> report;
    const torch::Tensor selfAttended = m_self(x, x, x, CorrelationRequest{request.report}, report);
    addReport(out.mechanisms, "self/", std::move(report));
    const Decomposition first = m_decomp1(x + m_dropout(selfAttended));

    report.clear();
    const torch::Tensor crossAttended =
        m_cross(first.seasonal, encoded, encoded, CorrelationRequest{request.report}, report);
    addReport(out.mechanisms, "cross/", std::move(report));
    const Decomposition second = m_decomp2(first.seasonal + m_dropout(crossAttended));

    const torch::Tensor hidden =
        m_dropout(activate(m_options.activation(), m_in(second.seasonal.contiguous())));
    const Decomposition third = m_decomp3(second.seasonal + m_dropout(m_out(hidden)));

    const torch::Tensor trends = first.trend + second.trend + third.trend;
    out.trend = m_projection(trends.transpose(1, 2)).transpose(1, 2);
    out.seasonal = third.seasonal;
    if (request.stages) {
        addDecompositionStages(out.stages, "after_self", first);
        addDecompositionStages(out.stages, "after_cross", second);
        addDecompositionStages(out.stages, "after_feed_forward", third);
        out.stages.push_back({"residual_trend", out.trend});
    }
    return out;
}

} // namespace twb
