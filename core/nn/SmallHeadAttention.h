#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb::nn {

/// The three results of smallHeadAttention().
struct FusedAttentionResult
{
    torch::Tensor output;  ///< [B, H, Tq, D]  weights · v
    torch::Tensor scores;  ///< [B, H, Tq, Tk] pre-softmax: scale · q kᵀ (+ prevScores)
    torch::Tensor weights; ///< [B, H, Tq, Tk] softmax(scores) over the keys
};

/// The largest head size smallHeadAttention() is written for. Above it the stock matrix
/// products win: their packing cost is paid back by the longer inner products.
constexpr std::int64_t kMaxFusedHeadDim = 32;

/// Scaled dot-product attention for small heads, one pass per (batch, head) through a single
/// hand-written kernel, with a hand-written backward:
///   scores  = scale · q kᵀ (+ prevScores),   weights = softmax(scores),   output = weights v.
///
/// Why: with PatchTST/42's heads (D = 4, 42 tokens) LibTorch 1.13 spends most of an attention
/// call packing tiny matrices for OpenBLAS and in separate element-wise passes (scale, add,
/// softmax); this kernel keeps a head's keys and values in cache and does the arithmetic once.
/// Measured by `twb-bench-fastops` (bench/bench_fast_ops.cpp) against the unfused path.
///
/// Shapes: q [B, H, Tq, D]; k and v [B, H, Tk, D]; prevScores [B, H, Tq, Tk] or undefined.
/// D <= kMaxFusedHeadDim. Any strides whose last one is 1 (the head-split views of a
/// projection are read in place); prevScores is made contiguous. Float32 or float64 on the
/// CPU, all of one dtype. No masks and no dropout: callers that need them take the unfused
/// path (see fusedAttentionServes()).
/// Gradients flow to q, k, v and prevScores from all three results (the scores feed the next
/// layer in residual attention; the weights may be read by a loss).
/// Float32 uses a polynomial exp (Cephes, about 1 ulp); float64 uses std::exp. The results
/// equal the unfused computation to float rounding (tests/core/nn/tst_smallheadattention).
/// Threading: parallel over B·H on LibTorch's intra-op threads; no state, reentrant.
FusedAttentionResult smallHeadAttention(const torch::Tensor &q, const torch::Tensor &k,
                                        const torch::Tensor &v, const torch::Tensor &prevScores,
                                        double scale);

/// True when smallHeadAttention() serves a head-split query like `q` (CPU, float32 or float64,
/// head size <= kMaxFusedHeadDim, last stride 1) and the switch below is on.
bool fusedAttentionServes(const torch::Tensor &q);

/// A process-wide switch, on unless the environment sets TWB_FUSED_ATTENTION=0 at start-up,
/// so that the same binary can time and check both paths. Thread-safe.
bool fusedAttentionEnabled();
void setFusedAttentionEnabled(bool on);

} // namespace twb::nn
