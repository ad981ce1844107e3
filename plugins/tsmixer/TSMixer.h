#pragma once

#include "MixerBlock.h"
#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/Model.h"
#include "nn/RevIN.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// Defaults: the paper's tuned ETTh1 settings (lookback 512: 6 blocks, feature width 512,
/// dropout 0.9, batch normalisation, ReLU, RevIN with its affine parameters).
struct TSMixerOptions
{
    explicit TSMixerOptions(ModelSpec spec)
        : spec_(std::move(spec))
    {}

    /// Errors: an invalid forecast spec, non-positive blocks or width, dropout outside [0, 1).
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, numBlocks) = 6;
    TORCH_ARG(std::int64_t, hidden) = 512;
    TORCH_ARG(double, dropout) = 0.9;
    TORCH_ARG(MixerNorm, norm) = MixerNorm::Batch;
    TORCH_ARG(TimeMixing, timeMixing) = TimeMixing::Single;
    TORCH_ARG(bool, gelu) = false;
    /// Reversible instance normalisation with affine parameters around the whole model.
    TORCH_ARG(bool, revin) = true;
};

/// TSMixer (Chen, Li, Arik, Yoder, Pfister: "TSMixer: An All-MLP Architecture for Time Series
/// Forecasting", TMLR 2023), checked against the official tsmixer_basic code (tsmixer_rev_in,
/// res_block) and Time-Series-Library's models/TSMixer.py:
///   x [B, L, C] -> RevIN (optional, affine) -> numBlocks × MixerBlock [B, L, C]
///   -> Linear(L -> H) along time, shared by the channels -> [B, H, C] -> RevIN⁻¹.
/// The paper's model: Single time mixing, batch norm, RevIN. Time-Series-Library's: TwoLayers
/// time mixing, no normalisation, no RevIN (set those options).
/// Children: revin (if any), blocks (a ModuleList of MixerBlock), projection (Linear L->H).
/// No attention: tokens() is empty. Intermediates: "input" [B,L,C], "normalized" [B,L,C] (with
/// RevIN), "block_i" [B,L,C] (i from 0), "projection" [B,H,C], "output" [B,H,C].
/// Mechanisms (with captureAttention; not per sample, so with a leading axis of 1):
/// "block_i/time_mixing" [1, L, L] (output step × input step, MixerBlock::timeMixingWeights)
/// and "head/projection" [1, H, L] (horizon step × input step): the lags each step reads.
class TSMixerImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit TSMixerImpl(const TSMixerOptions &options);

    void reset();

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override { return {}; }

    const TSMixerOptions &options() const { return m_options; }

private:
    TSMixerOptions m_options;
    RevIN m_revin{nullptr};
    torch::nn::ModuleList m_blocks{nullptr};
    torch::nn::Linear m_projection{nullptr};
};

TORCH_MODULE(TSMixer);

} // namespace twb
