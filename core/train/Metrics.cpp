#include "Metrics.h"
#include "ShardedPrediction.h"
#include "nn/EvalModeGuard.h"
#include "nn/Model.h"

#include <cmath>

namespace twb {

namespace {

struct ErrorSums
{
    double squared = 0.0;
    double absolute = 0.0;

    /// Over the values of channel `scored` of row-major [..., channels] buffers (all: -1).
    void add(const float *prediction, const float *truth, std::size_t n, std::int64_t channels,
             std::int64_t scored)
    {
        const std::size_t first = scored >= 0 ? std::size_t(scored) : 0;
        const std::size_t step = scored >= 0 ? std::size_t(channels) : 1;
        for (std::size_t i = first; i < n; i += step) {
            const double e = double(prediction[i]) - double(truth[i]);
            squared += e * e;
            absolute += std::abs(e);
        }
    }
};

} // namespace

ForecastMetrics evaluateForecast(Model &model, const ForecastWindows &windows,
                                 const StandardScaler &scaler, std::int64_t batchSize,
                                 ForecastPredictions *keep, std::int64_t scoredChannel,
                                 ProcessGroup *group)
{
    const std::int64_t horizon = windows.horizon(), channels = windows.channels();
    if (keep) {
        *keep = {};
        keep->windows = windows.size();
        keep->horizon = horizon;
        keep->channels = channels;
    }
    // Data parallel, the ranks share the forward passes; one process streams batch by batch.
    const torch::Tensor predicted =
        group ? predictAll(model, windows, batchSize, group) : torch::Tensor();
    EvalModeGuard evalMode(model);
    ErrorSums normalised, original;
    std::vector<float> prediction, truth;
    for (std::int64_t begin = 0; begin < windows.size(); begin += batchSize) {
        const std::int64_t end = std::min(windows.size(), begin + batchSize);
        const ForecastBatch batch = windows.range(begin, end);
        const torch::Tensor y = batch.y.contiguous();
        const torch::Tensor out =
            predicted.defined()
                ? predicted.narrow(0, begin, end - begin)
                : model.forward(batch.x, batchForwardOptions(batch)).prediction.contiguous();
        TORCH_CHECK(out.sizes() == y.sizes(), "the model predicted shape ", out.sizes(),
                    " for a target of ", y.sizes());
        const std::size_t n = std::size_t(out.numel());
        prediction.assign(out.data_ptr<float>(), out.data_ptr<float>() + n);
        truth.assign(y.data_ptr<float>(), y.data_ptr<float>() + n);
        normalised.add(prediction.data(), truth.data(), n, channels, scoredChannel);
        if (keep) {
            keep->prediction.insert(keep->prediction.end(), prediction.begin(), prediction.end());
            keep->truth.insert(keep->truth.end(), truth.begin(), truth.end());
        }
        const std::int64_t rows = (end - begin) * horizon;
        scaler.inverseTransform(prediction.data(), rows, channels);
        scaler.inverseTransform(truth.data(), rows, channels);
        original.add(prediction.data(), truth.data(), n, channels, scoredChannel);
        if (keep) {
            keep->predictionOriginal.insert(keep->predictionOriginal.end(), prediction.begin(),
                                            prediction.end());
            keep->truthOriginal.insert(keep->truthOriginal.end(), truth.begin(), truth.end());
        }
    }

    ForecastMetrics m;
    m.windows = windows.size();
    const double count = double(windows.size() * horizon * (scoredChannel >= 0 ? 1 : channels));
    if (count > 0) {
        m.mse = normalised.squared / count;
        m.mae = normalised.absolute / count;
        m.mseOriginal = original.squared / count;
        m.maeOriginal = original.absolute / count;
    }
    return m;
}

} // namespace twb
