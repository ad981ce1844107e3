#pragma once

#include <cstdint>

/// AVX2 bodies of SimdKernels.h (private to twb_dsp; only SimdKernels.cpp calls them, and only
/// when isaSupported(Isa::Avx2)). Each does the part its vectors cover and returns where it
/// stopped, so that the SSE2 code finishes the rest the same way for both Isas.
namespace twb::dsp::simd::avx2 {

/// Returns the first i it did not do.
int windowPairInterleaved(const float *a, const float *b, const float *w, int begin, int end,
                          float *in);
/// Does k = 0 and returns the first k >= 1 it did not do.
int powerOfPair(const float *z, int n, float *powerA, float *powerB);
/// Does whole 8 x 8 tiles; writes how many rows and columns they cover.
void transposeTiles(const float *src, int rows, int cols, std::int64_t srcStride, float *dst,
                    std::int64_t dstStride, int *rowsDone, int *colsDone);

} // namespace twb::dsp::simd::avx2
