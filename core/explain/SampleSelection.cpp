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

/// Samples index .. index + count - 1 of the `available` ones of the test part, each filled by
/// `fill(sample, i)` after its index and count; the error for a range past the end names the
/// last sample asked for, `what` the samples are and `file`.
template<typename Fill>
Expected<std::vector<ExplainSample>> takeSamples(std::int64_t index, std::int64_t count,
                                                 std::int64_t available, const QString &what,
                                                 const QString &file, Fill fill)
{
    if (index < 0 || count < 1 || index + count > available)
        return Error{QStringLiteral("index %1 is outside the %2 %3 of the test part")
                         .arg(index + std::max<std::int64_t>(count, 1) - 1)
                         .arg(available)
                         .arg(what),
                     file, 0};
    std::vector<ExplainSample> samples;
    for (std::int64_t i = index; i < index + count; ++i) {
        ExplainSample sample;
        sample.index = i;
        sample.count = available;
        fill(sample, i);
        samples.push_back(std::move(sample));
    }
    return samples;
}

/// True when `dataPath` is empty or names the run's own data file or folder.
bool isRunsOwnData(const LoadedRun &run, const QString &dataPath)
{
    return dataPath.isEmpty() || QFileInfo(dataPath).absoluteFilePath() ==
                                     QFileInfo(run.config.dataPath).absoluteFilePath();
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
    const SeriesDataset &series = data->dataset;
    return takeSamples(
        index, count, test.size(), QStringLiteral("windows"), dataPath,
        [&](ExplainSample &sample, std::int64_t i) {
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
        });
}

Expected<std::vector<ExplainSample>> classifySamples(const LoadedRun &run, const QString &dataPath,
                                                     std::int64_t index, std::int64_t count)
{
    std::shared_ptr<const ClassifyExamples> cases;
    QString file = run.config.dataPath;
    if (isRunsOwnData(run, dataPath)) {
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
    return takeSamples(index, count, cases ? cases->size() : 0, QStringLiteral("cases"), file,
                       [&](ExplainSample &sample, std::int64_t i) {
                           const ExampleBatch one = cases->range(i, i + 1);
                           sample.input = one.x.clone();
                           if (one.mask.defined())
                               sample.stepMask = one.mask.clone();
                           sample.truth = one.y[0].item<std::int64_t>();
                           sample.label =
                               QFileInfo(cases->sources()[qsizetype(i)]).fileName().toStdString();
                       });
}

/// Separation: test mixture `index` of the run's data (drawn again from its seed), or of
/// mixtures of another folder's utterances; the target holds the sources [1, S, T].
Expected<std::vector<ExplainSample>> separateSamples(const LoadedRun &run, const QString &dataPath,
                                                     std::int64_t index, std::int64_t count)
{
    std::shared_ptr<const MixtureExamples> mixtures;
    QString file = run.config.dataPath;
    if (isRunsOwnData(run, dataPath)) {
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
    const QString where = QFileInfo(file).absoluteFilePath();
    return takeSamples(index, count, mixtures->size(), QStringLiteral("mixtures"), file,
                       [&](ExplainSample &sample, std::int64_t i) {
                           const ExampleBatch one = mixtures->range(i, i + 1);
                           sample.input = one.x.clone();
                           sample.target = one.y.clone();
                           sample.label = QStringLiteral("test mixture %1: %2")
                                              .arg(i)
                                              .arg(mixtures->describe(i, where))
                                              .toStdString();
                       });
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
