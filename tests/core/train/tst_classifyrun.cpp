#include "RunTestSupport.h"
#include "TinyClassifier.h"
#include "data/Hdf5File.h"
#include "runs/ClassificationMetrics.h"
#include "train/ClassifyData.h"
#include "train/ClassifyPipeline.h"
#include "train/ProgressReporter.h"
#include "train/TrainControl.h"
#include "train/TrainingRun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <random>

using namespace twb;
using namespace twb::test;

namespace {

constexpr int length = 20;

/// A UCR .ts file of rising ("up") and falling ("down") noisy ramps, two channels.
QString writeTs(const QString &dir, const QString &name, int perClass, unsigned seed,
                const QStringList &labels = {QStringLiteral("up"), QStringLiteral("down")})
{
    const QString path = QDir(dir).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("@problemName Ramps\n@timeStamps false\n@missing false\n@univariate false\n"
               "@dimensions 2\n@equalLength true\n@seriesLength 20\n@classLabel true up down\n"
               "@data\n");
    std::mt19937 rng(seed);
    std::normal_distribution<double> noise(0.0, 0.3);
    for (int i = 0; i < perClass * int(labels.size()); ++i) {
        const QString label = labels[i % labels.size()];
        const double slope = label == QLatin1String("up") ? 1.0 : -1.0;
        QByteArray line;
        for (int channel = 0; channel < 2; ++channel) {
            for (int t = 0; t < length; ++t) {
                if (t)
                    line += ',';
                line += QByteArray::number(slope * t / 10.0 * (channel + 1) + noise(rng), 'f', 4);
            }
            line += ':';
        }
        file.write(line + label.toUtf8() + '\n');
    }
    return path;
}

/// A univariate UCR .ts file of 20 cases of 12 to 20 steps, classes a and b.
QString writeUnevenTs(const QString &dir)
{
    const QString path = QDir(dir).filePath(QStringLiteral("Uneven_TRAIN.ts"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("@problemName Uneven\n@timeStamps false\n@missing false\n@univariate true\n"
               "@equalLength false\n@classLabel true a b\n@data\n");
    for (int i = 0; i < 20; ++i) {
        const int n = 12 + (i * 7) % 9;
        QByteArray line;
        for (int t = 0; t < n; ++t)
            line += (t ? "," : "") + QByteArray::number(std::sin(0.3 * t + i), 'f', 4);
        file.write(line + (i % 2 ? ":a\n" : ":b\n"));
    }
    return path;
}

TrainConfig configFor(const QString &train, const QString &test)
{
    TrainConfig c;
    c.task = QStringLiteral("classify");
    c.dataPath = train;
    c.testData = test;
    c.modelId = QStringLiteral("tinyclass");
    c.epochs = 4;
    c.batchSize = 8;
    c.lr = 0.01;
    c.patience = 0;
    c.threads = 1;
    return c;
}

} // namespace

/// A whole classification run through TrainingRun: the UCR-style train/test files, the
/// stratified validation part, cross-entropy training, metrics and predictions.h5.
class tst_ClassifyRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_train = writeTs(m_dir.path(), QStringLiteral("Ramps_TRAIN.ts"), 20, 1);
        m_test = writeTs(m_dir.path(), QStringLiteral("Ramps_TEST.ts"), 15, 2);
        TrainingRun run(lookupOfClassifier(m_plugin), nullptr, nullptr);
        m_first = run.start(configFor(m_train, m_test), m_dir.filePath(QStringLiteral("run1")));
        QVERIFY2(m_first.succeeded(), qPrintable(m_first.message));
    }

    void metricsAndRunFolder()
    {
        const QJsonObject test = m_first.testMetrics;
        for (const char *key :
             {"accuracy", "balanced_accuracy", "macro_f1", "log_loss", "confusion"})
            QVERIFY2(test.contains(QLatin1String(key)), key);
        QVERIFY2(test.value("accuracy").toDouble() >= 0.9,
                 qPrintable(QString::number(test.value("accuracy").toDouble())));
        QCOMPARE(test.value("examples").toInteger(), 30);
        const QJsonObject status =
            test::readJson(m_dir.filePath(QStringLiteral("run1/status.json")));
        QCOMPARE(status.value("state").toString(), QStringLiteral("finished"));
        QCOMPARE(status.value("test").toObject().value("accuracy").toDouble(),
                 test.value("accuracy").toDouble());
        const QJsonObject provenance =
            test::readJson(m_dir.filePath(QStringLiteral("run1/config.json")))
                .value("provenance")
                .toObject();
        QCOMPARE(provenance.value("split").toString(), QStringLiteral("test-data"));
        QCOMPARE(provenance.value("class_names").toArray().size(), 2);
        // 40 training cases: 20 % (8, 4 per class) held out for validation.
        const QJsonObject cases = provenance.value("cases").toObject();
        QCOMPARE(cases.value("train").toInteger(), 32);
        QCOMPARE(cases.value("val").toInteger(), 8);
        QCOMPARE(cases.value("test").toInteger(), 30);
        QCOMPARE(provenance.value("length").toInteger(), length);
        QVERIFY(provenance.value("step_masks").toBool()); // new runs train with step masks
        QVERIFY(trainedWithStepMasks(provenance));
        QVERIFY(!trainedWithStepMasks(QJsonObject{{"length", 20}})); // an older run
    }

