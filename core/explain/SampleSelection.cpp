#include "SampleSelection.h"

#include "data/ChannelSelection.h"
#include "data/DatasetLoader.h"
#include "train/ClassifyData.h"
#include "train/ForecastData.h"
#include "train/RunLoader.h"
#include "train/SeparationData.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

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

Expected<std::vector<ExplainSample>> forecastSamples(const LoadedRun &run, const QString &dataPath,
                                                     std::int64_t index, std::int64_t count)
{
    Expected<SeriesDataset> dataset = loadSeriesChannels(dataPath, run.config.channels);
    if (!dataset)
        return dataset.error();
    if (dataset->channelNames != run.channelNames)
        return Error{QStringLiteral("the channels (%1) are not the run's (%2)")
                         .arg(dataset->channelNames.join(QStringLiteral(", ")),
                              run.channelNames.join(QStringLiteral(", "))),
                     dataPath, 0};
    Expected<ForecastData> data =
        prepareForecastData(std::move(*dataset), run.config.split, run.config.lookback,
                            run.config.horizon, run.config.stride, run.scaler, run.config.freq);
    if (!data)
        return data.error();
    const ForecastWindows &test = data->test;
    if (index < 0 || count < 1 || index + count > test.size())
        return outOfRange(index + std::max<std::int64_t>(count, 1) - 1, test.size(),
                          QStringLiteral("windows"), dataPath);
    const SeriesDataset &series = data->dataset;
    std::vector<ExplainSample> samples;
    for (std::int64_t i = index; i < index + count; ++i) {
        ExplainSample sample;
        sample.index = i;
        sample.count = test.size();
        const auto window = test.range(i, i + 1);
        sample.input = window.x.clone();
        sample.target = window.y.clone();
        sample.historyMarks = window.historyMarks;
        sample.futureMarks = window.futureMarks;
        const std::int64_t start = test.starts()[std::size_t(i)];
        const QString where =
            series.hasTimestamps()
                ? QDateTime::fromMSecsSinceEpoch(series.timestamps[std::size_t(start)], Qt::UTC)
                      .toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                : QStringLiteral("row %1").arg(start);
        sample.label = QStringLiteral("test window %1 (%2)").arg(i).arg(where).toStdString();
        samples.push_back(std::move(sample));
    }
    return samples;
}

Expected<std::vector<ExplainSample>> classifySamples(const LoadedRun &run, const QString &dataPath,
                                                     std::int64_t index, std::int64_t count)
{
    std::shared_ptr<const ClassifyExamples> cases;
    QString file = run.config.dataPath;
    const bool own = dataPath.isEmpty() || QFileInfo(dataPath).absoluteFilePath() ==
                                               QFileInfo(run.config.dataPath).absoluteFilePath();
    if (own) {
        Expected<ClassifyData> data =
            prepareClassifyData(run.config, {}, trainedWithStepMasks(run.provenance));
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
    const std::int64_t available = cases ? cases->size() : 0;
    if (index < 0 || count < 1 || index + count > available)
        return outOfRange(index + std::max<std::int64_t>(count, 1) - 1, available,
                          QStringLiteral("cases"), file);
    std::vector<ExplainSample> samples;
    for (std::int64_t i = index; i < index + count; ++i) {
        ExplainSample sample;
        sample.index = i;
        sample.count = available;
        const ExampleBatch one = cases->range(i, i + 1);
        sample.input = one.x.clone();
        if (one.mask.defined())
            sample.stepMask = one.mask.clone();
        sample.truth = one.y[0].item<std::int64_t>();
        sample.label = QFileInfo(cases->sources()[qsizetype(i)]).fileName().toStdString();
        samples.push_back(std::move(sample));
    }
    return samples;
}

/// Separation: test mixture `index` of the run's data (drawn again from its seed), or of
/// mixtures of another folder's utterances; the target holds the sources [1, S, T].
Expected<std::vector<ExplainSample>> separateSamples(const LoadedRun &run, const QString &dataPath,
                                                     std::int64_t index, std::int64_t count)
{
    std::shared_ptr<const MixtureExamples> mixtures;
    QString file = run.config.dataPath;
    const bool own = dataPath.isEmpty() || QFileInfo(dataPath).absoluteFilePath() ==
                                               QFileInfo(run.config.dataPath).absoluteFilePath();
    if (own) {
        Expected<SeparationData> data = prepareSeparationData(run.config);
        if (!data)
            return data.error();
        mixtures = data->test;
    } else {
        file = dataPath;
        const SeparationShape shape = *separationShape(run.provenance, run.dir); // loadRun checked
        Expected<std::shared_ptr<MixtureExamples>> other =
            mixturesOfData(dataPath, run.config, shape.sampleRate, shape.length);
        if (!other)
            return other.error();
        mixtures = *other;
    }
    const std::int64_t available = mixtures->size();
    if (index < 0 || count < 1 || index + count > available)
        return outOfRange(index + std::max<std::int64_t>(count, 1) - 1, available,
                          QStringLiteral("mixtures"), file);
    std::vector<ExplainSample> samples;
    for (std::int64_t i = index; i < index + count; ++i) {
        ExplainSample sample;
        sample.index = i;
        sample.count = available;
        const ExampleBatch one = mixtures->range(i, i + 1);
        sample.input = one.x.clone();
        sample.target = one.y.clone();
        sample.label = QStringLiteral("test mixture %1: %2")
                           .arg(i)
                           .arg(mixtures->describe(i, QFileInfo(file).absoluteFilePath()))
                           .toStdString();
        samples.push_back(std::move(sample));
    }
    return samples;
}

} // namespace

Expected<std::vector<ExplainSample>> selectSamples(const LoadedRun &run, const QString &dataPath,
                                                   std::int64_t index, std::int64_t count)
{
    if (run.config.task == QLatin1String("classify"))
        return classifySamples(run, dataPath, index, count);
    if (run.config.task == QLatin1String("separate"))
        return separateSamples(run, dataPath, index, count);
    return forecastSamples(run, dataPath.isEmpty() ? run.config.dataPath : dataPath, index, count);
}

Expected<ExplainSample> selectSample(const LoadedRun &run, const QString &dataPath,
                                     std::int64_t index)
{
    Expected<std::vector<ExplainSample>> samples = selectSamples(run, dataPath, index, 1);
    if (!samples)
        return samples.error();
    return std::move(samples->front());
}

} // namespace twb::explain
