#include "DistributedLaunch.h"
#include "CliCommon.h"
#include "train/DistributedSettings.h"
#include "train/ProcessGroup.h"

namespace twb::cli {

void addDistributedFlags(CLI::App &cmd, DistributedFlags &flags)
{
    cmd.add_option("--master-addr", flags.masterAddr,
                   "Data parallel: the host of rank 0 (default MASTER_ADDR). The ranks come "
                   "from torchrun's RANK/WORLD_SIZE/MASTER_PORT or Slurm's "
                   "SLURM_PROCID/SLURM_NTASKS; --batch-size is per rank");
    cmd.add_option("--dist-timeout", flags.timeoutSeconds,
                   "Data parallel: seconds a rank waits for the others (rendezvous and every "
                   "collective) before the run fails naming the silent rank (default 300)")
        ->check(CLI::Range(1, 24 * 3600));
}

Expected<std::unique_ptr<ProcessGroup>> joinLauncherGroup(const DistributedFlags &flags)
{
    Expected<std::optional<DistributedSettings>> settings =
        distributedSettingsFromEnvironment(qs(flags.masterAddr), flags.timeoutSeconds);
    if (!settings)
        return settings.error();
    if (!settings->has_value())
        return std::unique_ptr<ProcessGroup>();
    return ProcessGroup::join(**settings);
}

QString rankPrefix(const ProcessGroup *group)
{
    if (!group)
        return {};
    return QStringLiteral("rank %1 of %2: ").arg(group->rank()).arg(group->worldSize());
}

} // namespace twb::cli
