#include "SmallHeadAttention.h"
#include "CpuDispatch.h"
#include "EnvironmentSwitch.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace twb::nn {
namespace {

/// One head-split operand [B, H, T, D] read in place: element (b, h, t, d) sits at
/// data[b·batchStride + h·headStride + t·rowStride + d].
template<typename T>
struct HeadOperand
{
    const T *data = nullptr;
    std::int64_t batchStride = 0;
    std::int64_t headStride = 0;
    std::int64_t rowStride = 0;

    static HeadOperand of(const torch::Tensor &x)
    {
        return {x.data_ptr<T>(), x.stride(0), x.stride(1), x.stride(2)};
    }
    const T *head(std::int64_t b, std::int64_t h) const
    {
        return data + b * batchStride + h * headStride;
    }
};

/// exp(x) for x <= 0 (scores minus their row maximum). Float: Cephes' expf polynomial after
/// reduction by ln 2, written without branches so that the loops around it vectorise; inputs
/// below −87 give exp(−87) ≈ 1.6e-38 instead of a denormal (nothing a softmax row can see).
/// NaN stays NaN. Double: std::exp (the checks run in double).
template<typename T>
[[gnu::always_inline]] inline T expNonPositive(T x)
{
    if constexpr (std::is_same_v<T, double>) {
        return std::exp(x);
    } else {
        x = x < -87.0f ? -87.0f : x;
        // Round x·log2(e) to the nearest integer n (x <= 0, so truncating y − 0.5 rounds).
        const float n =
            static_cast<float>(static_cast<std::int32_t>(x * 1.44269504088896341f - 0.5f));
        const float r = x - n * 0.693359375f + n * 2.12194440e-4f;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        p = p * r * r + r + 1.0f;
        const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
        return p * std::bit_cast<float>(bits);
    }
}

/// What the forward and the backward both read: the operands, their sizes and the scale.
template<typename T>
struct AttentionOperands
{
    HeadOperand<T> q, k, v;
    std::int64_t heads = 0, tq = 0, tk = 0, dim = 0;
    T scale = 1;

