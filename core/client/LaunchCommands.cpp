#include "LaunchCommands.h"
#include "TrainRequest.h"

namespace twb {

namespace {

/// `arguments` with option `name`'s value replaced by `value` (added when absent).
QStringList withOption(QStringList arguments, const QString &name, const QString &value)
{
    const qsizetype at = arguments.indexOf(name);
    if (at >= 0 && at + 1 < arguments.size())
        arguments[at + 1] = value;
    else
        arguments << name << value;
    return arguments;
}

QString joinQuoted(const QStringList &arguments)
{
    QStringList parts;
    for (const QString &a : arguments)
        parts << shellQuote(a);
    return parts.join(QLatin1Char(' '));
}

} // namespace

QString torchrunCommand(const QStringList &trainArguments, int processes)
{
    QStringList args = withOption(trainArguments, QStringLiteral("--threads"), QStringLiteral("1"));
    args = withOption(args, QStringLiteral("--progress"), QStringLiteral("bar"));
    return QStringLiteral("python3 -m torch.distributed.run --no_python --nproc_per_node %1 "
                          "--master_port 29500 --redirects 1 --tee 1 twb-cli %2")
        .arg(processes)
        .arg(joinQuoted(args));
}

QString sbatchScript(const QStringList &trainArguments, int nodes, int tasksPerNode)
{
    QStringList args =
        withOption(trainArguments, QStringLiteral("--progress"), QStringLiteral("none"));
    args = withOption(args, QStringLiteral("--threads"), QStringLiteral("THREADS"));
    QString command = joinQuoted(args);
    command.replace(QStringLiteral(" --threads THREADS"),
                    QStringLiteral(" --threads \"$SLURM_CPUS_PER_TASK\""));
    return QStringLiteral("#!/bin/bash\n"
                          "#SBATCH --job-name=twb-train\n"
                          "#SBATCH --nodes=%1\n"
                          "#SBATCH --ntasks-per-node=%2\n"
                          "#SBATCH --cpus-per-task=2\n"
                          "#SBATCH --time=04:00:00\n"
                          "#SBATCH --signal=TERM@120\n"
                          "# --batch-size is per rank; the run folder must be on a file system "
                          "every node sees.\n"
                          "export MASTER_ADDR=$(scontrol show hostnames \"$SLURM_JOB_NODELIST\" "
                          "| head -n 1)\n"
                          "export MASTER_PORT=29500\n"
                          "srun twb-cli %3\n"
                          "# exit 3: interrupted with a checkpoint; continue with\n"
                          "#   srun twb-cli train --run-dir DIR --resume\n")
        .arg(nodes)
        .arg(tasksPerNode)
        .arg(command);
}

} // namespace twb
