#pragma once

#include <QString>

namespace twb::cli {

/// `twb-cli inspect FILE --as predictions`: a forecasting run's predictions.h5 (windows,
/// horizon, channels, split, time range) read with readPredictions. Returns the exit code.
int runInspectPredictions(const QString &file, bool json);

/// `twb-cli inspect FILE --as class-predictions`: a classification run's predictions.h5 (cases,
/// classes, accuracy) read with readClassPredictionsFile. Returns the exit code.
int runInspectClassPredictions(const QString &file, bool json);

} // namespace twb::cli
