#include "CalendarFeatures.h"
#include "common/Errors.h"

#include <QRegularExpression>

#include <algorithm>
#include <chrono>

namespace twb {

namespace {

enum class Feature {
    SecondOfMinute,
    MinuteOfHour,
    HourOfDay,
    DayOfWeek,
    DayOfMonth,
    DayOfYear,
    MonthOfYear,
    WeekOfYear
};

std::vector<Feature> featuresOf(TimeFrequency frequency)
{
    using F = Feature;
    switch (frequency) {
    case TimeFrequency::Second:
        return {F::SecondOfMinute, F::MinuteOfHour, F::HourOfDay,
                F::DayOfWeek,      F::DayOfMonth,   F::DayOfYear};
    case TimeFrequency::Minute:
        return {F::MinuteOfHour, F::HourOfDay, F::DayOfWeek, F::DayOfMonth, F::DayOfYear};
    case TimeFrequency::Hour:
        return {F::HourOfDay, F::DayOfWeek, F::DayOfMonth, F::DayOfYear};
    case TimeFrequency::Day:
    case TimeFrequency::BusinessDay:
        return {F::DayOfWeek, F::DayOfMonth, F::DayOfYear};
    case TimeFrequency::Week:
        return {F::DayOfMonth, F::WeekOfYear};
    case TimeFrequency::Month:
    case TimeFrequency::Quarter:
        return {F::MonthOfYear};
    case TimeFrequency::Year:
        break;
    }
    return {};
}

QString featureName(Feature f)
{
    switch (f) {
    case Feature::SecondOfMinute:
        return QStringLiteral("second_of_minute");
    case Feature::MinuteOfHour:
        return QStringLiteral("minute_of_hour");
    case Feature::HourOfDay:
        return QStringLiteral("hour_of_day");
    case Feature::DayOfWeek:
        return QStringLiteral("day_of_week");
    case Feature::DayOfMonth:
        return QStringLiteral("day_of_month");
    case Feature::DayOfYear:
        return QStringLiteral("day_of_year");
    case Feature::MonthOfYear:
        return QStringLiteral("month_of_year");
    case Feature::WeekOfYear:
        return QStringLiteral("week_of_year");
    }
    return {};
}

/// The calendar fields of one UTC time.
struct Fields
{
    int second, minute, hour;
    int weekday;   ///< Monday 0 .. Sunday 6
    int day;       ///< 1..31
    int dayOfYear; ///< 1..366
    int month;     ///< 1..12
    int isoWeek;   ///< 1..53
};

Fields fieldsOf(std::int64_t ms)
{
    using namespace std::chrono;
    const sys_time<milliseconds> t{milliseconds(ms)};
    const sys_days day = floor<days>(t);
    const year_month_day ymd(day);
    const hh_mm_ss<milliseconds> time(t - day);
    Fields f{};
    f.second = int(time.seconds().count());
    f.minute = int(time.minutes().count());
    f.hour = int(time.hours().count());
    f.weekday = int((weekday(day).c_encoding() + 6) % 7);
    f.day = int(unsigned(ymd.day()));
    f.month = int(unsigned(ymd.month()));
    f.dayOfYear = int((day - sys_days(ymd.year() / January / 1)).count()) + 1;
    // ISO 8601: the week with the year's first Thursday is week 1; weeks start on Monday.
    const sys_days thursday = day + days(3 - f.weekday);
    const year_month_day thursdayYmd(thursday);
    f.isoWeek = int((thursday - sys_days(thursdayYmd.year() / January / 1)).count()) / 7 + 1;
    return f;
}

float valueOf(Feature feature, const Fields &f)
{
    switch (feature) {
    case Feature::SecondOfMinute:
        return float(f.second / 59.0 - 0.5);
    case Feature::MinuteOfHour:
        return float(f.minute / 59.0 - 0.5);
    case Feature::HourOfDay:
        return float(f.hour / 23.0 - 0.5);
    case Feature::DayOfWeek:
        return float(f.weekday / 6.0 - 0.5);
    case Feature::DayOfMonth:
        return float((f.day - 1) / 30.0 - 0.5);
    case Feature::DayOfYear:
        return float((f.dayOfYear - 1) / 365.0 - 0.5);
    case Feature::MonthOfYear:
        return float((f.month - 1) / 11.0 - 0.5);
    case Feature::WeekOfYear:
        return float((f.isoWeek - 1) / 52.0 - 0.5);
    }
    return 0.0f;
}

} // namespace

QString frequencyName(TimeFrequency frequency)
{
    static const char *const names[] = {"s", "t", "h", "d", "b", "w", "m", "q", "y"};
    return QString::fromLatin1(names[int(frequency)]);
}

Expected<TimeFrequency> parseFrequency(const QString &text)
{
    static const QRegularExpression form(QStringLiteral("^\\s*(\\d*)\\s*([a-zA-Z]+)\\s*$"));
    const QRegularExpressionMatch m = form.match(text);
    const QString unit = m.hasMatch() ? m.captured(2).toLower() : QString();
    const std::pair<const char *, TimeFrequency> units[] = {
        {"s", TimeFrequency::Second},      {"sec", TimeFrequency::Second},
        {"t", TimeFrequency::Minute},      {"min", TimeFrequency::Minute},
        {"h", TimeFrequency::Hour},        {"d", TimeFrequency::Day},
        {"b", TimeFrequency::BusinessDay}, {"w", TimeFrequency::Week},
        {"m", TimeFrequency::Month},       {"q", TimeFrequency::Quarter},
        {"y", TimeFrequency::Year},        {"a", TimeFrequency::Year}};
    for (const auto &[name, frequency] : units)
        if (unit == QLatin1String(name))
            return frequency;
    return makeError(QStringLiteral("frequency \"%1\" is not one of s, t (or min), h, d, b, w, m, "
                                    "q, y, with an optional count before it (15min)")
                         .arg(text));
}

std::int64_t medianStepMs(const std::vector<std::int64_t> &timestampsMs)
{
    if (timestampsMs.size() < 2)
        return 0;
    std::vector<std::int64_t> steps(timestampsMs.size() - 1);
    for (std::size_t i = 1; i < timestampsMs.size(); ++i)
        steps[i - 1] = timestampsMs[i] - timestampsMs[i - 1];
    const auto middle = steps.begin() + std::ptrdiff_t(steps.size() / 2);
    std::nth_element(steps.begin(), middle, steps.end());
    return *middle;
}

TimeFrequency frequencyOfStep(std::int64_t stepMs)
{
    constexpr std::int64_t minute = 60'000, hour = 60 * minute, day = 24 * hour;
    if (stepMs <= 0)
        return TimeFrequency::Hour;
    if (stepMs < minute)
        return TimeFrequency::Second;
    if (stepMs < hour)
        return TimeFrequency::Minute;
    if (stepMs < day)
        return TimeFrequency::Hour;
    if (stepMs < 7 * day)
        return TimeFrequency::Day;
    if (stepMs < 28 * day)
        return TimeFrequency::Week;
    if (stepMs < 90 * day)
        return TimeFrequency::Month;
    if (stepMs < 365 * day)
        return TimeFrequency::Quarter;
    return TimeFrequency::Year;
}

CalendarFeatures calendarFeatures(const std::vector<std::int64_t> &timestampsMs,
                                  TimeFrequency frequency)
{
    const std::vector<Feature> features = featuresOf(frequency);
    CalendarFeatures out;
    for (Feature f : features)
        out.names << featureName(f);
    out.values.reserve(timestampsMs.size() * features.size());
    for (std::int64_t ms : timestampsMs) {
        const Fields fields = fieldsOf(ms);
        for (Feature f : features)
            out.values.push_back(valueOf(f, fields));
    }
    return out;
}

std::vector<std::int64_t> timesAfter(std::int64_t lastMs, std::int64_t stepMs, std::int64_t count)
{
    std::vector<std::int64_t> out;
    out.reserve(std::size_t(std::max<std::int64_t>(count, 0)));
    for (std::int64_t i = 1; i <= count; ++i)
        out.push_back(lastMs + i * stepMs);
    return out;
}

} // namespace twb
