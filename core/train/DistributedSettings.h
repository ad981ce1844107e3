#pragma once

#include "common/Expected.h"

#include <QString>

#include <functional>
#include <optional>

namespace twb {

/// Where this process stands in a data-parallel run and how it meets the others: what a
/// launcher (torchrun, Slurm's srun) put in the environment.
struct DistributedSettings
{
    int rank = 0;       ///< 0 .. worldSize - 1; rank 0 writes the run folder
    int worldSize = 1;  ///< processes in the run
    int localRank = 0;  ///< rank on this machine (informational: the backend is CPU only)
    QString masterAddr; ///< host of rank 0, which serves the rendezvous store (TCPStore)
    int masterPort = 0;
    int timeoutSeconds = 300; ///< rendezvous and every collective; a rank silent longer fails
    QString launcher;         ///< "torchrun" or "slurm", for messages
    /// torchrun's elastic agent already serves the TCPStore at MASTER_ADDR:MASTER_PORT
    /// (TORCHELASTIC_USE_AGENT_STORE=True): every rank, rank 0 included, joins it as a client,
    /// and the ranks' keys live under `storePrefix`
    /// ("/worker/attempt_<TORCHELASTIC_RESTART_COUNT>"), as PyTorch's own env:// rendezvous does.
    /// False: rank 0 serves the store itself.
    bool agentStore = false;
    QString storePrefix;

    bool isMain() const { return rank == 0; }
    /// "rank 1 of 2 (torchrun, rendezvous 127.0.0.1:29500)"
    QString describe() const;
};

/// The value of an environment variable, nullopt when it is not set.
using EnvironmentLookup = std::function<std::optional<QString>(const char *name)>;

/// Reads the launcher's variables: torchrun's RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR,
/// MASTER_PORT, or else, in a task of an srun step (SLURM_STEP_ID set), Slurm's SLURM_PROCID,
/// SLURM_STEP_NUM_TASKS (or SLURM_NTASKS), SLURM_LOCALID with the master
/// address from MASTER_ADDR or `masterAddr` (the --master-addr flag, which wins everywhere)
/// and MASTER_PORT (default 29500). Neither set, or a world of 1: nullopt, a single-process
/// run. Under torchrun's elastic agent (TORCHELASTIC_USE_AGENT_STORE=True) the store is the
/// agent's (agentStore). A partial or inconsistent set (RANK without WORLD_SIZE, a rank out of
/// range, no master address, a port out of range) is an error naming the variable. `lookup`
/// defaults to the process environment.
Expected<std::optional<DistributedSettings>>
distributedSettingsFromEnvironment(const QString &masterAddr, int timeoutSeconds,
                                   EnvironmentLookup lookup = {});

} // namespace twb
