#pragma once

#include "common/Expected.h"

#include <CLI/CLI.hpp>

#include <QString>

#include <memory>
#include <string>

namespace twb {
class ProcessGroup;
}

namespace twb::cli {

/// The flags of `twb-cli train` that concern data-parallel runs (issue 21).
struct DistributedFlags
{
    std::string masterAddr;   ///< --master-addr: rank 0's host (wins over MASTER_ADDR)
    int timeoutSeconds = 300; ///< --dist-timeout
};

/// Adds --master-addr and --dist-timeout to `cmd`.
void addDistributedFlags(CLI::App &cmd, DistributedFlags &flags);

/// Joins the data-parallel run the launcher's environment describes (torchrun or Slurm
/// variables, DistributedSettings.h): null when there is none (one process), else the joined
/// group. Errors name the variable, or the rendezvous address and what failed. Blocks until
/// every rank arrived or the timeout passed.
Expected<std::unique_ptr<ProcessGroup>> joinLauncherGroup(const DistributedFlags &flags);

/// "rank 1 of 2: " for messages of a data-parallel run, empty otherwise.
QString rankPrefix(const ProcessGroup *group);

} // namespace twb::cli
