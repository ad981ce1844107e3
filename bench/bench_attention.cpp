// The cost of capturing attention: PatchTST with the paper's ETTh1 configuration (lookback 336,
// horizon 96, 7 channels, P 16, S 8, d 16, 4 heads, 3 layers, d_ff 128), batch 32 of ETTh1's
// test windows, eval mode without gradients. Median forward time with capture off and on,
// interleaved so that load from other processes hits both alike.
//   ninja -C build twb-bench-attention && build/bin/twb-bench-attention [repeats] [threads]

#include "PatchTST.h"
#include "data/DatasetLoader.h"
#include "train/Environment.h"
#include "train/ForecastData.h"

#include <QString>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace twb;

namespace {

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

double timeForward(PatchTST &model, const torch::Tensor &x, bool capture)
{
    const auto start = std::chrono::steady_clock::now();
    const ModelOutput out = model->forward(x, ForwardOptions{capture, false});
    // Touch the results so that nothing is left lazy.
    volatile float sink = out.prediction.data_ptr<float>()[0];
    if (capture)
        sink = out.attention.back().data_ptr<float>()[0];
    (void)sink;
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

} // namespace

int main(int argc, char **argv)
{
    const int repeats = argc > 1 ? std::max(5, std::atoi(argv[1])) : 100;
    const int threads = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
    keepFreedMemoryForReuse(); // as twb-cli does
    torch::set_num_threads(threads);
    const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    Expected<SeriesDataset> series = loadSeries(path);
    if (!series) {
        std::fprintf(stderr, "%s\n", qPrintable(series.error().toString()));
        return 1;
    }
    Expected<ForecastData> data =
        prepareForecastData(std::move(*series), QStringLiteral("ett-hour"), 336, 96);
    if (!data) {
        std::fprintf(stderr, "%s\n", qPrintable(data.error().toString()));
        return 1;
    }
    const torch::Tensor x = data->test.range(0, 32).x;

    ModelSpec spec;
    spec.lookback = 336;
    spec.horizon = 96;
    spec.channels = 7;
    torch::manual_seed(1);
    PatchTST model{PatchTSTOptions(spec)};
    model->eval();
    torch::NoGradGuard noGrad;
    for (int i = 0; i < 10; ++i) {
        timeForward(model, x, false);
        timeForward(model, x, true);
    }
    std::vector<double> off, on;
    for (int i = 0; i < repeats; ++i) {
        // Alternate the order as well, so that neither mode always runs with a warm cache.
        if (i % 2) {
            off.push_back(timeForward(model, x, false));
            on.push_back(timeForward(model, x, true));
        } else {
            on.push_back(timeForward(model, x, true));
            off.push_back(timeForward(model, x, false));
        }
    }
    const double mOff = median(off), mOn = median(on);
    const double overhead = 100.0 * (mOn - mOff) / mOff;
    std::printf("PatchTST ETTh1 (L 336, H 96, 7 channels, 42 patches, 3 layers x 4 heads), "
                "batch 32, eval, no grad, %d thread(s), %d repeats\n",
                threads, repeats);
    std::printf("  forward, capture off: median %.3f ms (min %.3f)\n", mOff,
                *std::min_element(off.begin(), off.end()));
    std::printf("  forward, capture on:  median %.3f ms (min %.3f)\n", mOn,
                *std::min_element(on.begin(), on.end()));
    std::printf("  overhead of capture: %+.1f %% (target <= 15 %%): %s\n", overhead,
                overhead <= 15.0 ? "met" : "NOT met");
    return 0;
}
