#include "FusedRowMlp.h"
#include "CpuDispatch.h"
#include "DropoutHash.h"
#include "EnvironmentSwitch.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace twb::nn {
namespace {

/// Everything a row of the perceptron reads. Weights: w1t = W1ᵀ [in, hidden] (so that the
/// hidden loop runs over contiguous memory), w2 [out, hidden].
template<typename T>
struct MlpArgs
{
    const T *x = nullptr;
    const T *w1t = nullptr;
    const T *b1 = nullptr;
    const T *w2 = nullptr;
    const T *b2 = nullptr;
    std::int64_t in = 0, hidden = 0, out = 0;
    bool drop = false;
    std::uint32_t seedLow = 0, seedHigh = 0, threshold = 0;
    T scale = T(1);
};

/// Per-row work space: the pre-activation z, the multiplier of each hidden value (0 when
/// dropped, the dropout scale when kept) and the kept hidden values h.
template<typename T>
struct RowBuffers
{
    explicit RowBuffers(std::int64_t hidden)
        : z(std::size_t(hidden))
        , keep(std::size_t(hidden))
        , h(std::size_t(hidden))
        , dh(std::size_t(hidden))
    {}
    std::vector<T> z, keep, h, dh;
};

/// The dropout multipliers of `rows` consecutive rows from `firstRow`, [rows, hidden] into
/// `keep` (0 when dropped, the scale when kept; 1 without dropout), then h = relu(z) · keep.
/// The element index is the one nn::dropout would give the value in a [rows, hidden] tensor
/// (modulo 2³², as there). The arguments are read into locals so that the compiler sees that
/// the stores do not change them (and vectorises the loops).
template<typename T>
[[gnu::always_inline]] inline void activateRows(const MlpArgs<T> &a, std::int64_t firstRow,
                                                std::int64_t rows, const T *__restrict z,
                                                T *__restrict keep, T *__restrict h)
{
    const std::int64_t hidden = a.hidden;
    if (a.drop) {
        const std::uint32_t seedLow = a.seedLow, seedHigh = a.seedHigh, threshold = a.threshold;
        const T scale = a.scale;
        for (std::int64_t r = 0; r < rows; ++r) {
            const auto base = static_cast<std::uint32_t>((firstRow + r) * hidden);
            T *__restrict kr = keep + r * hidden;
#pragma omp simd
            for (std::int64_t j = 0; j < hidden; ++j)
                kr[j] =
                    dropoutKeeps(base + static_cast<std::uint32_t>(j), seedLow, seedHigh, threshold)
                        ? scale
                        : T(0);
        }
    } else {
        std::fill(keep, keep + rows * hidden, T(1));
    }
#pragma omp simd
    for (std::int64_t i = 0; i < rows * hidden; ++i)
        h[i] = (z[i] <= T(0) ? T(0) : z[i]) * keep[i]; // NaN stays NaN, as relu and dropout
}

/// z = W1 x + b1, keep = the dropout multiplier, h = relu(z) · keep for one row.
template<typename T>
[[gnu::always_inline]] inline void hiddenRow(const MlpArgs<T> &a, std::int64_t row,
                                             RowBuffers<T> &buf)
{
    const std::int64_t hidden = a.hidden, in = a.in;
    T *__restrict z = buf.z.data();
    T *__restrict keep = buf.keep.data();
    T *__restrict h = buf.h.data();
    const T *xr = a.x + row * in;
    std::memcpy(z, a.b1, std::size_t(hidden) * sizeof(T));
    for (std::int64_t k = 0; k < in; ++k) {
        const T xv = xr[k];
        const T *__restrict w = a.w1t + k * hidden;
#pragma omp simd
        for (std::int64_t j = 0; j < hidden; ++j)
            z[j] += xv * w[j];
    }
    activateRows(a, row, 1, z, keep, h);
}

template<typename T>
[[gnu::always_inline]] inline void forwardRows(const MlpArgs<T> &a, T *y, std::int64_t begin,
                                               std::int64_t end)
{
    const std::int64_t hidden = a.hidden, out = a.out;
    RowBuffers<T> buf(hidden);
    const T *__restrict h = buf.h.data();
    for (std::int64_t row = begin; row < end; ++row) {
        hiddenRow(a, row, buf);
        for (std::int64_t c = 0; c < out; ++c) {
            const T *__restrict w = a.w2 + c * hidden;
            T sum = T(0);
#pragma omp simd reduction(+ : sum)
            for (std::int64_t j = 0; j < hidden; ++j)
                sum += h[j] * w[j];
            y[row * out + c] = sum + a.b2[c];
        }
    }
}

/// One task's share of the weight gradients (summed over the tasks afterwards).
template<typename T>
struct GradientShare
{
    T *w1t = nullptr; ///< [in, hidden]
    T *b1 = nullptr;  ///< [hidden]
    T *w2 = nullptr;  ///< [out, hidden]
    T *b2 = nullptr;  ///< [out]
};

template<typename T>
[[gnu::always_inline]] inline void backwardRows(const MlpArgs<T> &a, const T *dy, T *dx,
                                                const GradientShare<T> &g, std::int64_t begin,
                                                std::int64_t end)
{
    const std::int64_t hidden = a.hidden, in = a.in, out = a.out;
    RowBuffers<T> buf(hidden);
    const T *__restrict z = buf.z.data();
    const T *__restrict keep = buf.keep.data();
    const T *__restrict h = buf.h.data();
    T *__restrict dh = buf.dh.data();
    for (std::int64_t row = begin; row < end; ++row) {
        hiddenRow(a, row, buf);
        const T *dyr = dy + row * out;
        const T *xr = a.x + row * in;
        // dh = W2ᵀ dy; the output layer's gradients.
        std::fill(dh, dh + hidden, T(0));
        for (std::int64_t c = 0; c < out; ++c) {
            const T d = dyr[c];
            const T *__restrict w = a.w2 + c * hidden;
            T *__restrict gw = g.w2 + c * hidden;
#pragma omp simd
            for (std::int64_t j = 0; j < hidden; ++j) {
                dh[j] += d * w[j];
                gw[j] += d * h[j];
            }
            g.b2[c] += d;
        }
        // dz = dh · keep · relu'(z), kept in dh.
#pragma omp simd
        for (std::int64_t j = 0; j < hidden; ++j)
            dh[j] = z[j] > T(0) ? dh[j] * keep[j] : T(0);
        T *__restrict gb1 = g.b1;
#pragma omp simd
        for (std::int64_t j = 0; j < hidden; ++j)
            gb1[j] += dh[j];
        // The input layer's gradients and dx = W1ᵀ dz.
        for (std::int64_t k = 0; k < in; ++k) {
            const T xv = xr[k];
            const T *__restrict w = a.w1t + k * hidden;
            T *__restrict gw = g.w1t + k * hidden;
            T sum = T(0);
#pragma omp simd reduction(+ : sum)
            for (std::int64_t j = 0; j < hidden; ++j) {
                gw[j] += xv * dh[j];
                sum += dh[j] * w[j];
            }
            dx[row * in + k] = sum;
        }
    }
}

/// Rows handled together by the blocked kernels: each weight and gradient value loaded from
/// the first-level cache serves this many rows (the per-row kernels above load it once per
/// row). The sums over rows and hidden values are taken in a fixed order, so the results do not
/// depend on threads or scheduling; they differ from the per-row kernels in rounding only.
constexpr std::int64_t kBlockRows = 4;

/// Per-block work space: z, keep, h and dh of kBlockRows rows, row after row ([R, hidden]).
template<typename T>
struct BlockBuffers
{
    explicit BlockBuffers(std::int64_t hidden)
        : z(std::size_t(kBlockRows * hidden))
        , keep(std::size_t(kBlockRows * hidden))
        , h(std::size_t(kBlockRows * hidden))
        , dh(std::size_t(kBlockRows * hidden))
    {}
    std::vector<T> z, keep, h, dh;
};

/// hiddenRow() for rows first .. first + kBlockRows - 1 at once: W1's rows are read once for
/// the block. The dropout multipliers are those of each row's element indices, as hiddenRow.
template<typename T>
[[gnu::always_inline]] inline void hiddenBlock(const MlpArgs<T> &a, std::int64_t first,
                                               BlockBuffers<T> &buf)
{
    constexpr std::int64_t R = kBlockRows;
    const std::int64_t hidden = a.hidden, in = a.in;
    T *__restrict z = buf.z.data();
    T *__restrict keep = buf.keep.data();
    T *__restrict h = buf.h.data();
    for (std::int64_t r = 0; r < R; ++r)
        std::memcpy(z + r * hidden, a.b1, std::size_t(hidden) * sizeof(T));
    for (std::int64_t k = 0; k < in; ++k) {
        T xv[R];
        for (std::int64_t r = 0; r < R; ++r)
            xv[r] = a.x[(first + r) * in + k];
        const T *__restrict w = a.w1t + k * hidden;
#pragma omp simd
        for (std::int64_t j = 0; j < hidden; ++j) {
            const T wj = w[j];
#pragma GCC unroll 4
            for (std::int64_t r = 0; r < R; ++r)
                z[r * hidden + j] += xv[r] * wj;
        }
    }
    activateRows(a, first, R, z, keep, h);
}

/// forwardRows() for whole blocks of rows; the rows past the last whole block row by row.
template<typename T>
[[gnu::always_inline]] inline void forwardBlocks(const MlpArgs<T> &a, T *y, std::int64_t begin,
                                                 std::int64_t end)
{
    constexpr std::int64_t R = kBlockRows;
    const std::int64_t hidden = a.hidden, out = a.out;
    BlockBuffers<T> buf(hidden);
    const T *__restrict h = buf.h.data();
    std::int64_t row = begin;
    for (; row + R <= end; row += R) {
        hiddenBlock(a, row, buf);
        for (std::int64_t c = 0; c < out; ++c) {
            const T *__restrict w = a.w2 + c * hidden;
            T s0 = T(0), s1 = T(0), s2 = T(0), s3 = T(0);
#pragma omp simd reduction(+ : s0, s1, s2, s3)
            for (std::int64_t j = 0; j < hidden; ++j) {
                const T wj = w[j];
                s0 += h[j] * wj;
                s1 += h[hidden + j] * wj;
                s2 += h[2 * hidden + j] * wj;
                s3 += h[3 * hidden + j] * wj;
            }
            y[row * out + c] = s0 + a.b2[c];
            y[(row + 1) * out + c] = s1 + a.b2[c];
            y[(row + 2) * out + c] = s2 + a.b2[c];
            y[(row + 3) * out + c] = s3 + a.b2[c];
        }
    }
    if (row < end)
        forwardRows(a, y, row, end);
}

/// backwardRows() for whole blocks of rows: each weight and gradient value is loaded once per
/// block; the rows past the last whole block row by row.
template<typename T>
[[gnu::always_inline]] inline void backwardBlocks(const MlpArgs<T> &a, const T *dy, T *dx,
                                                  const GradientShare<T> &g, std::int64_t begin,
                                                  std::int64_t end)
{
    static_assert(kBlockRows == 4, "the loops below are written out for four rows");
    constexpr std::int64_t R = kBlockRows;
    const std::int64_t hidden = a.hidden, in = a.in, out = a.out;
    BlockBuffers<T> buf(hidden);
    const T *__restrict z = buf.z.data();
    const T *__restrict keep = buf.keep.data();
    const T *__restrict h = buf.h.data();
    T *__restrict dh = buf.dh.data();
    std::int64_t row = begin;
    for (; row + R <= end; row += R) {
        hiddenBlock(a, row, buf);
        // dh = W2ᵀ dy per row; the output layer's gradients summed over the block.
        std::fill(dh, dh + R * hidden, T(0));
        for (std::int64_t c = 0; c < out; ++c) {
            const T d0 = dy[row * out + c], d1 = dy[(row + 1) * out + c],
                    d2 = dy[(row + 2) * out + c], d3 = dy[(row + 3) * out + c];
            const T *__restrict w = a.w2 + c * hidden;
            T *__restrict gw = g.w2 + c * hidden;
#pragma omp simd
            for (std::int64_t j = 0; j < hidden; ++j) {
                const T wj = w[j];
                dh[j] += d0 * wj;
                dh[hidden + j] += d1 * wj;
                dh[2 * hidden + j] += d2 * wj;
                dh[3 * hidden + j] += d3 * wj;
                gw[j] += ((d0 * h[j] + d1 * h[hidden + j]) + d2 * h[2 * hidden + j]) +
                         d3 * h[3 * hidden + j];
            }
            g.b2[c] += ((d0 + d1) + d2) + d3;
        }
        // dz = dh · keep · relu'(z), kept in dh; the hidden bias's gradient.
#pragma omp simd
        for (std::int64_t i = 0; i < R * hidden; ++i)
            dh[i] = z[i] > T(0) ? dh[i] * keep[i] : T(0);
        T *__restrict gb1 = g.b1;
#pragma omp simd
        for (std::int64_t j = 0; j < hidden; ++j)
            gb1[j] += ((dh[j] + dh[hidden + j]) + dh[2 * hidden + j]) + dh[3 * hidden + j];
        // The input layer's gradients and dx = W1ᵀ dz per row.
        for (std::int64_t k = 0; k < in; ++k) {
            const T x0 = a.x[row * in + k], x1 = a.x[(row + 1) * in + k],
                    x2 = a.x[(row + 2) * in + k], x3 = a.x[(row + 3) * in + k];
            const T *__restrict w = a.w1t + k * hidden;
            T *__restrict gw = g.w1t + k * hidden;
            T s0 = T(0), s1 = T(0), s2 = T(0), s3 = T(0);
#pragma omp simd reduction(+ : s0, s1, s2, s3)
            for (std::int64_t j = 0; j < hidden; ++j) {
                const T wj = w[j];
                const T e0 = dh[j], e1 = dh[hidden + j], e2 = dh[2 * hidden + j],
                        e3 = dh[3 * hidden + j];
                gw[j] += ((x0 * e0 + x1 * e1) + x2 * e2) + x3 * e3;
                s0 += e0 * wj;
                s1 += e1 * wj;
                s2 += e2 * wj;
                s3 += e3 * wj;
            }
            dx[row * in + k] = s0;
            dx[(row + 1) * in + k] = s1;
            dx[(row + 2) * in + k] = s2;
            dx[(row + 3) * in + k] = s3;
        }
    }
    if (row < end)
        backwardRows(a, dy, dx, g, row, end);
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx2,fma"))) void forwardRowsAvx2(const MlpArgs<float> &a, float *y,
                                                         std::int64_t begin, std::int64_t end)
{
    forwardBlocks<float>(a, y, begin, end);
}

__attribute__((target("avx2,fma"))) void backwardRowsAvx2(const MlpArgs<float> &a, const float *dy,
                                                          float *dx, const GradientShare<float> &g,
                                                          std::int64_t begin, std::int64_t end)
{
    backwardBlocks<float>(a, dy, dx, g, begin, end);
}
#endif

template<typename T>
void forwardDispatch(const MlpArgs<T> &a, T *y, std::int64_t begin, std::int64_t end)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if constexpr (std::is_same_v<T, float>)
        if (cpuAllowsAvx2Fma())
            return forwardRowsAvx2(a, y, begin, end);
#endif
    forwardBlocks<T>(a, y, begin, end);
}

