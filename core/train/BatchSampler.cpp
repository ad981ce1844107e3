#include "BatchSampler.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

namespace twb {

namespace {

// splitmix64: spreads (seed, epoch) over the generator's seed space so that neighbouring
// seeds and epochs give unrelated permutations.
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t epoch)
{
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (epoch + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

} // namespace

BatchSampler::BatchSampler(std::int64_t count, std::int64_t batchSize, bool shuffle,
                           std::uint64_t seed, bool dropLast, int rank, int worldSize)
    : m_total(std::max<std::int64_t>(0, count))
    , m_count((m_total + std::max(1, worldSize) - 1) / std::max(1, worldSize))
    , m_rank(std::clamp(rank, 0, std::max(1, worldSize) - 1))
    , m_worldSize(std::max(1, worldSize))
    , m_batchSize(std::max<std::int64_t>(1, batchSize))
    , m_shuffle(shuffle)
    , m_seed(seed)
    , m_dropLast(dropLast)
{
    setEpoch(0);
}

std::int64_t BatchSampler::batchesPerEpoch() const
{
    return m_dropLast ? m_count / m_batchSize : (m_count + m_batchSize - 1) / m_batchSize;
}

void BatchSampler::setEpoch(std::int64_t epoch)
{
    if (epoch == m_epoch)
        return;
    m_epoch = epoch;
    if (m_shuffle) {
        auto generator =
            at::make_generator<at::CPUGeneratorImpl>(mixSeed(m_seed, std::uint64_t(epoch)));
        m_order = torch::randperm(m_total, generator, torch::kLong);
    } else {
        m_order = torch::arange(m_total, torch::kLong);
    }
    if (m_worldSize > 1 && m_total > 0) {
        const std::int64_t padded = m_count * m_worldSize;
        while (m_order.size(0) < padded) // DistributedSampler's padding: repeat from the start
            m_order = torch::cat(
                {m_order, m_order.narrow(0, 0, std::min(m_total, padded - m_order.size(0)))});
        m_order = m_order.slice(0, m_rank, padded, m_worldSize).contiguous();
    }
}

torch::Tensor BatchSampler::batch(std::int64_t index) const
{
    TORCH_CHECK(index >= 0 && index < batchesPerEpoch(), "batch index ", index, " out of range");
    const std::int64_t begin = index * m_batchSize;
    return m_order.narrow(0, begin, std::min(m_batchSize, m_count - begin));
}

} // namespace twb