    void scaleNoneKeepsTheValues()
    {
        // --scale none: the identity scaler, recorded in the run (and so used by predict).
        TrainConfig config = configFor(m_train, m_test);
        config.scale = QStringLiteral("none");
        TrainingRun run(lookupOfClassifier(m_plugin), nullptr, nullptr);
        const RunResult result = run.start(config, m_dir.filePath(QStringLiteral("raw")));
        QVERIFY2(result.succeeded(), qPrintable(result.message));
        const QJsonObject json = test::readJson(m_dir.filePath(QStringLiteral("raw/config.json")));
        QCOMPARE(json.value("scale").toString(), QStringLiteral("none"));
        const QJsonObject scaler = json.value("provenance").toObject().value("scaler").toObject();
        QCOMPARE(scaler.value("mean").toArray(), (QJsonArray{0.0, 0.0}));
        QCOMPARE(scaler.value("scale").toArray(), (QJsonArray{1.0, 1.0}));
        // The default standardises: the ramps' channels are not centred at 0 with deviation 1.
        const QJsonObject fitted =
            test::readJson(m_dir.filePath(QStringLiteral("run1/config.json")))
                .value("provenance")
                .toObject()
                .value("scaler")
                .toObject();
        QVERIFY(fitted.value("scale").toArray() != (QJsonArray{1.0, 1.0}));
        config.scale = QStringLiteral("minmax");
        QVERIFY(!config.validate().isOk());
    }

    void predictionsFileMatchesMetrics()
    {
        Expected<Hdf5Reader> reader =
            Hdf5Reader::open(m_dir.filePath(QStringLiteral("run1/predictions.h5")));
        QVERIFY(reader);
        Expected<Hdf5FloatArray> p = reader->readFloatArray(QStringLiteral("/probabilities"));
        QVERIFY(p);
        QCOMPARE(p->dims, (std::vector<std::int64_t>{30, 2}));
        Expected<Hdf5FloatArray> labels = reader->readFloatArray(QStringLiteral("/labels"));
        QVERIFY(labels);
        std::vector<int> truth;
        for (std::int64_t i = 0; i < 30; ++i) {
            QVERIFY(std::abs(p->values[std::size_t(2 * i)] + p->values[std::size_t(2 * i + 1)] -
                             1.0f) < 1e-5f);
            truth.push_back(int(labels->values[std::size_t(i)]));
            QCOMPARE(truth.back(), int(i % 2)); // the test file alternates up, down
        }
        const ClassificationMetrics m = computeClassificationMetrics(p->values, truth, 2);
        QCOMPARE(m.accuracy, m_first.testMetrics.value("accuracy").toDouble());
        QVERIFY(std::abs(m.logLoss - m_first.testMetrics.value("log_loss").toDouble()) < 1e-9);
        Expected<QStringList> sources = reader->readStrings(QStringLiteral("/sources"));
        QVERIFY(sources);
        QCOMPARE(sources->size(), 30);
        QVERIFY2(sources->first().contains(QStringLiteral("Ramps_TEST.ts")),
                 qPrintable(sources->first()));
    }

    void sameSeedSameResult()
    {
        TrainingRun run(lookupOfClassifier(m_plugin), nullptr, nullptr);
        const RunResult again =
            run.start(configFor(m_train, m_test), m_dir.filePath(QStringLiteral("run2")));
        QVERIFY2(again.succeeded(), qPrintable(again.message));
        QCOMPARE(again.testMetrics.value("log_loss").toDouble(),
                 m_first.testMetrics.value("log_loss").toDouble());
    }

    void interruptedRunResumesExactly()
    {
        TrainControl control;
        test::StopAfterBatches stopper(control, 7);
        TrainingRun first(lookupOfClassifier(m_plugin), &stopper, &control);
        const QString dir = m_dir.filePath(QStringLiteral("run3"));
        const RunResult stopped = first.start(configFor(m_train, m_test), dir);
        QCOMPARE(int(stopped.outcome), int(TrainOutcome::Interrupted));
        TrainingRun second(lookupOfClassifier(m_plugin), nullptr, nullptr);
        const RunResult resumed = second.resume(dir);
        QVERIFY2(resumed.succeeded(), qPrintable(resumed.message));
        QCOMPARE(resumed.testMetrics.value("log_loss").toDouble(),
                 m_first.testMetrics.value("log_loss").toDouble());
    }

