#pragma once

#include <QString>

#include <cstdint>
#include <string_view>

namespace twb {

/// Checks a time column row by row, as a loader reads it: every time must come after the one
/// before (a time that goes backwards or repeats would put windows and forecasts past the end
/// at wrong dates), and either every cell states its offset from UTC ("Z", "+02:00") or none
/// does (a mix cannot be put on one axis: the cells without an offset are taken as UTC).
/// Different offsets are fine (daylight saving time): times are compared in UTC.
///
/// Plain value type; one per column and load.
class TimeAxisCheck
{
public:
    /// The next row's time: `ms` since the epoch (UTC) parsed from `cell`. Returns what is wrong
    /// with it in words (for a message that the caller completes with the file and line), or an
    /// empty string.
    QString add(std::int64_t ms, std::string_view cell);
    /// The same for times without their text (an HDF5 /timestamps array): order only.
    QString add(std::int64_t ms);

private:
    std::int64_t m_previous = 0;
    std::int64_t m_rows = 0;
    bool m_zoned = false;
};

/// True when a date/time cell that parses (parseDateTimeCell) ends with an offset from UTC:
/// "2016-07-01T00:00:00Z", "2016-07-01 00:00+02:00", "2016-07-01 00:00:00-0500".
bool dateTimeCellHasOffset(std::string_view cell);

/// "2016-07-01 02:00:00" (UTC), with milliseconds when there are any.
QString formatUtcTime(std::int64_t ms);

} // namespace twb
