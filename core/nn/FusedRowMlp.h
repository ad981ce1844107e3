#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb::nn {

/// The widest input and output fusedRowMlp() is written for: the short side of the
/// perceptron (the channels of a series), whose weights stay in the first-level cache.
constexpr std::int64_t kMaxFusedRowMlpWidth = 64;

/// A two-layer perceptron applied to every row of x, its hidden layer never stored:
///     y = W2 · dropout_p(relu(W1 · x + b1)) + b2.
///
/// Why: TSMixer's feature mixing (7 channels → 512 → 7 at each of 32 × 512 steps of a batch)
/// made LibTorch 1.13 pack K = 7 matrices for OpenBLAS, allocate, zero and drop [16384, 512]
/// tensors and pass over them element by element, forward and backward (a profile of the
/// paper's ETTh1 setting: 23 % of the time in OpenBLAS packing, 15 % zeroing fresh memory,
/// 10 % in dropout masks). Here each row's hidden values are made, used and dropped in the
/// first-level cache, and the backward makes them again from x instead of reading them back.
/// Timed by `twb-bench-fastops` against the unfused path.
///
/// Shapes: x [..., in]; w1 [hidden, in]; b1 [hidden]; w2 [out, hidden]; b2 [out] → [..., out],
/// with in, out <= kMaxFusedRowMlpWidth and any hidden. Float32 or float64 on the CPU, all of
/// one dtype; any strides (x is made contiguous).
/// Dropout: when training and p > 0, the hidden values are dropped exactly as nn::dropout
/// (FastOps.h) drops a [rows, hidden] tensor under one seed drawn from torch's default
/// generator, so with the same seed this equals Linear → relu → nn::dropout → Linear to float
/// rounding (tests/core/nn/tst_fusedrowmlp). NaN propagates as in the unfused path.
/// Gradients flow to x, w1, b1, w2 and b2 (first order only: no double backward).
/// Threading: parallel over rows on LibTorch's intra-op threads; no state, reentrant.
torch::Tensor fusedRowMlp(const torch::Tensor &x, const torch::Tensor &w1, const torch::Tensor &b1,
                          const torch::Tensor &w2, const torch::Tensor &b2, double p,
                          bool training);

/// True when fusedRowMlp() serves x with these weights (CPU, float32 or float64 throughout,
/// in and out within kMaxFusedRowMlpWidth, biases present) and the switch below is on.
bool fusedRowMlpServes(const torch::Tensor &x, const torch::Tensor &w1, const torch::Tensor &b1,
                       const torch::Tensor &w2, const torch::Tensor &b2);

/// A process-wide switch, on unless the environment sets TWB_FUSED_MLP=0 at start-up, so that
/// the same binary can time and check both paths. Thread-safe.
bool fusedRowMlpEnabled();
void setFusedRowMlpEnabled(bool on);

} // namespace twb::nn