    /// Copies head (b, h) of `x` ([B, H, Tk, D]) transposed into out [D, Tk], so that every
    /// inner loop runs over keys with stride 1.
    void loadTransposed(const HeadOperand<T> &x, std::int64_t b, std::int64_t h, T *out) const
    {
        const T *head = x.head(b, h);
        for (std::int64_t j = 0; j < tk; ++j)
            for (std::int64_t d = 0; d < dim; ++d)
                out[d * tk + j] = head[j * x.rowStride + d];
    }
};

template<typename T>
struct ForwardArgs : AttentionOperands<T>
{
    const T *prev = nullptr; ///< contiguous [B, H, Tq, Tk] or null
    T *output = nullptr;     ///< contiguous [B, H, Tq, D]
    T *scores = nullptr;     ///< contiguous [B, H, Tq, Tk]
    T *weights = nullptr;    ///< contiguous [B, H, Tq, Tk]
};

/// Heads [begin, end) of the flattened B·H: transposes a head's keys and values into
/// [D, Tk] (so that every inner loop runs over keys with stride 1), then one row per query.
template<typename T>
[[gnu::always_inline]] inline void forwardHeads(const ForwardArgs<T> &a, std::int64_t begin,
                                                std::int64_t end)
{
    const std::int64_t tq = a.tq, tk = a.tk, dim = a.dim;
    std::vector<T> keysT(static_cast<std::size_t>(dim * tk));
    std::vector<T> valuesT(static_cast<std::size_t>(dim * tk));
    for (std::int64_t bh = begin; bh < end; ++bh) {
        const std::int64_t b = bh / a.heads, h = bh % a.heads;
        const T *q = a.q.head(b, h);
        a.loadTransposed(a.k, b, h, keysT.data());
        a.loadTransposed(a.v, b, h, valuesT.data());
        for (std::int64_t i = 0; i < tq; ++i) {
            const std::int64_t row = (bh * tq + i) * tk;
            // Distinct rows of distinct tensors: __restrict lets every loop below vectorise
            // without run-time overlap checks.
            T *__restrict s = a.scores + row;
            T *__restrict w = a.weights + row;
            if (a.prev) {
                std::memcpy(s, a.prev + row, static_cast<std::size_t>(tk) * sizeof(T));
            } else {
                std::fill(s, s + tk, T(0));
            }
            for (std::int64_t d = 0; d < dim; ++d) {
                const T qd = q[i * a.q.rowStride + d] * a.scale;
                const T *kd = keysT.data() + d * tk;
#pragma omp simd
                for (std::int64_t j = 0; j < tk; ++j)
                    s[j] += qd * kd[j];
            }
            T rowMax = s[0];
#pragma omp simd reduction(max : rowMax)
            for (std::int64_t j = 0; j < tk; ++j)
                rowMax = s[j] > rowMax ? s[j] : rowMax;
#pragma omp simd
            for (std::int64_t j = 0; j < tk; ++j)
                w[j] = expNonPositive<T>(s[j] - rowMax);
            T sum = 0;
#pragma omp simd reduction(+ : sum)
            for (std::int64_t j = 0; j < tk; ++j)
                sum += w[j];
            const T inverse = T(1) / sum;
#pragma omp simd
            for (std::int64_t j = 0; j < tk; ++j)
                w[j] *= inverse;
            T *out = a.output + (bh * tq + i) * dim;
            for (std::int64_t d = 0; d < dim; ++d) {
                const T *vd = valuesT.data() + d * tk;
                T acc = 0;
#pragma omp simd reduction(+ : acc)
                for (std::int64_t j = 0; j < tk; ++j)
                    acc += w[j] * vd[j];
                out[d] = acc;
            }
        }
    }
}

template<typename T>
struct BackwardArgs : AttentionOperands<T>
{
    const T *weights = nullptr;     ///< contiguous [B, H, Tq, Tk], saved by the forward
    const T *gradOutput = nullptr;  ///< contiguous [B, H, Tq, D] or null (= zeros)
    const T *gradScores = nullptr;  ///< contiguous [B, H, Tq, Tk] or null (= zeros)
    const T *gradWeights = nullptr; ///< contiguous [B, H, Tq, Tk] or null (= zeros)
    T *gradQ = nullptr, *gradK = nullptr, *gradV = nullptr; ///< contiguous [B, H, T, D]
    T *gradPrev = nullptr; ///< contiguous [B, H, Tq, Tk] or null (no prevScores)
};

/// The backward of forwardHeads for heads [begin, end). With W the weights, dO the output's
/// gradient and gS, gW the gradients arriving at the scores and weights results:
///   dW = dO vᵀ + gW;  dS = W ⊙ (dW − rowsum(dW ⊙ W)) + gS;  dPrev = dS;
///   dq = scale · dS k;  dk = scale · dSᵀ q;  dv = Wᵀ dO.
template<typename T>
[[gnu::always_inline]] inline void backwardHeads(const BackwardArgs<T> &a, std::int64_t begin,
                                                 std::int64_t end)
{
    const std::int64_t tq = a.tq, tk = a.tk, dim = a.dim;
    std::vector<T> keysT(static_cast<std::size_t>(dim * tk));
    std::vector<T> valuesT(static_cast<std::size_t>(dim * tk));
    std::vector<T> gradKeysT(static_cast<std::size_t>(dim * tk));
    std::vector<T> gradValuesT(static_cast<std::size_t>(dim * tk));
    std::vector<T> gradW(static_cast<std::size_t>(tk));
    std::vector<T> gradS(static_cast<std::size_t>(tk));
    for (std::int64_t bh = begin; bh < end; ++bh) {
        const std::int64_t b = bh / a.heads, h = bh % a.heads;
        const T *q = a.q.head(b, h);
        a.loadTransposed(a.k, b, h, keysT.data());
        a.loadTransposed(a.v, b, h, valuesT.data());
        std::fill(gradKeysT.begin(), gradKeysT.end(), T(0));
        std::fill(gradValuesT.begin(), gradValuesT.end(), T(0));
        for (std::int64_t i = 0; i < tq; ++i) {
            const std::int64_t row = (bh * tq + i) * tk;
            const T *w = a.weights + row;
            const T *dO = a.gradOutput ? a.gradOutput + (bh * tq + i) * dim : nullptr;
            T *dW = gradW.data();
            T *dS = gradS.data();
            if (a.gradWeights) {
                std::memcpy(dW, a.gradWeights + row, static_cast<std::size_t>(tk) * sizeof(T));
            } else {
                std::fill(dW, dW + tk, T(0));
            }
            if (dO) {
                for (std::int64_t d = 0; d < dim; ++d) {
                    const T g = dO[d];
                    const T *vd = valuesT.data() + d * tk;
                    T *dvd = gradValuesT.data() + d * tk;
#pragma omp simd
                    for (std::int64_t j = 0; j < tk; ++j) {
                        dW[j] += g * vd[j];
                        dvd[j] += g * w[j];
                    }
                }
            }
            T weighted = 0;
#pragma omp simd reduction(+ : weighted)
            for (std::int64_t j = 0; j < tk; ++j)
                weighted += dW[j] * w[j];
            const T *gS = a.gradScores ? a.gradScores + row : nullptr;
            if (gS) {
#pragma omp simd
                for (std::int64_t j = 0; j < tk; ++j)
                    dS[j] = w[j] * (dW[j] - weighted) + gS[j];
            } else {
#pragma omp simd
                for (std::int64_t j = 0; j < tk; ++j)
                    dS[j] = w[j] * (dW[j] - weighted);
            }
            if (a.gradPrev)
                std::memcpy(a.gradPrev + row, dS, static_cast<std::size_t>(tk) * sizeof(T));
            T *dq = a.gradQ + (bh * tq + i) * dim;
            for (std::int64_t d = 0; d < dim; ++d) {
                const T *kd = keysT.data() + d * tk;
                T acc = 0;
#pragma omp simd reduction(+ : acc)
                for (std::int64_t j = 0; j < tk; ++j)
                    acc += dS[j] * kd[j];
                dq[d] = acc * a.scale;
                const T qd = q[i * a.q.rowStride + d] * a.scale;
                T *dkd = gradKeysT.data() + d * tk;
#pragma omp simd
                for (std::int64_t j = 0; j < tk; ++j)
                    dkd[j] += qd * dS[j];
            }
        }
        T *dk = a.gradK + bh * tk * dim;
        T *dv = a.gradV + bh * tk * dim;
        for (std::int64_t j = 0; j < tk; ++j)
            for (std::int64_t d = 0; d < dim; ++d) {
                dk[j * dim + d] = gradKeysT[d * tk + j];
                dv[j * dim + d] = gradValuesT[d * tk + j];
            }
    }
}

// The float kernels are compiled twice, for AVX2 + FMA and for the baseline x86-64, and
// cpuAllowsAvx2Fma() picks one from the CPU's features (not its model name, so that CPUs newer
// than the compiler get AVX2 too); double is for checks only.
#if defined(__x86_64__) && defined(__GNUC__)
#define TWB_HAS_AVX2_CLONE 1
__attribute__((target("avx2,fma"))) void forwardFloatAvx2(const ForwardArgs<float> &a,
                                                          std::int64_t begin, std::int64_t end)
{
    forwardHeads<float>(a, begin, end);
}

__attribute__((target("avx2,fma"))) void backwardFloatAvx2(const BackwardArgs<float> &a,
                                                           std::int64_t begin, std::int64_t end)
{
    backwardHeads<float>(a, begin, end);
}
#endif

template<typename T>
void runForward(const ForwardArgs<T> &a, std::int64_t begin, std::int64_t end)
{
#ifdef TWB_HAS_AVX2_CLONE
    if constexpr (std::is_same_v<T, float>)
        if (cpuAllowsAvx2Fma())
            return forwardFloatAvx2(a, begin, end);
#endif
    forwardHeads<T>(a, begin, end);
}

template<typename T>
void runBackward(const BackwardArgs<T> &a, std::int64_t begin, std::int64_t end)
{
#ifdef TWB_HAS_AVX2_CLONE
    if constexpr (std::is_same_v<T, float>)
        if (cpuAllowsAvx2Fma())
            return backwardFloatAvx2(a, begin, end);
#endif
    backwardHeads<T>(a, begin, end);
}

/// Heads per task: a head of PatchTST/42 is ~15 k multiply-adds forward, so a few dozen per
/// task keep the scheduling cost small.
constexpr std::int64_t kHeadsPerTask = 32;

torch::Tensor contiguousOrUndefined(const torch::Tensor &x)
{
    return x.defined() ? x.contiguous() : x;
}

template<typename T>
T *pointerOrNull(const torch::Tensor &x)
{
    return x.defined() ? x.data_ptr<T>() : nullptr;
}

template<typename T>
void describe(AttentionOperands<T> &args, const torch::Tensor &q, const torch::Tensor &k,
              const torch::Tensor &v, double scale)
{
    args.q = HeadOperand<T>::of(q);
    args.k = HeadOperand<T>::of(k);
    args.v = HeadOperand<T>::of(v);
    args.heads = q.size(1);
    args.tq = q.size(2);
    args.tk = k.size(2);
    args.dim = q.size(3);
    args.scale = static_cast<T>(scale);
}

struct SmallHeadAttentionFunction : torch::autograd::Function<SmallHeadAttentionFunction>
{
    static torch::autograd::variable_list forward(torch::autograd::AutogradContext *ctx,
                                                  const torch::Tensor &q, const torch::Tensor &k,
                                                  const torch::Tensor &v,
                                                  const torch::Tensor &prevScores, double scale)
    {
        const std::int64_t batch = q.size(0), heads = q.size(1), tq = q.size(2), dim = q.size(3);
        const std::int64_t tk = k.size(2);
        ctx->set_materialize_grads(false); // unused results send no gradient, not zeros
        const bool hasPrev = prevScores.numel() > 0;
        const torch::Tensor prev = hasPrev ? prevScores.contiguous() : torch::Tensor();
        torch::Tensor output = torch::empty({batch, heads, tq, dim}, q.options());
        torch::Tensor scores = torch::empty({batch, heads, tq, tk}, q.options());
        torch::Tensor weights = torch::empty({batch, heads, tq, tk}, q.options());
        AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "smallHeadAttention", [&] {
            ForwardArgs<scalar_t> args;
            describe(args, q, k, v, scale);
            args.prev = pointerOrNull<scalar_t>(prev);
            args.output = output.data_ptr<scalar_t>();
            args.scores = scores.data_ptr<scalar_t>();
            args.weights = weights.data_ptr<scalar_t>();
            at::parallel_for(0, batch * heads, kHeadsPerTask,
                             [&](std::int64_t b, std::int64_t e) { runForward(args, b, e); });
        });
        ctx->save_for_backward({q, k, v, weights});
        ctx->saved_data["scale"] = scale;
        ctx->saved_data["has_prev"] = hasPrev;
        return {output, scores, weights};
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads)
    {
        const auto saved = ctx->get_saved_variables();
        const torch::Tensor &q = saved[0];
        const torch::Tensor &k = saved[1];
        const torch::Tensor &v = saved[2];
        const torch::Tensor &weights = saved[3];
        const double scale = ctx->saved_data["scale"].toDouble();
        const bool hasPrev = ctx->saved_data["has_prev"].toBool();
        const torch::Tensor gradOutput = contiguousOrUndefined(grads[0]);
        const torch::Tensor gradScores = contiguousOrUndefined(grads[1]);
        const torch::Tensor gradWeights = contiguousOrUndefined(grads[2]);

        const std::int64_t batch = q.size(0), heads = q.size(1), tq = q.size(2), dim = q.size(3);
        const std::int64_t tk = k.size(2);
        torch::Tensor gradQ = torch::empty({batch, heads, tq, dim}, q.options());
        torch::Tensor gradK = torch::empty({batch, heads, tk, dim}, q.options());
        torch::Tensor gradV = torch::empty({batch, heads, tk, dim}, q.options());
        torch::Tensor gradPrev =
            hasPrev ? torch::empty({batch, heads, tq, tk}, q.options()) : torch::Tensor();
        AT_DISPATCH_FLOATING_TYPES(q.scalar_type(), "smallHeadAttentionBackward", [&] {
            BackwardArgs<scalar_t> args;
            describe(args, q, k, v, scale);
            args.weights = weights.data_ptr<scalar_t>();
            args.gradOutput = pointerOrNull<scalar_t>(gradOutput);
            args.gradScores = pointerOrNull<scalar_t>(gradScores);
            args.gradWeights = pointerOrNull<scalar_t>(gradWeights);
            args.gradQ = gradQ.data_ptr<scalar_t>();
            args.gradK = gradK.data_ptr<scalar_t>();
            args.gradV = gradV.data_ptr<scalar_t>();
            args.gradPrev = pointerOrNull<scalar_t>(gradPrev);
            at::parallel_for(0, batch * heads, kHeadsPerTask,
                             [&](std::int64_t b, std::int64_t e) { runBackward(args, b, e); });
        });
        return {gradQ, gradK, gradV, gradPrev, torch::Tensor()};
    }
};

