#include "VanillaDecoder.h"

namespace twb {

VanillaDecoderLayerImpl::VanillaDecoderLayerImpl(const VanillaLayerOptions &layer,
                                                 const SelectableAttentionOptions &selfAttention,
                                                 const SelectableAttentionOptions &crossAttention)
{
    TORCH_CHECK(selfAttention.dModel() == layer.dModel() &&
                    crossAttention.dModel() == layer.dModel(),
                "VanillaDecoderLayer: the attentions' dModel differs from the layer's");
    const auto layerNorm = [&layer] {
        return torch::nn::LayerNorm(torch::nn::LayerNormOptions({layer.dModel()}));
    };
    m_selfAttention.registerIn(*this, "self_attention", selfAttention);
    m_crossAttention.registerIn(*this, "cross_attention", crossAttention);
    m_norm1 = register_module("norm1", layerNorm());
    m_norm2 = register_module("norm2", layerNorm());
    m_feedForward = register_module("feed_forward", vanillaFeedForward(layer));
    m_norm3 = register_module("norm3", layerNorm());
    m_dropout = register_module("dropout", twb::nn::FastDropout(layer.dropout()));
}

VanillaDecoderLayerOutput VanillaDecoderLayerImpl::forward(const torch::Tensor &x,
                                                           const torch::Tensor &encoded,
                                                           bool needWeights)
{
    AttentionRequest selfRequest;
    selfRequest.needWeights = needWeights;
    selfRequest.causal = true;
    SelectableAttentionOutput self = m_selfAttention.forward(x, x, x, selfRequest);
    torch::Tensor y = m_norm1(x + m_dropout(self.output));

    AttentionRequest crossRequest;
    crossRequest.needWeights = needWeights;
    SelectableAttentionOutput cross = m_crossAttention.forward(y, encoded, encoded, crossRequest);
    y = m_norm2(y + m_dropout(cross.output));

    VanillaDecoderLayerOutput out;
    out.output = m_norm3(y + m_dropout(m_feedForward->forward(y)));
    out.selfWeights = std::move(self.weights);
    out.crossWeights = std::move(cross.weights);
    out.selfActiveQueries = std::move(self.activeQueries);
    out.crossActiveQueries = std::move(cross.activeQueries);
    return out;
}

VanillaDecoderImpl::VanillaDecoderImpl(const VanillaDecoderOptions &options)
    : m_options(options)
{
    reset();
}

void VanillaDecoderImpl::reset()
{
    TORCH_CHECK(m_options.numLayers() >= 1, "VanillaDecoder: numLayers must be >= 1");
    TORCH_CHECK(m_options.outputs() >= 1, "VanillaDecoder: outputs must be >= 1");
    m_layers.clear();
    auto layers = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < m_options.numLayers(); ++i) {
        m_layers.emplace_back(m_options.layer(), m_options.selfAttention(),
                              m_options.crossAttention());
        layers->push_back(m_layers.back());
    }
    const std::int64_t d = m_options.layer().dModel();
    m_norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    m_projection = register_module("projection", torch::nn::Linear(d, m_options.outputs()));
}

VanillaDecoderOutput VanillaDecoderImpl::forward(const torch::Tensor &x,
                                                 const torch::Tensor &encoded,
                                                 const VanillaDecoderRequest &request)
{
    VanillaDecoderOutput result;
    torch::Tensor h = x;
    for (VanillaDecoderLayer &layer : m_layers) {
        VanillaDecoderLayerOutput out = layer->forward(h, encoded, request.needWeights);
        h = std::move(out.output);
        if (request.needWeights) {
            result.selfAttention.push_back(std::move(out.selfWeights));
            result.crossAttention.push_back(std::move(out.crossWeights));
            if (out.selfActiveQueries.defined())
                result.selfActiveQueries.push_back(std::move(out.selfActiveQueries));
            if (out.crossActiveQueries.defined())
                result.crossActiveQueries.push_back(std::move(out.crossActiveQueries));
        }
        if (request.needLayerOutputs)
            result.layerOutputs.push_back(h);
    }
    result.output = m_projection(m_norm(h));
    return result;
}

} // namespace twb
