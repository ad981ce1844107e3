#pragma once

#include "HeadMaskable.h"
#include "MultiheadAttention.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Options of ProbSparseAttention. The head size is dModel / numHeads (dModel must divide).
struct ProbSparseAttentionOptions
{
    ProbSparseAttentionOptions(std::int64_t dModel, std::int64_t numHeads)
        : dModel_(dModel)
        , numHeads_(numHeads)
    {}

    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, numHeads);
    /// c of the paper: c * ceil(ln L_K) sampled keys per query, c * ceil(ln L_Q) active
    /// queries (Time-Series-Library's --factor; its ETTh1 scripts use 3, Informer2020 5).
    TORCH_ARG(std::int64_t, factor) = 5;
    /// Combine the heads' contexts [B, heads, Tq, dk] by viewing their memory as [B, Tq,
    /// heads * dk] without moving the head axis back, as the official code does (Informer2020's
    /// decoder "mix"; in Time-Series-Library every ProbSparse layer): output token t then holds
    /// the contexts of heads*t .. heads*t + heads - 1 of the flattened (head, query) order, not
    /// query t's. Off: the usual concatenation of the heads per query.
    TORCH_ARG(bool, mixHeads) = false;
    /// Bias in the q/k/v/out projections.
    TORCH_ARG(bool, bias) = true;
};

/// The named result of ProbSparseAttention::forward.
struct ProbSparseOutput
{
    torch::Tensor output; ///< [B, Tq, dModel]
    /// [B, heads, Tq, Tk] when AttentionRequest::needWeights, else undefined: the active
    /// queries' rows are their softmax; a lazy row holds the weights its output was computed
    /// with: 1 / Tk on every key (mean of V), or 1 on keys 0..t when causal (the official
    /// cumsum of V, a sum and not a mean, so such a row sums to t + 1).
    torch::Tensor weights;
    /// [B, heads, u] int64, ascending: the queries that got full attention; when needWeights.
    torch::Tensor activeQueries;
};

/// Informer's ProbSparse self-attention (Zhou et al., AAAI 2021), following the official code:
///   Q = query Wq, K = key Wk, V = value Wv, split into heads of size dk = dModel / heads;
///   U = min(factor * ceil(ln Tk), Tk) keys sampled per query, uniformly with replacement,
///   the same sample for every sample and head (training: torch::randint on the global
///   generator, so torch::manual_seed reproduces it; eval mode: a generator with the fixed
///   seed 2021, so that one input always gives the same output — evaluation, the explorer and
///   what-if compare forward passes);
///   sparsity M(q) = max_j(q k_j) - sum_j(q k_j) / Tk over the sampled keys;
///   the u = min(factor * ceil(ln Tq), Tq) queries of largest M are active and get
///   softmax(q K^T * dk^-0.5) V (causal: keys after the query masked);
///   the lazy queries get mean(V) over the keys, or cumsum(V) up to their position when causal
///   (which needs Tq == Tk);
///   output = (contexts combined, see mixHeads) Wo.
/// No dropout on the attention weights: the official module defines one and never applies it.
/// The sparsity scores are computed without gradient (they only choose queries), as the
/// columns of Q K^T at the sampled keys.
/// Parameters: q_proj, k_proj, v_proj, out_proj (torch::nn::Linear, default init), named as
/// MultiheadAttention's so that one's state loads into the other.
/// Threading: one thread at a time per instance.
class ProbSparseAttentionImpl : public torch::nn::Module, public HeadMaskable
{
public:
    explicit ProbSparseAttentionImpl(const ProbSparseAttentionOptions &options);

    void reset();

    /// query [B, Tq, dModel], key and value [B, Tk, dModel]. Of `request` only needWeights and
    /// causal are read; prevScores and keyPaddingMask are refused (c10::Error).
    ProbSparseOutput forward(const torch::Tensor &query, const torch::Tensor &key,
                             const torch::Tensor &value, const AttentionRequest &request = {});

    const ProbSparseAttentionOptions &options() const { return m_options; }

    /// min(factor * ceil(ln length), length): the sampled keys (length = Tk) or the active
    /// queries (length = Tq). At least 1.
    static std::int64_t sampleCount(std::int64_t factor, std::int64_t length);

    /// As MultiheadAttention: `mask` [heads] float multiplies each head's context before the
    /// heads are combined; undefined = every head on. Weights are reported unmasked.
    void setHeadMask(torch::Tensor mask) override;
    const torch::Tensor &headMask() const override { return m_headMask; }
    std::int64_t headCount() const override { return m_options.numHeads(); }

private:
    ProbSparseAttentionOptions m_options;
    torch::nn::Linear m_qProj{nullptr};
    torch::nn::Linear m_kProj{nullptr};
    torch::nn::Linear m_vProj{nullptr};
    torch::nn::Linear m_outProj{nullptr};
    torch::Tensor m_headMask; ///< [heads] float or undefined; not a parameter or buffer
};

TORCH_MODULE(ProbSparseAttention);

} // namespace twb
