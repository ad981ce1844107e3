#include "SeparatePipeline.h"
#include "SeparationEvaluation.h"
#include "common/Errors.h"
#include "data/Hdf5File.h"
#include "data/StandardScaler.h"
#include "nn/Model.h"
#include "runs/RunStore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace twb {

namespace {

/// The folder the data's file names are given relative to (the data folder, or a file's).
QString dataRoot(const QString &dataPath)
{
    const QFileInfo info(dataPath);
    return info.isDir() ? info.absoluteFilePath() : info.absolutePath();
}

std::vector<double> doubles(const torch::Tensor &t)
{
    const torch::Tensor c = t.to(torch::kFloat64).contiguous();
    return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

} // namespace

ModelSpec separationSpec(std::int64_t samples, std::int64_t sources, double sampleRate)
{
    ModelSpec spec;
    spec.task = Task::Separate;
    spec.lookback = samples;
    spec.channels = 1;
    spec.channelNames = {"mixture"};
    spec.sources = sources;
    spec.sampleRate = sampleRate;
    return spec;
}

SeparatePipeline::SeparatePipeline(LabelledLoadFunction load)
    : m_load(std::move(load))
{}

Status SeparatePipeline::prepare(TrainConfig &config, const Note &note)
{
    Expected<SeparationData> data = prepareSeparationData(config, m_load);
    if (!data)
        return data.error();
    m_data = std::move(*data);
    m_dataPath = config.dataPath;
    config.split = m_data->splitName;
    if (!m_data->skipped.isEmpty()) {
        note(QStringLiteral("skipped %1 file(s):").arg(m_data->skipped.size()));
        for (const QString &line : m_data->skipped)
            note(QStringLiteral("  ") + line);
    }
    return {};
}

QString SeparatePipeline::dataFingerprint() const
{
    return m_data->fingerprint;
}

Expected<CreatedModel> SeparatePipeline::createModel(const ModelPlugin &plugin,
                                                     const TrainConfig &config) const
{
    return twb::createModel(
        plugin, config.hyperparameters,
        separationSpec(m_data->length, m_data->options.sources, m_data->sampleRate), config.seed);
}

QJsonObject SeparatePipeline::dataProvenance() const
{
    QJsonObject p = m_data->toJson(dataRoot(m_dataPath));
    p[QStringLiteral("data_file")] = QFileInfo(m_dataPath).absoluteFilePath();
    p[QStringLiteral("data_fingerprint")] = m_data->fingerprint;
    p[QStringLiteral("channel_names")] = QJsonArray{QStringLiteral("mixture")};
    p[QStringLiteral("scaler")] = StandardScaler::identity(1).toJson(); // waveforms as they are
    return p;
}

QString SeparatePipeline::describe() const
{
    const SeparationData &d = *m_data;
    return QStringLiteral("%1: mixtures of %2 speakers, %3 samples (%4 s at %5 Hz), levels %6 to "
                          "%7 dB; split %8: train %9 utterances of %10 speakers (%11 fresh "
                          "mixtures per epoch) / val %12 mixtures / test %13 mixtures of %14")
        .arg(m_dataPath)
        .arg(d.options.sources)
        .arg(d.length)
        .arg(double(d.length) / d.sampleRate, 0, 'g', 4)
        .arg(d.sampleRate)
        .arg(d.options.minLevelDb)
        .arg(d.options.maxLevelDb)
        .arg(d.splitName)
        .arg(d.train->utterances().size())
        .arg(d.trainSpeakers.size())
        .arg(d.train->size())
        .arg(d.validation->size())
        .arg(d.test->size())
        .arg(d.testSpeakers.join(QStringLiteral(", ")));
}

QJsonObject SeparatePipeline::startSummary() const
{
    const SeparationData &d = *m_data;
    return {{QStringLiteral("sources"), qint64(d.options.sources)},
            {QStringLiteral("samples"), qint64(d.length)},
            {QStringLiteral("sample_rate"), d.sampleRate}};
}

Expected<TestOutcome> SeparatePipeline::evaluate(Model &model, const TrainConfig &config,
                                                 const RunStore &store, ProcessGroup *group) const
{
    const MixtureExamples &test = *m_data->test;
    const SeparationEvaluation result = evaluateSeparation(model, test, config.batchSize, group);
    const QJsonObject summary = result.summary();
    if (!store.isFollower()) { // rank 0 writes the run folder
        const std::int64_t n = test.size(), s = test.sources(), t = test.length();
        const std::int64_t m = std::min(n, kListenableMixtures);
        const QString path = store.filePath(QStringLiteral("predictions.h5"));
        Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
        if (!writer)
            return writer.error();
        QStringList sources;
        std::vector<double> levels;
        for (std::int64_t i = 0; i < n; ++i) {
            sources << test.describe(i, dataRoot(m_dataPath));
            const auto &l = test.mixtures()[std::size_t(i)].levelsDb;
            levels.insert(levels.end(), l.begin(), l.end());
        }
        const ExampleBatch listened = test.range(0, m);
        const torch::Tensor estimates = result.estimates.slice(0, 0, m).contiguous();
        const torch::Tensor mixture = listened.x.squeeze(-1).contiguous();
        const torch::Tensor references = listened.y.contiguous();
        Status st = Status::ok();
        const auto put = [&](const char *name, const torch::Tensor &values) {
            if (st) {
                const std::vector<double> v = doubles(values);
                st = writer->writeDoubles(QLatin1String(name), v.data(), {n, s});
            }
        };
        put("/si_snr", result.siSnr);
        put("/si_snri", result.siSnrImprovement());
        put("/sdr", result.sdr);
        put("/sdri", result.sdrImprovement());
        if (st) {
            const torch::Tensor p = result.permutation.contiguous();
            st = writer->writeInt64s(QStringLiteral("/permutation"), p.data_ptr<std::int64_t>(),
                                     {n, s});
        }
        if (st)
            st = writer->writeDoubles(QStringLiteral("/levels_db"), levels.data(), {n, s});
        if (st)
            st = writer->writeStrings(QStringLiteral("/sources"), sources);
        if (st)
            st = writer->writeFloats(QStringLiteral("/mixture"), mixture.data_ptr<float>(), {m, t});
        if (st)
            st = writer->writeFloats(QStringLiteral("/references"), references.data_ptr<float>(),
                                     {m, s, t});
        if (st)
            st = writer->writeFloats(QStringLiteral("/estimates"), estimates.data_ptr<float>(),
                                     {m, s, t});
        if (st)
            st = writer->setAttribute(QStringLiteral("/si_snri"), QStringLiteral("split"),
                                      QStringLiteral("test"));
        if (st)
            st = writer->setAttribute(QStringLiteral("/si_snri"), QStringLiteral("task"),
                                      QStringLiteral("separate"));
        if (st)
            st = writer->setAttribute(QStringLiteral("/si_snri"), QStringLiteral("sample_rate"),
                                      m_data->sampleRate);
        if (st)
            st = writer->commit();
        if (!st)
            return st.error();
    }
    return TestOutcome{summary, QStringLiteral("test %1, %2 mixtures")
                                    .arg(describeSeparationSummary(summary))
                                    .arg(test.size())};
}

} // namespace twb
