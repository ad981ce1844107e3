#pragma once

#include <string>

namespace twb::blas {

/// CBLAS's matrix products (cblas_sgemm / cblas_dgemm). The enums of cblas.h are passed as their
/// values: order 101 = row-major, 102 = column-major; transpose 111 = no, 112 = yes.
using SgemmFn = void (*)(int order, int transA, int transB, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c,
                         int ldc);
using DgemmFn = void (*)(int order, int transA, int transB, int m, int n, int k, double alpha,
                         const double *a, int lda, const double *b, int ldb, double beta, double *c,
                         int ldc);

struct SelfCheckResult
{
    bool ok = false;
    int products = 0;   ///< products computed and compared
    std::string detail; ///< "passed ..." or the first product that differed, with its shape
};

/// Compares products of awkward shapes — 1 x 1, odd and prime sizes, K = 4 and 16 like a
/// small model's, 200 x 16 x 16, both layouts, every transpose, alpha != 1, beta in {0, 0.5}
/// with a C that must be scaled, not overwritten — against a plain triple loop in double.
/// A result passes when |c - reference| <= tolerance * sum |terms| for every element (float:
/// 1e-4, about 30 rounding steps at K = 300; double: 1e-12), and none is NaN. Inputs are
/// seeded, so a failure repeats. 16 ms here, the first products included. `dgemm` may be nullptr
/// (only single precision is checked then). Runs on the calling thread; the BLAS may use its
/// own threads.
SelfCheckResult checkGemm(SgemmFn sgemm, DgemmFn dgemm);

} // namespace twb::blas
