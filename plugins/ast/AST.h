#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/FastOps.h"
#include "nn/Model.h"
#include "nn/TransformerEncoder.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Defaults: a CPU-sized AST (d_model 96, 4 heads, 4 blocks, MLP ratio 4, 16x16 patches with
/// stride 10 in time and frequency, as the paper).
struct ASTOptions
{
    explicit ASTOptions(ModelSpec spec)
        : spec_(std::move(spec))
    {}

    /// Errors: an invalid classification spec, non-positive sizes, patches larger than the
    /// spectrogram, dModel not divisible by numHeads, dropout outside [0, 1).
    Status validate() const;

    /// The spec's lookback is the number of frames, its channels the number of mel bins.
    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, dModel) = 96;
    TORCH_ARG(std::int64_t, numHeads) = 4;
    TORCH_ARG(std::int64_t, numLayers) = 4;
    TORCH_ARG(std::int64_t, mlpRatio) = 4;
    TORCH_ARG(std::int64_t, patchSize) = 16;
    TORCH_ARG(std::int64_t, frequencyStride) = 10;
    TORCH_ARG(std::int64_t, timeStride) = 10;
    TORCH_ARG(double, dropout) = 0.1;

public:
    std::int64_t frequencyPatches() const;
    std::int64_t timePatches() const;
};

/// The Audio Spectrogram Transformer (Gong, Chung & Glass, Interspeech 2021), trained from
/// scratch (no ImageNet/AudioSet weights here):
///   x [B, frames, mels] -> [B, 1, mels, frames] -> Conv2d(1 -> d, 16x16, stride (fs, ts))
///   -> F*T patch tokens (frequency-major: token = f * T + t) -> [CLS, DIST, patches]
///   + learned positions -> Dropout -> pre-norm ViT blocks (GELU MLP) -> LayerNorm
///   -> mean(CLS, DIST) -> LayerNorm -> Linear(d -> classes) = logits.
/// Children: patch_embedding, cls_token, dist_token, positions, dropout, encoder, norm, head_norm,
/// head. Attention: per layer [B, heads, 2 + F*T, 2 + F*T]; tokens(): 2 Special, then Tiles
/// (frames [t*ts, t*ts+16) x mel bins [f*fs, f*fs+16)).
/// Intermediates: "input" [B,frames,mels], "patches" [B,F*T,d], "encoder_layer_i",
/// "pooled" [B,d], "logits" [B,classes].
class ASTImpl : public Model
{
public:
    /// Throws c10::Error if options.validate() fails.
    explicit ASTImpl(const ASTOptions &options);

    void reset();

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override;

    const ASTOptions &options() const { return m_options; }

private:
    ASTOptions m_options;
    torch::nn::Conv2d m_patchEmbedding{nullptr};
    torch::Tensor m_clsToken;
    torch::Tensor m_distToken;
    torch::Tensor m_positions;
    twb::nn::FastDropout m_dropout{nullptr};
    TransformerEncoder m_encoder{nullptr};
    torch::nn::LayerNorm m_headNorm{nullptr};
    torch::nn::Linear m_head{nullptr};
};

TORCH_MODULE(AST);

} // namespace twb
