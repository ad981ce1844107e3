#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Options shared by both positional encodings: the longest sequence and the model width.
struct PositionalEncodingOptions
{
    PositionalEncodingOptions(std::int64_t maxLength, std::int64_t dModel)
        : maxLength_(maxLength)
        , dModel_(dModel)
    {}

    TORCH_ARG(std::int64_t, maxLength);
    TORCH_ARG(std::int64_t, dModel);
    /// Sinusoidal only: shift to zero mean and scale to std 0.1 over the whole table, as
    /// PatchTST's `sincos` encoding does. Off: the plain table of Vaswani et al.
    TORCH_ARG(bool, normalize) = false;
};

/// Fixed sinusoidal encoding (Vaswani et al. 2017): pe[t, 2i] = sin(t / 10000^(2i/d)),
/// pe[t, 2i+1] = cos(t / 10000^(2i/d)). Stored as the buffer "pe" [maxLength, dModel]
/// (saved with the module, never trained).
class SinusoidalPositionalEncodingImpl : public torch::nn::Module
{
public:
    explicit SinusoidalPositionalEncodingImpl(const PositionalEncodingOptions &options);

    void reset();

    /// x: [B, T, dModel] with T <= maxLength -> x + pe[:T].
    torch::Tensor forward(const torch::Tensor &x);

    /// The table [maxLength, dModel].
    const torch::Tensor &table() const { return m_pe; }
    const PositionalEncodingOptions &options() const { return m_options; }

private:
    PositionalEncodingOptions m_options;
    torch::Tensor m_pe;
};

TORCH_MODULE(SinusoidalPositionalEncoding);

/// Learnable encoding: the parameter "pe" [maxLength, dModel] initialised U(-0.02, 0.02)
/// (PatchTST's default `zeros` encoding with learn_pe).
class LearnablePositionalEncodingImpl : public torch::nn::Module
{
public:
    explicit LearnablePositionalEncodingImpl(const PositionalEncodingOptions &options);

    void reset();

    /// x: [B, T, dModel] with T <= maxLength -> x + pe[:T].
    torch::Tensor forward(const torch::Tensor &x);

    const torch::Tensor &table() const { return m_pe; }
    const PositionalEncodingOptions &options() const { return m_options; }

private:
    PositionalEncodingOptions m_options;
    torch::Tensor m_pe;
};

TORCH_MODULE(LearnablePositionalEncoding);

} // namespace twb
