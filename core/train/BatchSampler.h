#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace twb {

/// Cuts the windows of one part into batches, in a new order every epoch.
///
/// Shuffled: the order of epoch e is a permutation drawn from a private generator seeded with
/// (seed, e) only, so it is the same in a run resumed at any batch and does not touch (or
/// depend on) torch's global generator. Not shuffled: 0, 1, ..., count - 1.
/// The last partial batch is kept unless dropLast (evaluation never drops it).
///
/// Sharded (worldSize > 1, data-parallel training), like PyTorch's DistributedSampler: every
/// rank draws the same order of all `count` windows, pads it to a multiple of worldSize by
/// repeating its first windows, and keeps every worldSize-th from position `rank`; so each
/// rank has ceil(count / worldSize) windows, and batch b of the ranks together is the
/// contiguous slice [b * batchSize * worldSize, (b + 1) * batchSize * worldSize) of the order
/// that one process with batch batchSize * worldSize would draw (up to the padding).
///
/// Threading: one thread at a time.
class BatchSampler
{
public:
    BatchSampler(std::int64_t count, std::int64_t batchSize, bool shuffle, std::uint64_t seed,
                 bool dropLast = false, int rank = 0, int worldSize = 1);

    /// Windows this rank draws per epoch (all of them when not sharded).
    std::int64_t count() const { return m_count; }
    std::int64_t batchSize() const { return m_batchSize; }
    std::int64_t batchesPerEpoch() const;

    /// Prepares the order of `epoch` (0-based).
    void setEpoch(std::int64_t epoch);
    std::int64_t epoch() const { return m_epoch; }

    /// Window indices of batch `index` of the current epoch: int64 [batch] (the last may be
    /// shorter than batchSize).
    torch::Tensor batch(std::int64_t index) const;

    /// This rank's whole order of the current epoch: int64 [count].
    const torch::Tensor &order() const { return m_order; }

private:
    std::int64_t m_total = 0; ///< windows of the part, all ranks
    std::int64_t m_count = 0; ///< windows of this rank's shard
    int m_rank = 0;
    int m_worldSize = 1;
    std::int64_t m_batchSize = 1;
    bool m_shuffle = false;
    std::uint64_t m_seed = 0;
    bool m_dropLast = false;
    std::int64_t m_epoch = -1;
    torch::Tensor m_order;
};

} // namespace twb
