#include "SimdKernels.h"

#if defined(TWB_HAVE_AVX2_KERNELS)
#include "SimdKernelsAvx2.h"
#endif

#include <cstdlib>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace twb::dsp::simd {

bool isaSupported(Isa isa)
{
    switch (isa) {
    case Isa::Sse2:
        return true;
    case Isa::Avx2:
#if defined(TWB_HAVE_AVX2_KERNELS)
        // libgcc's check includes the OS saving the YMM registers (XCR0).
        static const bool avx2 = __builtin_cpu_supports("avx2");
        return avx2;
#else
        return false;
#endif
    }
    return false;
}

Isa bestIsa()
{
    static const Isa best = [] {
        const char *forced = std::getenv("TWB_SIMD");
        if (forced && std::strcmp(forced, "sse2") == 0)
            return Isa::Sse2;
        return isaSupported(Isa::Avx2) ? Isa::Avx2 : Isa::Sse2;
    }();
    return best;
}

void windowPairInterleaved(Isa isa, const float *a, const float *b, const float *w, int begin,
                           int end, float *in)
{
    int i = begin;
#if defined(TWB_HAVE_AVX2_KERNELS)
    if (isa == Isa::Avx2)
        i = avx2::windowPairInterleaved(a, b, w, begin, end, in);
#else
    (void)isa;
#endif
#if defined(__SSE2__)
    for (; i + 4 <= end; i += 4) {
        const __m128 wi = _mm_loadu_ps(w + i);
        const __m128 ai = _mm_mul_ps(_mm_loadu_ps(a + i), wi);
        const __m128 bi = _mm_mul_ps(_mm_loadu_ps(b + i), wi);
        _mm_storeu_ps(in + 2 * i, _mm_unpacklo_ps(ai, bi));
        _mm_storeu_ps(in + 2 * i + 4, _mm_unpackhi_ps(ai, bi));
    }
#endif
    for (; i < end; ++i) {
        in[2 * i] = a[i] * w[i];
        in[2 * i + 1] = b[i] * w[i];
    }
}

void powerOfPair(Isa isa, const float *z, int n, float *powerA, float *powerB)
{
    const int bins = n / 2 + 1;
    int k = 1;
#if defined(TWB_HAVE_AVX2_KERNELS)
    if (isa == Isa::Avx2) {
        k = avx2::powerOfPair(z, n, powerA, powerB);
    } else
#else
    (void)isa;
#endif
    {
        // k = 0 pairs with itself (n - 0 = n = 0 mod n): A[0] = Re Z[0], B[0] = Im Z[0].
        powerA[0] = z[0] * z[0];
        powerB[0] = z[1] * z[1];
    }
#if defined(__SSE2__)
    // Four bins at a time: Z[k..k+3] against W = Z[n-k..n-k-3] (read backwards).
    const __m128 conjugate =
        _mm_castsi128_ps(_mm_set_epi32(int(0x80000000), 0, int(0x80000000), 0));
    const __m128 quarter = _mm_set1_ps(0.25f);
    for (; k + 4 <= bins; k += 4) {
        const float *w = z + 2 * (n - k - 3); // complex n-k-3 .. n-k
        const __m128 z01 = _mm_loadu_ps(z + 2 * k);
        const __m128 z23 = _mm_loadu_ps(z + 2 * k + 4);
        const __m128 wHigh = _mm_loadu_ps(w + 4); // W[n-k-1], W[n-k]
        const __m128 wLow = _mm_loadu_ps(w);      // W[n-k-3], W[n-k-2]
        // conj of W[n-k], W[n-k-1] and of W[n-k-2], W[n-k-3]
        const __m128 c01 =
            _mm_xor_ps(_mm_shuffle_ps(wHigh, wHigh, _MM_SHUFFLE(1, 0, 3, 2)), conjugate);
        const __m128 c23 =
            _mm_xor_ps(_mm_shuffle_ps(wLow, wLow, _MM_SHUFFLE(1, 0, 3, 2)), conjugate);
        const __m128 s01 = _mm_add_ps(z01, c01), s23 = _mm_add_ps(z23, c23); // 2 A
        const __m128 d01 = _mm_sub_ps(z01, c01), d23 = _mm_sub_ps(z23, c23); // 2 i B
        const __m128 sq01 = _mm_mul_ps(s01, s01), sq23 = _mm_mul_ps(s23, s23);
        const __m128 dq01 = _mm_mul_ps(d01, d01), dq23 = _mm_mul_ps(d23, d23);
        // re^2 + im^2 of each complex: even lanes plus odd lanes
        const __m128 sumA = _mm_add_ps(_mm_shuffle_ps(sq01, sq23, _MM_SHUFFLE(2, 0, 2, 0)),
                                       _mm_shuffle_ps(sq01, sq23, _MM_SHUFFLE(3, 1, 3, 1)));
        const __m128 sumB = _mm_add_ps(_mm_shuffle_ps(dq01, dq23, _MM_SHUFFLE(2, 0, 2, 0)),
                                       _mm_shuffle_ps(dq01, dq23, _MM_SHUFFLE(3, 1, 3, 1)));
        _mm_storeu_ps(powerA + k, _mm_mul_ps(sumA, quarter));
        _mm_storeu_ps(powerB + k, _mm_mul_ps(sumB, quarter));
    }
#endif
    for (; k < bins; ++k) {
        const int m = n - k;
        const float zr = z[2 * k], zi = z[2 * k + 1];
        const float wr = z[2 * m], wi = z[2 * m + 1];
        const float ar = zr + wr, ai = zi - wi; // 2 A[k]
        const float br = zr - wr, bi = zi + wi; // 2 i B[k]; |2 i B| = |2 B|
        powerA[k] = 0.25f * (ar * ar + ai * ai);
        powerB[k] = 0.25f * (br * br + bi * bi);
    }
}

