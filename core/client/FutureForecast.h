#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// The forecast past the end of the data written by `twb-cli predict` (original units).
struct FutureForecast
{
    QStringList channelNames;
    std::int64_t horizon = 0;
    std::vector<float> values; ///< [horizon, channels] row-major, original units
    /// Per step: ms since 1970-01-01 UTC (wall clock) when `timestamped`, else row numbers of
    /// the data (continuing after its last row).
    std::vector<std::int64_t> times;
    bool timestamped = false;
    QString sourcePath;

    float at(std::int64_t step, int channel) const
    {
        return values[std::size_t(step * channelNames.size() + channel)];
    }
};

/// Reads the output of `twb-cli predict RUN --data FILE --out OUT`:
///  - CSV (the default, one window): "date,<channel>,..." or, without a time axis, "row,..."
///    with one line per forecast step (loaded with loadSeries);
///  - HDF5: /forecast [windows, horizon, channels], /time or /row [windows, horizon],
///    /channel_names; the last window (the one past the end of the data) is taken.
/// Errors name the file and the reason. Any thread.
Expected<FutureForecast> loadFutureForecast(const QString &path);

} // namespace twb
