#pragma once

#include <QDateTime>

#include <limits>
#include <vector>

namespace twb {

/// Series timestamps are wall-clock times stored as UTC milliseconds (the file's
/// "2016-07-01 00:00" is 2016-07-01T00:00Z), but Qt Charts' QDateTimeAxis labels its values in
/// the local time zone. These functions map between the two so that the axis shows the file's
/// wall clock in every time zone (DST included). Pure functions, any thread.

/// The axis value (local epoch ms) whose local time reads like `wallMs` in UTC.
double wallClockToAxis(double wallMs);

/// The inverse: the wall-clock ms (UTC) of an axis value.
double axisToWallClock(double axisMs);

/// Convenience for QDateTimeAxis::setRange.
QDateTime wallClockToDateTime(double wallMs);
double dateTimeToWallClock(const QDateTime &axisValue);

/// wallClockToAxis for many times of one range, about a hundred times faster: asking the local
/// time zone for each time costs microseconds, which for the few thousand points of a decimated
/// line is most of a repaint.
///
/// Built for wall-clock times in [wall0, wall1]: it reads the time zone's offset changes in that
/// range once and answers with an offset from that list; a time within two days of an offset
/// change (where local time can be skipped or repeated) is converted by wallClockToAxis itself,
/// and so is a time past the end of the zone's list while it still observes daylight saving,
/// and everything when the zone lists no changes or
/// the two ways disagree at the ends of the range. The answers equal wallClockToAxis. Immutable
/// after construction; any thread.
class WallClockAxisMapper
{
public:
    WallClockAxisMapper(double wall0, double wall1);
    double operator()(double wallMs) const;

private:
    /// UTC offset in ms at instant `utcMs`, from the transitions list.
    double offsetAt(double utcMs) const;

    bool m_exactOnly = false;
    double m_listedUntil = std::numeric_limits<double>::infinity(); ///< wall ms
    double m_firstOffset = 0.0;         ///< ms, before the first transition
    std::vector<double> m_changes;      ///< instants of the offset changes, UTC ms, ascending
    std::vector<double> m_offsetsAfter; ///< ms, the offset from each change on
};

} // namespace twb
