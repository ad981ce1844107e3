#include "FastOps.h"
#include "CpuDispatch.h"
#include "DropoutHash.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdint>
#include <mutex>

namespace twb::nn {
namespace {

struct SoftmaxLastDimFunction : torch::autograd::Function<SoftmaxLastDimFunction>
{
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x)
    {
        torch::Tensor y = (x - x.amax(-1, /*keepdim=*/true)).exp_();
        y.div_(y.sum(-1, /*keepdim=*/true));
        ctx->save_for_backward({y});
        return y;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads)
    {
        // The stock backward kernel is fast in this build; only the forward is slow.
        const torch::Tensor y = ctx->get_saved_variables()[0];
        return {torch::_softmax_backward_data(grads[0].contiguous(), y, -1, y.scalar_type())};
    }
};

/// y = x · mask · scale over a contiguous range; the same call makes the backward (x = the
/// output's gradient). Indices are taken modulo 2³² (a tensor of more elements repeats its
/// mask every 4 G elements).
template<typename T>
void applyMask(const T *in, T *out, std::int64_t begin, std::int64_t end, std::uint64_t seed,
               std::uint32_t threshold, T scale)
{
    const auto seedLow = static_cast<std::uint32_t>(seed);
    const auto seedHigh = static_cast<std::uint32_t>(seed >> 32);
#pragma omp simd
    for (std::int64_t i = begin; i < end; ++i)
        out[i] = in[i] * (dropoutKeeps(static_cast<std::uint32_t>(i), seedLow, seedHigh, threshold)
                              ? scale
                              : T(0)); // a dropped NaN stays NaN, as in the stock dropout
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2,fma"))) void applyMaskAvx2(const float *in, float *out,
                                                       std::int64_t begin, std::int64_t end,
                                                       std::uint64_t seed, std::uint32_t threshold,
                                                       float scale)
{
    applyMask<float>(in, out, begin, end, seed, threshold, scale);
}
#endif

template<typename T>
void applyMaskParallel(const T *in, T *out, std::int64_t count, std::uint64_t seed,
                       std::uint32_t threshold, T scale)
{
    constexpr std::int64_t kElementsPerTask = 1 << 16;
    at::parallel_for(0, count, kElementsPerTask, [&](std::int64_t begin, std::int64_t end) {
#if defined(__x86_64__) && defined(__GNUC__)
        if constexpr (std::is_same_v<T, float>)
            if (cpuAllowsAvx2Fma())
                return applyMaskAvx2(in, out, begin, end, seed, threshold, scale);
#endif
        applyMask<T>(in, out, begin, end, seed, threshold, scale);
    });
}

torch::Tensor maskedCopy(const torch::Tensor &x, std::uint64_t seed, double p)
{
    const torch::Tensor in = x.contiguous();
    torch::Tensor out = torch::empty_like(in, torch::MemoryFormat::Contiguous);
    const double keep = 1.0 - p;
    const std::uint32_t threshold = dropoutThreshold(p);
    AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "hashDropout", [&] {
        applyMaskParallel<scalar_t>(in.data_ptr<scalar_t>(), out.data_ptr<scalar_t>(), in.numel(),
                                    seed, threshold, static_cast<scalar_t>(1.0 / keep));
    });
    return out;
}

/// Inverted dropout whose mask is a function of (seed, element index): nothing is stored for
/// the backward, which recomputes the same mask.
struct HashDropoutFunction : torch::autograd::Function<HashDropoutFunction>
{
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x,
                                 std::int64_t seed, double p)
    {
        ctx->saved_data["seed"] = seed;
        ctx->saved_data["p"] = p;
        return maskedCopy(x, static_cast<std::uint64_t>(seed), p);
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads)
    {
        const auto seed = static_cast<std::uint64_t>(ctx->saved_data["seed"].toInt());
        const double p = ctx->saved_data["p"].toDouble();
        return {maskedCopy(grads[0], seed, p), torch::Tensor(), torch::Tensor()};
    }
};

} // namespace

std::uint64_t drawDropoutSeed()
{
    at::Generator generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

torch::Tensor softmaxLastDim(const torch::Tensor &scores)
{
    return SoftmaxLastDimFunction::apply(scores);
}

torch::Tensor dropout(const torch::Tensor &input, double p, bool training)
{
    if (!training || p <= 0.0)
        return input;
    if (p >= 1.0)
        return input * 0.0;
    if (!input.device().is_cpu() ||
        (input.scalar_type() != torch::kFloat && input.scalar_type() != torch::kDouble)) {
        const double keep = 1.0 - p;
        torch::Tensor mask;
        {
            torch::NoGradGuard noGrad;
            mask = torch::rand_like(input).lt_(keep).to(input.scalar_type()).mul_(1.0 / keep);
        }
        return input * mask;
    }
    return HashDropoutFunction::apply(input, static_cast<std::int64_t>(drawDropoutSeed()), p);
}

} // namespace twb::nn
