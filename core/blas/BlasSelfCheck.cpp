#include "BlasSelfCheck.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace twb::blas {

namespace {

constexpr int kRowMajor = 101;
constexpr int kColMajor = 102;
constexpr int kNoTrans = 111;
constexpr int kTrans = 112;

struct Shape
{
    int m, n, k;
};

// Awkward on purpose: edge cases of the kernels' blocking (1, primes, just past powers of two),
// and the thin products of small transformers (K = 4 or 16 over many rows).
constexpr Shape kShapes[] = {{1, 1, 1},    {3, 5, 7},     {17, 33, 9}, {64, 1, 257},
                             {67, 45, 31}, {200, 16, 16}, {37, 16, 4}, {5, 300, 13}};

/// Deterministic values in [-1, 1] (64-bit LCG; the same on every machine).
template<typename T>
std::vector<T> seeded(std::size_t count, std::uint64_t seed)
{
    std::vector<T> values(count);
    std::uint64_t state = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    for (T &v : values) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        v = T(double(state >> 11) / double(1ULL << 53) * 2.0 - 1.0);
    }
    return values;
}

/// Element (row, col) of op(X) for X stored with leading dimension ld in `order`.
template<typename T>
double at(const std::vector<T> &x, int order, bool transposed, int ld, int row, int col)
{
    const int r = transposed ? col : row;
    const int c = transposed ? row : col;
    return double(order == kRowMajor ? x[std::size_t(r) * ld + c] : x[std::size_t(c) * ld + r]);
}

template<typename T, typename Gemm>
std::string checkOne(Gemm gemm, const Shape &s, int order, bool ta, bool tb, T beta,
                     double tolerance, std::uint64_t seed)
{
    const int m = s.m, n = s.n, k = s.k;
    // Stored shapes of A (m x k, or k x m when transposed) and B; leading dimensions padded by
    // 3 so that a kernel that ignores lda/ldb is caught too.
    const int aRows = ta ? k : m, aCols = ta ? m : k;
    const int bRows = tb ? n : k, bCols = tb ? k : n;
    const int lda = (order == kRowMajor ? aCols : aRows) + 3;
    const int ldb = (order == kRowMajor ? bCols : bRows) + 3;
    const int ldc = (order == kRowMajor ? n : m) + 3;
    const auto a = seeded<T>(std::size_t(lda) * (order == kRowMajor ? aRows : aCols), seed);
    const auto b = seeded<T>(std::size_t(ldb) * (order == kRowMajor ? bRows : bCols), seed + 1);
    const auto c0 = seeded<T>(std::size_t(ldc) * (order == kRowMajor ? m : n), seed + 2);
    std::vector<T> c = c0;
    const T alpha = T(0.75);
    gemm(order, ta ? kTrans : kNoTrans, tb ? kTrans : kNoTrans, m, n, k, alpha, a.data(), lda,
         b.data(), ldb, beta, c.data(), ldc);
    // The reference: op(A) and op(B) copied to dense row-major doubles, then a plain i-p-j loop
    // that sums the terms and their magnitudes.
    std::vector<double> opA(std::size_t(m) * k), opB(std::size_t(k) * n);
    for (int i = 0; i < m; ++i)
        for (int p = 0; p < k; ++p)
            opA[std::size_t(i) * k + p] = double(alpha) * at(a, order, ta, lda, i, p);
    for (int p = 0; p < k; ++p)
        for (int j = 0; j < n; ++j)
            opB[std::size_t(p) * n + j] = at(b, order, tb, ldb, p, j);
    std::vector<double> sum(static_cast<std::size_t>(n)), magnitude(static_cast<std::size_t>(n));
    for (int i = 0; i < m; ++i) {
        std::fill(sum.begin(), sum.end(), 0.0);
        std::fill(magnitude.begin(), magnitude.end(), 0.0);
        for (int p = 0; p < k; ++p) {
            const double aip = opA[std::size_t(i) * k + p];
            const double *row = &opB[std::size_t(p) * n];
            for (int j = 0; j < n; ++j) {
                sum[std::size_t(j)] += aip * row[j];
                magnitude[std::size_t(j)] += std::fabs(aip * row[j]);
            }
        }
        for (int j = 0; j < n; ++j) {
            const std::size_t ci =
                order == kRowMajor ? std::size_t(i) * ldc + j : std::size_t(j) * ldc + i;
            const double c0v = double(c0[ci]);
            const double expected = sum[std::size_t(j)] + double(beta) * c0v;
            const double bound =
                tolerance * (magnitude[std::size_t(j)] + std::fabs(double(beta) * c0v)) + 1e-30;
            const double got = double(c[ci]);
            if (!std::isfinite(got) || std::fabs(got - expected) > bound) {
                return std::to_string(m) + "x" + std::to_string(k) + " * " + std::to_string(k) +
                       "x" + std::to_string(n) +
                       (order == kRowMajor ? " row-major" : " column-major") + (ta ? " A^T" : "") +
                       (tb ? " B^T" : "") + " beta=" + std::to_string(double(beta)) + ": C[" +
                       std::to_string(i) + "," + std::to_string(j) + "] = " + std::to_string(got) +
                       ", expected " + std::to_string(expected);
            }
        }
    }
    return {};
}

template<typename T, typename Gemm>
bool checkAll(Gemm gemm, const char *name, double tolerance, SelfCheckResult &result)
{
    std::uint64_t seed = 1;
    for (const Shape &shape : kShapes) {
        for (const int order : {kRowMajor, kColMajor}) {
            for (const bool ta : {false, true}) {
                for (const bool tb : {false, true}) {
                    // beta alternates so that every shape meets both 0 and 0.5.
                    const T beta = (seed % 2 == 0) ? T(0) : T(0.5);
                    const std::string failure =
                        checkOne<T>(gemm, shape, order, ta, tb, beta, tolerance, seed);
                    ++result.products;
                    seed += 3;
                    if (!failure.empty()) {
                        result.ok = false;
                        result.detail = std::string(name) + " " + failure;
                        return false;
                    }
                }
            }
        }
    }
    return true;
}

} // namespace

SelfCheckResult checkGemm(SgemmFn sgemm, DgemmFn dgemm)
{
    SelfCheckResult result;
    if (sgemm == nullptr) {
        result.detail = "no cblas_sgemm to check";
        return result;
    }
    if (!checkAll<float>(sgemm, "sgemm", 1e-4, result))
        return result;
    if (dgemm != nullptr && !checkAll<double>(dgemm, "dgemm", 1e-12, result))
        return result;
    result.ok = true;
    result.detail = "passed: " + std::to_string(result.products) +
                    " products of awkward shapes equal a plain reference";
    return result;
}

} // namespace twb::blas
