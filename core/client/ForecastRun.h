#pragma once

#include "common/Expected.h"
#include "runs/PredictionsFile.h"

#include <QString>

#include <cstdint>

namespace twb {

/// What the forecast view shows of a finished forecasting run (plain data): the test
/// predictions with where each window lies, read from predictions.h5, and from config.json the
/// lookback (the history drawn before each window) and the scored channel.
struct ForecastRunData
{
    QString runDir; ///< absolute path of the run folder
    /// [windows, horizon, channels] predictions and truth (normalised and original units), the
    /// first row and time of every window, the channel names and the split ("test").
    PredictionsRecord predictions;
    std::int64_t lookback = 0; ///< config "lookback": input rows before each forecast
    /// config "target": the run's scored channel in the MS setting; empty when every channel
    /// is scored.
    QString target;
};

/// Reads the run in `runDir` (RunStore layout): config.json, then predictions.h5. Errors name
/// the file and the problem: no run folder or no config.json, an unreadable config, "no
/// predictions yet (the run has not finished)", a predictions.h5 that is not HDF5 or not in
/// the layout of PredictionsFile.h, or one that crashed or hung the child that read it first
/// (probeFileInChild: a damaged HDF5 file costs a twb-cli child, not the caller). Never throws.
///
/// Threading: any thread (reads files only; HDF5 serialises its calls). predictions.h5 of a
/// long test set is tens of MB: call it on a worker, not on the GUI thread.
Expected<ForecastRunData> readForecastRun(const QString &runDir);

} // namespace twb
