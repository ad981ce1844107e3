#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

struct InceptionBlockOptions
{
    InceptionBlockOptions(std::int64_t inChannels, std::int64_t outChannels)
        : inChannels_(inChannels)
        , outChannels_(outChannels)
    {}
    TORCH_ARG(std::int64_t, inChannels);
    TORCH_ARG(std::int64_t, outChannels);
    /// Kernels of sizes 1, 3, ..., 2 * numKernels - 1 (num_kernels; 6 gives 1 .. 11).
    TORCH_ARG(std::int64_t, numKernels) = 6;
};

/// TimesNet's 2-D Inception block (Time-Series-Library layers/Conv_Blocks.py,
/// Inception_Block_V1): numKernels Conv2d(in -> out, kernel 2i+1, padding i, stride 1), whose
/// outputs (all the size of the input) are averaged:
///   y = 1/n * sum_i conv2d(x, W_i, b_i, padding i).
/// Weights Kaiming-normal (fan_out, ReLU: std = sqrt(2 / (out * (2i+1)^2))), biases 0, as the
/// official _initialize_weights.
/// Computed as one convolution with the mean of the kernels zero-padded to the largest size
/// (the convolution is linear in its kernel, and padding i centres each kernel): the same
/// values and gradients as the n convolutions for 121 instead of 286 multiply-adds per output
/// and channel pair at six kernels; kernel rows and columns that would only meet the zero
/// padding (beyond H - 1 or W - 1 from the centre) are left out.
/// Children: kernels (a ModuleList, kernels.i of size 2i+1).
/// x: [B, inChannels, H, W] float -> [B, outChannels, H, W].
class InceptionBlockImpl : public torch::nn::Module
{
public:
    /// Throws c10::Error for non-positive sizes.
    explicit InceptionBlockImpl(const InceptionBlockOptions &options);
    void reset();

    torch::Tensor forward(const torch::Tensor &x);

    /// Kernel i (of size 2i+1).
    torch::nn::Conv2d kernel(std::int64_t i) const;
    const InceptionBlockOptions &options() const { return m_options; }

private:
    InceptionBlockOptions m_options;
    torch::nn::ModuleList m_kernels{nullptr};
};

TORCH_MODULE(InceptionBlock);

} // namespace twb
