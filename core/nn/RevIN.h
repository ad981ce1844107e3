#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Options of RevIN (Kim et al., ICLR 2022, "Reversible Instance Normalization").
struct RevINOptions
{
    explicit RevINOptions(std::int64_t numChannels)
        : numChannels_(numChannels)
    {}

    TORCH_ARG(std::int64_t, numChannels);
    TORCH_ARG(double, eps) = 1e-5;
    /// Learnable per-channel scale (init 1) and shift (init 0) after normalising.
    TORCH_ARG(bool, affine) = false;
    /// Centre on the last time step instead of the mean (PatchTST's subtract_last).
    TORCH_ARG(bool, subtractLast) = false;
};

/// Per-instance, per-channel normalisation over time with exact reversal:
///   normalize:   y = (x - mean) / std  (* weight + bias if affine)
///   denormalize: x = (y - bias) / (weight + eps^2) * std + mean
/// with mean and biased std (sqrt(var + eps)) over the time axis of each sample and channel,
/// computed without gradient. normalize() keeps the statistics for the next denormalize(),
/// so the two calls must be paired on the same batch.
/// Parameters (affine only): weight [C], bias [C].
/// Threading: one thread at a time per instance (the statistics are state).
class RevINImpl : public torch::nn::Module
{
public:
    explicit RevINImpl(const RevINOptions &options);

    void reset();

    /// x: [B, T, C] -> [B, T, C] normalised; stores mean/std (and last) of x.
    torch::Tensor normalize(const torch::Tensor &x);
    /// y: [B, T', C] (any time length) -> original scale using the stored statistics.
    torch::Tensor denormalize(const torch::Tensor &y) const;

    /// The statistics of the last normalize(): [B, 1, C] each (undefined before).
    const torch::Tensor &mean() const { return m_mean; }
    const torch::Tensor &stdev() const { return m_stdev; }

    const RevINOptions &options() const { return m_options; }

private:
    RevINOptions m_options;
    torch::Tensor m_weight;
    torch::Tensor m_bias;
    torch::Tensor m_mean;
    torch::Tensor m_stdev;
    torch::Tensor m_last;
};

TORCH_MODULE(RevIN);

} // namespace twb
