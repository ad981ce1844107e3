#include "DualPathChunking.h"

namespace twb {

namespace {

std::int64_t extraFrames(std::int64_t frames, std::int64_t hop)
{
    return (hop - frames % hop) % hop;
}

void checkChunk(std::int64_t chunk)
{
    TORCH_CHECK(chunk >= 2 && chunk % 2 == 0,
                "dual-path chunks: the chunk must be even and at "
                "least 2 frames, got ",
                chunk);
}

} // namespace

std::int64_t chunkCount(std::int64_t frames, std::int64_t chunk)
{
    checkChunk(chunk);
    const std::int64_t hop = chunk / 2;
    return (frames + extraFrames(frames, hop)) / hop + 1;
}

torch::Tensor chunkFrames(const torch::Tensor &x, std::int64_t chunk)
{
    checkChunk(chunk);
    TORCH_CHECK(x.dim() == 3 && x.size(2) >= 1, "chunkFrames: x must be [B, N, K], got ",
                x.sizes());
    const std::int64_t hop = chunk / 2;
    const torch::Tensor padded =
        torch::constant_pad_nd(x, {hop, hop + extraFrames(x.size(2), hop)}, 0.0);
    // unfold: [B, N, S, chunk] (windows of `chunk` every `hop`), then chunk before S.
    return padded.unfold(2, chunk, hop).transpose(2, 3).contiguous();
}

torch::Tensor overlapAddChunks(const torch::Tensor &chunks, std::int64_t frames, bool average)
{
    TORCH_CHECK(chunks.dim() == 4, "overlapAddChunks: chunks must be [B, N, chunk, S], got ",
                chunks.sizes());
    const std::int64_t chunk = chunks.size(2);
    TORCH_CHECK(frames >= 1 && chunks.size(3) == chunkCount(frames, chunk),
                "overlapAddChunks: ", chunks.size(3), " chunks of ", chunk, " do not make ", frames,
                " frames");
    const std::int64_t hop = chunk / 2, count = chunks.size(3);
    // Even chunks tile the padded sequence without overlap, odd ones too (shifted by hop):
    // each set laid end to end is a reshape; the two sets added with the shift.
    const std::int64_t length = (count + 1) * hop; // the padded length
    torch::Tensor out = torch::zeros({chunks.size(0), chunks.size(1), length}, chunks.options());
    for (std::int64_t parity = 0; parity < 2; ++parity) {
        const torch::Tensor set =
            chunks.index({torch::indexing::Slice(), torch::indexing::Slice(),
                          torch::indexing::Slice(), torch::indexing::Slice(parity, count, 2)});
        const std::int64_t n = set.size(3);
        const torch::Tensor laid =
            set.permute({0, 1, 3, 2}).reshape({chunks.size(0), chunks.size(1), n * chunk});
        out = out +
              torch::constant_pad_nd(laid, {parity * hop, length - parity * hop - n * chunk}, 0.0);
    }
    const torch::Tensor cut = out.narrow(2, hop, frames);
    return average ? cut / 2.0 : cut;
}

} // namespace twb
