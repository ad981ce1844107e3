#pragma once

#include "WaveformCodec.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Sizes of Conv-TasNet's temporal convolutional separator (Luo & Mesgarani 2019, Table 1's
/// names). The paper's best non-causal model: N 512, B 128, Sc 128, H 512, P 3, X 8, R 3.
struct TemporalConvNetOptions
{
    TemporalConvNetOptions(std::int64_t inputChannels, std::int64_t sources)
        : inputChannels_(inputChannels)
        , sources_(sources)
    {}
    TORCH_ARG(std::int64_t, inputChannels);       ///< N: the encoder's basis signals
    TORCH_ARG(std::int64_t, sources);             ///< C: masks made, one per source
    TORCH_ARG(std::int64_t, bottleneck) = 128;    ///< B: channels between the blocks
    TORCH_ARG(std::int64_t, skip) = 128;          ///< Sc: channels of the skip paths
    TORCH_ARG(std::int64_t, hidden) = 512;        ///< H: channels inside a block
    TORCH_ARG(std::int64_t, kernel) = 3;          ///< P: depthwise kernel size
    TORCH_ARG(std::int64_t, blocksPerRepeat) = 8; ///< X: dilations 1, 2, ..., 2^(X−1)
    TORCH_ARG(std::int64_t, repeats) = 3;         ///< R
};

/// One 1-D convolutional block: 1×1 conv B → H, PReLU, gLN, depthwise conv (kernel P, dilation
/// d, "same" padding: non-causal), PReLU, gLN, then 1×1 convs H → B (the residual, added to
/// the input) and H → Sc (the skip output). x [batch, B, K] → {residual [batch, B, K],
/// skip [batch, Sc, K]}.
class TcnBlockImpl : public torch::nn::Module
{
public:
    TcnBlockImpl(const TemporalConvNetOptions &options, std::int64_t dilation);
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor &x);

private:
    torch::nn::Conv1d m_in{nullptr}, m_depthwise{nullptr}, m_residual{nullptr}, m_skip{nullptr};
    torch::nn::PReLU m_act1{nullptr}, m_act2{nullptr};
    GlobalLayerNorm m_norm1{nullptr}, m_norm2{nullptr};
};
TORCH_MODULE(TcnBlock);

/// Conv-TasNet's separator: gLN over the encoder output, 1×1 conv N → B, R × X blocks with
/// dilations 1 … 2^(X−1) in each repeat, the sum of their skip outputs, PReLU, 1×1 conv
/// Sc → C·N, sigmoid: masks [batch, C, N, K] in (0, 1) for representation [batch, N, K].
/// Receptive field: 1 + R · (P − 1) · (2^X − 1) frames. Children: norm, bottleneck,
/// blocks.<i>, output_act, output.
class TemporalConvNetImpl : public torch::nn::Module
{
public:
    explicit TemporalConvNetImpl(const TemporalConvNetOptions &options);
    torch::Tensor forward(const torch::Tensor &representation);
    std::int64_t receptiveField() const;
    const TemporalConvNetOptions &options() const { return m_options; }

private:
    TemporalConvNetOptions m_options;
    GlobalLayerNorm m_norm{nullptr};
    torch::nn::Conv1d m_bottleneck{nullptr}, m_output{nullptr};
    torch::nn::ModuleList m_blocks{nullptr};
    torch::nn::PReLU m_outputAct{nullptr};
};
TORCH_MODULE(TemporalConvNet);

} // namespace twb
