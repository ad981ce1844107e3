#pragma once

#include "InceptionBlock.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

/// The series [B, T, N] zero-padded at its end to rows * period steps (rows = ceil(T /
/// period)) and folded to 2-D: [B, N, rows, period], element (b, n, r, c) = x(b, r * period +
/// c, n) (0 where r * period + c >= T). Each row is one cycle, each column one phase.
/// Throws c10::Error for a period outside 1..T or a tensor that is not 3-D.
torch::Tensor foldByPeriod(const torch::Tensor &x, std::int64_t period);

/// The inverse of foldByPeriod: [B, N, rows, period] -> [B, length, N], the first `length`
/// steps (the padding cut off). Throws c10::Error for length > rows * period.
torch::Tensor unfoldPeriod(const torch::Tensor &folded, std::int64_t length);

/// The periods TimesNet picks (Time-Series-Library models/TimesNet.py, FFT_for_Period).
struct PeriodChoice
{
    /// |rfft(x)| over time, averaged over the batch and the channels, DC set to 0:
    /// [T / 2 + 1], frequency f = cycles per T steps.
    torch::Tensor spectrum;
    /// The k frequencies with the largest spectrum, strongest first.
    std::vector<std::int64_t> frequencies;
    /// periods[j] = T / frequencies[j] (integer division).
    std::vector<std::int64_t> periods;
    /// |rfft(x)| of each sample at the chosen frequencies, averaged over the channels: [B, k]
    /// (not detached: the softmax weights that combine the k results learn through it).
    torch::Tensor amplitudes;
};

/// The top-k frequencies of x [B, T, N] (k in 1..T/2). Throws c10::Error otherwise.
PeriodChoice choosePeriods(const torch::Tensor &x, std::int64_t k);

struct TimesBlockOptions
{
    TimesBlockOptions(std::int64_t dModel, std::int64_t dFF)
        : dModel_(dModel)
        , dFF_(dFF)
    {}
    TORCH_ARG(std::int64_t, dModel);
    TORCH_ARG(std::int64_t, dFF);
    TORCH_ARG(std::int64_t, topK) = 5;       ///< top_k periods
    TORCH_ARG(std::int64_t, numKernels) = 6; ///< num_kernels of each Inception block
};

/// What a TimesBlock computed besides its output, for the forward-pass view.
struct TimesBlockTrace
{
    PeriodChoice choice;
    torch::Tensor weights; ///< softmax of choice.amplitudes over k: [B, k]
    /// The input's channel (of N) that varies most over the batch and time.
    std::int64_t foldChannel = 0;
    /// Per period j: that channel folded, [B, rows_j, p_j] (foldByPeriod).
    std::vector<torch::Tensor> folds;
};

/// One TimesBlock (Time-Series-Library models/TimesNet.py): for x [B, T, d]
///   choose k periods p_j (choosePeriods);
///   y_j = unfoldPeriod(conv(foldByPeriod(x, p_j)), T) with conv = Inception(d -> d_ff), GELU,
///         Inception(d_ff -> d) (the same weights for every period);
///   out = sum_j softmax_j(amplitudes)[b] * y_j + x  -> [B, T, d].
/// The periods are chosen on the whole batch, so a sample's output depends on the batch it
/// is in (as in the official code); in evaluation with one sample they are its own.
/// Children: inception_in, inception_out. T may change between calls (k <= T / 2).
class TimesBlockImpl : public torch::nn::Module
{
public:
    /// Throws c10::Error for non-positive sizes.
    explicit TimesBlockImpl(const TimesBlockOptions &options);
    void reset();

    /// trace: filled when not null.
    torch::Tensor forward(const torch::Tensor &x, TimesBlockTrace *trace = nullptr);

    const TimesBlockOptions &options() const { return m_options; }

private:
    TimesBlockOptions m_options;
    InceptionBlock m_in{nullptr};
    InceptionBlock m_out{nullptr};
};

TORCH_MODULE(TimesBlock);

} // namespace twb
