#pragma once

#include <cstdint>

namespace twb::dsp {

/// dst[k * dstStride + j] = src[j * cols + k] for j < rows, k < cols: a frame-major
/// [rows, cols] block (rows = frames, cols = bins) written into columns of a row-major
/// [bins, frames] matrix. Four by four with SSE where available. Used by the STFT and mel code
/// to turn blocks of spectra into the [bins, frames] layout; the blocks stay in L1.
void transposeInto(const float *src, int rows, int cols, float *dst, std::int64_t dstStride);

} // namespace twb::dsp
