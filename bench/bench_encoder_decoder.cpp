// The size and the training cost of the four encoder-decoder forecasters (Transformer, Informer,
// Autoformer, FEDformer) at the ETTh1 settings: 7 channels, lookback 96, horizon 96, 4 calendar
// features, every other option at its default (Time-Series-Library's ETTh1 scripts). Per model:
// the parameter count, and the median and the minimum milliseconds of one training step's
// forward + backward (MSE against a random target, no optimiser step) on a random batch of 32
// with random calendar marks, after one warm-up step. Once, first: the machine's matrix-product
// speed, GFLOP/s of a Linear 512 -> 2048 (the feed-forward map of these models) forward +
// backward on 3072 tokens (32 x 96), best of three after a warm-up. Prints the torch threads and
// the OpenBLAS core that LibTorch's matrix products run on.
//
//   /work/twb-build twb-bench-encdec && build/bin/twb-bench-encdec --repeats 3
//   build/bin/twb-bench-encdec [--repeats N (3)] [--threads N (1)]
//                              [--models transformer,informer,autoformer,fedformer (all)]

#include "Autoformer.h"
#include "FEDformer.h"
#include "Informer.h"
#include "VanillaTransformer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#ifdef TWB_HAVE_OPENBLAS
// From libopenblas, which LibTorch links; bench/CMakeLists.txt links it to this program too and
// defines TWB_HAVE_OPENBLAS when it finds the library.
extern "C" char *openblas_get_corename();
#endif

using namespace twb;

namespace {

constexpr std::int64_t batch = 32;

/// The OpenBLAS kernel set in use (Haswell, SkylakeX, Prescott ...). Without libopenblas to link
/// against (TWB_HAVE_OPENBLAS undefined), the core cannot be asked: then the OPENBLAS_CORETYPE
/// override from the environment, or "default" (OpenBLAS picks the core for the CPU).
std::string openblasCore()
{
#ifdef TWB_HAVE_OPENBLAS
    if (const char *name = openblas_get_corename())
        return name;
#endif
    const char *coretype = std::getenv("OPENBLAS_CORETYPE");
    return coretype && *coretype ? coretype : "default";
}

double elapsedMs(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// GFLOP/s of Linear 512 -> 2048 forward + backward (input and weight gradients: three matrix
/// products of 2 * 3072 * 512 * 2048 flops each) on 3072 tokens, best of three after a warm-up.
double matmulGflops()
{
    torch::nn::Linear linear(512, 2048);
    const torch::Tensor tokens = torch::randn({batch * 96, 512}, torch::requires_grad());
    const double flops = 3.0 * 2.0 * double(batch * 96) * 512 * 2048;
    double best = 0.0;
    for (int run = 0; run < 4; ++run) {
        linear->zero_grad();
        const auto start = std::chrono::steady_clock::now();
        linear(tokens).sum().backward();
        const double ms = elapsedMs(start);
        if (run > 0)
            best = std::max(best, flops / (ms * 1e6));
    }
    return best;
}

template<typename Holder, typename Options>
std::shared_ptr<Model> build(const ModelSpec &spec)
{
    return Holder(Options(spec)).ptr();
}

struct Candidate
{
    const char *name;
    std::shared_ptr<Model> (*build)(const ModelSpec &);
};

const std::vector<Candidate> &candidates()
{
    static const std::vector<Candidate> all{
        {"transformer", build<VanillaTransformer, VanillaTransformerOptions>},
        {"informer", build<Informer, InformerOptions>},
        {"autoformer", build<Autoformer, AutoformerOptions>},
        {"fedformer", build<FEDformer, FEDformerOptions>},
    };
    return all;
}

std::int64_t parameterCount(const Model &model)
{
    std::int64_t count = 0;
    for (const torch::Tensor &p : model.parameters())
        count += p.numel();
    return count;
}

/// Milliseconds of `repeats` training steps' forward + backward, after one warm-up step.
std::vector<double> stepTimes(Model &model, const ModelSpec &spec, int repeats)
{
    model.train();
    const torch::Tensor x = torch::randn({batch, spec.lookback, spec.channels});
    const torch::Tensor y = torch::randn({batch, spec.horizon, spec.channels});
    ForwardOptions options;
    options.historyMarks = torch::rand({batch, spec.lookback, spec.markFeatures}) - 0.5;
    options.futureMarks = torch::rand({batch, spec.horizon, spec.markFeatures}) - 0.5;
    std::vector<double> times;
    for (int step = 0; step <= repeats; ++step) {
        model.zero_grad();
        const auto start = std::chrono::steady_clock::now();
        torch::mse_loss(model.forward(x, options).prediction, y).backward();
        const double ms = elapsedMs(start);
        if (step > 0)
            times.push_back(ms);
    }
    return times;
}

int usage(const char *program)
{
    std::fprintf(stderr,
                 "usage: %s [--repeats N] [--threads N] [--models "
                 "transformer,informer,autoformer,fedformer]\n",
                 program);
    return 2;
}

} // namespace

int main(int argc, char **argv)
{
    int repeats = 3;
    int threads = 1;
    std::vector<std::string> selected;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (std::strcmp(argv[i], "--repeats") == 0 && hasValue) {
            repeats = std::max(1, std::atoi(argv[++i]));
        } else if (std::strcmp(argv[i], "--threads") == 0 && hasValue) {
            threads = std::max(1, std::atoi(argv[++i]));
        } else if (std::strcmp(argv[i], "--models") == 0 && hasValue) {
            std::stringstream list(argv[++i]);
            for (std::string name; std::getline(list, name, ',');)
                if (!name.empty())
                    selected.push_back(name);
        } else {
            return usage(argv[0]);
        }
    }
    for (const std::string &name : selected) {
        const auto &all = candidates();
        if (std::none_of(all.begin(), all.end(),
                         [&](const Candidate &c) { return name == c.name; })) {
            std::fprintf(stderr, "unknown model \"%s\"\n", name.c_str());
            return usage(argv[0]);
        }
    }

    torch::set_num_threads(threads);
    torch::manual_seed(0);
    const std::string core = openblasCore();
    const std::string context = std::to_string(torch::get_num_threads()) +
                                (torch::get_num_threads() == 1 ? " thread" : " threads") +
                                ", OpenBLAS core " + core;
    std::printf("LibTorch %s, %s\n", TORCH_VERSION, context.c_str());
    std::printf(
        "matrix products: Linear 512 -> 2048 forward+backward on %lld tokens: %.1f GFLOP/s\n",
        static_cast<long long>(batch * 96), matmulGflops());
    std::fflush(stdout);

    ModelSpec etth1;
    etth1.lookback = 96;
    etth1.horizon = 96;
    etth1.channels = 7;
    etth1.markFeatures = 4;
    for (const Candidate &candidate : candidates()) {
        if (!selected.empty() &&
            std::find(selected.begin(), selected.end(), candidate.name) == selected.end())
            continue;
        const std::shared_ptr<Model> model = candidate.build(etth1);
        const std::vector<double> times = stepTimes(*model, etth1, repeats);
        std::printf("%-11s params %lld  fwd+bwd batch %lld: median %.0f ms, min %.0f ms (%d %s, "
                    "%s)\n",
                    candidate.name, static_cast<long long>(parameterCount(*model)),
                    static_cast<long long>(batch), median(times),
                    *std::min_element(times.begin(), times.end()), repeats,
                    repeats == 1 ? "step" : "steps", context.c_str());
        std::fflush(stdout);
    }
    return 0;
}