    void stratifiedSplitWithoutTestFile()
    {
        TrainConfig config = configFor(m_train, QString());
        config.testFraction = 0.25;
        TrainingRun run(lookupOfClassifier(m_plugin), nullptr, nullptr);
        const RunResult result = run.start(config, m_dir.filePath(QStringLiteral("run4")));
        QVERIFY2(result.succeeded(), qPrintable(result.message));
        // 40 cases: 10 test (5 per class), of the other 30 20 % = 6 validation.
        QCOMPARE(result.testMetrics.value("examples").toInteger(), 10);
        const QJsonArray confusion = result.testMetrics.value("confusion").toArray();
        QCOMPARE(confusion[0].toArray()[0].toInteger() + confusion[0].toArray()[1].toInteger(), 5);
    }

    void extraTrainingJoinsTheTrainingPartOnly()
    {
        const QString extra = writeTs(m_dir.path(), QStringLiteral("More_TRAIN.ts"), 6, 4);
        TrainConfig config = configFor(m_train, m_test);
        config.extraTrain = {extra};
        TrainingRun run(lookupOfClassifier(m_plugin), nullptr, nullptr);
        const QString dir = m_dir.filePath(QStringLiteral("run-extra"));
        const RunResult result = run.start(config, dir);
        QVERIFY2(result.succeeded(), qPrintable(result.message));
        const QJsonObject saved = test::readJson(QDir(dir).filePath(QStringLiteral("config.json")));
        const QJsonObject provenance = saved.value("provenance").toObject();
        // The 40 training-file cases split as before (32 + 8); the 12 extra ones join training.
        const QJsonObject cases = provenance.value("cases").toObject();
        QCOMPARE(cases.value("train").toInteger(), 32 + 12);
        QCOMPARE(cases.value("val").toInteger(), 8);
        QCOMPARE(cases.value("test").toInteger(), 30);
        QCOMPARE(provenance.value("extra_train_cases").toInteger(), 12);
        QCOMPARE(saved.value("extra-train").toArray().first().toString(), extra);
        QCOMPARE(result.testMetrics.value("examples").toInteger(), 30);
    }

    void badExtraTrainingIsRefusedWithTheFile()
    {
        const QString bad = writeTs(m_dir.path(), QStringLiteral("Sideways_TRAIN.ts"), 2, 5,
                                    {QStringLiteral("up"), QStringLiteral("sideways")});
        TrainConfig config = configFor(m_train, m_test);
        config.extraTrain = {bad};
        TrainingRun run(lookupOfClassifier(m_plugin), nullptr, nullptr);
        const RunResult result = run.start(config, m_dir.filePath(QStringLiteral("run-bad-extra")));
        QCOMPARE(int(result.outcome), int(TrainOutcome::Failed));
        QVERIFY2(result.message.contains(QStringLiteral("Sideways_TRAIN.ts")),
                 qPrintable(result.message));
        TrainConfig forecast;
        forecast.dataPath = QStringLiteral("ETTh1.csv");
        forecast.modelId = QStringLiteral("dlinear");
        forecast.lookback = forecast.horizon = 24;
        QVERIFY2(forecast.validate(), qPrintable(forecast.validate().error().reason));
        forecast.extraTrain = {bad};
        const Status refused = forecast.validate();
        QVERIFY(!refused);
        QVERIFY2(refused.error().reason.contains(QStringLiteral("extra-train")),
                 qPrintable(refused.error().reason));
    }

    void undeclaredTestLabelIsRefusedWithTheFile()
    {
        const QString bad = writeTs(m_dir.path(), QStringLiteral("Bad_TEST.ts"), 2, 3,
                                    {QStringLiteral("up"), QStringLiteral("sideways")});
        TrainingRun run(lookupOfClassifier(m_plugin), nullptr, nullptr);
        const RunResult result =
            run.start(configFor(m_train, bad), m_dir.filePath(QStringLiteral("run5")));
        QCOMPARE(int(result.outcome), int(TrainOutcome::Failed));
        QVERIFY2(result.message.contains(QStringLiteral("Bad_TEST.ts")),
                 qPrintable(result.message));
    }

