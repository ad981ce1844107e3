#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

struct SeriesDecompositionOptions
{
    SeriesDecompositionOptions(std::int64_t kernelSize = 25)
        : kernelSize_(kernelSize)
    {}

    /// Moving-average window; odd and >= 1 (DLinear: 25).
    TORCH_ARG(std::int64_t, kernelSize);
};

/// The two parts of a decomposed series, both [B, L, C].
struct Decomposition
{
    torch::Tensor seasonal; ///< x - trend
    torch::Tensor trend;    ///< moving average
};

/// DLinear's series_decomp: trend = moving average with window k and stride 1 over the series
/// padded by repeating its first and last value (k - 1) / 2 times, seasonal = x - trend.
/// No parameters.
class SeriesDecompositionImpl : public torch::nn::Module
{
public:
    explicit SeriesDecompositionImpl(const SeriesDecompositionOptions &options = {});

    void reset();

    /// x: [B, L, C] -> {seasonal, trend}, each [B, L, C].
    Decomposition forward(const torch::Tensor &x);

    const SeriesDecompositionOptions &options() const { return m_options; }

private:
    SeriesDecompositionOptions m_options;
};

TORCH_MODULE(SeriesDecomposition);

} // namespace twb
