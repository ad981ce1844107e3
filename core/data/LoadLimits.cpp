#include "LoadLimits.h"

#include <algorithm>
#include <atomic>
#include <cmath>

namespace twb {

namespace {

std::atomic<std::int64_t> g_maxArrayBytes{LoadLimits{}.maxArrayBytes};
std::atomic<std::int64_t> g_maxLineBytes{LoadLimits{}.maxLineBytes};

QString countText(double count)
{
    if (count < 1e7)
        return QString::number(std::int64_t(count));
    return QStringLiteral("%1e%2")
        .arg(count / std::pow(10.0, std::floor(std::log10(count))), 0, 'f', 1)
        .arg(int(std::floor(std::log10(count))));
}

} // namespace

LoadLimits loadLimits()
{
    return LoadLimits{g_maxArrayBytes.load(), g_maxLineBytes.load()};
}

void setLoadLimits(const LoadLimits &limits)
{
    g_maxArrayBytes.store(std::max<std::int64_t>(limits.maxArrayBytes, 1));
    g_maxLineBytes.store(std::max<std::int64_t>(limits.maxLineBytes, 1));
}

QString byteSizeText(double bytes)
{
    static const char *const units[] = {"KB", "MB", "GB", "TB", "PB", "EB"};
    if (!(bytes >= 10 * 1024.0))
        return QStringLiteral("%1 bytes").arg(std::int64_t(std::max(bytes, 0.0)));
    int unit = -1;
    while (bytes >= 1024.0 && unit + 1 < int(std::size(units))) {
        bytes /= 1024.0;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(bytes, 0, 'f', 1).arg(QLatin1String(units[unit]));
}

Status checkArraySize(double count, std::int64_t elementBytes, const QString &what)
{
    const double limit = double(g_maxArrayBytes.load());
    const double bytes = count * double(std::max<std::int64_t>(elementBytes, 1));
    if (count >= 0 && std::isfinite(bytes) && bytes <= limit)
        return Status::ok();
    // One multi-argument arg(): a '%' in `what` (a dataset name from the file) stays literal.
    const QString reason =
        QStringLiteral("%1 would need %2 (%3 values of %4 bytes), more than the %5 a loader may "
                       "allocate for one array")
            .arg(what,
                 std::isfinite(bytes) && count >= 0 ? byteSizeText(bytes)
                                                    : QStringLiteral("an impossible size"),
                 count >= 0 ? countText(count) : QString::number(count),
                 QString::number(elementBytes), byteSizeText(limit));
    return Error{reason, QString()};
}

} // namespace twb
