#include "WallClock.h"

#include <QTimeZone>

#include <algorithm>
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

namespace {

constexpr double nearTransitionMs = 2.0 * 24 * 3600 * 1000;

} // namespace

WallClockAxisMapper::WallClockAxisMapper(double wall0, double wall1)
{
    const QTimeZone zone = QTimeZone::systemTimeZone();
    if (!std::isfinite(wall0) || !std::isfinite(wall1) || !zone.isValid()) {
        m_exactOnly = true;
        return;
    }
    if (wall1 < wall0)
        std::swap(wall0, wall1);
    // Wall clock and UTC differ by less than a day, so this covers every instant asked for.
    const auto from = QDateTime::fromMSecsSinceEpoch(qint64(wall0 - 2 * nearTransitionMs), Qt::UTC);
    const auto to = QDateTime::fromMSecsSinceEpoch(qint64(wall1 + 2 * nearTransitionMs), Qt::UTC);
    m_firstOffset = 1000.0 * zone.offsetFromUtc(from);
    if (zone.hasTransitions()) {
        // transitions(from, to) stops where the zone file's table ends (2037) while
        // nextTransition() goes on with the zone's daylight-saving rule: walk with the latter.
        // Asked from the table's last change itself, Qt 6.4 answers "none"; an hour later
        // it answers with the rule's next change.
        QDateTime at = from;
        bool ended = false;
        for (int guard = 0; guard < 100'000; ++guard) {
            QTimeZone::OffsetData change = zone.nextTransition(at);
            if (!change.atUtc.isValid())
                change = zone.nextTransition(at.addSecs(3600));
            if (!change.atUtc.isValid() || change.atUtc <= at) {
                ended = true;
                break;
            }
            if (change.atUtc > to)
                break;
            m_changes.push_back(double(change.atUtc.toMSecsSinceEpoch()));
            m_offsetsAfter.push_back(1000.0 * change.offsetFromUtc);
            at = change.atUtc;
        }
        // Should the zone's list of changes end while local time may still follow a
        // daylight-saving rule, past the list's end only the exact way counts.
        if (ended && zone.hasDaylightTime()) {
            const double lastListed =
                m_changes.empty() ? wall0 - 2 * nearTransitionMs : m_changes.back();
            m_listedUntil = lastListed + 180.0 * 24 * 3600 * 1000;
        }
    } else if (zone.offsetFromUtc(to) != zone.offsetFromUtc(from) || zone.hasDaylightTime()) {
        m_exactOnly = true; // changes we cannot list
        return;
    }
    // Check the list against the local time conversion QDateTimeAxis uses.
    for (double wall : {wall0, (wall0 + wall1) / 2.0, wall1})
        if ((*this)(wall) != wallClockToAxis(wall))
            m_exactOnly = true;
}

double WallClockAxisMapper::offsetAt(double utcMs) const
{
    const auto after = std::upper_bound(m_changes.begin(), m_changes.end(), utcMs);
    return after == m_changes.begin() ? m_firstOffset
                                      : m_offsetsAfter[std::size_t(after - m_changes.begin() - 1)];
}

double WallClockAxisMapper::operator()(double wallMs) const
{
    if (m_exactOnly || !std::isfinite(wallMs) || wallMs > m_listedUntil)
        return wallClockToAxis(wallMs);
    // The instant whose local time reads wallMs is about wallMs - offset; far from any change
    // the offset is the same at wallMs and at that instant.
    const auto next = std::lower_bound(m_changes.begin(), m_changes.end(), wallMs);
    if ((next != m_changes.end() && *next - wallMs < nearTransitionMs) ||
        (next != m_changes.begin() && wallMs - *(next - 1) < nearTransitionMs))
        return wallClockToAxis(wallMs);
    const double whole = std::floor(wallMs);
    return (whole - offsetAt(whole)) + (wallMs - whole);
}

} // namespace twb
