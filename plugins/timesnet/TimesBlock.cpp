#include "TimesBlock.h"

#include <algorithm>

namespace twb {

torch::Tensor foldByPeriod(const torch::Tensor &x, std::int64_t period)
{
    TORCH_CHECK(x.dim() == 3, "foldByPeriod: x must be [B, T, N], got ", x.sizes());
    const std::int64_t steps = x.size(1);
    TORCH_CHECK(period >= 1 && period <= steps, "foldByPeriod: the period must lie in 1..", steps,
                ", got ", period);
    const std::int64_t rows = (steps + period - 1) / period;
    const std::int64_t padding = rows * period - steps;
    const torch::Tensor padded =
        padding > 0 ? torch::constant_pad_nd(x, {0, 0, 0, padding}, 0.0) : x;
    return padded.reshape({x.size(0), rows, period, x.size(2)}).permute({0, 3, 1, 2}).contiguous();
}

torch::Tensor unfoldPeriod(const torch::Tensor &folded, std::int64_t length)
{
    TORCH_CHECK(folded.dim() == 4, "unfoldPeriod: the input must be [B, N, rows, period], got ",
                folded.sizes());
    const std::int64_t steps = folded.size(2) * folded.size(3);
    TORCH_CHECK(length >= 0 && length <= steps, "unfoldPeriod: length must lie in 0..", steps,
                ", got ", length);
    return folded.permute({0, 2, 3, 1})
        .reshape({folded.size(0), steps, folded.size(1)})
        .narrow(1, 0, length);
}

PeriodChoice choosePeriods(const torch::Tensor &x, std::int64_t k)
{
    TORCH_CHECK(x.dim() == 3, "choosePeriods: x must be [B, T, N], got ", x.sizes());
    const std::int64_t steps = x.size(1);
    TORCH_CHECK(k >= 1 && k <= steps / 2, "choosePeriods: k must lie in 1..", steps / 2, " for ",
                steps, " steps, got ", k);
    const torch::Tensor amplitude = torch::abs(torch::fft::rfft(x, c10::nullopt, 1)); // [B,F,N]
    const torch::Tensor perSample = amplitude.mean(-1);                               // [B, F]
    PeriodChoice choice;
    {
        torch::NoGradGuard noGrad;
        choice.spectrum = perSample.mean(0).detach().clone();
        choice.spectrum[0] = 0.0;
    }
    const torch::Tensor top = std::get<1>(choice.spectrum.topk(k)).to(torch::kCPU);
    const auto *index = top.data_ptr<std::int64_t>();
    for (std::int64_t j = 0; j < k; ++j) {
        // A spectrum of zeros (a constant input) can rank DC among the top: read it as one
        // cycle rather than divide by zero.
        const std::int64_t f = std::max<std::int64_t>(index[j], 1);
        choice.frequencies.push_back(f);
        choice.periods.push_back(steps / f);
    }
    choice.amplitudes =
        perSample.index_select(1, torch::tensor(choice.frequencies, torch::kLong).to(x.device()));
    return choice;
}

TimesBlockImpl::TimesBlockImpl(const TimesBlockOptions &options)
    : m_options(options)
{
    reset();
}

void TimesBlockImpl::reset()
{
    TORCH_CHECK(m_options.dModel() > 0 && m_options.dFF() > 0 && m_options.topK() > 0 &&
                    m_options.numKernels() > 0,
                "TimesBlock: sizes, top_k and num_kernels must be positive");
    m_in = register_module("inception_in",
                           InceptionBlock(InceptionBlockOptions(m_options.dModel(), m_options.dFF())
                                              .numKernels(m_options.numKernels())));
    m_out = register_module(
        "inception_out", InceptionBlock(InceptionBlockOptions(m_options.dFF(), m_options.dModel())
                                            .numKernels(m_options.numKernels())));
}

torch::Tensor TimesBlockImpl::forward(const torch::Tensor &x, TimesBlockTrace *trace)
{
    TORCH_CHECK(x.dim() == 3 && x.size(2) == m_options.dModel(), "TimesBlock: x must be [B, T, ",
                m_options.dModel(), "], got ", x.sizes());
    const std::int64_t steps = x.size(1);
    PeriodChoice choice = choosePeriods(x, m_options.topK());
    std::vector<torch::Tensor> results;
    for (std::int64_t period : choice.periods) {
        const torch::Tensor folded = foldByPeriod(x, period);
        const torch::Tensor mixed = m_out(torch::gelu(m_in(folded)));
        results.push_back(unfoldPeriod(mixed, steps));
    }
    const torch::Tensor weights = torch::softmax(choice.amplitudes, 1); // [B, k]
    const torch::Tensor stacked = torch::stack(results, -1);            // [B, T, d, k]
    const torch::Tensor out = (stacked * weights.unsqueeze(1).unsqueeze(1)).sum(-1) + x;
    if (trace) {
        torch::NoGradGuard noGrad;
        // One of the d channels, the one that varies most over the batch and time: a mean over
        // d would be flat after the LayerNorm that ends every block.
        const torch::Tensor detached = x.detach();
        trace->foldChannel = detached.reshape({-1, x.size(2)}).var(0).argmax().item<std::int64_t>();
        const torch::Tensor series = detached.narrow(2, trace->foldChannel, 1); // [B, T, 1]
        for (std::int64_t period : choice.periods)
            trace->folds.push_back(foldByPeriod(series, period).squeeze(1));
        trace->weights = weights.detach();
        trace->choice = std::move(choice);
        trace->choice.amplitudes = trace->choice.amplitudes.detach();
    }
    return out;
}

} // namespace twb
