#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

struct WaveformCodecOptions
{
    WaveformCodecOptions(std::int64_t filters, std::int64_t kernel)
        : filters_(filters)
        , kernel_(kernel)
        , stride_(kernel / 2)
    {}
    TORCH_ARG(std::int64_t, filters); ///< N: basis signals of the encoder (and decoder)
    TORCH_ARG(std::int64_t, kernel);  ///< L: samples per basis signal (16 at 8 kHz: 2 ms)
    TORCH_ARG(std::int64_t, stride);  ///< S: samples between frames; L must be a multiple of S
                                      ///< (default L / 2: 50 % overlap, as Conv-TasNet)
    /// ReLU after the encoder's convolution (a non-negative representation, as TasNet and
    /// SpeechBrain's SepFormer); false = linear, as the Conv-TasNet authors' code.
    TORCH_ARG(bool, rectify) = true;
};

/// The learned analysis/synthesis pair of Conv-TasNet (Luo & Mesgarani 2019) and SepFormer
/// (Subakan et al. 2021), which replace the STFT of earlier separation models:
///   encode: waveform [B, T] → ReLU(Conv1d(1 → N, L, stride S)) = [B, N, K], non-negative
///           (without the ReLU when options.rectify is false);
///   decode: [..., N, K] → ConvTranspose1d(N → 1, L, stride S), overlap-added → [..., T].
/// The waveform is zero-padded by L − S samples at the front and L − S (plus what completes
/// the last frame) at the end, so that every sample is covered by exactly L / S frames and
/// decode() cuts the result back to the original T samples. K = (T + extra) / S + L / S − 1
/// frames, extra = (S − T mod S) mod S.
/// Threading: as any torch module. Children: encoder (Conv1d, no bias), decoder
/// (ConvTranspose1d, no bias), both initialised as LibTorch's defaults.
class WaveformCodecImpl : public torch::nn::Module
{
public:
    explicit WaveformCodecImpl(const WaveformCodecOptions &options);

    /// waveform [B, T] (float) → [B, N, K]. T >= 1.
    torch::Tensor encode(const torch::Tensor &waveform);
    /// representation [B, N, K] or [B, C, N, K] (C sources, e.g. masked copies) → [B, T] or
    /// [B, C, T], cut to `length` samples (the T given to encode()).
    torch::Tensor decode(const torch::Tensor &representation, std::int64_t length);
    /// Frames K that encode() makes of `length` samples.
    std::int64_t frames(std::int64_t length) const;

    const WaveformCodecOptions &options() const { return m_options; }
    torch::nn::Conv1d encoder{nullptr};
    torch::nn::ConvTranspose1d decoder{nullptr};

private:
    WaveformCodecOptions m_options;
};
TORCH_MODULE(WaveformCodec);

/// Global layer normalisation (gLN, Conv-TasNet): each example's [N, K] normalised by its mean
/// and variance over both N and K, then scaled and shifted per channel:
///   gLN(F) = (F − mean) / sqrt(var + eps) · γ + β,   γ, β ∈ R^N (ones and zeros at start).
/// x: [B, N, K] → [B, N, K]. eps 1e-8 as the paper's code.
class GlobalLayerNormImpl : public torch::nn::Module
{
public:
    explicit GlobalLayerNormImpl(std::int64_t channels, double eps = 1e-8);
    torch::Tensor forward(const torch::Tensor &x);

    torch::Tensor gamma, beta;

private:
    double m_eps;
};
TORCH_MODULE(GlobalLayerNorm);

} // namespace twb
