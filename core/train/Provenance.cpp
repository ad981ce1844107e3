#include "Provenance.h"
#include "Environment.h"
#include "ForecastData.h"
#include "plugin/ModelPlugin.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>

namespace twb {

namespace {

QJsonObject perPart(std::int64_t train, std::int64_t val, std::int64_t test)
{
    return {{QStringLiteral("train"), qint64(train)},
            {QStringLiteral("val"), qint64(val)},
            {QStringLiteral("test"), qint64(test)}};
}

} // namespace

QJsonObject runProvenance(const ForecastData &data, const ModelSource &source, int threads)
{
    QJsonObject p;
    p[QStringLiteral("data_file")] = QFileInfo(data.dataset.sourcePath).absoluteFilePath();
    p[QStringLiteral("data_fingerprint")] = data.dataset.fingerprint();
    p[QStringLiteral("data_rows")] = qint64(data.dataset.rows());
    p[QStringLiteral("channel_names")] = QJsonArray::fromStringList(data.dataset.channelNames);
    p[QStringLiteral("time_column")] = data.dataset.timeColumn;
    p[QStringLiteral("split")] = QJsonObject{{QStringLiteral("name"), data.splitName},
                                             {QStringLiteral("borders"), data.borders.toJson()}};
    p[QStringLiteral("windows")] =
        perPart(data.train.size(), data.validation.size(), data.test.size());
    p[QStringLiteral("excluded_windows")] =
        perPart(data.excludedTrain, data.excludedValidation, data.excludedTest);
    p[QStringLiteral("scaler")] = data.scaler.toJson();
    p[QStringLiteral("plugin")] = QJsonObject{{QStringLiteral("id"), source.plugin->id()},
                                              {QStringLiteral("name"), source.name},
                                              {QStringLiteral("version"), source.version}};
    p[QStringLiteral("versions")] = versionsJson();
    p[QStringLiteral("threads_used")] = threads;
    p[QStringLiteral("start_time")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    return p;
}

} // namespace twb
