#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

class ProcessGroup;

/// Data parallelism's gradient step: after backward, every rank's gradients are replaced by
/// their mean over the ranks (DistributedDataParallel's semantics), so that every rank takes
/// the same optimizer step from the same weights.
///
/// The gradients are flattened into buckets of about `bucketBytes` (parameters in reverse
/// order, as DDP: the last layers' gradients are ready first), each bucket's sum started as
/// asynchronous c10d work as soon as it is packed, so packing the next overlaps the previous
/// one's transfer; then all are waited for, divided by the world size and copied back.
/// A parameter that received no gradient contributes zeros (every rank must send the same
/// shapes). Gradients are float32 (or the parameter's dtype); the parameters are not owned.
///
/// Threading: the training thread.
class GradientAverager
{
public:
    GradientAverager(ProcessGroup &group, std::vector<torch::Tensor> parameters,
                     std::int64_t bucketBytes = 25 * 1024 * 1024);

    /// Averages the gradients; `extra` (any small tensor, e.g. float64 [loss sum, count]) is
    /// summed across the ranks in the same round, not averaged. Throws DistributedError.
    void average(const torch::Tensor &extra = {});

    std::int64_t bucketCount() const { return std::int64_t(m_buckets.size()); }
    /// Seconds the last average() took (packing, transfer, unpacking, and the wait for the
    /// slowest rank to arrive).
    double lastSeconds() const { return m_lastSeconds; }
    /// Seconds and calls of average() since the last resetTotals() (the Trainer logs them per
    /// epoch).
    double totalSeconds() const { return m_totalSeconds; }
    std::int64_t calls() const { return m_calls; }
    void resetTotals() { m_totalSeconds = 0.0, m_calls = 0; }

private:
    ProcessGroup &m_group;
    std::vector<torch::Tensor> m_parameters;
    std::vector<std::vector<std::size_t>> m_buckets; ///< indices into m_parameters
    double m_lastSeconds = 0.0;
    double m_totalSeconds = 0.0;
    std::int64_t m_calls = 0;
};

} // namespace twb