EnvironmentSwitch &fusedSwitch()
{
    static EnvironmentSwitch on("TWB_FUSED_ATTENTION");
    return on;
}

} // namespace

FusedAttentionResult smallHeadAttention(const torch::Tensor &q, const torch::Tensor &k,
                                        const torch::Tensor &v, const torch::Tensor &prevScores,
                                        double scale)
{
    TORCH_CHECK(q.dim() == 4 && k.dim() == 4 && v.dim() == 4,
                "smallHeadAttention: q, k and v must be [B, H, T, D]");
    TORCH_CHECK(k.sizes() == v.sizes(), "smallHeadAttention: k and v differ in shape");
    TORCH_CHECK(q.size(0) == k.size(0) && q.size(1) == k.size(1) && q.size(3) == k.size(3),
                "smallHeadAttention: q ", q.sizes(), " does not match k ", k.sizes());
    TORCH_CHECK(q.size(3) <= kMaxFusedHeadDim, "smallHeadAttention: head size ", q.size(3),
                " is above ", kMaxFusedHeadDim);
    TORCH_CHECK(q.size(2) > 0 && k.size(2) > 0, "smallHeadAttention: no queries or no keys");
    for (const torch::Tensor *x : {&q, &k, &v}) {
        TORCH_CHECK(x->device().is_cpu() && x->scalar_type() == q.scalar_type() &&
                        (q.scalar_type() == torch::kFloat || q.scalar_type() == torch::kDouble),
                    "smallHeadAttention: q, k and v must be float32 or float64 on the CPU");
        TORCH_CHECK(x->stride(3) == 1, "smallHeadAttention: the last stride must be 1");
    }
    if (prevScores.defined())
        TORCH_CHECK(prevScores.sizes() ==
                            torch::IntArrayRef({q.size(0), q.size(1), q.size(2), k.size(2)}) &&
                        prevScores.scalar_type() == q.scalar_type(),
                    "smallHeadAttention: prevScores must be [B, H, Tq, Tk] of q's dtype, got ",
                    prevScores.sizes());
    // autograd::Function takes no undefined inputs: "no previous scores" is an empty tensor.
    const torch::autograd::variable_list results = SmallHeadAttentionFunction::apply(
        q, k, v, prevScores.defined() ? prevScores : torch::empty({0}, q.options()), scale);
    return {results[0], results[1], results[2]};
}

bool fusedAttentionServes(const torch::Tensor &q)
{
    return fusedAttentionEnabled() && q.dim() == 4 && q.device().is_cpu() &&
           (q.scalar_type() == torch::kFloat || q.scalar_type() == torch::kDouble) &&
           q.size(3) <= kMaxFusedHeadDim && q.stride(3) == 1;
}

bool fusedAttentionEnabled()
{
    return fusedSwitch().on();
}

void setFusedAttentionEnabled(bool on)
{
    fusedSwitch().set(on);
}

} // namespace twb::nn
