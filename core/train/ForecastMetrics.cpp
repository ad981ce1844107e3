#include "ForecastMetrics.h"

namespace twb {

QJsonObject ForecastMetrics::toJson() const
{
    return {{QStringLiteral("mse"), mse},
            {QStringLiteral("mae"), mae},
            {QStringLiteral("mse_original"), mseOriginal},
            {QStringLiteral("mae_original"), maeOriginal},
            {QStringLiteral("windows"), qint64(windows)}};
}

} // namespace twb
