#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// The dual-path segmentation of DPRNN (Luo et al. 2020) and SepFormer (Subakan et al. 2021):
/// a long sequence of frames cut into chunks of `chunk` frames with 50 % overlap (hop =
/// chunk / 2), so that one transformer attends within each chunk (intra-chunk) and another
/// across the chunks at each position (inter-chunk).
///
/// chunkFrames: x [B, N, K] → [B, N, chunk, S]: x is zero-padded by `hop` frames at the front
/// and by hop plus what completes the last chunk at the end; chunk s covers padded frames
/// [s·hop, s·hop + chunk). S = (K + extra) / hop + 1 with extra = (hop − K mod hop) mod hop.
/// chunk must be even and at least 2. Every frame of x lies in exactly two chunks.
torch::Tensor chunkFrames(const torch::Tensor &x, std::int64_t chunk);

/// overlapAddChunks: the inverse arrangement, [B, N, chunk, S] → [B, N, K] for the K given to
/// chunkFrames: each chunk added back at its place and the padding cut. `average` divides by
/// the two chunks that cover every frame, so overlapAddChunks(chunkFrames(x), K, true) == x
/// exactly; the published models sum (average false), which doubles an unchanged input.
torch::Tensor overlapAddChunks(const torch::Tensor &chunks, std::int64_t frames,
                               bool average = false);

/// Chunks chunkFrames() makes of `frames` frames.
std::int64_t chunkCount(std::int64_t frames, std::int64_t chunk);

} // namespace twb
