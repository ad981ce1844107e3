#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "nn/Model.h"
#include "nn/TemporalConvNet.h"
#include "nn/WaveformCodec.h"

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Sizes of Conv-TasNet (Luo & Mesgarani 2019; Table 1's names). The defaults are the small
/// configuration that trains on a laptop CPU in well under an hour (N 128, L 16, B 64, H 128,
/// Sc 64, P 3, X 6, R 2: 0.3 M parameters; a receptive field of 1 + R(P − 1)(2^X − 1) = 253
/// frames, 0.25 s at 8 kHz); the paper's best non-causal model is N 512, L 16, B 128, H 512,
/// Sc 128, P 3, X 8, R 3 (5.05 M parameters, 1531 frames: 1.5 s).
struct ConvTasNetOptions
{
    explicit ConvTasNetOptions(ModelSpec spec)
        : spec_(std::move(spec))
    {}
    /// Errors: an invalid separation spec, a non-positive size, L not even.
    Status validate() const;

    TORCH_ARG(ModelSpec, spec);
    TORCH_ARG(std::int64_t, filters) = 128;       ///< N
    TORCH_ARG(std::int64_t, kernel) = 16;         ///< L (samples; stride L / 2)
    TORCH_ARG(std::int64_t, bottleneck) = 64;     ///< B
    TORCH_ARG(std::int64_t, hidden) = 128;        ///< H
    TORCH_ARG(std::int64_t, skip) = 64;           ///< Sc
    TORCH_ARG(std::int64_t, convKernel) = 3;      ///< P
    TORCH_ARG(std::int64_t, blocksPerRepeat) = 6; ///< X
    TORCH_ARG(std::int64_t, repeats) = 2;         ///< R
    /// The encoder's output: ReLU (true, the default of runs before this option existed, as
    /// TasNet) or linear (false, as the authors' Conv-TasNet code and Asteroid).
    TORCH_ARG(bool, encoderRelu) = true;
};

/// Conv-TasNet: mixture [B, T, 1] → encoder ReLU(Conv1d) (or linear) [B, N, K] → temporal
/// convolutional separator → sigmoid masks [B, C, N, K] → each mask times the encoding →
/// transposed-conv decoder → sources [B, C, T] (ModelOutput::prediction). No attention (tokens() is
/// empty). Children: codec (encoder, decoder), separator (TemporalConvNet).
///
/// Mechanisms (captureAttention), what the explorer shows of it:
///   "encoder/basis"     [N, L]     the encoder's learned basis signals (its filters)
///   "encoder/decoder_basis" [N, L] the decoder's synthesis signals
///   "separator/mask_energy" [B, C, K] the share of the mixture's encoder energy each source
///                       keeps per frame: sum_n m·w² / sum_n w² (w: the encoding)
/// Intermediates (captureIntermediates): "encoder" [B, N, K], "masks" [B, C, N, K] (each
/// source's mask over basis signals and frames),
/// "masked" [B, C, N, K], "sources" [B, C, T].
class ConvTasNetImpl : public Model
{
public:
    explicit ConvTasNetImpl(const ConvTasNetOptions &options);

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions &options = {}) override;
    std::vector<TokenInfo> tokens() const override { return {}; }

    const ConvTasNetOptions &options() const { return m_options; }
    /// Frames per second of the encoding (rate / (L / 2)).
    double frameRate() const;

private:
    ConvTasNetOptions m_options;
    WaveformCodec m_codec{nullptr};
    TemporalConvNet m_separator{nullptr};
};

} // namespace twb
