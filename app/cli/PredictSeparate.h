#pragma once

#include "train/RunLoader.h"

#include <QString>

namespace twb::cli {

/// `twb-cli predict` for a separation run: the sources of every mixture in `dataPath` (a sound
/// file, or a folder of them), each read as mono at the run's sample rate (resampled when the
/// file's differs) and separated whole (the model runs over the recording's full length).
/// `out` is a folder: for a mixture NAME.wav it receives NAME_source1.wav ... NAME_sourceS.wav
/// (float WAV at the run's rate, each written atomically). The order of the sources is the
/// model's (separation does not know which voice is whose). Returns the exit code.
int runPredictSeparate(const LoadedRun &run, const QString &dataPath, const QString &out);

} // namespace twb::cli
