#pragma once

#include <QString>
#include <QStringList>

namespace twb {

/// Shell text that runs a `twb-cli train` data-parallel (issue 21, docs/distributed.md), for
/// the window's "copy as torchrun" and "copy as sbatch". Plain text, any thread.
/// `trainArguments` are TrainRequest::arguments() ("train --data ... --run-dir DIR").

/// Debian's torchrun (python3 -m torch.distributed.run; underscore flags, --redirects 1
/// --tee 1 so that rank 0's output shows) starting `processes` ranks on this machine, each
/// with one torch thread; --progress is set to bar.
QString torchrunCommand(const QStringList &trainArguments, int processes = 2);

/// An sbatch script: `nodes` machines × `tasksPerNode` ranks, MASTER_ADDR the job's first
/// host, `srun twb-cli train ...` with --threads from SLURM_CPUS_PER_TASK and no progress
/// output; SIGTERM two minutes before the time limit checkpoints (exit 3).
QString sbatchScript(const QStringList &trainArguments, int nodes = 1, int tasksPerNode = 2);

} // namespace twb
