#include "MultiheadAttention.h"

#include "FastOps.h"
#include "SmallHeadAttention.h"

#include <cmath>
#include <limits>

namespace twb {

MultiheadAttentionImpl::MultiheadAttentionImpl(const MultiheadAttentionOptions &options)
    : m_options(options)
{
    reset();
}

void MultiheadAttentionImpl::reset()
{
    TORCH_CHECK(m_options.dModel() > 0 && m_options.numHeads() > 0,
                "MultiheadAttention: dModel and numHeads must be positive");
    TORCH_CHECK(m_options.dModel() % m_options.numHeads() == 0, "MultiheadAttention: dModel ",
                m_options.dModel(), " is not divisible by numHeads ", m_options.numHeads());
    const auto linear = [this] {
        return torch::nn::LinearOptions(m_options.dModel(), m_options.dModel())
            .bias(m_options.bias());
    };
    m_qProj = register_module("q_proj", torch::nn::Linear(linear()));
    m_kProj = register_module("k_proj", torch::nn::Linear(linear()));
    m_vProj = register_module("v_proj", torch::nn::Linear(linear()));
    m_outProj = register_module("out_proj", torch::nn::Linear(linear()));
    m_attentionDropout =
        register_module("attention_dropout", twb::nn::FastDropout(m_options.attentionDropout()));
    m_outputDropout =
        register_module("output_dropout", twb::nn::FastDropout(m_options.outputDropout()));
}

void MultiheadAttentionImpl::setHeadMask(torch::Tensor mask)
{
    TORCH_CHECK(!mask.defined() || (mask.dim() == 1 && mask.size(0) == m_options.numHeads()),
                "MultiheadAttention: the head mask must be [", m_options.numHeads(), "]");
    m_headMask = std::move(mask);
}

void MultiheadAttentionImpl::setRecordScores(bool on)
{
    m_recordScores = on;
    if (!on)
        m_recordedScores = torch::Tensor();
}

AttentionOutput MultiheadAttentionImpl::forward(const torch::Tensor &query,
                                                const torch::Tensor &key,
                                                const torch::Tensor &value,
                                                const AttentionRequest &request)
{
    TORCH_CHECK(query.dim() == 3 && key.dim() == 3 && value.dim() == 3,
                "MultiheadAttention: query, key and value must be [B, T, dModel]");
    const std::int64_t batch = query.size(0);
    const std::int64_t tq = query.size(1);
    const std::int64_t tk = key.size(1);
    const std::int64_t heads = m_options.numHeads();
    const std::int64_t headDim = m_options.dModel() / heads;

    // [B, T, d] -> [B, heads, T, dk]
    const auto split = [&](const torch::Tensor &x, std::int64_t t) {
        return x.view({batch, t, heads, headDim}).transpose(1, 2);
    };
    const torch::Tensor q = split(m_qProj(query), tq);
    const torch::Tensor k = split(m_kProj(key), tk);
    const torch::Tensor v = split(m_vProj(value), tk);

    const double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
    const bool dropsWeights = is_training() && m_options.attentionDropout() > 0.0;
    if (!dropsWeights && !request.keyPaddingMask.defined() && !request.causal &&
        nn::fusedAttentionServes(q)) {
        nn::FusedAttentionResult fused = nn::smallHeadAttention(q, k, v, request.prevScores, scale);
        if (m_recordScores)
            m_recordedScores = fused.scores.detach();
        return finish(std::move(fused.output), std::move(fused.weights), std::move(fused.scores),
                      request);
    }

    torch::Tensor scores = torch::matmul(q, k.transpose(-2, -1)) * scale;
    if (request.prevScores.defined())
        scores = scores + request.prevScores;
    if (request.keyPaddingMask.defined()) {
        TORCH_CHECK(request.keyPaddingMask.dim() == 2 && request.keyPaddingMask.size(0) == batch &&
                        request.keyPaddingMask.size(1) == tk,
                    "MultiheadAttention: keyPaddingMask must be [B, Tk]");
        scores = scores.masked_fill(request.keyPaddingMask.to(torch::kBool).view({batch, 1, 1, tk}),
                                    -1e9);
    }
    if (request.causal) {
        TORCH_CHECK(tq == tk, "MultiheadAttention: causal needs Tq == Tk, got ", tq, " and ", tk);
        const torch::Tensor later =
            torch::ones({tq, tk}, scores.options().dtype(torch::kBool)).triu(1);
        scores = scores.masked_fill(later, -std::numeric_limits<float>::infinity());
    }
    if (m_recordScores)
        m_recordedScores = scores.detach();
    const torch::Tensor weights = nn::softmaxLastDim(scores);
    torch::Tensor perHead = torch::matmul(m_attentionDropout(weights), v); // [B, heads, Tq, dk]
    return finish(std::move(perHead), weights, std::move(scores), request);
}

AttentionOutput MultiheadAttentionImpl::finish(torch::Tensor perHead, torch::Tensor weights,
                                               torch::Tensor scores,
                                               const AttentionRequest &request)
{
    const std::int64_t batch = perHead.size(0);
    const std::int64_t heads = perHead.size(1);
    const std::int64_t tq = perHead.size(2);
    if (m_headMask.defined())
        perHead = perHead * m_headMask.to(perHead.options()).view({1, heads, 1, 1});
    const torch::Tensor context = perHead.transpose(1, 2).reshape({batch, tq, m_options.dModel()});

    AttentionOutput out;
    out.output = m_outputDropout(m_outProj(context));
    if (request.needWeights)
        out.weights = std::move(weights);
    if (request.needScores)
        out.scores = std::move(scores);
    return out;
}

} // namespace twb
