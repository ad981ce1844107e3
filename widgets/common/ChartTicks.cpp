#include "ChartTicks.h"

#include <algorithm>

#include <QChart>
#include <QValueAxis>

#include <cmath>

namespace twb {

double niceTickInterval(double span, int maxTicks)
{
    if (!(span > 0.0) || !std::isfinite(span) || maxTicks < 1)
        return 1.0;
    const double raw = span / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    const double nice = norm <= 1.0   ? 1.0
                        : norm <= 2.0 ? 2.0
                        : norm <= 2.5 ? 2.5
                        : norm <= 5.0 ? 5.0
                                      : 10.0;
    return nice * magnitude;
}

void setRangeWithNiceTicks(QValueAxis *axis, double min, double max, int maxTicks)
{
    if (!axis)
        return;
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(niceTickInterval(max - min, maxTicks));
    axis->setRange(min, max);
}

void setRangeWithWholeTicks(QValueAxis *axis, double min, double max, int maxTicks)
{
    if (!axis)
        return;
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(std::max(1.0, niceTickInterval(max - min, maxTicks)));
    axis->setRange(min, max);
}

void setTickLabelsVisible(QAbstractAxis *axis, bool visible)
{
    if (!axis)
        return;
    axis->setLabelsVisible(visible);
    axis->setTitleVisible(visible);
}

void setTickLabelsVisible(QChart *chart, bool visible, Qt::Orientations orientations)
{
    if (!chart)
        return;
    for (Qt::Orientation o : {Qt::Horizontal, Qt::Vertical})
        if (orientations & o)
            for (QAbstractAxis *axis : chart->axes(o))
                setTickLabelsVisible(axis, visible);
}

} // namespace twb
