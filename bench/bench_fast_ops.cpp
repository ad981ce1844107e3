// Times the attention-sized operations that dominate a PatchTST training step on this
// LibTorch build: stock softmax vs twb::nn::softmaxLastDim and stock dropout vs
// twb::nn::dropout, forward and forward+backward, the small-head attention core and TSMixer's
// feature MLP, each unfused and fused. Prints milliseconds per call.
//
// Usage: twb-bench-fastops [threads]   (default: all cores)
#include "nn/FastOps.h"
#include "nn/FusedRowMlp.h"
#include "nn/SmallHeadAttention.h"

#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <thread>

namespace {

double millisPerCall(const std::function<void()> &fn, int repeats = 10)
{
    fn(); // warm up allocator and kernels
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < repeats; ++i)
        fn();
    const std::chrono::duration<double, std::milli> elapsed =
        std::chrono::steady_clock::now() - start;
    return elapsed.count() / repeats;
}

void row(const char *name, const std::function<torch::Tensor(const torch::Tensor &)> &op,
         const torch::Tensor &input)
{
    const double forward = millisPerCall([&] {
        torch::NoGradGuard noGrad;
        op(input);
    });
    // A dense upstream gradient, as a matmul's backward delivers it inside attention.
    const torch::Tensor upstream = torch::randn_like(input);
    const double both = millisPerCall([&] {
        torch::Tensor x = input.detach().requires_grad_(true);
        op(x).backward(upstream);
    });
    std::printf("%-28s %10.2f %14.2f\n", name, forward, both);
}

} // namespace

int main(int argc, char **argv)
{
    const int threads = argc > 1 ? std::atoi(argv[1]) : int(std::thread::hardware_concurrency());
    torch::set_num_threads(threads);
    torch::manual_seed(0);
    // PatchTST/42 on ETTh1, batch 128 x 7 channels: scores [896, 4, 42, 42]; FFN [896, 42, 128].
    const torch::Tensor scores = torch::randn({896, 4, 42, 42});
    const torch::Tensor hidden = torch::randn({896, 42, 128});
    std::printf("LibTorch %s, %d threads; milliseconds per call\n", TORCH_VERSION, threads);
    std::printf("%-28s %10s %14s\n", "operation", "forward", "fwd+backward");
    row(
        "torch::softmax [896,4,42,42]",
        [](const torch::Tensor &x) { return torch::softmax(x, -1); }, scores);
    row(
        "softmaxLastDim", [](const torch::Tensor &x) { return twb::nn::softmaxLastDim(x); },
        scores);
    row(
        "torch dropout [896,42,128]",
        [](const torch::Tensor &x) { return torch::dropout(x, 0.3, true); }, hidden);
    row(
        "twb::nn::dropout", [](const torch::Tensor &x) { return twb::nn::dropout(x, 0.3, true); },
        hidden);

    // The attention core of one PatchTST/42 layer (residual scores, 4 heads of 4 values, 42
    // tokens): q, k, v as the head-split views of a [896, 42, 16] projection.
    const auto split = [] {
        return torch::randn({896, 42, 16}).view({896, 42, 4, 4}).transpose(1, 2);
    };
    const torch::Tensor q = split(), k = split(), v = split();
    const torch::Tensor prev = torch::randn({896, 4, 42, 42});
    const torch::Tensor gradOut = torch::randn({896, 4, 42, 4});
    const torch::Tensor gradScores = torch::randn({896, 4, 42, 42});
    const auto attentionRow = [&](const char *name, bool fused) {
        const auto call = [&](const torch::Tensor &qq, const torch::Tensor &kk,
                              const torch::Tensor &vv, const torch::Tensor &pp) {
            if (fused) {
                auto r = twb::nn::smallHeadAttention(qq, kk, vv, pp, 0.5);
                return std::make_pair(r.output, r.scores);
            }
            torch::Tensor scores = torch::matmul(qq, kk.transpose(-2, -1)) * 0.5 + pp;
            return std::make_pair(torch::matmul(twb::nn::softmaxLastDim(scores), vv), scores);
        };
        const double forward = millisPerCall([&] {
            torch::NoGradGuard noGrad;
            call(q, k, v, prev);
        });
        const double both = millisPerCall([&] {
            const auto leaf = [](const torch::Tensor &x) {
                return x.detach().requires_grad_(true);
            };
            const auto [out, scores] = call(leaf(q), leaf(k), leaf(v), leaf(prev));
            torch::autograd::backward({out, scores}, {gradOut, gradScores});
        });
        std::printf("%-28s %10.2f %14.2f\n", name, forward, both);
    };
    attentionRow("attention [896,4,42,4] mm", false);
    attentionRow("smallHeadAttention (fused)", true);

    // TSMixer's feature mixing in the paper's ETTh1 setting (batch 32, lookback 512, 7
    // channels, width 512, dropout 0.9): [32, 512, 7] -> 512 -> 7 at every step.
    const torch::Tensor steps = torch::randn({32, 512, 7});
    const torch::Tensor w1 = torch::randn({512, 7}) * 0.3, b1 = torch::randn({512}) * 0.1;
    const torch::Tensor w2 = torch::randn({7, 512}) * 0.05, b2 = torch::randn({7}) * 0.1;
    const torch::Tensor mlpUpstream = torch::randn({32, 512, 7});
    const auto mlpRow = [&](const char *name, bool fused) {
        const auto call = [&](const torch::Tensor &x, const torch::Tensor &a,
                              const torch::Tensor &b, const torch::Tensor &c,
                              const torch::Tensor &d) {
            if (fused)
                return twb::nn::fusedRowMlp(x, a, b, c, d, 0.9, true);
            return torch::linear(twb::nn::dropout(torch::relu(torch::linear(x, a, b)), 0.9, true),
                                 c, d);
        };
        const double forward = millisPerCall([&] {
            torch::NoGradGuard noGrad;
            call(steps, w1, b1, w2, b2);
        });
        const double both = millisPerCall([&] {
            const auto leaf = [](const torch::Tensor &x) {
                return x.detach().requires_grad_(true);
            };
            call(leaf(steps), leaf(w1), leaf(b1), leaf(w2), leaf(b2)).backward(mlpUpstream);
        });
        std::printf("%-28s %10.2f %14.2f\n", name, forward, both);
    };
    mlpRow("feature MLP [32,512,7] mm", false);
    mlpRow("fusedRowMlp (fused)", true);
    return 0;
}
