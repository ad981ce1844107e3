#pragma once

#include "nn/MaskingScheme.h"

#include <torch/torch.h>

#include <cstdint>
#include <random>

namespace twb {

/// Draws the hidden values of `batch` inputs of `length` steps and `channels` channels following
/// `scheme`: bool [batch, length, channels], true = hidden. Every (example, channel) pair gets
/// its own draw from `rng`, so the same generator state gives the same mask.
///   Patches: exactly round(ratio * ceil(length / patchLength)) blocks per channel (at least
///   one, at most all but one when there are two blocks or more).
///   GeometricSpans: on average `ratio` of the values per channel (a Markov chain; the first
///   state is hidden with probability ratio); at least one value per channel is hidden.
torch::Tensor drawMask(const MaskingScheme &scheme, std::int64_t batch, std::int64_t length,
                       std::int64_t channels, std::mt19937_64 &rng);

/// The number of blocks Patches hides per channel of `length` steps.
std::int64_t hiddenBlocks(const MaskingScheme &scheme, std::int64_t length);

} // namespace twb
