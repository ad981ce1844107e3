#pragma once

#include <QString>
#include <QStringList>

namespace twb {

/// The checkpoint files of a run folder (`RUN/checkpoints`), in the order "attention across
/// training" shows them: epoch_<N>.pt by epoch (epoch_010 after epoch_002), then best.pt and
/// last.pt when present. Other files are left out; a missing folder gives an empty list.
/// Reads the folder's listing (no file contents): cheap enough for the GUI thread.
QStringList listCheckpoints(const QString &runDir);

/// The 1-based epoch of "epoch_012.pt" (12); -1 for any other name. Pure: no file access.
int checkpointEpoch(const QString &checkpointName);

/// True when one of `checkpointNames` is an epoch checkpoint (epoch_<N>.pt).
bool hasEpochCheckpoint(const QStringList &checkpointNames);

} // namespace twb
