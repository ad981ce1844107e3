#include "DistributedSettings.h"
#include "common/Errors.h"

#include <QByteArray>

#include <cstdlib>

namespace twb {

namespace {

std::optional<QString> processEnvironment(const char *name)
{
    const char *value = std::getenv(name);
    if (!value || !*value)
        return std::nullopt;
    return QString::fromLocal8Bit(value);
}

/// The integer in variable `name`, within [low, high].
Expected<int> integerVariable(const EnvironmentLookup &lookup, const char *name, int low, int high)
{
    const std::optional<QString> text = lookup(name);
    if (!text)
        return makeError(
            QStringLiteral("the launcher environment lacks %1").arg(QString::fromLatin1(name)));
    bool ok = false;
    const int value = text->trimmed().toInt(&ok);
    if (!ok || value < low || value > high)
        return makeError(QStringLiteral("%1=%2: expected an integer from %3 to %4")
                             .arg(QString::fromLatin1(name), *text)
                             .arg(low)
                             .arg(high));
    return value;
}

} // namespace

QString DistributedSettings::describe() const
{
    return QStringLiteral("rank %1 of %2 (%3, rendezvous %4:%5)")
        .arg(rank)
        .arg(worldSize)
        .arg(launcher, masterAddr)
        .arg(masterPort);
}

Expected<std::optional<DistributedSettings>>
distributedSettingsFromEnvironment(const QString &masterAddr, int timeoutSeconds,
                                   EnvironmentLookup lookup)
{
    if (!lookup)
        lookup = processEnvironment;
    const bool torchrun = lookup("RANK") || lookup("WORLD_SIZE");
    // A task of an srun step: SLURM_STEP_ID is set there and not in the batch script's own
    // shell (which has SLURM_PROCID=0 and the job's SLURM_NTASKS, and must stay one process).
    const char *slurmTasks =
        lookup("SLURM_STEP_NUM_TASKS") ? "SLURM_STEP_NUM_TASKS" : "SLURM_NTASKS";
    const bool slurm =
        !torchrun && lookup("SLURM_PROCID") && lookup("SLURM_STEP_ID") && lookup(slurmTasks);
    if (!torchrun && !slurm)
        return std::optional<DistributedSettings>();
    DistributedSettings s;
    s.launcher = torchrun ? QStringLiteral("torchrun") : QStringLiteral("slurm");
    s.timeoutSeconds = timeoutSeconds;
    Expected<int> world = integerVariable(lookup, torchrun ? "WORLD_SIZE" : slurmTasks, 1, 1 << 20);
    if (!world)
        return world.error();
    if (*world == 1)
        return std::optional<DistributedSettings>();
    s.worldSize = *world;
    Expected<int> rank = integerVariable(lookup, torchrun ? "RANK" : "SLURM_PROCID", 0, *world - 1);
    if (!rank)
        return rank.error();
    s.rank = *rank;
    const char *localName = torchrun ? "LOCAL_RANK" : "SLURM_LOCALID";
    if (lookup(localName)) {
        Expected<int> local = integerVariable(lookup, localName, 0, *world - 1);
        if (!local)
            return local.error();
        s.localRank = *local;
    }
    s.masterAddr = masterAddr.trimmed();
    if (s.masterAddr.isEmpty())
        s.masterAddr = lookup("MASTER_ADDR").value_or(QString()).trimmed();
    if (s.masterAddr.isEmpty())
        return makeError(
            torchrun ? QStringLiteral("the launcher environment lacks MASTER_ADDR (the host of "
                                      "rank 0)")
                     : QStringLiteral("under Slurm the host of rank 0 comes from MASTER_ADDR or "
                                      "--master-addr (e.g. the first host of "
                                      "`scontrol show hostnames $SLURM_JOB_NODELIST`)"));
    if (torchrun &&
        lookup("TORCHELASTIC_USE_AGENT_STORE").value_or(QString()) == QLatin1String("True")) {
        s.agentStore = true;
        s.storePrefix =
            QStringLiteral("/worker/attempt_%1")
                .arg(lookup("TORCHELASTIC_RESTART_COUNT").value_or(QStringLiteral("0")));
    }
    if (lookup("MASTER_PORT") || torchrun) {
        Expected<int> port = integerVariable(lookup, "MASTER_PORT", 1, 65535);
        if (!port)
            return port.error();
        s.masterPort = *port;
    } else {
        s.masterPort = 29500;
    }
    return std::optional<DistributedSettings>(s);
}

} // namespace twb
