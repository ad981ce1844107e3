#include "ClassifyPipeline.h"
#include "ShardedPrediction.h"
#include "TrainFraction.h"
#include "common/Errors.h"
#include "data/Hdf5File.h"
#include "nn/Model.h"
#include "runs/RunStore.h"

#include <QFileInfo>
#include <QJsonArray>

namespace twb {

ClassifyPipeline::ClassifyPipeline(LabelledLoadFunction load)
    : m_load(std::move(load))
{}

void ClassifyPipeline::continueRun(const QJsonObject &savedProvenance)
{
    m_stepMasks = trainedWithStepMasks(savedProvenance);
}

Status ClassifyPipeline::prepare(TrainConfig &config, const Note &note)
{
    Expected<ClassifyData> data = prepareClassifyData(config, m_load, m_stepMasks);
    if (!data)
        return data.error();
    m_data = std::move(*data);
    m_dataPath = config.dataPath;
    config.split = m_data->splitName;
    m_trainSubset.reset();
    m_fraction = {};
    if (config.trainFraction < 1.0) { // low-label training: stratified per class, seeded
        std::shared_ptr<const ExampleSet> all =
            m_data->trainWaveAugmented
                ? std::shared_ptr<const ExampleSet>(m_data->trainWaveAugmented)
                : m_data->train;
        auto subset = std::make_shared<SubsetExamples>(
            all, stratifiedFraction(m_data->train->labels(), config.trainFraction, config.seed));
        m_fraction = trainFractionJson(config.trainFraction, subset->size(), all->size(),
                                       QStringLiteral("stratified per class, seeded"));
        m_trainSubset = subset;
        note(QStringLiteral("train-fraction %1: %2 of %3 training cases")
                 .arg(config.trainFraction)
                 .arg(subset->size())
                 .arg(all->size()));
    }
    if (!m_data->skipped.isEmpty()) {
        note(QStringLiteral("skipped %1 file(s):").arg(m_data->skipped.size()));
        for (const QString &line : m_data->skipped)
            note(QStringLiteral("  ") + line);
    }
    if (m_data->imputed > 0)
        note(QStringLiteral("%1 missing values set to 0 (the training mean) after scaling")
                 .arg(m_data->imputed));
    if (m_data->cut > 0)
        note(QStringLiteral("%1 case(s) longer than %2 steps were cut to their first %2")
                 .arg(m_data->cut)
                 .arg(m_data->length));
    return {};
}

QString ClassifyPipeline::dataFingerprint() const
{
    return m_data->fingerprint;
}

Expected<CreatedModel> ClassifyPipeline::createModel(const ModelPlugin &plugin,
                                                     const TrainConfig &config) const
{
    ModelSpec spec;
    spec.task = Task::Classify;
    spec.lookback = m_data->length;
    spec.channels = m_data->channelNames.size();
    for (const QString &name : m_data->channelNames)
        spec.channelNames.push_back(name.toStdString());
    spec.numClasses = m_data->classNames.size();
    return twb::createModel(plugin, config.hyperparameters, spec, config.seed);
}

std::shared_ptr<const ExampleSet> ClassifyPipeline::trainSet() const
{
    if (m_trainSubset)
        return m_trainSubset;
    if (m_data->trainWaveAugmented)
        return m_data->trainWaveAugmented;
    return m_data->train;
}

std::shared_ptr<const ExampleSet> ClassifyPipeline::validationSet() const
{
    return m_data->validation;
}

QJsonObject ClassifyPipeline::dataProvenance() const
{
    QJsonObject p = m_data->toJson();
    p[QStringLiteral("data_file")] = QFileInfo(m_dataPath).absoluteFilePath();
    p[QStringLiteral("data_fingerprint")] = m_data->fingerprint;
    p[QStringLiteral("channel_names")] = QJsonArray::fromStringList(m_data->channelNames);
    p[QStringLiteral("scaler")] = m_data->scaler.toJson();
    if (!m_fraction.isEmpty())
        p[QStringLiteral("train_fraction")] = m_fraction;
    return p;
}

QString ClassifyPipeline::describe() const
{
    const ClassifyData &d = *m_data;
    const QString masks = d.stepMasks ? QString()
                                      : QStringLiteral("; without step masks (the run was "
                                                       "started without them)");
    return QStringLiteral("%1: %2 classes, %3 channel(s) (%4), length %5, split %6: train %7 / "
                          "val %8 / test %9 cases%10")
        .arg(m_dataPath)
        .arg(d.classNames.size())
        .arg(d.channelNames.size())
        .arg(featureKindName(d.features))
        .arg(d.length)
        .arg(d.splitName)
        .arg(d.train->size())
        .arg(d.validation->size())
        .arg(d.test->size())
        .arg(masks);
}

QJsonObject ClassifyPipeline::startSummary() const
{
    const ClassifyData &d = *m_data;
    return {{QStringLiteral("classes"), qint64(d.classNames.size())},
            {QStringLiteral("channels"), qint64(d.channelNames.size())},
            {QStringLiteral("length"), qint64(d.length)},
            {QStringLiteral("features"), featureKindName(d.features)}};
}

std::vector<float> predictProbabilities(Model &model, const ExampleSet &examples,
                                        std::int64_t batchSize, ProcessGroup *group)
{
    const torch::Tensor p =
        predictAll(model, examples, batchSize, group,
                   [](const torch::Tensor &logits) { return torch::softmax(logits, 1); });
    return std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
}

Expected<TestOutcome> ClassifyPipeline::evaluate(Model &model, const TrainConfig &config,
                                                 const RunStore &store, ProcessGroup *group) const
{
    const ClassifyExamples &test = *m_data->test;
    const int classes = int(m_data->classNames.size());
    const std::vector<float> probabilities =
        predictProbabilities(model, test, config.batchSize, group);
    const torch::Tensor labelTensor = test.labels().contiguous();
    const std::vector<std::int64_t> labels64(labelTensor.data_ptr<std::int64_t>(),
                                             labelTensor.data_ptr<std::int64_t>() + test.size());
    const std::vector<int> labels(labels64.begin(), labels64.end());
    const ClassificationMetrics metrics =
        computeClassificationMetrics(probabilities, labels, classes);

    std::vector<std::int64_t> predicted(labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const float *row = probabilities.data() + i * std::size_t(classes);
        predicted[i] = std::max_element(row, row + classes) - row;
    }
    if (!store.isFollower()) { // rank 0 writes the run folder
        const QString path = store.filePath(QStringLiteral("predictions.h5"));
        Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
        if (!writer)
            return writer.error();
        const std::int64_t n = test.size();
        Status s = writer->writeFloats(QStringLiteral("/probabilities"), probabilities.data(),
                                       {n, classes});
        if (s)
            s = writer->writeInt64s(QStringLiteral("/labels"), labels64.data(), {n});
        if (s)
            s = writer->writeInt64s(QStringLiteral("/predicted"), predicted.data(), {n});
        if (s)
            s = writer->writeStrings(QStringLiteral("/sources"), test.sources());
        if (s)
            s = writer->writeStrings(QStringLiteral("/class_names"), m_data->classNames);
        if (s)
            s = writer->setAttribute(QStringLiteral("/probabilities"), QStringLiteral("split"),
                                     QStringLiteral("test"));
        if (s)
            s = writer->setAttribute(QStringLiteral("/probabilities"), QStringLiteral("task"),
                                     QStringLiteral("classify"));
        if (s)
            s = writer->commit();
        if (!s)
            return s.error();
    }

    return TestOutcome{metrics.toJson(m_data->classNames),
                       QStringLiteral("test accuracy %1, balanced accuracy %2, macro-F1 %3, "
                                      "log-loss %4, %5 cases")
                           .arg(metrics.accuracy, 0, 'f', 4)
                           .arg(metrics.balancedAccuracy, 0, 'f', 4)
                           .arg(metrics.macroF1, 0, 'f', 4)
                           .arg(metrics.logLoss, 0, 'f', 4)
                           .arg(metrics.examples)};
}

} // namespace twb
