#pragma once

#include "FastOps.h"
#include "HeadMaskable.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Options of MultiheadAttention. The head size is dModel / numHeads (dModel must divide).
struct MultiheadAttentionOptions
{
    MultiheadAttentionOptions(std::int64_t dModel, std::int64_t numHeads)
        : dModel_(dModel)
        , numHeads_(numHeads)
    {}

    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, numHeads);
    /// Dropout on the post-softmax weights before they weigh the values (iTransformer: dropout).
    TORCH_ARG(double, attentionDropout) = 0.0;
    /// Dropout after the output projection (PatchTST's proj_dropout).
    TORCH_ARG(double, outputDropout) = 0.0;
    /// Bias in the q/k/v/out projections.
    TORCH_ARG(bool, bias) = true;
};

/// What one attention call should return besides the output, and what it should add.
struct AttentionRequest
{
    /// Fill AttentionOutput::weights. Off: no extra tensor is kept or copied.
    bool needWeights = false;
    /// Fill AttentionOutput::scores (needed by the next layer for residual attention).
    bool needScores = false;
    /// Pre-softmax scores of the previous layer, [B, heads, Tq, Tk], added before softmax
    /// (PatchTST's residual attention). Undefined = none.
    torch::Tensor prevScores;
    /// [B, Tk] bool, true = padded key: its score is set to -1e9 (not -inf, so that a row
    /// whose keys are all padded stays finite). Undefined = no padding.
    torch::Tensor keyPaddingMask;
    /// Causal (the decoder's masked self-attention): query t sees only keys 0..t; the scores
    /// of later keys are -inf (Time-Series-Library's TriangularCausalMask). Needs Tq == Tk.
    bool causal = false;
};

/// The named result of MultiheadAttention::forward.
struct AttentionOutput
{
    torch::Tensor output;  ///< [B, Tq, dModel]
    torch::Tensor weights; ///< [B, heads, Tq, Tk] post-softmax, before dropout; undefined
                           ///< unless AttentionRequest::needWeights
    torch::Tensor scores;  ///< [B, heads, Tq, Tk] pre-softmax (scaled, prevScores and mask
                           ///< applied); undefined unless AttentionRequest::needScores
};

/// Multi-head scaled dot-product attention with optional weight capture:
///   Q = query Wq, K = key Wk, V = value Wv, split into heads of size dk = dModel / heads,
///   scores = Q K^T * dk^-0.5 (+ prevScores) (padding and causal masks),
///   weights = softmax(scores),
///   output = Dropout_out(concat_heads(Dropout_attn(weights) V) Wo).
/// Heads of at most nn::kMaxFusedHeadDim values without masks or dropout on the weights go
/// through nn::smallHeadAttention (one fused kernel; same results to float rounding).
/// Parameters: q_proj, k_proj, v_proj, out_proj (torch::nn::Linear, default init).
/// Threading: one thread at a time per instance.
class MultiheadAttentionImpl : public torch::nn::Module, public HeadMaskable
{
public:
    explicit MultiheadAttentionImpl(const MultiheadAttentionOptions &options);

    void reset();

    /// query [B, Tq, dModel], key and value [B, Tk, dModel].
    AttentionOutput forward(const torch::Tensor &query, const torch::Tensor &key,
                            const torch::Tensor &value, const AttentionRequest &request = {});

    const MultiheadAttentionOptions &options() const { return m_options; }

    /// Switches heads off (the what-if edit "head off", as in Michel et al. 2019): `mask` is
    /// [heads] float, 1 = on, 0 = off, multiplying each head's output before the heads are
    /// concatenated and projected. Undefined (the default) = every head on, at no cost.
    /// The weights returned by forward() are those computed, not multiplied by the mask.
    void setHeadMask(torch::Tensor mask) override;
    const torch::Tensor &headMask() const override { return m_headMask; }
    std::int64_t headCount() const override { return m_options.numHeads(); }

    /// Keeps the pre-softmax scores [B, heads, Tq, Tk] of every following forward() (scaled,
    /// previous scores added, padding masked; detached) for recordedScores(), for views that
    /// explain a forward pass without model-specific code. Off by default; off clears them.
    void setRecordScores(bool on);
    const torch::Tensor &recordedScores() const { return m_recordedScores; }

private:
    /// Head mask, head concatenation, output projection and dropout; fills the result.
    /// perHead [B, heads, Tq, dk].
    AttentionOutput finish(torch::Tensor perHead, torch::Tensor weights, torch::Tensor scores,
                           const AttentionRequest &request);

    MultiheadAttentionOptions m_options;
    torch::nn::Linear m_qProj{nullptr};
    torch::nn::Linear m_kProj{nullptr};
    torch::nn::Linear m_vProj{nullptr};
    torch::nn::Linear m_outProj{nullptr};
    twb::nn::FastDropout m_attentionDropout{nullptr};
    twb::nn::FastDropout m_outputDropout{nullptr};
    torch::Tensor m_headMask; ///< [heads] float or undefined; not a parameter or buffer
    bool m_recordScores = false;
    torch::Tensor m_recordedScores;
};

TORCH_MODULE(MultiheadAttention);

} // namespace twb
