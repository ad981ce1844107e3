#include "FutureForecastJob.h"

#include <memory>

namespace twb {

FutureForecastJob::FutureForecastJob(QObject *parent)
    : CliFileJob(QStringLiteral("predict"), parent)
{}

QStringList FutureForecastJob::arguments(const QString &runDir, const QString &dataPath,
                                         const QString &outFile)
{
    return {QStringLiteral("predict"), runDir, QStringLiteral("--data"), dataPath,
            QStringLiteral("--out"),   outFile};
}

void FutureForecastJob::request(const QString &runDir, const QString &dataPath)
{
    run(
        QStringLiteral("forecast-beyond.csv"),
        [runDir, dataPath](const QString &file) { return arguments(runDir, dataPath, file); },
        [this](const QString &file) -> Deliver {
            // Worker thread: only the file is read here.
            auto forecast = std::make_shared<Expected<FutureForecast>>(loadFutureForecast(file));
            return [this, file, forecast] {
                if (!*forecast) {
                    Q_EMIT failed(forecast->error().toString(), false);
                    return;
                }
                Q_EMIT computed(**forecast, file);
            };
        });
}

} // namespace twb
