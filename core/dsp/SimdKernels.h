#pragma once

#include <cstdint>

/// The inner loops of the STFT and mel code, for two instruction sets: SSE2 (every x86-64 CPU)
/// and AVX2 (chosen at run time when the CPU has it; its translation unit alone is compiled with
/// -mavx2, so the library still runs everywhere). Both give bit-identical results: they do the
/// same IEEE multiplications and additions in the same order per element (no FMA).
///
/// Callers pass bestIsa(); tests pass each Isa and compare. Pure functions on caller-owned
/// buffers: thread-safe, nothing allocated, pointers need no alignment.
namespace twb::dsp::simd {

enum class Isa {
    Sse2, ///< baseline x86-64 (or plain C++ on other architectures)
    Avx2, ///< 256-bit vectors; only when isaSupported(Isa::Avx2)
};

/// Whether this CPU (and OS) runs `isa`. Checked once.
bool isaSupported(Isa isa);
/// The fastest supported Isa; TWB_SIMD=sse2 in the environment forces the baseline.
Isa bestIsa();

/// Windows two frames and interleaves them as the complex input of RealFftPair:
/// in[2i] = a[i] * w[i], in[2i + 1] = b[i] * w[i] for begin <= i < end. Other entries of `in`
/// are not touched.
void windowPairInterleaved(Isa isa, const float *a, const float *b, const float *w, int begin,
                           int end, float *in);

/// Power spectra of two real frames from one complex FFT of size n (z: n complex values,
/// interleaved re/im, Z = FFT(a + i b)): powerA[k] = |(Z[k] + conj Z[n-k]) / 2|^2 and
/// powerB[k] = |(Z[k] - conj Z[n-k]) / 2i|^2 for k = 0..n/2 (indices mod n).
void powerOfPair(Isa isa, const float *z, int n, float *powerA, float *powerB);

/// dst[k * dstStride + j] = src[j * srcStride + k] for j < rows, k < cols: a frame-major block
/// (rows = frames, cols = bins) written into columns of a row-major [bins, frames] matrix.
void transpose(Isa isa, const float *src, int rows, int cols, std::int64_t srcStride, float *dst,
               std::int64_t dstStride);

} // namespace twb::dsp::simd
