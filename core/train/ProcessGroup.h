#pragma once

#include "DistributedSettings.h"
#include "common/Expected.h"

#include <torch/torch.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace twb {

/// A collective failed: a rank died, hung longer than the timeout, or the rendezvous broke.
/// what() names this rank and, when they can be told, the ranks that went silent.
class DistributedError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

/// This process's membership of a data-parallel run: a c10d Gloo process group (TCP) met
/// through a c10d TCPStore served by rank 0 at MASTER_ADDR:MASTER_PORT. PyTorch's own
/// distributed layer, no home-made networking; the c10d headers stay in ProcessGroup.cpp.
///
/// Every collective must be called by every rank in the same order (c10d's rule). Each one
/// waits at most settings.timeoutSeconds; then, or when a peer's connection closes, it throws
/// DistributedError. Tensors are float32/float64 CPU tensors, contiguous.
///
/// Threading: one thread (the training thread) uses it.
class ProcessGroup
{
public:
    /// Joins the group: rank 0 serves the store, every rank connects and waits for all
    /// worldSize ranks (at most the timeout). Errors say which address and port failed and
    /// how many ranks had arrived.
    static Expected<std::unique_ptr<ProcessGroup>> join(const DistributedSettings &settings);
    ~ProcessGroup();
    ProcessGroup(const ProcessGroup &) = delete;
    ProcessGroup &operator=(const ProcessGroup &) = delete;

    const DistributedSettings &settings() const { return m_settings; }
    int rank() const { return m_settings.rank; }
    int worldSize() const { return m_settings.worldSize; }
    bool isMain() const { return m_settings.rank == 0; }

    /// Rank 0's values overwrite every rank's `tensors` in place (flattened into one message
    /// per dtype).
    void broadcastFromMain(const std::vector<torch::Tensor> &tensors);
    /// Sums every tensor of `tensors` in place across the ranks; the reductions are started
    /// together (asynchronous c10d work) and all waited for.
    void allReduceSum(const std::vector<torch::Tensor> &tensors);
    /// Starts summing `tensor` in place across the ranks and returns at once (c10d's
    /// asynchronous work on Gloo's threads); the tensor must not be touched until
    /// finishPending() returns. Reductions finish in the order they were started.
    void startAllReduceSum(const torch::Tensor &tensor);
    /// Waits for every reduction started since the last call.
    void finishPending();
    /// The elementwise maximum across the ranks, in place.
    void allReduceMax(const torch::Tensor &tensor);
    /// Waits for every rank (at most the timeout).
    void barrier();
    /// Tells the others this rank is leaving because of `reason` (a store key they read when
    /// a collective fails, to name the rank that failed first); best effort, never throws.
    /// Does nothing after a collective of this rank failed (it already said so).
    void announceFailure(const QString &reason);

private:
    struct Impl;
    ProcessGroup(DistributedSettings settings, std::unique_ptr<Impl> impl);
    [[noreturn]] void fail(const char *operation, const std::exception &error);

    DistributedSettings m_settings;
    std::unique_ptr<Impl> m_impl;
    bool m_broken = false; ///< a collective failed
};

} // namespace twb
