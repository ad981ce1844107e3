#include "ForecastPipeline.h"
#include "Metrics.h"
#include "TrainFraction.h"
#include "data/ChannelSelection.h"
#include "data/DatasetLoader.h"
#include "runs/PredictionsFile.h"
#include "runs/RunStore.h"

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

Status ForecastPipeline::prepare(TrainConfig &config, const Note &note)
{
    Expected<SeriesDataset> dataset = loadSeriesChannels(config.dataPath, config.channels);
    if (!dataset)
        return dataset.error();
    m_fingerprint = dataset->fingerprint();
    m_dataPath = config.dataPath;
    m_target = -1;
    if (!config.target.isEmpty()) {
        m_target = dataset->channelNames.indexOf(config.target);
        if (m_target < 0)
            return Error{QStringLiteral("--target %1: the data has no such channel (it has %2)")
                             .arg(config.target, dataset->channelNames.join(QStringLiteral(", "))),
                         config.dataPath, 0};
    }
    if (config.split.isEmpty())
        config.split = defaultSplitFor(config.dataPath);
    Expected<ForecastData> data =
        prepareForecastData(std::move(*dataset), config.split, config.lookback, config.horizon,
                            config.stride, std::nullopt, config.freq);
    if (!data)
        return data.error();
    config.freq = data->frequency;
    m_data = std::move(*data);
    m_train = std::make_shared<ForecastWindows>(m_data->train);
    m_fraction = {};
    if (config.trainFraction < 1.0) { // low-label training: the first windows in time order
        auto subset = std::make_shared<SubsetExamples>(
            m_train, firstFraction(m_train->size(), config.trainFraction));
        m_fraction = trainFractionJson(config.trainFraction, subset->size(), m_train->size(),
                                       QStringLiteral("first windows in time order"));
        note(QStringLiteral("train-fraction %1: the first %2 of %3 training windows")
                 .arg(config.trainFraction)
                 .arg(subset->size())
                 .arg(m_train->size()));
        m_train = subset;
    }
    m_validation = std::make_shared<ForecastWindows>(m_data->validation);
    if (m_data->borders.shuffled)
        note(QStringLiteral("split %1: windows are assigned to train/val/test at random and the "
                            "scaler is fitted on all rows, so the test score leaks the future "
                            "(a mistake shown for teaching)")
                 .arg(config.split));
    if (m_data->excludedTrain + m_data->excludedValidation + m_data->excludedTest > 0)
        note(QStringLiteral("excluded windows with missing values: train %1, val %2, test %3")
                 .arg(m_data->excludedTrain)
                 .arg(m_data->excludedValidation)
                 .arg(m_data->excludedTest));
    return {};
}

QString ForecastPipeline::dataFingerprint() const
{
    return m_fingerprint;
}

Expected<CreatedModel> ForecastPipeline::createModel(const ModelPlugin &plugin,
                                                     const TrainConfig &config) const
{
    return createForecastModel(plugin, config.hyperparameters, config.lookback, config.horizon,
                               m_data->dataset.channelNames, config.seed, m_data->markNames.size());
}

QJsonObject ForecastPipeline::dataProvenance() const
{
    const ForecastData &data = *m_data;
    QJsonObject p;
    p[QStringLiteral("data_file")] = QFileInfo(data.dataset.sourcePath).absoluteFilePath();
    p[QStringLiteral("data_fingerprint")] = m_fingerprint;
    p[QStringLiteral("data_rows")] = qint64(data.dataset.rows());
    p[QStringLiteral("channel_names")] = QJsonArray::fromStringList(data.dataset.channelNames);
    p[QStringLiteral("time_column")] = data.dataset.timeColumn;
    if (!data.markNames.isEmpty())
        p[QStringLiteral("calendar_features")] =
            QJsonObject{{QStringLiteral("freq"), data.frequency},
                        {QStringLiteral("names"), QJsonArray::fromStringList(data.markNames)}};
    p[QStringLiteral("split")] = QJsonObject{{QStringLiteral("name"), data.splitName},
                                             {QStringLiteral("borders"), data.borders.toJson()}};
    p[QStringLiteral("windows")] =
        perPart(data.train.size(), data.validation.size(), data.test.size());
    p[QStringLiteral("excluded_windows")] =
        perPart(data.excludedTrain, data.excludedValidation, data.excludedTest);
    p[QStringLiteral("scaler")] = data.scaler.toJson();
    if (!m_fraction.isEmpty())
        p[QStringLiteral("train_fraction")] = m_fraction;
    return p;
}

QString ForecastPipeline::describe() const
{
    const ForecastData &data = *m_data;
    return QStringLiteral("%1: %2 rows x %3 channels%8, split %4, windows train %5 / val %6 / "
                          "test %7")
        .arg(m_dataPath)
        .arg(data.dataset.rows())
        .arg(data.dataset.channels())
        .arg(data.splitName)
        .arg(data.train.size())
        .arg(data.validation.size())
        .arg(data.test.size())
        .arg(m_target < 0 ? QString()
                          : QStringLiteral(" (only %1 scored)")
                                .arg(data.dataset.channelNames.value(m_target)));
}

QJsonObject ForecastPipeline::startSummary() const
{
    const ForecastData &data = *m_data;
    return {{QStringLiteral("lookback"), qint64(data.lookback)},
            {QStringLiteral("horizon"), qint64(data.horizon)},
            {QStringLiteral("channels"), qint64(data.dataset.channels())},
            {QStringLiteral("excluded_windows"),
             perPart(data.excludedTrain, data.excludedValidation, data.excludedTest)}};
}

Expected<TestOutcome> ForecastPipeline::evaluate(Model &model, const TrainConfig &config,
                                                 const RunStore &store, ProcessGroup *group) const
{
    const ForecastData &data = *m_data;
    PredictionsRecord record;
    ForecastMetrics test = evaluateForecast(model, data.test, data.scaler, config.batchSize,
                                            &record.values, m_target, group);
    test.target = config.target;
    record.windowStartRows = data.test.starts();
    record.channelNames = data.dataset.channelNames;
    if (data.dataset.hasTimestamps())
        for (std::int64_t start : record.windowStartRows) {
            record.windowStartTimes.push_back(data.dataset.timestamps[std::size_t(start)]);
            record.forecastStartTimes.push_back(
                data.dataset.timestamps[std::size_t(start + config.lookback)]);
        }
    if (!store.isFollower())
        if (Status s =
                writePredictionsFile(store.filePath(QStringLiteral("predictions.h5")), record);
            !s)
            return s.error();
    return TestOutcome{test.toJson(),
                       QStringLiteral("test mse %1 mae %2, original units mse %3 mae %4, %5 "
                                      "windows%6")
                           .arg(test.mse)
                           .arg(test.mae)
                           .arg(test.mseOriginal)
                           .arg(test.maeOriginal)
                           .arg(test.windows)
                           .arg(config.target.isEmpty()
                                    ? QString()
                                    : QStringLiteral(" (%1 only)").arg(config.target))};
}

} // namespace twb
