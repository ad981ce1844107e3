#include "GradientAverager.h"
#include "ProcessGroup.h"

#include <chrono>

namespace twb {

GradientAverager::GradientAverager(ProcessGroup &group, std::vector<torch::Tensor> parameters,
                                   std::int64_t bucketBytes)
    : m_group(group)
    , m_parameters(std::move(parameters))
{
    std::vector<std::size_t> bucket;
    std::int64_t bytes = 0;
    for (std::size_t i = m_parameters.size(); i-- > 0;) {
        const torch::Tensor &p = m_parameters[i];
        const std::int64_t size = p.numel() * std::int64_t(p.element_size());
        const bool otherType =
            !bucket.empty() && m_parameters[bucket.front()].scalar_type() != p.scalar_type();
        if (!bucket.empty() && (bytes + size > bucketBytes || otherType)) {
            m_buckets.push_back(std::move(bucket));
            bucket.clear();
            bytes = 0;
        }
        bucket.push_back(i);
        bytes += size;
    }
    if (!bucket.empty())
        m_buckets.push_back(std::move(bucket));
}

void GradientAverager::average(const torch::Tensor &extra)
{
    const auto t0 = std::chrono::steady_clock::now();
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> flats;
    flats.reserve(m_buckets.size());
    for (const auto &bucket : m_buckets) {
        std::vector<torch::Tensor> pieces;
        pieces.reserve(bucket.size());
        for (std::size_t i : bucket) {
            const torch::Tensor &p = m_parameters[i];
            const torch::Tensor g = p.grad();
            pieces.push_back(g.defined() ? g.reshape({-1})
                                         : torch::zeros({p.numel()}, p.options()));
        }
        flats.push_back(torch::cat(pieces));
        m_group.startAllReduceSum(flats.back());
    }
    if (extra.defined())
        m_group.startAllReduceSum(extra);
    m_group.finishPending();
    const double scale = 1.0 / double(m_group.worldSize());
    for (std::size_t b = 0; b < m_buckets.size(); ++b) {
        torch::Tensor &flat = flats[b];
        flat.mul_(scale);
        std::int64_t offset = 0;
        for (std::size_t i : m_buckets[b]) {
            torch::Tensor &p = m_parameters[i];
            const torch::Tensor part = flat.narrow(0, offset, p.numel()).view(p.sizes());
            if (p.grad().defined())
                p.mutable_grad().copy_(part);
            else
                p.mutable_grad() = part.clone();
            offset += p.numel();
        }
    }
    m_lastSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m_totalSeconds += m_lastSeconds;
    ++m_calls;
}

} // namespace twb