template<typename T>
void backwardDispatch(const MlpArgs<T> &a, const T *dy, T *dx, const GradientShare<T> &g,
                      std::int64_t begin, std::int64_t end)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if constexpr (std::is_same_v<T, float>)
        if (cpuAllowsAvx2Fma())
            return backwardRowsAvx2(a, dy, dx, g, begin, end);
#endif
    backwardBlocks<T>(a, dy, dx, g, begin, end);
}

/// Rows per task: enough for the per-task buffers and gradient shares to pay off.
constexpr std::int64_t kRowsPerTask = 256;

template<typename T>
MlpArgs<T> makeArgs(const torch::Tensor &x, const torch::Tensor &w1t, const torch::Tensor &b1,
                    const torch::Tensor &w2, const torch::Tensor &b2, std::int64_t seed, double p)
{
    MlpArgs<T> a;
    a.x = x.data_ptr<T>();
    a.w1t = w1t.data_ptr<T>();
    a.b1 = b1.data_ptr<T>();
    a.w2 = w2.data_ptr<T>();
    a.b2 = b2.data_ptr<T>();
    a.in = w1t.size(0);
    a.hidden = w1t.size(1);
    a.out = w2.size(0);
    a.drop = p > 0.0;
    if (a.drop) {
        const auto s = static_cast<std::uint64_t>(seed);
        a.seedLow = static_cast<std::uint32_t>(s);
        a.seedHigh = static_cast<std::uint32_t>(s >> 32);
        a.threshold = dropoutThreshold(p);
        a.scale = static_cast<T>(1.0 / (1.0 - p));
    }
    return a;
}

