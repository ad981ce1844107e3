#include "TransformerEncoder.h"

namespace twb {

TransformerEncoderImpl::TransformerEncoderImpl(const TransformerEncoderOptions &options)
    : m_options(options)
{
    reset();
}

void TransformerEncoderImpl::reset()
{
    TORCH_CHECK(m_options.numLayers() >= 1, "TransformerEncoder: numLayers must be >= 1");
    m_layers.clear();
    m_layerList = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < m_options.numLayers(); ++i) {
        m_layers.emplace_back(m_options.layer());
        m_layerList->push_back(m_layers.back());
    }
    if (m_options.finalNorm()) {
        const TransformerEncoderLayerOptions &layer = m_options.layer();
        if (layer.norm() == EncoderNorm::Batch) {
            m_finalBatchNorm = register_module(
                "final_norm",
                torch::nn::BatchNorm1d(
                    torch::nn::BatchNorm1dOptions(layer.dModel()).eps(layer.normEps())));
        } else {
            m_finalLayerNorm = register_module(
                "final_norm",
                torch::nn::LayerNorm(
                    torch::nn::LayerNormOptions({layer.dModel()}).eps(layer.normEps())));
        }
    }
}

EncoderOutput TransformerEncoderImpl::forward(const torch::Tensor &x, const EncoderRequest &request)
{
    EncoderOutput result;
    if (request.needWeights)
        result.attention.reserve(m_layers.size());
    if (request.needLayerOutputs)
        result.layerOutputs.reserve(m_layers.size());

    AttentionRequest layerRequest;
    layerRequest.needWeights = request.needWeights;
    layerRequest.keyPaddingMask = request.keyPaddingMask;
    torch::Tensor h = x;
    for (TransformerEncoderLayer &layer : m_layers) {
        EncoderLayerOutput out = layer->forward(h, layerRequest);
        h = out.output;
        layerRequest.prevScores = std::move(out.scores);
        if (request.needWeights)
            result.attention.push_back(std::move(out.weights));
        if (request.needLayerOutputs)
            result.layerOutputs.push_back(h);
    }
    if (m_finalBatchNorm)
        h = m_finalBatchNorm(h.transpose(1, 2)).transpose(1, 2);
    else if (m_finalLayerNorm)
        h = m_finalLayerNorm(h);
    result.output = h;
    return result;
}

} // namespace twb
