#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

struct ChannelLinearOptions
{
    ChannelLinearOptions(std::int64_t channels, std::int64_t inFeatures, std::int64_t outFeatures)
        : channels_(channels)
        , inFeatures_(inFeatures)
        , outFeatures_(outFeatures)
    {}

    TORCH_ARG(std::int64_t, channels);
    TORCH_ARG(std::int64_t, inFeatures);
    TORCH_ARG(std::int64_t, outFeatures);
    TORCH_ARG(bool, bias) = true;
};

/// One independent Linear(in -> out) per channel, computed in one batched contraction (the
/// `individual` variants of DLinear and PatchTST's head, which loop over nn.Linear modules).
/// Parameters: weight [channels, out, in], bias [channels, out], each channel initialised
/// like torch::nn::Linear (U(-1/sqrt(in), 1/sqrt(in))).
class ChannelLinearImpl : public torch::nn::Module
{
public:
    explicit ChannelLinearImpl(const ChannelLinearOptions &options);

    void reset();

    /// x: [B, channels, in] -> [B, channels, out].
    torch::Tensor forward(const torch::Tensor &x);

    torch::Tensor &weight() { return m_weight; }
    torch::Tensor &bias() { return m_bias; }
    const ChannelLinearOptions &options() const { return m_options; }

private:
    ChannelLinearOptions m_options;
    torch::Tensor m_weight;
    torch::Tensor m_bias;
};

TORCH_MODULE(ChannelLinear);

} // namespace twb