/// Inputs: x [rows, in] contiguous, w1 [hidden, in], b1, w2 [out, hidden], b2; p = 0 when no
/// dropout applies (evaluation).
struct FusedRowMlpFunction : torch::autograd::Function<FusedRowMlpFunction>
{
    static torch::Tensor forward(torch::autograd::AutogradContext *ctx, const torch::Tensor &x,
                                 const torch::Tensor &w1, const torch::Tensor &b1,
                                 const torch::Tensor &w2, const torch::Tensor &b2,
                                 std::int64_t seed, double p)
    {
        ctx->save_for_backward({x, w1, b1, w2, b2});
        ctx->saved_data["seed"] = seed;
        ctx->saved_data["p"] = p;
        const torch::Tensor w1t = w1.t().contiguous();
        const torch::Tensor w2c = w2.contiguous(), b1c = b1.contiguous(), b2c = b2.contiguous();
        torch::Tensor y = torch::empty({x.size(0), w2.size(0)}, x.options());
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "fusedRowMlp", [&] {
            const MlpArgs<scalar_t> a = makeArgs<scalar_t>(x, w1t, b1c, w2c, b2c, seed, p);
            scalar_t *out = y.data_ptr<scalar_t>();
            at::parallel_for(0, x.size(0), kRowsPerTask, [&](std::int64_t b, std::int64_t e) {
                forwardDispatch(a, out, b, e);
            });
        });
        return y;
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext *ctx,
                                                   torch::autograd::variable_list grads)
    {
        const torch::autograd::variable_list saved = ctx->get_saved_variables();
        const torch::Tensor &x = saved[0], &w1 = saved[1], &w2 = saved[3];
        const torch::Tensor b1 = saved[2].contiguous(), b2 = saved[4].contiguous();
        const std::int64_t seed = ctx->saved_data["seed"].toInt();
        const double p = ctx->saved_data["p"].toDouble();
        const torch::Tensor dy = grads[0].contiguous();
        const torch::Tensor w1t = w1.t().contiguous(), w2c = w2.contiguous();
        const std::int64_t rows = x.size(0), in = w1.size(1), hidden = w1.size(0), out = w2.size(0);
        // One share of the weight gradients per task, summed at the end (no atomics; the sum
        // order is fixed by the task split, so the result does not depend on scheduling).
        const std::int64_t tasks = std::max<std::int64_t>(
            1, std::min<std::int64_t>(at::get_num_threads(),
                                      (rows + kRowsPerTask - 1) / kRowsPerTask));
        const std::int64_t perShare = in * hidden + hidden + out * hidden + out;
        torch::Tensor shares = torch::zeros({tasks, perShare}, x.options());
        torch::Tensor dx = torch::empty({rows, in}, x.options());
        AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "fusedRowMlpBackward", [&] {
            const MlpArgs<scalar_t> a = makeArgs<scalar_t>(x, w1t, b1, w2c, b2, seed, p);
            const scalar_t *gy = dy.data_ptr<scalar_t>();
            scalar_t *gx = dx.data_ptr<scalar_t>();
            scalar_t *base = shares.data_ptr<scalar_t>();
            const std::int64_t perTask = (rows + tasks - 1) / tasks;
            at::parallel_for(0, tasks, 1, [&](std::int64_t tb, std::int64_t te) {
                for (std::int64_t t = tb; t < te; ++t) {
                    scalar_t *share = base + t * perShare;
                    GradientShare<scalar_t> g;
                    g.w1t = share;
                    g.b1 = g.w1t + in * hidden;
                    g.w2 = g.b1 + hidden;
                    g.b2 = g.w2 + out * hidden;
                    const std::int64_t begin = t * perTask;
                    const std::int64_t end = std::min(rows, begin + perTask);
                    if (begin < end)
                        backwardDispatch(a, gy, gx, g, begin, end);
                }
            });
        });
        const torch::Tensor total = shares.sum(0);
        const torch::Tensor gw1 = total.narrow(0, 0, in * hidden).view({in, hidden}).t();
        const torch::Tensor gb1 = total.narrow(0, in * hidden, hidden);
        const torch::Tensor gw2 =
            total.narrow(0, in * hidden + hidden, out * hidden).view({out, hidden});
        const torch::Tensor gb2 = total.narrow(0, in * hidden + hidden + out * hidden, out);
        return {dx,
                gw1.contiguous(),
                gb1.contiguous(),
                gw2.contiguous(),
                gb2.contiguous(),
                torch::Tensor(),
                torch::Tensor()};
    }
};

