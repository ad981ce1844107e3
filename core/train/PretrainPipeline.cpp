#include "PretrainPipeline.h"

#include "MaskedWindows.h"
#include "ReconstructionSamples.h"
#include "TrainFraction.h"
#include "Trainer.h"
#include "common/Errors.h"
#include "data/ChannelSelection.h"
#include "nn/Model.h"
#include "plugin/ModelPlugin.h"
#include "runs/RunStore.h"

#include <QFileInfo>
#include <QJsonArray>

namespace twb {

namespace {

/// The fixed masks of validation and test windows do not depend on the run's seed, so that
/// pretraining runs of different seeds are scored on the same hidden values.
constexpr std::uint64_t evaluationMaskSeed = 0x7477622d6d61736bULL;

QString schemeKindName(MaskingScheme::Kind kind)
{
    return kind == MaskingScheme::Kind::Patches ? QStringLiteral("patches")
                                                : QStringLiteral("geometric_spans");
}

} // namespace

PretrainPipeline::PretrainPipeline()
    : m_scheme(std::make_shared<std::optional<MaskingScheme>>())
{}

Status PretrainPipeline::prepare(TrainConfig &config, const Note &note)
{
    Expected<SeriesDataset> dataset = loadSeriesChannels(config.dataPath, config.channels);
    if (!dataset)
        return dataset.error();
    m_fingerprint = dataset->fingerprint();
    m_dataPath = config.dataPath;
    if (config.lookback == 0)
        config.lookback = defaultLookback;
    config.horizon = 0;
    if (config.split.isEmpty())
        config.split = defaultSplitFor(config.dataPath);
    Expected<ForecastData> data =
        prepareForecastData(std::move(*dataset), config.split, config.lookback, 0, config.stride,
                            std::nullopt, config.freq);
    if (!data)
        return data.error();
    config.freq = data->frequency;
    m_data = std::move(*data);
    std::shared_ptr<const ExampleSet> train = std::make_shared<ForecastWindows>(m_data->train);
    m_fraction = {};
    if (config.trainFraction < 1.0) {
        auto subset = std::make_shared<SubsetExamples>(
            train, firstFraction(train->size(), config.trainFraction));
        m_fraction = trainFractionJson(config.trainFraction, subset->size(), train->size(),
                                       QStringLiteral("first windows in time order"));
        note(QStringLiteral("train-fraction %1: the first %2 of %3 training windows")
                 .arg(config.trainFraction)
                 .arg(subset->size())
                 .arg(train->size()));
        train = subset;
    }
    m_train = std::make_shared<MaskedWindows>(train, m_scheme, config.seed);
    m_validation = std::make_shared<MaskedWindows>(
        std::make_shared<ForecastWindows>(m_data->validation), m_scheme, evaluationMaskSeed);
    m_test = std::make_shared<MaskedWindows>(std::make_shared<ForecastWindows>(m_data->test),
                                             m_scheme, evaluationMaskSeed);
    if (m_data->borders.shuffled)
        note(QStringLiteral("split %1: windows are drawn at random into the parts, so the "
                            "pretraining sees rows of the test part")
                 .arg(config.split));
    if (m_data->excludedTrain + m_data->excludedValidation + m_data->excludedTest > 0)
        note(QStringLiteral("excluded windows with missing values: train %1, val %2, test %3")
                 .arg(m_data->excludedTrain)
                 .arg(m_data->excludedValidation)
                 .arg(m_data->excludedTest));
    return {};
}

Expected<CreatedModel> PretrainPipeline::createModel(const ModelPlugin &plugin,
                                                     const TrainConfig &config) const
{
    ModelSpec spec;
    spec.task = Task::Reconstruct;
    spec.lookback = config.lookback;
    spec.horizon = 0;
    spec.channels = m_data->dataset.channels();
    for (const QString &name : m_data->dataset.channelNames)
        spec.channelNames.push_back(name.toStdString());
    QVariantMap values = plugin.taskDefaults(Task::Reconstruct);
    for (auto it = config.hyperparameters.begin(); it != config.hyperparameters.end(); ++it)
        values.insert(it.key(), it.value());
    Expected<CreatedModel> created = twb::createModel(plugin, values, spec, config.seed);
    if (!created)
        return created;
    const std::optional<MaskingScheme> scheme = created->model->maskingScheme();
    if (!scheme)
        return makeError(QStringLiteral("model \"%1\" lists the task reconstruct but names no "
                                        "masking scheme")
                             .arg(plugin.id()));
    *m_scheme = scheme;
    return created;
}

QJsonObject PretrainPipeline::dataProvenance() const
{
    const ForecastData &data = *m_data;
    QJsonObject p;
    p[QStringLiteral("data_file")] = QFileInfo(data.dataset.sourcePath).absoluteFilePath();
    p[QStringLiteral("data_fingerprint")] = m_fingerprint;
    p[QStringLiteral("data_rows")] = qint64(data.dataset.rows());
    p[QStringLiteral("channel_names")] = QJsonArray::fromStringList(data.dataset.channelNames);
    p[QStringLiteral("time_column")] = data.dataset.timeColumn;
    p[QStringLiteral("split")] = QJsonObject{{QStringLiteral("name"), data.splitName},
                                             {QStringLiteral("borders"), data.borders.toJson()}};
    p[QStringLiteral("windows")] =
        QJsonObject{{QStringLiteral("train"), qint64(m_train->size())},
                    {QStringLiteral("val"), qint64(m_validation->size())},
                    {QStringLiteral("test"), qint64(m_test->size())}};
    p[QStringLiteral("scaler")] = data.scaler.toJson();
    if (!m_fraction.isEmpty())
        p[QStringLiteral("train_fraction")] = m_fraction;
    if (m_scheme->has_value()) {
        const MaskingScheme &s = **m_scheme;
        QJsonObject masking{{QStringLiteral("kind"), schemeKindName(s.kind)},
                            {QStringLiteral("ratio"), s.ratio}};
        if (s.kind == MaskingScheme::Kind::Patches)
            masking[QStringLiteral("patch_len")] = qint64(s.patchLength);
        else
            masking[QStringLiteral("mean_span")] = s.meanSpan;
        p[QStringLiteral("masking")] = masking;
    }
    return p;
}

QString PretrainPipeline::describe() const
{
    const ForecastData &data = *m_data;
    return QStringLiteral("%1: %2 rows x %3 channels, split %4, pretraining windows of %5: train "
                          "%6 / val %7 / test %8")
        .arg(m_dataPath)
        .arg(data.dataset.rows())
        .arg(data.dataset.channels())
        .arg(data.splitName)
        .arg(data.lookback)
        .arg(m_train->size())
        .arg(m_validation->size())
        .arg(m_test->size());
}

QJsonObject PretrainPipeline::startSummary() const
{
    return {{QStringLiteral("lookback"), qint64(m_data->lookback)},
            {QStringLiteral("channels"), qint64(m_data->dataset.channels())}};
}

Expected<TestOutcome> PretrainPipeline::evaluate(Model &model, const TrainConfig &config,
                                                 const RunStore &store, ProcessGroup *group) const
{
    const double mse = Trainer::meanLoss(model, *m_test, config.batchSize,
                                         LossKind::MaskedMeanSquaredError, -1, group);
    double hidden = 0.0, total = 0.0;
    for (std::int64_t begin = 0; begin < m_test->size(); begin += config.batchSize) {
        const ExampleBatch b =
            m_test->range(begin, std::min(m_test->size(), begin + config.batchSize));
        hidden += b.hidden.sum().item<double>();
        total += double(b.hidden.numel());
    }
    const double fraction = total > 0 ? hidden / total : 0.0;
    const QJsonObject metrics{{QStringLiteral("masked_mse"), mse},
                              {QStringLiteral("hidden_fraction"), fraction},
                              {QStringLiteral("windows"), qint64(m_test->size())}};
    QString summary = QStringLiteral("test masked mse %1 (%2 % of the values hidden), %3 windows")
                          .arg(mse)
                          .arg(100.0 * fraction, 0, 'f', 1)
                          .arg(m_test->size());
    if (!store.isFollower()) {
        // A few test windows, their hidden values and the model's reconstruction, for the
        // window's reconstruction view. A failure here costs the picture, not the run.
        ReconstructionSampleSource samples;
        samples.test = m_test.get();
        samples.scaler = &m_data->scaler;
        samples.startRows = m_data->test.starts();
        samples.channelNames = m_data->dataset.channelNames;
        samples.masking = dataProvenance().value(QStringLiteral("masking")).toObject();
        if (const Status s = writeReconstructionSamples(
                model, samples, store.filePath(QStringLiteral("reconstruction.json")));
            !s)
            summary +=
                QStringLiteral("; reconstruction.json not written: %1").arg(s.error().toString());
    }
    return TestOutcome{metrics, summary};
}

} // namespace twb
