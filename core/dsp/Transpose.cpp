#include "Transpose.h"

#if defined(__SSE2__)
#include <xmmintrin.h>
#endif

namespace twb::dsp {

void transposeInto(const float *src, int rows, int cols, float *dst, std::int64_t dstStride)
{
    int j = 0;
#if defined(__SSE2__)
    for (; j + 4 <= rows; j += 4) {
        const float *s0 = src + std::int64_t(j) * cols;
        const float *s1 = s0 + cols;
        const float *s2 = s1 + cols;
        const float *s3 = s2 + cols;
        int k = 0;
        for (; k + 4 <= cols; k += 4) {
            __m128 r0 = _mm_loadu_ps(s0 + k);
            __m128 r1 = _mm_loadu_ps(s1 + k);
            __m128 r2 = _mm_loadu_ps(s2 + k);
            __m128 r3 = _mm_loadu_ps(s3 + k);
            _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
            float *d = dst + std::int64_t(k) * dstStride + j;
            _mm_storeu_ps(d, r0);
            _mm_storeu_ps(d + dstStride, r1);
            _mm_storeu_ps(d + 2 * dstStride, r2);
            _mm_storeu_ps(d + 3 * dstStride, r3);
        }
        for (; k < cols; ++k) {
            float *d = dst + std::int64_t(k) * dstStride + j;
            d[0] = s0[k];
            d[1] = s1[k];
            d[2] = s2[k];
            d[3] = s3[k];
        }
    }
#endif
    for (; j < rows; ++j)
        for (int k = 0; k < cols; ++k)
            dst[std::int64_t(k) * dstStride + j] = src[std::int64_t(j) * cols + k];
}

} // namespace twb::dsp
