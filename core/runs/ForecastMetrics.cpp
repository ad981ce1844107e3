#include "ForecastMetrics.h"

namespace twb {

QJsonObject ForecastMetrics::toJson() const
{
    QJsonObject o{{QStringLiteral("mse"), mse},
                  {QStringLiteral("mae"), mae},
                  {QStringLiteral("mse_original"), mseOriginal},
                  {QStringLiteral("mae_original"), maeOriginal},
                  {QStringLiteral("windows"), qint64(windows)}};
    if (!target.isEmpty())
        o[QStringLiteral("target")] = target;
    return o;
}

} // namespace twb
