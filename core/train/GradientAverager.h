#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace twb {

class ProcessGroup;

/// Data parallelism's gradient step: every rank's gradients are replaced by their mean over
/// the ranks (DistributedDataParallel's semantics), so that every rank takes the same optimizer
/// step from the same weights.
///
/// The gradients are flattened into buckets of about `bucketBytes` (parameters in reverse
/// order, as DDP: the last layers' gradients are ready first). With overlap (the default), a
/// hook on every parameter sees its gradient as autograd produces it; once a bucket's
/// gradients are all in (and every earlier bucket has started, so that all ranks start the
/// same collectives in the same order), the bucket is packed and its sum started as
/// asynchronous c10d work while backward goes on with the earlier layers. finish() starts the
/// buckets still waiting (a parameter that received no gradient contributes zeros: every rank
/// must send the same shapes), waits for all, divides by the world size and copies the means
/// into the parameters' gradients. Without overlap, finish() packs and starts every bucket
/// after backward. A model small enough for one bucket gains nothing from the overlap.
///
/// Contract: call beginStep() after zero_grad() and before backward(), then finish() after
/// it; the gradients must have been zero (or undefined) before backward, since the hook sees
/// the new gradient, not the accumulated one. Parameters that do not require a gradient
/// (frozen) are left out: a recipe that thaws them later needs a new averager (the Trainer
/// makes one). Gradients are float32 (or the parameter's dtype);
/// the parameters are not owned and must outlive the averager (its destructor removes the
/// hooks). Threading: the training thread (autograd runs CPU hooks on the calling thread).
class GradientAverager
{
public:
    GradientAverager(ProcessGroup &group, std::vector<torch::Tensor> parameters,
                     std::int64_t bucketBytes = 25 * 1024 * 1024, bool overlap = true);
    ~GradientAverager();
    GradientAverager(const GradientAverager &) = delete;
    GradientAverager &operator=(const GradientAverager &) = delete;

    /// Arms the hooks for the coming backward (overlap only; harmless otherwise).
    void beginStep();
    /// Averages the gradients; `extra` (any small tensor, e.g. float64 [loss sum, count]) is
    /// summed across the ranks in the same round, not averaged. Throws DistributedError.
    void finish(const torch::Tensor &extra = {});

    std::int64_t bucketCount() const { return std::int64_t(m_buckets.size()); }
    /// The parameters it averages (those that required a gradient when it was made).
    std::size_t parameterCount() const { return m_parameters.size(); }
    /// Buckets of the last step started during backward (overlapped), 0 .. bucketCount().
    std::int64_t lastOverlapped() const { return m_lastOverlapped; }
    /// Seconds the last finish() took (what backward did not hide: packing the rest, transfer,
    /// unpacking, and the wait for the slowest rank to arrive).
    double lastSeconds() const { return m_lastSeconds; }
    /// Seconds and calls of finish() since the last resetTotals() (the Trainer logs them per
    /// epoch).
    double totalSeconds() const { return m_totalSeconds; }
    std::int64_t calls() const { return m_calls; }
    void resetTotals() { m_totalSeconds = 0.0, m_calls = 0; }

private:
    void onGradient(std::size_t parameter, const torch::Tensor &gradient);
    /// Starts the buckets from m_nextBucket on whose gradients are all in (or all of them).
    void startReadyBuckets(bool all);
    void startBucket(std::size_t bucket);

    ProcessGroup &m_group;
    std::vector<torch::Tensor> m_parameters;
    std::vector<std::vector<std::size_t>> m_buckets; ///< indices into m_parameters
    std::vector<std::size_t> m_bucketOf;             ///< parameter index -> bucket
    std::vector<unsigned> m_hookHandles;             ///< per parameter (overlap only)
    bool m_overlap = true;
    bool m_armed = false;
    std::vector<torch::Tensor> m_gradients; ///< this step's, by parameter (hooks)
    std::vector<std::size_t> m_missing;     ///< per bucket: gradients not yet in
    std::vector<torch::Tensor> m_flats;     ///< per bucket: the packed sum in flight
    std::size_t m_nextBucket = 0;           ///< buckets before it have started
    std::int64_t m_lastOverlapped = 0;
    double m_lastSeconds = 0.0;
    double m_totalSeconds = 0.0;
    std::int64_t m_calls = 0;
};

} // namespace twb
