#pragma once

#include "nn/FastOps.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// How a TSMixer block normalises before each of its two MLPs (the paper's `norm_type`).
enum class MixerNorm {
    Batch, ///< batch normalisation over [time, channel] positions (statistics over the batch)
    Layer, ///< layer normalisation over the whole [time, channel] window of each sample
    None,  ///< no normalisation (Time-Series-Library's TSMixer)
};

/// The shape of a block's time-mixing MLP.
enum class TimeMixing {
    Single,    ///< the paper: one Linear(L -> L) with the activation
    TwoLayers, ///< Time-Series-Library: Linear(L -> hidden), ReLU, Linear(hidden -> L)
};

struct MixerBlockOptions
{
    MixerBlockOptions(std::int64_t length, std::int64_t channels, std::int64_t hidden)
        : length_(length)
        , channels_(channels)
        , hidden_(hidden)
    {}

    TORCH_ARG(std::int64_t, length);   ///< L, the time steps mixed
    TORCH_ARG(std::int64_t, channels); ///< C, the variables mixed
    TORCH_ARG(std::int64_t, hidden);   ///< width of the feature MLP (and of a two-layer time MLP)
    TORCH_ARG(MixerNorm, norm) = MixerNorm::Batch;
    TORCH_ARG(TimeMixing, timeMixing) = TimeMixing::Single;
    TORCH_ARG(bool, gelu) = false; ///< activation: GELU instead of ReLU
    TORCH_ARG(double, dropout) = 0.0;
};

/// One TSMixer residual block (Chen et al., TMLR 2023; the official tsmixer_basic res_block
/// and Time-Series-Library's ResBlock), on x [B, L, C]:
///   time mixing:    x = x + Dropout(Act(Linear_L(Norm(x)ᵀ))ᵀ)   (along time, shared by channels)
///   feature mixing: x = x + Dropout(Linear_C(Dropout(Act(Linear_hidden(Norm(x))))))
///                   (along channels, shared by time steps)
/// TwoLayers time mixing replaces Act(Linear_L) by Linear_L(ReLU(Linear_hidden)) followed by
/// the dropout, without the activation after it, and drops the feature MLP's inner dropout
/// (as that library). Batch normalisation uses Keras' settings
/// (eps 1e-3, running averages with momentum 0.99) over the L·C positions; a training batch of
/// one sample uses the running statistics (a batch statistic of one sample is undefined).
/// Children: time_norm, feature_norm (Batch: BatchNorm1d(L·C); Layer: LayerNorm({L, C})),
/// time_in [Linear L->L or L->hidden], time_out (TwoLayers only, hidden->L), feature_in
/// (C->hidden), feature_out (hidden->C), dropout.
/// With ReLU, the feature MLP runs as one fused kernel (nn/FusedRowMlp.h: the same values,
/// gradients and dropout masks, no [B, L, hidden] tensor stored); TWB_FUSED_MLP=0 turns it off.
class MixerBlockImpl : public torch::nn::Module
{
public:
    explicit MixerBlockImpl(const MixerBlockOptions &options);

    /// x: [B, L, C] -> [B, L, C].
    torch::Tensor forward(const torch::Tensor &x);

    /// The time-mixing map as a matrix over output × input steps: Single: the weight [L, L] of
    /// time_in; TwoLayers: time_out.weight · time_in.weight [L, L] (the map's linear part, the
    /// ReLU between them left out). A copy without gradient.
    torch::Tensor timeMixingWeights() const;

    const MixerBlockOptions &options() const { return m_options; }

private:
    enum Stage { Time = 0, Feature = 1 };
    torch::Tensor normalize(Stage stage, const torch::Tensor &x);
    torch::Tensor activate(const torch::Tensor &x) const;

    MixerBlockOptions m_options;
    torch::nn::BatchNorm1d m_batchNorm[2] = {nullptr, nullptr};
    torch::nn::LayerNorm m_layerNorm[2] = {nullptr, nullptr};
    torch::nn::Linear m_timeIn{nullptr};
    torch::nn::Linear m_timeOut{nullptr};
    torch::nn::Linear m_featureIn{nullptr};
    torch::nn::Linear m_featureOut{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
};

TORCH_MODULE(MixerBlock);

} // namespace twb
