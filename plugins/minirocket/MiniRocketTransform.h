#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// The fixed parts of MiniRocket's transform (Dempster, Schmidt, Webb: "MINIROCKET: A Very Fast
/// (Almost) Deterministic Transform for Time Series Classification", KDD 2021), as the paper
/// defines them: 84 kernels of length 9 with weights -1 and 2, dilations spread exponentially
/// up to the series length, one bias per feature drawn from quantiles of a training case's
/// convolution output, and the proportion of positive values (PPV) as the feature.

/// Kernel length, kernel count and the weights.
inline constexpr std::int64_t miniRocketKernelLength = 9;
inline constexpr std::int64_t miniRocketKernelCount = 84; ///< 9 choose 3

/// The 84 kernels [84, 9] float32: -1 everywhere and 2 at three of the nine positions, one
/// kernel per choice of the three (in lexicographic order of the positions). Each sums to 0.
torch::Tensor miniRocketKernels();

/// Dilations and how many features (biases) each kernel has at each.
struct MiniRocketLayout
{
    std::vector<std::int64_t> dilations;           ///< distinct, ascending, from 1
    std::vector<std::int64_t> featuresPerDilation; ///< per kernel, same size as dilations
    /// Feature offset of each dilation's block of 84 × featuresPerDilation[i] features.
    std::vector<std::int64_t> offsets;
    std::int64_t featureCount = 0; ///< 84 × the sum of featuresPerDilation

    /// Features are ordered dilation, then kernel, then bias: the feature of dilation i, kernel
    /// k, bias j is offsets[i] + k * featuresPerDilation[i] + j.
    std::int64_t feature(std::size_t dilation, std::int64_t kernel, std::int64_t bias) const
    {
        return offsets[dilation] + kernel * featuresPerDilation[dilation] + bias;
    }
};

/// The paper's layout for series of `length` steps: numFeatures / 84 features per kernel
/// (rounded down) spread over up to maxDilations dilations floor(2^e), e evenly spaced in
/// [0, log2((length - 1) / 8)] (duplicates merged, their features added; the features that
/// rounding leaves over go one each to the smallest dilations in turn). Series shorter than a
/// kernel get dilation 1 alone. Throws (TORCH_CHECK) unless length >= 1, numFeatures >= 84 and
/// maxDilations >= 1.
MiniRocketLayout miniRocketLayout(std::int64_t length, std::int64_t numFeatures,
                                  std::int64_t maxDilations);

/// The quantile levels of the biases: (i · φ) mod 1 for i = 1 … n, φ the golden ratio (a
/// low-discrepancy sequence in (0, 1)).
std::vector<double> goldenQuantiles(std::int64_t n);

/// Whether the features of `kernel` at the dilation with index `dilationIndex` are computed
/// over the whole output (zero padding, true) or over its valid part only (false): the paper
/// alternates between the two over kernels and dilations.
inline bool miniRocketPadded(std::size_t dilationIndex, std::int64_t kernel)
{
    return (std::int64_t(dilationIndex % 2) + kernel) % 2 == 0;
}

/// The convolution of every case with the 84 kernels at `dilation` (zero padding, output as
/// long as the input), combined over channels: out[b, k, t] = Σ_c channelMask[k, c] · (x[b, :, c]
/// ⋆ kernel k)[t]. x [B, time, channels] float32, channelMask [84, channels] (0 or 1), kernels
/// from miniRocketKernels(). Result [B, 84, time].
torch::Tensor miniRocketConvolve(const torch::Tensor &x, const torch::Tensor &kernels,
                                 const torch::Tensor &channelMask, std::int64_t dilation);

/// The proportion of positive values of conv - bias over the steps `steps` selects:
/// conv [B, K, time], biases [K, nb], steps [B, time] bool. Result [B, K, nb]; a case with no
/// selected step gets 0.
torch::Tensor proportionPositive(const torch::Tensor &conv, const torch::Tensor &biases,
                                 const torch::Tensor &steps);

/// The steps that a kernel's features read: the real steps (real [B, time] bool), and when not
/// `padded`, only those at least `dilation` · 4 steps from either end of each case's real
/// length (the convolution's valid part); a case too short for a valid part reads all its real
/// steps.
torch::Tensor miniRocketSteps(const torch::Tensor &real, std::int64_t dilation, bool padded);

} // namespace twb
