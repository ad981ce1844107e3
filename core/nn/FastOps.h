#pragma once

#include <torch/torch.h>

namespace twb::nn {

/// Softmax over the last dimension, with a hand-written backward.
///
/// Why: Debian's LibTorch 1.13 build runs `torch::softmax` on attention-shaped tensors
/// ([B·M, heads, N, N] with N ≈ 42) at about 0.07 G elements/s, ten times slower than the same
/// arithmetic written as max / exp / sum / divide (bench/fast_ops measures both). The backward
/// is the closed form dx = y ⊙ (g − Σ g⊙y). Results equal torch::softmax to float rounding.
torch::Tensor softmaxLastDim(const torch::Tensor &scores);

/// Inverted dropout: zero each element with probability p and scale the rest by 1/(1−p).
///
/// Why: the stock dropout draws its mask with bernoulli_, which in this LibTorch build costs
/// about 3× more than drawing uniforms and comparing (bench/fast_ops). Same distribution, same
/// expectation; uses the global generator, so torch::manual_seed makes it reproducible.
/// Identity when !training or p == 0.
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
