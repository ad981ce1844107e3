#include "TransformerEncoderLayer.h"

#include <string>

namespace twb {

TransformerEncoderLayerImpl::TransformerEncoderLayerImpl(
    const TransformerEncoderLayerOptions &options)
    : m_options(options)
{
    reset();
}

void TransformerEncoderLayerImpl::reset()
{
    TORCH_CHECK(m_options.dFF() > 0, "TransformerEncoderLayer: dFF must be positive");
    m_attention = register_module(
        "self_attention",
        MultiheadAttention(MultiheadAttentionOptions(m_options.dModel(), m_options.numHeads())
                               .attentionDropout(m_options.attentionDropout())
                               .outputDropout(m_options.projectionDropout())));
    registerNorm(0);
    m_feedForward = register_module(
        "feed_forward",
        torch::nn::Sequential(torch::nn::Linear(m_options.dModel(), m_options.dFF()),
                              m_options.activation() == FeedForwardActivation::Relu
                                  ? torch::nn::AnyModule(torch::nn::ReLU())
                                  : torch::nn::AnyModule(torch::nn::GELU()),
                              twb::nn::FastDropout(m_options.dropout()),
                              torch::nn::Linear(m_options.dFF(), m_options.dModel())));
    registerNorm(1);
    m_dropout = register_module("dropout", twb::nn::FastDropout(m_options.dropout()));
}

void TransformerEncoderLayerImpl::registerNorm(int which)
{
    const std::string name = "norm" + std::to_string(which + 1);
    if (m_options.norm() == EncoderNorm::Batch) {
        m_batchNorm[which] = register_module(
            name, torch::nn::BatchNorm1d(
                      torch::nn::BatchNorm1dOptions(m_options.dModel()).eps(m_options.normEps())));
    } else {
        m_layerNorm[which] = register_module(
            name, torch::nn::LayerNorm(
                      torch::nn::LayerNormOptions({m_options.dModel()}).eps(m_options.normEps())));
    }
}

torch::Tensor TransformerEncoderLayerImpl::applyNorm(int which, const torch::Tensor &x)
{
    if (m_options.norm() == EncoderNorm::Batch)
        return m_batchNorm[which](x.transpose(1, 2)).transpose(1, 2);
    return m_layerNorm[which](x);
}

EncoderLayerOutput TransformerEncoderLayerImpl::forward(const torch::Tensor &x,
                                                        const AttentionRequest &request)
{
    AttentionRequest attentionRequest;
    attentionRequest.needWeights = request.needWeights;
    attentionRequest.needScores = m_options.residualAttention();
    if (m_options.residualAttention())
        attentionRequest.prevScores = request.prevScores;
    attentionRequest.keyPaddingMask = request.keyPaddingMask;

    if (m_options.preNorm()) {
        const torch::Tensor normed = applyNorm(0, x);
        AttentionOutput attention = m_attention->forward(normed, normed, normed, attentionRequest);
        torch::Tensor y = x + m_dropout(attention.output);
        y = y + m_dropout(m_feedForward->forward(applyNorm(1, y)));
        return {y, std::move(attention.weights), std::move(attention.scores)};
    }
    AttentionOutput attention = m_attention->forward(x, x, x, attentionRequest);
    torch::Tensor y = applyNorm(0, x + m_dropout(attention.output));
    y = applyNorm(1, y + m_dropout(m_feedForward->forward(y)));
    return {y, std::move(attention.weights), std::move(attention.scores)};
}

} // namespace twb
