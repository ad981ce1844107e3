#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/EncoderOptions.h"
#include "nn/FastOps.h"
#include "nn/Model.h"
#include "nn/Patching.h"
#include "nn/PositionalEncoding.h"
#include "nn/RevIN.h"
#include "nn/TransformerEncoder.h"

#include <torch/torch.h>

#include <cstdint>
#include <optional>

namespace twb {

enum class PositionalEncodingKind {
    Learnable,  ///< U(-0.02, 0.02) initialised, trained (PatchTST's default)
    Sinusoidal, ///< fixed sin/cos table, normalised as PatchTST's `sincos`
};

/// Defaults: the paper's ETTh1 settings (PatchTST/42 with L = 336).
/// The encoder's dropout applies after the positional encoding and in the encoder (residual
/// branches, FFN, attention output projection).
struct PatchTSTOptions : EncoderOptions<PatchTSTOptions>
{
    static constexpr EncoderSize defaultEncoder{
        .dModel = 16, .numHeads = 4, .dFF = 128, .numLayers = 3, .dropout = 0.3};

    explicit PatchTSTOptions(ModelSpec spec)
        : EncoderOptions(defaultEncoder)
        , spec_(std::move(spec))
    {}

    /// Errors: an invalid forecast (or reconstruct) spec, lookback < patch length, dModel not
    /// divisible by numHeads, non-positive sizes, dropouts outside [0, 1); for pretraining
    /// also overlapping patches (stride != patch length) and a mask ratio outside (0, 1).
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, patchLength) = 16;
    TORCH_ARG(std::int64_t, stride) = 8;
    /// On the attention weights.
    TORCH_ARG(double, attentionDropout) = 0.0;
    /// The pretraining head's dropout (before Linear(d -> P)); unused by the flatten head of
    /// the supervised model.
    TORCH_ARG(double, fcDropout) = 0.3;
    /// Pretraining: the share of each channel's patches hidden (the paper's 40 %).
    TORCH_ARG(double, maskRatio) = 0.4;
    /// After the flatten head.
    TORCH_ARG(double, headDropout) = 0.0;
    TORCH_ARG(bool, revin) = true;
    TORCH_ARG(bool, affine) = false;
    TORCH_ARG(bool, subtractLast) = false;
    TORCH_ARG(bool, residualAttention) = false;
    TORCH_ARG(EncoderNorm, norm) = EncoderNorm::Batch;
    TORCH_ARG(PositionalEncodingKind, positionalEncoding) = PositionalEncodingKind::Learnable;
};

/// PatchTST, supervised (Nie et al., ICLR 2023), following the official implementation:
///   x [B, L, M] -> RevIN -> [B, M, L] -> patches [B, M, N, P] -> Linear(P -> d) shared by
///   channels -> [B*M, N, d] + positional encoding -> Dropout -> Transformer encoder (post-norm,
///   BatchNorm by default, optional residual attention) -> [B, M, d, N] -> flatten
///   -> Linear(d*N -> H) -> Dropout -> [B, H, M] -> RevIN denormalisation.
/// Children: revin, patching, patch_embedding, positional_encoding, dropout, encoder,
/// head (Linear), head_dropout.
/// Attention: per layer [B*M, heads, N, N], row b * M + c; tokens() are the N patches.
/// Intermediates: "input" [B,L,M], "revin" [B,L,M], "patches" [B,M,N,P], "embedding" [B*M,N,d],
/// "encoder_layer_i" [B*M,N,d] (i from 0), "head" [B,M,H] (before denormalisation),
/// "output" [B,H,M].
///
/// Self-supervised (spec.task Reconstruct, PatchTSTPretrain.cpp; Nie et al. section 3.2):
/// non-overlapping patches (stride == patch_len); the patches that ForwardOptions::hidden
/// marks (a block of P steps per channel, MaskingScheme::Patches) are set to zero after RevIN
/// and patching; the encoder's outputs go through Dropout(fc_dropout) -> Linear(d -> P) (child
/// pretrain_head, instead of head) -> [B, M, N, P] -> the first L steps -> [B, L, M] -> RevIN
/// denormalisation: prediction = the reconstructed input [B, L, M]. The trainer scores the hidden
/// values alone (on the data's normalised scale, not RevIN's). Fine-tuning loads every tensor
/// but pretrain_head into a forecasting PatchTST of the same patches and width: the backbone
/// has no tensor that depends on the channels (RevIN affine aside), so another channel count
/// or horizon loads; another lookback changes positional_encoding's shape and does not.
/// Intermediates as above, with "masked_patches" [B,M,N,P] after "patches" and
/// "reconstruction" [B,L,M] instead of "head".
class PatchTSTImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit PatchTSTImpl(const PatchTSTOptions &options);

    void reset();

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override;
    bool channelIndependentAttention() const override { return true; }

    std::int64_t numPatches() const;
    std::optional<MaskingScheme> maskingScheme() const override;
    const PatchTSTOptions &options() const { return m_options; }

private:
    /// The self-supervised forward pass (PatchTSTPretrain.cpp).
    ModelOutput reconstruct(const torch::Tensor &input, const ForwardOptions &options);
    /// [B*M, N, d] tokens of `patches` [B, M, N, P]: embedding, positions, dropout.
    torch::Tensor embed(const torch::Tensor &patches);

    PatchTSTOptions m_options;
    RevIN m_revin{nullptr};
    Patching m_patching{nullptr};
    torch::nn::Linear m_patchEmbedding{nullptr};
    LearnablePositionalEncoding m_learnablePe{nullptr};
    SinusoidalPositionalEncoding m_sinusoidalPe{nullptr};
    twb::nn::FastDropout m_dropout{nullptr};
    TransformerEncoder m_encoder{nullptr};
    torch::nn::Linear m_head{nullptr};
    twb::nn::FastDropout m_pretrainDropout{nullptr};
    torch::nn::Linear m_pretrainHead{nullptr};
    twb::nn::FastDropout m_headDropout{nullptr};
};

TORCH_MODULE(PatchTST);

} // namespace twb
