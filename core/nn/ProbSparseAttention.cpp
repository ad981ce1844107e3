#include "ProbSparseAttention.h"

#include <ATen/CPUGeneratorImpl.h>

#include "FastOps.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace twb {

namespace {

/// The keys sampled for each query [1, 1, tq, sampled]: from the global generator while
/// training (seeded runs reproduce), from a generator with a fixed seed in eval mode, so that
/// one input always gives one forecast (evaluation, the explorer and what-if compare passes).
torch::Tensor drawKeySample(std::int64_t tk, std::int64_t tq, std::int64_t sampled, bool training)
{
    if (training)
        return torch::randint(tk, {1, 1, tq, sampled}, torch::kLong);
    at::Generator fixed = at::make_generator<at::CPUGeneratorImpl>(std::uint64_t(2021));
    return torch::randint(tk, {1, 1, tq, sampled}, fixed, torch::kLong);
}

} // namespace

ProbSparseAttentionImpl::ProbSparseAttentionImpl(const ProbSparseAttentionOptions &options)
    : m_options(options)
{
    reset();
}

void ProbSparseAttentionImpl::reset()
{
    TORCH_CHECK(m_options.dModel() > 0 && m_options.numHeads() > 0,
                "ProbSparseAttention: dModel and numHeads must be positive");
    TORCH_CHECK(m_options.dModel() % m_options.numHeads() == 0, "ProbSparseAttention: dModel ",
                m_options.dModel(), " is not divisible by numHeads ", m_options.numHeads());
    TORCH_CHECK(m_options.factor() > 0, "ProbSparseAttention: factor must be positive");
    const auto linear = [this] {
        return torch::nn::LinearOptions(m_options.dModel(), m_options.dModel())
            .bias(m_options.bias());
    };
    m_qProj = register_module("q_proj", torch::nn::Linear(linear()));
    m_kProj = register_module("k_proj", torch::nn::Linear(linear()));
    m_vProj = register_module("v_proj", torch::nn::Linear(linear()));
    m_outProj = register_module("out_proj", torch::nn::Linear(linear()));
}

std::int64_t ProbSparseAttentionImpl::sampleCount(std::int64_t factor, std::int64_t length)
{
    const auto logCeil = static_cast<std::int64_t>(std::ceil(std::log(double(length))));
    return std::clamp<std::int64_t>(factor * logCeil, 1, std::max<std::int64_t>(1, length));
}

void ProbSparseAttentionImpl::setHeadMask(torch::Tensor mask)
{
    TORCH_CHECK(!mask.defined() || (mask.dim() == 1 && mask.size(0) == m_options.numHeads()),
                "ProbSparseAttention: the head mask must be [", m_options.numHeads(), "]");
    m_headMask = std::move(mask);
}

ProbSparseOutput ProbSparseAttentionImpl::forward(const torch::Tensor &query,
                                                  const torch::Tensor &key,
                                                  const torch::Tensor &value,
                                                  const AttentionRequest &request)
{
    TORCH_CHECK(query.dim() == 3 && key.dim() == 3 && value.dim() == 3,
                "ProbSparseAttention: query, key and value must be [B, T, dModel]");
    TORCH_CHECK(!request.prevScores.defined() && !request.keyPaddingMask.defined(),
                "ProbSparseAttention: previous scores and key padding are not supported");
    const std::int64_t batch = query.size(0);
    const std::int64_t tq = query.size(1);
    const std::int64_t tk = key.size(1);
    const std::int64_t heads = m_options.numHeads();
    const std::int64_t headDim = m_options.dModel() / heads;
    TORCH_CHECK(!request.causal || tq == tk,
                "ProbSparseAttention: causal attention needs as many queries as keys, got ", tq,
                " and ", tk);

    // [B, T, d] -> [B, heads, T, dk]
    const auto split = [&](const torch::Tensor &x, std::int64_t t) {
        return x.view({batch, t, heads, headDim}).transpose(1, 2);
    };
    const torch::Tensor q = split(m_qProj(query), tq);
    const torch::Tensor k = split(m_kProj(key), tk);
    const torch::Tensor v = split(m_vProj(value), tk);

    const std::int64_t sampled = sampleCount(m_options.factor(), tk);
    const std::int64_t active = sampleCount(m_options.factor(), tq);

    // Choose the active queries: the sparsity measure over the sampled keys.
    torch::Tensor top; // [B, heads, u]
    {
        torch::NoGradGuard noGrad;
        const torch::Tensor sample = drawKeySample(tk, tq, sampled, is_training())
                                         .to(query.device())
                                         .expand({batch, heads, tq, sampled});
        const torch::Tensor sampledScores =
            torch::matmul(q, k.transpose(-2, -1)).gather(-1, sample); // [B, heads, Tq, U]
        const torch::Tensor sparsity =
            std::get<0>(sampledScores.max(-1)) - sampledScores.sum(-1) / double(tk);
        top = std::get<1>(sparsity.topk(active, -1, /*largest=*/true, /*sorted=*/false));
    }

    // Full attention for the active queries.
    const torch::Tensor activeQ =
        q.gather(2, top.unsqueeze(-1).expand({batch, heads, active, headDim}));
    torch::Tensor scores =
        torch::matmul(activeQ, k.transpose(-2, -1)) * (1.0 / std::sqrt(double(headDim)));
    if (request.causal) {
        const torch::Tensor later =
            torch::arange(tk, top.options()).view({1, 1, 1, tk}) > top.unsqueeze(-1);
        scores = scores.masked_fill(later, -std::numeric_limits<float>::infinity());
    }
    const torch::Tensor weights = nn::softmaxLastDim(scores); // [B, heads, u, Tk]
    const torch::Tensor activeContext = torch::matmul(weights, v);

    // The lazy queries' context, overwritten at the active ones.
    const torch::Tensor lazy =
        request.causal ? v.cumsum(2)
                       : v.mean(2, /*keepdim=*/true).expand({batch, heads, tq, headDim});
    torch::Tensor context =
        lazy.scatter(2, top.unsqueeze(-1).expand({batch, heads, active, headDim}), activeContext);
    if (m_headMask.defined())
        context = context * m_headMask.to(context.options()).view({1, heads, 1, 1});
    const torch::Tensor combined =
        m_options.mixHeads() ? context.contiguous().view({batch, tq, m_options.dModel()})
                             : context.transpose(1, 2).reshape({batch, tq, m_options.dModel()});

    ProbSparseOutput out;
    out.output = m_outProj(combined);
    if (request.needWeights) {
        const torch::Tensor lazyWeights =
            request.causal
                ? torch::ones({tq, tk}, weights.options()).tril().expand({batch, heads, tq, tk})
                : torch::full({batch, heads, tq, tk}, 1.0 / double(tk), weights.options());
        out.weights =
            lazyWeights.scatter(2, top.unsqueeze(-1).expand({batch, heads, active, tk}), weights);
        out.activeQueries = std::get<0>(top.sort(-1));
    }
    return out;
}

} // namespace twb
