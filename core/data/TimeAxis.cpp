#include "TimeAxis.h"

#include <QDateTime>

namespace twb {

QString TimeAxisCheck::add(std::int64_t ms)
{
    QString problem;
    if (m_rows > 0 && ms == m_previous)
        problem = QStringLiteral("the time %1 repeats the previous row's; remove or merge the "
                                 "duplicate rows")
                      .arg(formatUtcTime(ms));
    else if (m_rows > 0 && ms < m_previous)
        problem = QStringLiteral("the time goes backwards: %1 comes after %2; sort the rows by "
                                 "time")
                      .arg(formatUtcTime(ms), formatUtcTime(m_previous));
    m_previous = ms;
    ++m_rows;
    return problem;
}

QString TimeAxisCheck::add(std::int64_t ms, std::string_view cell)
{
    const bool zoned = dateTimeCellHasOffset(cell);
    if (m_rows > 0 && zoned != m_zoned)
        return QStringLiteral("the times mix time zones: \"%1\" has %2 offset from UTC and the "
                              "rows above have %3; give every time its offset, or none")
            .arg(QString::fromUtf8(cell.data(), qsizetype(cell.size())).trimmed(),
                 zoned ? QStringLiteral("an") : QStringLiteral("no"),
                 zoned ? QStringLiteral("none") : QStringLiteral("one"));
    m_zoned = zoned;
    return add(ms);
}

bool dateTimeCellHasOffset(std::string_view cell)
{
    auto blank = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '"';
    };
    while (!cell.empty() && blank(cell.back()))
        cell.remove_suffix(1);
    while (!cell.empty() && blank(cell.front()))
        cell.remove_prefix(1);
    // The time starts after the date's ' ' or 'T'; only there can '+', '-' or 'Z' be an offset.
    const std::size_t timeStart = cell.find_first_of(" T", 8);
    if (timeStart == std::string_view::npos)
        return false;
    const std::string_view time = cell.substr(timeStart + 1);
    return (!time.empty() && time.back() == 'Z') ||
           time.find_first_of("+-") != std::string_view::npos;
}

QString formatUtcTime(std::int64_t ms)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    return t.toString(ms % 1000 != 0 ? QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")
                                     : QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace twb
