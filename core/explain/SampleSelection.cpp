#include "SampleSelection.h"

#include "data/DatasetLoader.h"
#include "train/ClassifyData.h"
#include "train/ForecastData.h"
#include "train/RunLoader.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

namespace twb::explain {

namespace {

Error outOfRange(std::int64_t index, std::int64_t count, const QString &what, const QString &file)
{
    return Error{QStringLiteral("index %1 is outside the %2 %3 of the test part")
                     .arg(index)
                     .arg(count)
                     .arg(what),
                 file, 0};
}

Expected<ExplainSample> forecastSample(const LoadedRun &run, const QString &dataPath,
                                       std::int64_t index)
{
    Expected<SeriesDataset> dataset = loadSeries(dataPath);
    if (!dataset)
        return dataset.error();
    if (dataset->channelNames != run.channelNames)
        return Error{QStringLiteral("the channels (%1) are not the run's (%2)")
                         .arg(dataset->channelNames.join(QStringLiteral(", ")),
                              run.channelNames.join(QStringLiteral(", "))),
                     dataPath, 0};
    Expected<ForecastData> data =
        prepareForecastData(std::move(*dataset), run.config.split, run.config.lookback,
                            run.config.horizon, run.config.stride, run.scaler);
    if (!data)
        return data.error();
    const ForecastWindows &test = data->test;
    if (index < 0 || index >= test.size())
        return outOfRange(index, test.size(), QStringLiteral("windows"), dataPath);
    ExplainSample sample;
    sample.index = index;
    sample.count = test.size();
    const auto window = test.range(index, index + 1);
    sample.input = window.x.clone();
    sample.target = window.y.clone();
    const std::int64_t start = test.starts()[std::size_t(index)];
    const SeriesDataset &series = data->dataset;
    const QString where =
        series.hasTimestamps()
            ? QDateTime::fromMSecsSinceEpoch(series.timestamps[std::size_t(start)], Qt::UTC)
                  .toString(QStringLiteral("yyyy-MM-dd HH:mm"))
            : QStringLiteral("row %1").arg(start);
    sample.label = QStringLiteral("test window %1 (%2)").arg(index).arg(where).toStdString();
    return sample;
}

Expected<ExplainSample> classifySample(const LoadedRun &run, const QString &dataPath,
                                       std::int64_t index)
{
    std::shared_ptr<const ClassifyExamples> cases;
    QString file = run.config.dataPath;
    const bool own = dataPath.isEmpty() ||
                     QFileInfo(dataPath).absoluteFilePath() ==
                         QFileInfo(run.config.dataPath).absoluteFilePath();
    if (own) {
        Expected<ClassifyData> data = prepareClassifyData(run.config);
        if (!data)
            return data.error();
        cases = data->test;
    } else {
        file = dataPath;
        Expected<ClassifySettings> settings = ClassifySettings::fromProvenance(
            run.provenance, QDir(run.dir).filePath(QStringLiteral("config.json")));
        if (!settings)
            return settings.error();
        Expected<std::shared_ptr<ClassifyExamples>> other =
            prepareClassifyExamples(dataPath, run.config, *settings);
        if (!other)
            return other.error();
        cases = *other;
    }
    if (!cases || index < 0 || index >= cases->size())
        return outOfRange(index, cases ? cases->size() : 0, QStringLiteral("cases"), file);
    ExplainSample sample;
    sample.index = index;
    sample.count = cases->size();
    const ExampleBatch one = cases->range(index, index + 1);
    sample.input = one.x.clone();
    sample.truth = one.y[0].item<std::int64_t>();
    sample.label = QFileInfo(cases->sources()[qsizetype(index)]).fileName().toStdString();
    return sample;
}

} // namespace

Expected<ExplainSample> selectSample(const LoadedRun &run, const QString &dataPath,
                                     std::int64_t index)
{
    if (run.config.task == QLatin1String("classify"))
        return classifySample(run, dataPath, index);
    return forecastSample(run, dataPath.isEmpty() ? run.config.dataPath : dataPath, index);
}

} // namespace twb::explain
