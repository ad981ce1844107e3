#pragma once

#include "common/Expected.h"
#include "runs/RunStore.h"

#include <QJsonObject>
#include <QString>

namespace twb {

/// A run folder opened for reading, with its configuration: what every run reader starts from.
struct RunFolder
{
    RunStore store;     ///< the folder (RunStore layout)
    QJsonObject config; ///< config.json
};

/// Opens the run in `runDir` and reads its config.json. Errors name the folder (not a run, no
/// config.json) or config.json (not JSON). Never throws. Threading: any thread.
Expected<RunFolder> openRunFolder(const QString &runDir);

} // namespace twb
