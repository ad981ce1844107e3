#pragma once

#include "ForecastMetrics.h"
#include "common/Expected.h"
#include "data/Hdf5File.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// Predictions of one part of a run with where each window lies.
struct PredictionsRecord
{
    ForecastPredictions values;                ///< [windows, horizon, channels]
    std::vector<std::int64_t> windowStartRows; ///< first input row of each window
    /// ms since epoch (UTC) of the first input row and of the first forecast row of each
    /// window; empty when the data has no time axis.
    std::vector<std::int64_t> windowStartTimes;
    std::vector<std::int64_t> forecastStartTimes;
    QStringList channelNames;
    QString split = QStringLiteral("test");
};

/// Writes the record into an open writer with this layout (h5py-readable):
///   /predictions/normalised, /predictions/original   float32 [windows, horizon, channels]
///   /truth/normalised, /truth/original               float32 [windows, horizon, channels]
///   /windows/start_row                               int64 [windows]
///   /windows/start_time, /windows/forecast_start_time int64 ms UTC [windows] (if timestamped)
///   /channel_names                                   strings [channels]
///   attributes of /predictions: "split", "horizon", "units" (a sentence)
Status writePredictions(Hdf5Writer &writer, const PredictionsRecord &record);

/// predictions.h5 of a run: the layout above in its own file, written atomically.
Status writePredictionsFile(const QString &path, const PredictionsRecord &record);

/// Reads what writePredictions wrote.
Expected<PredictionsRecord> readPredictions(const Hdf5Reader &reader);

} // namespace twb
