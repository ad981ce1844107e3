#include "GradientAverager.h"
#include "ProcessGroup.h"

#include <chrono>

namespace twb {

GradientAverager::GradientAverager(ProcessGroup &group, std::vector<torch::Tensor> parameters,
                                   std::int64_t bucketBytes, bool overlap)
    : m_group(group)
    , m_overlap(overlap)
{
    for (torch::Tensor &p : parameters)
        if (p.requires_grad()) // frozen ones take no step and get no hook
            m_parameters.push_back(std::move(p));
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
    m_bucketOf.resize(m_parameters.size());
    for (std::size_t b = 0; b < m_buckets.size(); ++b)
        for (std::size_t i : m_buckets[b])
            m_bucketOf[i] = b;
    m_gradients.resize(m_parameters.size());
    m_missing.resize(m_buckets.size());
    m_flats.resize(m_buckets.size());
    if (m_overlap)
        for (std::size_t i = 0; i < m_parameters.size(); ++i)
            m_hookHandles.push_back(m_parameters[i].register_hook(
                [this, i](const torch::Tensor &gradient) { onGradient(i, gradient); }));
}

GradientAverager::~GradientAverager()
{
    for (std::size_t i = 0; i < m_hookHandles.size(); ++i)
        m_parameters[i].remove_hook(m_hookHandles[i]);
}

void GradientAverager::beginStep()
{
    for (std::size_t b = 0; b < m_buckets.size(); ++b) {
        m_missing[b] = m_buckets[b].size();
        m_flats[b] = torch::Tensor();
    }
    std::fill(m_gradients.begin(), m_gradients.end(), torch::Tensor());
    m_nextBucket = 0;
    m_armed = m_overlap;
}

void GradientAverager::onGradient(std::size_t parameter, const torch::Tensor &gradient)
{
    if (!m_armed || m_gradients[parameter].defined())
        return;
    m_gradients[parameter] = gradient;
    --m_missing[m_bucketOf[parameter]];
    startReadyBuckets(false);
}

void GradientAverager::startReadyBuckets(bool all)
{
    while (m_nextBucket < m_buckets.size() && (all || m_missing[m_nextBucket] == 0))
        startBucket(m_nextBucket++);
}

void GradientAverager::startBucket(std::size_t bucket)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> pieces;
    pieces.reserve(m_buckets[bucket].size());
    for (std::size_t i : m_buckets[bucket]) {
        const torch::Tensor &p = m_parameters[i];
        // The hook's gradient, or after backward the accumulated one (no overlap, or a
        // gradient that came without the hook).
        torch::Tensor g = m_gradients[i].defined() ? m_gradients[i] : p.grad();
        pieces.push_back(g.defined() ? g.reshape({-1}) : torch::zeros({p.numel()}, p.options()));
    }
    m_flats[bucket] = torch::cat(pieces);
    m_group.startAllReduceSum(m_flats[bucket]);
}

void GradientAverager::finish(const torch::Tensor &extra)
{
    const auto t0 = std::chrono::steady_clock::now();
    torch::NoGradGuard noGrad;
    if (!m_armed) { // no overlap, or beginStep() not called: every bucket from .grad
        m_nextBucket = 0;
        std::fill(m_gradients.begin(), m_gradients.end(), torch::Tensor());
    }
    m_lastOverlapped = std::int64_t(m_nextBucket);
    m_armed = false;
    startReadyBuckets(true);
    if (extra.defined())
        m_group.startAllReduceSum(extra);
    m_group.finishPending();
    const double scale = 1.0 / double(m_group.worldSize());
    for (std::size_t b = 0; b < m_buckets.size(); ++b) {
        torch::Tensor &flat = m_flats[b];
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
        flat = torch::Tensor();
    }
    std::fill(m_gradients.begin(), m_gradients.end(), torch::Tensor());
    m_lastSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m_totalSeconds += m_lastSeconds;
    ++m_calls;
}

} // namespace twb
