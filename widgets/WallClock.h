#pragma once

#include <QDateTime>

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

} // namespace twb
