#pragma once

#include <torch/torch.h>

namespace twb::nn {

/// Softmax over the last dimension: a hand-written forward, the stock backward kernel.
///
/// Why: Debian's LibTorch 1.13 build runs the `torch::softmax` forward on attention-shaped
/// tensors ([B·M, heads, N, N] with N ≈ 42) about seven times slower than the same arithmetic
/// written as max / exp / sum / divide; its backward kernel is fast and is reused. Measured by
/// `twb-bench-fastops` (bench/bench_fast_ops.cpp): forward+backward 22 ms instead of 48 ms on
/// [896, 4, 42, 42] with 2 threads. Results equal torch::softmax to float rounding.
torch::Tensor softmaxLastDim(const torch::Tensor &scores);

/// Inverted dropout: zero each element with probability p and scale the rest by 1/(1−p).
///
/// Why: the stock dropout draws its mask with bernoulli_, one generator call per element, and
/// keeps the mask for the backward. Here one 64-bit seed is drawn from the global generator
/// per call and each element's keep decision is a 32-bit hash of (seed, index) compared with
/// (1−p)·2³², computed in vectorised integer arithmetic; the backward recomputes the mask from
/// the seed, so nothing is stored. `twb-bench-fastops` times it against the stock dropout.
/// Same distribution and expectation (checked in tst_fastops: rate, expectation, pairs of
/// neighbours, two calls independent); torch::manual_seed makes it reproducible. CPU float
/// and double; other dtypes and devices use a uniform draw per element.
/// Identity when !training or p == 0. The result is a new contiguous tensor.
torch::Tensor dropout(const torch::Tensor &input, double p, bool training);

/// A module wrapper around dropout() so layers can hold it like torch::nn::Dropout.
struct FastDropoutImpl : torch::nn::Module
{
    explicit FastDropoutImpl(double p = 0.5)
        : p(p)
    {}
    torch::Tensor forward(const torch::Tensor &input)
    {
        return nn::dropout(input, p, is_training());
    }
    double p;
};
TORCH_MODULE(FastDropout);

} // namespace twb::nn
