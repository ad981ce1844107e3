#include "WallClock.h"

#include <cmath>

namespace twb {

double wallClockToAxis(double wallMs)
{
    const double whole = std::floor(wallMs);
    const QDateTime utc = QDateTime::fromMSecsSinceEpoch(qint64(whole), Qt::UTC);
    const QDateTime local(utc.date(), utc.time(), Qt::LocalTime);
    return double(local.toMSecsSinceEpoch()) + (wallMs - whole);
}

double axisToWallClock(double axisMs)
{
    const double whole = std::floor(axisMs);
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(qint64(whole), Qt::LocalTime);
    const QDateTime utc(local.date(), local.time(), Qt::UTC);
    return double(utc.toMSecsSinceEpoch()) + (axisMs - whole);
}

QDateTime wallClockToDateTime(double wallMs)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(wallClockToAxis(wallMs))),
                                          Qt::LocalTime);
}

double dateTimeToWallClock(const QDateTime &axisValue)
{
    return axisToWallClock(double(axisValue.toMSecsSinceEpoch()));
}

} // namespace twb