    void unequalLengthsGiveStepMasks()
    {
        // Cases of 12 to 20 steps: padded to the longest (20), each batch carries the mask of
        // its real steps; a set of full-length cases has none.
        const QString path = writeUnevenTs(m_dir.path());
        QVERIFY(!path.isEmpty());
        TrainConfig config = configFor(path, QString());
        config.testFraction = 0.25;
        Expected<ClassifyData> data = prepareClassifyData(config);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        // The longest training case sets the length (20, or 19 when every case of 20 steps
        // landed in the test part, which is then cut).
        const std::int64_t padded = data->length;
        QVERIFY(padded == 19 || padded == 20);
        for (const auto &part : {data->train, data->validation, data->test}) {
            const ExampleBatch all = part->range(0, part->size());
            QVERIFY(all.mask.defined());
            QCOMPARE(all.mask.sizes().vec(), (std::vector<std::int64_t>{part->size(), padded}));
            for (std::int64_t i = 0; i < part->size(); ++i) {
                const std::int64_t real = all.mask[i].sum().item<std::int64_t>();
                QCOMPARE(real, part->lengths()[i].item<std::int64_t>());
                QVERIFY(real >= 12 && real <= padded);
                QVERIFY(all.mask[i].slice(0, 0, real).all().item<bool>()); // a real prefix
                // Padded steps hold 0 (the normalised mean).
                QCOMPARE(all.x[i].slice(0, real).abs().sum().item<double>(), 0.0);
            }
        }
        // Equal lengths: no mask at all.
        Expected<ClassifyData> equal = prepareClassifyData(configFor(m_train, m_test));
        QVERIFY(equal);
        QVERIFY(!equal->train->range(0, 4).mask.defined());
    }

    void resumedRunKeepsItsStepMaskSetting()
    {
        // A run saved before step masks existed ("step_masks" absent or false) goes on without
        // them when resumed; a new run, and a run saved with them, uses them.
        const QString path = writeUnevenTs(m_dir.path());
        TrainConfig config = configFor(path, QString());
        config.testFraction = 0.25;
        const auto masksOf = [&](const QJsonObject &savedProvenance, bool resumed) {
            ClassifyPipeline pipeline;
            if (resumed)
                pipeline.continueRun(savedProvenance);
            TrainConfig c = config;
            const Status s = pipeline.prepare(c, [](const QString &) {});
            return s && pipeline.trainSet()->range(0, 2).mask.defined();
        };
        QVERIFY(masksOf({}, false));
        QVERIFY(masksOf({{QStringLiteral("step_masks"), true}}, true));
        QVERIFY(!masksOf({{QStringLiteral("step_masks"), false}}, true));
        QVERIFY(!masksOf({}, true));

        // Through TrainingRun: interrupt, mark the run as made before masks, resume.
        TrainControl control;
        test::StopAfterBatches stopper(control, 2);
        TrainingRun first(lookupOfClassifier(m_plugin), &stopper, &control);
        const QString dir = m_dir.filePath(QStringLiteral("run7"));
        QCOMPARE(int(first.start(config, dir).outcome), int(TrainOutcome::Interrupted));
        QFile file(QDir(dir).filePath(QStringLiteral("config.json")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
        file.close();
        QJsonObject provenance = json.value(QStringLiteral("provenance")).toObject();
        QCOMPARE(provenance.value(QStringLiteral("step_masks")).toBool(), true);
        provenance.remove(QStringLiteral("step_masks"));
        json[QStringLiteral("provenance")] = provenance;
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(QJsonDocument(json).toJson());
        file.close();
        TrainingRun second(lookupOfClassifier(m_plugin), nullptr, nullptr);
        const RunResult resumed = second.resume(dir);
        QVERIFY2(resumed.succeeded(), qPrintable(resumed.message));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject after = QJsonDocument::fromJson(file.readAll())
                                      .object()
                                      .value(QStringLiteral("provenance"))
                                      .toObject();
        QVERIFY(!trainedWithStepMasks(after));
        QFile log(QDir(dir).filePath(QStringLiteral("log.txt")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(log.readAll());
        QVERIFY2(text.contains(QStringLiteral("resuming")) &&
                     text.contains(QStringLiteral("without step masks")),
                 qPrintable(text));
    }

    void fbankFeaturesNeedAudio()
    {
        TrainConfig config = configFor(m_train, m_test);
        config.features = QStringLiteral("fbank");
        TrainingRun run(lookupOfClassifier(m_plugin), nullptr, nullptr);
        const RunResult result = run.start(config, m_dir.filePath(QStringLiteral("run6")));
        QCOMPARE(int(result.outcome), int(TrainOutcome::Failed));
        QVERIFY2(result.message.contains(QStringLiteral("audio")), qPrintable(result.message));
    }

private:
    QTemporaryDir m_dir;
    TinyClassifierPlugin m_plugin;
    QString m_train;
    QString m_test;
    RunResult m_first;
};

QTEST_GUILESS_MAIN(tst_ClassifyRun)
#include "tst_classifyrun.moc"
