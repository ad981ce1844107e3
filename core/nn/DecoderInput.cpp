#include "DecoderInput.h"

namespace twb {

namespace {

void checkShapes(const torch::Tensor &history, std::int64_t labelLen, std::int64_t horizon)
{
    TORCH_CHECK(history.dim() == 3, "decoder input: history must be [B, L, C], got ",
                history.sizes());
    TORCH_CHECK(labelLen >= 0 && labelLen <= history.size(1),
                "decoder input: label_len must lie in 0..lookback (", history.size(1), "), got ",
                labelLen);
    TORCH_CHECK(horizon >= 1, "decoder input: the horizon must be at least 1, got ", horizon);
}

torch::Tensor lastSteps(const torch::Tensor &x, std::int64_t count)
{
    return x.narrow(1, x.size(1) - count, count);
}

} // namespace

torch::Tensor zeroDecoderInput(const torch::Tensor &history, std::int64_t labelLen,
                               std::int64_t horizon)
{
    checkShapes(history, labelLen, horizon);
    return torch::cat(
        {lastSteps(history, labelLen),
         torch::zeros({history.size(0), horizon, history.size(2)}, history.options())},
        1);
}

Decomposition decomposedDecoderInput(const torch::Tensor &history, std::int64_t labelLen,
                                     std::int64_t horizon, SeriesDecomposition &decomposition)
{
    checkShapes(history, labelLen, horizon);
    const Decomposition parts = decomposition->forward(history);
    const torch::Tensor mean = history.mean(1, /*keepdim=*/true).expand({-1, horizon, -1});
    Decomposition out;
    out.seasonal =
        torch::cat({lastSteps(parts.seasonal, labelLen),
                    torch::zeros({history.size(0), horizon, history.size(2)}, history.options())},
                   1);
    out.trend = torch::cat({lastSteps(parts.trend, labelLen), mean}, 1);
    return out;
}

torch::Tensor decoderMarks(const torch::Tensor &historyMarks, const torch::Tensor &futureMarks,
                           std::int64_t labelLen)
{
    TORCH_CHECK(historyMarks.dim() == 3 && futureMarks.dim() == 3 &&
                    historyMarks.size(0) == futureMarks.size(0) &&
                    historyMarks.size(2) == futureMarks.size(2),
                "decoder marks: [B, L, F] and [B, H, F] expected, got ", historyMarks.sizes(),
                " and ", futureMarks.sizes());
    TORCH_CHECK(labelLen >= 0 && labelLen <= historyMarks.size(1),
                "decoder marks: label_len must lie in 0..lookback (", historyMarks.size(1),
                "), got ", labelLen);
    return torch::cat({lastSteps(historyMarks, labelLen), futureMarks}, 1);
}

} // namespace twb
