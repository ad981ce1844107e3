#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// How often a series is sampled, for its calendar features (the frequency strings of the
/// papers' scripts: "s", "t"/"min", "h", "d", "b", "w", "m", "q", "y").
enum class TimeFrequency { Second, Minute, Hour, Day, BusinessDay, Week, Month, Quarter, Year };

/// "s", "t", "h", "d", "b", "w", "m", "q", "y".
QString frequencyName(TimeFrequency frequency);
/// Reads a frequency string as the papers' scripts take it ("h", "15min", "t", "D", ...: an
/// optional count, then the unit, case-insensitive). Errors say what is accepted.
Expected<TimeFrequency> parseFrequency(const QString &text);
/// The frequency whose unit fits a step between samples: below a minute Second, below an hour
/// Minute, below a day Hour, below a week Day, below 28 days Week, below 90 days Month, below
/// 365 days Quarter, else Year. A step <= 0 gives Hour.
TimeFrequency frequencyOfStep(std::int64_t stepMs);
/// The median step between consecutive `timestampsMs` (ms; 0 for fewer than two times).
std::int64_t medianStepMs(const std::vector<std::int64_t> &timestampsMs);

/// The "timeF" calendar features of the encoder-decoder forecasters (Informer, Autoformer,
/// FEDformer; Time-Series-Library's time_features, from GluonTS): per time step, each value
/// scaled to [-0.5, 0.5] —
///   second of minute s / 59 - 0.5, minute of hour m / 59 - 0.5, hour of day h / 23 - 0.5,
///   day of week (Monday 0) d / 6 - 0.5, day of month (d - 1) / 30 - 0.5,
///   day of year (d - 1) / 365 - 0.5, month of year (m - 1) / 11 - 0.5,
///   ISO week of year (w - 1) / 52 - 0.5
/// — which ones depending on the frequency: Second all six of second .. day of year, Minute
/// the five from minute of hour, Hour hour of day, day of week, day of month, day of year; Day
/// and BusinessDay the last three; Week day of month and week of year; Month and Quarter month
/// of year; Year none. Times are taken in UTC (the loaders' convention for times without an
/// offset).
struct CalendarFeatures
{
    QStringList names;         ///< "hour_of_day", "day_of_week", ...
    std::vector<float> values; ///< [steps, names.size()] row-major

    std::int64_t steps() const
    {
        return names.isEmpty() ? 0 : std::int64_t(values.size()) / names.size();
    }
    float at(std::int64_t step, int feature) const
    {
        return values[std::size_t(step * names.size() + feature)];
    }
};

/// The calendar features of `timestampsMs` (milliseconds since 1970-01-01 UTC). Pure; any
/// thread.
CalendarFeatures calendarFeatures(const std::vector<std::int64_t> &timestampsMs,
                                  TimeFrequency frequency);

/// `count` times after `lastMs`, `stepMs` apart: the time axis of a forecast past the end of
/// the data (whose calendar features the decoder of an encoder-decoder model reads).
std::vector<std::int64_t> timesAfter(std::int64_t lastMs, std::int64_t stepMs, std::int64_t count);

} // namespace twb
