#pragma once

// A known forecasting run shared by the forecast view, reader and controller tests:
// 30 hourly rows of channels "a" (row * 10) and "b" (row * 10 + 1) from 2016-07-01T00:00Z,
// lookback 5, horizon 4, three test windows starting at rows 10, 11, 12. Truth is the data
// (original) and data / 100 (normalised); the prediction is off by 0.5 (w + 1)(c + 1)
// normalised and twice that in original units, so window w, channel c has MSE
// 0.25 (w+1)^2 (c+1)^2 and MAE 0.5 (w+1)(c+1).

#include "data/SeriesDataset.h"
#include "runs/PredictionsFile.h"
#include "runs/RunStore.h"

#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdint>
#include <memory>

namespace twb::test {

inline const std::int64_t lookback = 5;
inline const std::int64_t horizon = 4;
inline const std::int64_t windows = 3;
inline const qint64 hourMs = 3600 * 1000;
inline const qint64 july2016 = 1467331200000; // 2016-07-01T00:00:00Z

inline std::shared_ptr<twb::SeriesDataset> makeData()
{
    auto data = std::make_shared<twb::SeriesDataset>();
    data->channelNames = {QStringLiteral("a"), QStringLiteral("b")};
    data->timeColumn = QStringLiteral("date");
    for (int r = 0; r < 30; ++r) {
        data->values.insert(data->values.end(), {float(r * 10), float(r * 10 + 1)});
        data->timestamps.push_back(july2016 + r * hourMs);
    }
    return data;
}

inline twb::PredictionsRecord makeRecord(const twb::SeriesDataset &data)
{
    twb::PredictionsRecord record;
    twb::ForecastPredictions &p = record.values;
    p.windows = windows;
    p.horizon = horizon;
    p.channels = 2;
    for (std::int64_t w = 0; w < windows; ++w) {
        const std::int64_t start = 10 + w;
        record.windowStartRows.push_back(start);
        record.windowStartTimes.push_back(data.timestamps[std::size_t(start)]);
        record.forecastStartTimes.push_back(data.timestamps[std::size_t(start + lookback)]);
        for (std::int64_t h = 0; h < horizon; ++h)
            for (int c = 0; c < 2; ++c) {
                const float truth = data.at(start + lookback + h, c);
                const float delta = 0.5f * float((w + 1) * (c + 1));
                p.truthOriginal.push_back(truth);
                p.predictionOriginal.push_back(truth + 2 * delta);
                p.truth.push_back(truth / 100);
                p.prediction.push_back(truth / 100 + delta);
            }
    }
    record.channelNames = data.channelNames;
    return record;
}

/// A finished forecasting run folder in `dir` ("run", or "run-ms" with a scored channel
/// `target`): config.json and predictions.h5. Empty when it cannot be written.
inline QString makeRun(const QTemporaryDir &dir, const twb::SeriesDataset &data,
                       const QString &target = {})
{
    const QString runDir = dir.filePath(target.isEmpty() ? "run" : "run-ms");
    twb::Expected<twb::RunStore> store = twb::RunStore::create(runDir);
    if (!store)
        return {};
    QJsonObject config{
        {"model", "dlinear"}, {"lookback", qint64(lookback)}, {"horizon", qint64(horizon)}};
    if (!target.isEmpty())
        config["target"] = target;
    if (!store->writeConfig(config) ||
        !twb::writePredictionsFile(store->filePath("predictions.h5"), makeRecord(data)))
        return {};
    return runDir;
}

} // namespace twb::test