namespace {

void transposeSse2(const float *src, int rows, int cols, std::int64_t srcStride, float *dst,
                   std::int64_t dstStride)
{
    int j = 0;
#if defined(__SSE2__)
    for (; j + 4 <= rows; j += 4) {
        const float *s0 = src + j * srcStride;
        const float *s1 = s0 + srcStride;
        const float *s2 = s1 + srcStride;
        const float *s3 = s2 + srcStride;
        int k = 0;
        for (; k + 4 <= cols; k += 4) {
            __m128 r0 = _mm_loadu_ps(s0 + k);
            __m128 r1 = _mm_loadu_ps(s1 + k);
            __m128 r2 = _mm_loadu_ps(s2 + k);
            __m128 r3 = _mm_loadu_ps(s3 + k);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            float *d = dst + k * dstStride + j;
            _mm_storeu_ps(d, r0);
            _mm_storeu_ps(d + dstStride, r1);
            _mm_storeu_ps(d + 2 * dstStride, r2);
            _mm_storeu_ps(d + 3 * dstStride, r3);
        }
        for (; k < cols; ++k) {
            float *d = dst + k * dstStride + j;
            d[0] = s0[k];
            d[1] = s1[k];
            d[2] = s2[k];
            d[3] = s3[k];
        }
    }
#endif
    for (; j < rows; ++j)
        for (int k = 0; k < cols; ++k)
            dst[k * dstStride + j] = src[j * srcStride + k];
}

} // namespace

void transpose(Isa isa, const float *src, int rows, int cols, std::int64_t srcStride, float *dst,
               std::int64_t dstStride)
{
    int rowsDone = 0, colsDone = 0;
#if defined(TWB_HAVE_AVX2_KERNELS)
    if (isa == Isa::Avx2)
        avx2::transposeTiles(src, rows, cols, srcStride, dst, dstStride, &rowsDone, &colsDone);
#else
    (void)isa;
#endif
    // What the tiles left: the right edge of their rows, then the remaining rows.
    transposeSse2(src + colsDone, rowsDone, cols - colsDone, srcStride, dst + colsDone * dstStride,
                  dstStride);
    transposeSse2(src + rowsDone * srcStride, rows - rowsDone, cols, srcStride, dst + rowsDone,
                  dstStride);
}

} // namespace twb::dsp::simd
