#pragma once

#include "DualPathTransformer.h"
#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/Model.h"
#include "nn/WaveformCodec.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Sizes of SepFormer (Subakan et al. 2021). The paper (and SpeechBrain's WSJ0-2mix recipe):
/// N 256, L 16 (stride 8), chunk 250, 2 dual-path blocks, 8 intra and 8 inter layers, 8 heads,
/// feed-forward 1024, dropout 0 (25.7 M parameters). The defaults are a small configuration
/// for a CPU: N 64, chunk 100, 2 blocks of 2 + 2 layers, 4 heads, feed-forward 256.
struct SepFormerOptions
{
    explicit SepFormerOptions(ModelSpec spec)
        : spec_(std::move(spec))
    {}
    /// Errors: an invalid separation spec, a non-positive size, N not divisible by the heads,
    /// an odd chunk or L, dropout outside [0, 1).
    Status validate() const;
    /// Frames the encoder makes of the spec's samples.
    std::int64_t frames() const;
    /// Chunks of those frames (chunkCount).
    std::int64_t chunks() const;
    sepformer::TransformerSize transformer(std::int64_t layers) const
    {
        return {filters(), heads(), dFF(), layers, dropout()};
    }

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, filters) = 64;    ///< N: encoder basis signals = model width
    TORCH_ARG(std::int64_t, kernel) = 16;     ///< L: samples per basis signal, stride L / 2
    TORCH_ARG(std::int64_t, chunk) = 100;     ///< frames per chunk (50 % overlap)
    TORCH_ARG(std::int64_t, blocks) = 2;      ///< dual-path blocks
    TORCH_ARG(std::int64_t, intraLayers) = 2; ///< transformer layers within chunks, per block
    TORCH_ARG(std::int64_t, interLayers) = 2; ///< transformer layers across chunks, per block
    TORCH_ARG(std::int64_t, heads) = 4;
    TORCH_ARG(std::int64_t, dFF) = 256;
    TORCH_ARG(double, dropout) = 0.0;
};

/// SepFormer: mixture [B, T, 1] → encoder ReLU(Conv1d) w [B, N, K] → masking network → masks
/// [B, C, N, K] → w · mask per source → decoder → sources [B, C, T]. The masking network, as
/// SpeechBrain's Dual_Path_Model for SepFormer: GroupNorm(1, N) → 1×1 conv (no bias) → chunks
/// of `chunk` frames, 50 % overlap (chunkFrames) → `blocks` DualPathBlocks → PReLU → 1×1 conv2d
/// N → C·N → per source overlap-add of the chunks (summed) → tanh(1×1 conv) · sigmoid(1×1
/// conv) → 1×1 conv (no bias) → ReLU. Mixtures of any length separate, up to 2048 chunks (the
/// inter-chunk positional table's size).
/// Children: codec, norm, conv_in, blocks.<i>, prelu, conv_out, output, output_gate, end_conv.
///
/// Attention (captureAttention): per block, its intra layers then its inter layers. An intra
/// entry is [B, heads, chunk, chunk], the map averaged over the chunks (tokens: the frames of
/// a chunk, encoderLayerTokens gives their offsets); an inter entry is [B, heads, S, S], the
/// map averaged over the frames within the chunks (tokens: the chunks, with the time range of
/// the mixture each covers). tokens() describes the first layer's (intra) tokens.
/// Mechanisms: "separator/mask_energy" [B, C, K] (as Conv-TasNet's), "encoder/basis" [N, L].
/// Intermediates: "encoder", "masks" [B, C, N, K], "masked", "sources" (as Conv-TasNet's).
class SepFormerImpl : public Model
{
public:
    explicit SepFormerImpl(const SepFormerOptions &options);

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override { return encoderLayerTokens(0); }
    std::vector<TokenInfo> encoderLayerTokens(std::size_t layer) const override;

    const SepFormerOptions &options() const { return m_options; }
    /// Whether attention entry `layer` is an intra-chunk one (else inter-chunk).
    bool isIntraLayer(std::size_t layer) const;

private:
    torch::Tensor masks(const torch::Tensor &encoding, sepformer::DualPathAttention *attention);

    SepFormerOptions m_options;
    WaveformCodec m_codec{nullptr};
    torch::nn::GroupNorm m_norm{nullptr};
    torch::nn::Conv1d m_convIn{nullptr}, m_output{nullptr}, m_outputGate{nullptr},
        m_endConv{nullptr};
    torch::nn::ModuleList m_blocks{nullptr};
    torch::nn::PReLU m_prelu{nullptr};
    torch::nn::Conv2d m_convOut{nullptr};
};

} // namespace twb
