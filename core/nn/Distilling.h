#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace twb {

struct DistillingLayerOptions
{
    explicit DistillingLayerOptions(std::int64_t dModel)
        : dModel_(dModel)
    {}
    TORCH_ARG(std::int64_t, dModel);
    /// Circular padding of the convolution: 1 keeps the length (Informer2020, the paper:
    /// T -> ceil(T / 2), 96 -> 48 -> 24); 2 is what Time-Series-Library's ConvLayer writes (it
    /// dropped Informer2020's switch for torch < 1.5), the convolution then lengthens by 2 and
    /// T -> floor((T + 1) / 2) + 1 (96 -> 49 -> 26).
    TORCH_ARG(std::int64_t, padding) = 1;
};

/// Informer's self-attention distilling between two encoder layers (the official ConvLayer):
///   x [B, T, d] -> Conv1d(d -> d, kernel 3, circular padding, bias) over time -> BatchNorm1d(d)
///   -> ELU -> MaxPool1d(kernel 3, stride 2, padding 1) -> [B, outputLength(T), d].
/// Children: down_conv, norm. Threading: one thread at a time per instance.
class DistillingLayerImpl : public torch::nn::Module
{
public:
    explicit DistillingLayerImpl(const DistillingLayerOptions &options);
    void reset();

    /// x: [B, T, dModel] with T >= 1. Throws c10::Error on other shapes.
    torch::Tensor forward(const torch::Tensor &x);

    /// The output length for an input of `length` tokens.
    std::int64_t outputLength(std::int64_t length) const;

    /// What each output token covers, given what each input token covers ([begin, end) of
    /// the input steps): the union of the input tokens the max-pool window reads through the
    /// convolution's centre tap. The convolution's neighbours (one token each side, wrapping
    /// around circularly at the ends) are not counted.
    std::vector<std::pair<std::int64_t, std::int64_t>>
    outputRanges(const std::vector<std::pair<std::int64_t, std::int64_t>> &input) const;

    const DistillingLayerOptions &options() const { return m_options; }

private:
    DistillingLayerOptions m_options;
    torch::nn::Conv1d m_conv{nullptr};
    torch::nn::BatchNorm1d m_norm{nullptr};
};

TORCH_MODULE(DistillingLayer);

} // namespace twb
