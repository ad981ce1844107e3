#include "DualPathTransformer.h"

namespace twb::sepformer {

DualPathTransformerImpl::DualPathTransformerImpl(const TransformerSize &size,
                                                 std::int64_t maxTokens)
{
    m_positions = register_module(
        "positions",
        SinusoidalPositionalEncoding(PositionalEncodingOptions(maxTokens, size.dModel)));
    m_layers = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < size.layers; ++i)
        m_layers->push_back(TransformerEncoderLayer(
            TransformerEncoderLayerOptions(size.dModel, size.heads, size.dFF)
                .dropout(size.dropout)
                .attentionDropout(size.dropout)
                .norm(EncoderNorm::Layer)
                .normEps(1e-6)
                .activation(FeedForwardActivation::Relu)
                .preNorm(true)));
    m_norm = register_module(
        "norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({size.dModel}).eps(1e-6)));
}

torch::Tensor DualPathTransformerImpl::forward(const torch::Tensor &x,
                                               std::vector<torch::Tensor> *weights)
{
    torch::Tensor h = m_positions->forward(x);
    for (const auto &module : *m_layers) {
        AttentionRequest request;
        request.needWeights = weights != nullptr;
        EncoderLayerOutput out = module->as<TransformerEncoderLayerImpl>()->forward(h, request);
        h = out.output;
        if (weights)
            weights->push_back(out.weights);
    }
    return m_norm(h);
}

DualPathBlockImpl::DualPathBlockImpl(const TransformerSize &intra, const TransformerSize &inter,
                                     std::int64_t chunk, std::int64_t maxChunks)
{
    m_intra = register_module("intra", DualPathTransformer(intra, chunk));
    m_inter = register_module("inter", DualPathTransformer(inter, maxChunks));
    m_intraNorm = register_module(
        "intra_norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(1, intra.dModel).eps(1e-8)));
    m_interNorm = register_module(
        "inter_norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(1, inter.dModel).eps(1e-8)));
}

torch::Tensor DualPathBlockImpl::forward(const torch::Tensor &x, DualPathAttention *attention)
{
    const std::int64_t b = x.size(0), n = x.size(1), k = x.size(2), s = x.size(3);
    std::vector<torch::Tensor> intraWeights, interWeights;
    // Within each chunk: [B, N, K, S] → [B·S, K, N].
    torch::Tensor intra = x.permute({0, 3, 2, 1}).reshape({b * s, k, n});
    intra = m_intra->forward(intra, attention ? &intraWeights : nullptr);
    intra = intra.reshape({b, s, k, n}).permute({0, 3, 2, 1});
    intra = m_intraNorm(intra) + x;
    // Across the chunks at each position: [B, N, K, S] → [B·K, S, N].
    torch::Tensor inter = intra.permute({0, 2, 3, 1}).reshape({b * k, s, n});
    inter = m_inter->forward(inter, attention ? &interWeights : nullptr);
    inter = inter.reshape({b, k, s, n}).permute({0, 3, 1, 2});
    if (attention) {
        torch::NoGradGuard noGrad;
        for (const torch::Tensor &w : intraWeights) // [B·S, H, K, K]
            attention->intra.push_back(w.detach().reshape({b, s, w.size(1), k, k}).mean(1));
        for (const torch::Tensor &w : interWeights) // [B·K, H, S, S]
            attention->inter.push_back(w.detach().reshape({b, k, w.size(1), s, s}).mean(1));
    }
    return m_interNorm(inter) + intra;
}

} // namespace twb::sepformer
