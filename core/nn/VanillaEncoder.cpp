#include "VanillaEncoder.h"

#include <string>

namespace twb {

torch::nn::Sequential vanillaFeedForward(const VanillaLayerOptions &options)
{
    TORCH_CHECK(options.dModel() > 0 && options.dFF() > 0,
                "vanilla layer: dModel and dFF must be positive");
    return torch::nn::Sequential(torch::nn::Linear(options.dModel(), options.dFF()),
                                 options.activation() == FeedForwardActivation::Relu
                                     ? torch::nn::AnyModule(torch::nn::ReLU())
                                     : torch::nn::AnyModule(torch::nn::GELU()),
                                 twb::nn::FastDropout(options.dropout()),
                                 torch::nn::Linear(options.dFF(), options.dModel()));
}

VanillaEncoderLayerImpl::VanillaEncoderLayerImpl(const VanillaLayerOptions &layer,
                                                 const SelectableAttentionOptions &attention)
{
    TORCH_CHECK(attention.dModel() == layer.dModel(),
                "VanillaEncoderLayer: the attention's dModel differs from the layer's");
    m_attention.registerIn(*this, "self_attention", attention);
    m_norm1 = register_module("norm1",
                              torch::nn::LayerNorm(torch::nn::LayerNormOptions({layer.dModel()})));
    m_feedForward = register_module("feed_forward", vanillaFeedForward(layer));
    m_norm2 = register_module("norm2",
                              torch::nn::LayerNorm(torch::nn::LayerNormOptions({layer.dModel()})));
    m_dropout = register_module("dropout", twb::nn::FastDropout(layer.dropout()));
}

VanillaEncoderLayerOutput VanillaEncoderLayerImpl::forward(const torch::Tensor &x, bool needWeights)
{
    AttentionRequest request;
    request.needWeights = needWeights;
    SelectableAttentionOutput attention = m_attention.forward(x, x, x, request);
    const torch::Tensor y = m_norm1(x + m_dropout(attention.output));
    return {m_norm2(y + m_dropout(m_feedForward->forward(y))), std::move(attention.weights),
            std::move(attention.activeQueries)};
}

VanillaEncoderImpl::VanillaEncoderImpl(const VanillaEncoderOptions &options)
    : m_options(options)
{
    reset();
}

void VanillaEncoderImpl::reset()
{
    TORCH_CHECK(m_options.numLayers() >= 1, "VanillaEncoder: numLayers must be >= 1");
    m_layers.clear();
    m_distil.clear();
    auto layers = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < m_options.numLayers(); ++i) {
        m_layers.emplace_back(m_options.layer(), m_options.attention());
        layers->push_back(m_layers.back());
    }
    if (m_options.distil() && m_options.numLayers() > 1) {
        auto distil = register_module("distil", torch::nn::ModuleList());
        for (std::int64_t i = 0; i + 1 < m_options.numLayers(); ++i) {
            m_distil.emplace_back(DistillingLayerOptions(m_options.layer().dModel())
                                      .padding(m_options.distilPadding()));
            distil->push_back(m_distil.back());
        }
    }
    m_norm = register_module(
        "norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({m_options.layer().dModel()})));
}

VanillaEncoderOutput VanillaEncoderImpl::forward(const torch::Tensor &x,
                                                 const VanillaEncoderRequest &request)
{
    VanillaEncoderOutput result;
    torch::Tensor h = x;
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        VanillaEncoderLayerOutput out = m_layers[i]->forward(h, request.needWeights);
        h = std::move(out.output);
        if (request.needWeights) {
            result.attention.push_back(std::move(out.weights));
            if (out.activeQueries.defined())
                result.activeQueries.push_back(std::move(out.activeQueries));
        }
        if (request.needLayerOutputs)
            result.layerOutputs.push_back(h);
        if (i < m_distil.size()) {
            h = m_distil[i]->forward(h);
            if (request.needLayerOutputs)
                result.distilled.push_back(h);
        }
    }
    result.output = m_norm(h);
    return result;
}

} // namespace twb
