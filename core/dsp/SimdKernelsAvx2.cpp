// Compiled with -mavx2 (and nothing else is): no standard-library templates here, so that no
// AVX2 copy of an inline function can be picked by the linker for code running on other CPUs.
#include "SimdKernelsAvx2.h"

#include <immintrin.h>

namespace twb::dsp::simd::avx2 {

namespace {

/// Reverses the order of the four complex values (pairs of floats) of v.
inline __m256 reverseComplex(__m256 v)
{
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v), _MM_SHUFFLE(0, 1, 2, 3)));
}

/// |v|^2 of the four complex values of `lo` and of `hi`, in order (re^2 + im^2, as in SSE2).
inline __m256 squaredNorms(__m256 lo, __m256 hi)
{
    // hadd works within 128-bit halves: [lo0 lo1 hi0 hi1 | lo2 lo3 hi2 hi3]
    const __m256 sums = _mm256_hadd_ps(_mm256_mul_ps(lo, lo), _mm256_mul_ps(hi, hi));
    return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(sums), _MM_SHUFFLE(3, 1, 2, 0)));
}

} // namespace

int windowPairInterleaved(const float *a, const float *b, const float *w, int begin, int end,
                          float *in)
{
    int i = begin;
    for (; i + 8 <= end; i += 8) {
        const __m256 wi = _mm256_loadu_ps(w + i);
        const __m256 ai = _mm256_mul_ps(_mm256_loadu_ps(a + i), wi);
        const __m256 bi = _mm256_mul_ps(_mm256_loadu_ps(b + i), wi);
        const __m256 lo = _mm256_unpacklo_ps(ai, bi); // a0 b0 a1 b1 | a4 b4 a5 b5
        const __m256 hi = _mm256_unpackhi_ps(ai, bi); // a2 b2 a3 b3 | a6 b6 a7 b7
        _mm256_storeu_ps(in + 2 * i, _mm256_permute2f128_ps(lo, hi, 0x20));
        _mm256_storeu_ps(in + 2 * i + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
    }
    return i;
}

int powerOfPair(const float *z, int n, float *powerA, float *powerB)
{
    const int bins = n / 2 + 1;
    powerA[0] = z[0] * z[0];
    powerB[0] = z[1] * z[1];
    const __m256 conjugate = _mm256_castsi256_ps(_mm256_set_epi32(
        int(0x80000000), 0, int(0x80000000), 0, int(0x80000000), 0, int(0x80000000), 0));
    const __m256 quarter = _mm256_set1_ps(0.25f);
    int k = 1;
    // Eight bins at a time: Z[k..k+7] against conj Z[n-k..n-k-7].
    for (; k + 8 <= bins; k += 8) {
        const __m256 z0 = _mm256_loadu_ps(z + 2 * k);     // Z[k..k+3]
        const __m256 z1 = _mm256_loadu_ps(z + 2 * k + 8); // Z[k+4..k+7]
        const __m256 c0 =
            _mm256_xor_ps(reverseComplex(_mm256_loadu_ps(z + 2 * (n - k - 3))), conjugate);
        const __m256 c1 =
            _mm256_xor_ps(reverseComplex(_mm256_loadu_ps(z + 2 * (n - k - 7))), conjugate);
        const __m256 sumA = squaredNorms(_mm256_add_ps(z0, c0), _mm256_add_ps(z1, c1)); // |2A|^2
        const __m256 sumB = squaredNorms(_mm256_sub_ps(z0, c0), _mm256_sub_ps(z1, c1)); // |2B|^2
        _mm256_storeu_ps(powerA + k, _mm256_mul_ps(sumA, quarter));
        _mm256_storeu_ps(powerB + k, _mm256_mul_ps(sumB, quarter));
    }
    return k;
}

void transposeTiles(const float *src, int rows, int cols, std::int64_t srcStride, float *dst,
                    std::int64_t dstStride, int *rowsDone, int *colsDone)
{
    *rowsDone = rows & ~7;
    *colsDone = *rowsDone > 0 ? cols & ~7 : 0;
    for (int j = 0; j < *rowsDone; j += 8) {
        const float *s = src + j * srcStride;
        for (int k = 0; k < *colsDone; k += 8) {
            __m256 r[8];
            for (int i = 0; i < 8; ++i)
                r[i] = _mm256_loadu_ps(s + i * srcStride + k);
            __m256 u[8];
            for (int i = 0; i < 8; i += 4) {
                const __m256 t0 = _mm256_unpacklo_ps(r[i], r[i + 1]);
                const __m256 t1 = _mm256_unpackhi_ps(r[i], r[i + 1]);
                const __m256 t2 = _mm256_unpacklo_ps(r[i + 2], r[i + 3]);
                const __m256 t3 = _mm256_unpackhi_ps(r[i + 2], r[i + 3]);
                u[i] = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
                u[i + 1] = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
                u[i + 2] = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
                u[i + 3] = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
            }
            float *d = dst + k * dstStride + j;
            for (int i = 0; i < 4; ++i) {
                _mm256_storeu_ps(d + i * dstStride, _mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
                _mm256_storeu_ps(d + (i + 4) * dstStride,
                                 _mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
            }
        }
    }
}

} // namespace twb::dsp::simd::avx2