EnvironmentSwitch &fusedSwitch()
{
    static EnvironmentSwitch on("TWB_FUSED_MLP");
    return on;
}

} // namespace

torch::Tensor fusedRowMlp(const torch::Tensor &x, const torch::Tensor &w1, const torch::Tensor &b1,
                          const torch::Tensor &w2, const torch::Tensor &b2, double p, bool training)
{
    TORCH_CHECK(x.dim() >= 1 && w1.dim() == 2 && w2.dim() == 2 && b1.dim() == 1 && b2.dim() == 1,
                "fusedRowMlp: x must be [..., in], w1 [hidden, in], b1 [hidden], w2 [out, "
                "hidden], b2 [out]");
    const std::int64_t in = w1.size(1), hidden = w1.size(0), out = w2.size(0);
    TORCH_CHECK(x.size(-1) == in && w2.size(1) == hidden && b1.size(0) == hidden &&
                    b2.size(0) == out,
                "fusedRowMlp: shapes do not agree: x ", x.sizes(), ", w1 ", w1.sizes(), ", b1 ",
                b1.sizes(), ", w2 ", w2.sizes(), ", b2 ", b2.sizes());
    TORCH_CHECK(in <= kMaxFusedRowMlpWidth && out <= kMaxFusedRowMlpWidth,
                "fusedRowMlp: in and out must be at most ", kMaxFusedRowMlpWidth, ", got ", in,
                " and ", out);
    TORCH_CHECK(p >= 0.0 && p < 1.0, "fusedRowMlp: p must lie in [0, 1), got ", p);
    for (const torch::Tensor *t : {&x, &w1, &b1, &w2, &b2})
        TORCH_CHECK(t->device().is_cpu() && t->scalar_type() == x.scalar_type() &&
                        (x.scalar_type() == torch::kFloat || x.scalar_type() == torch::kDouble),
                    "fusedRowMlp: every tensor must be float32 or float64 on the CPU, of one "
                    "dtype");
    const double drop = training ? p : 0.0;
    const std::int64_t seed = drop > 0.0 ? static_cast<std::int64_t>(drawDropoutSeed()) : 0;
    std::vector<std::int64_t> shape(x.sizes().begin(), x.sizes().end());
    shape.back() = out;
    const torch::Tensor rows = x.reshape({-1, in}).contiguous();
    return FusedRowMlpFunction::apply(rows, w1, b1, w2, b2, seed, drop).view(shape);
}

bool fusedRowMlpServes(const torch::Tensor &x, const torch::Tensor &w1, const torch::Tensor &b1,
                       const torch::Tensor &w2, const torch::Tensor &b2)
{
    if (!fusedRowMlpEnabled() || !b1.defined() || !b2.defined() || w1.dim() != 2 || w2.dim() != 2)
        return false;
    for (const torch::Tensor *t : {&x, &w1, &b1, &w2, &b2})
        if (!t->device().is_cpu() || t->scalar_type() != x.scalar_type())
            return false;
    return (x.scalar_type() == torch::kFloat || x.scalar_type() == torch::kDouble) &&
           w1.size(1) <= kMaxFusedRowMlpWidth && w2.size(0) <= kMaxFusedRowMlpWidth;
}

bool fusedRowMlpEnabled()
{
    return fusedSwitch().on();
}

void setFusedRowMlpEnabled(bool on)
{
    fusedSwitch().set(on);
}

} // namespace twb::nn
