#include "RunTestSupport.h"
#include "TestPlugin.h"
#include "data/DatasetLoader.h"
#include "data/Hdf5File.h"
#include "runs/PredictionsFile.h"
#include "train/ProgressReporter.h"
#include "train/TrainControl.h"
#include "train/TrainingRun.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstdio>

using namespace twb;
using namespace twb::test;

namespace {

constexpr int rows = 300;

// Hourly data with two channels in different units and one missing cell in the train part.
QString writeCsv(const QString &dir)
{
    const QString path = QDir(dir).filePath(QStringLiteral("hourly.csv"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("date,load,temp\n");
    const QDateTime t0(QDate(2021, 3, 1), QTime(0, 0), Qt::UTC);
    for (int r = 0; r < rows; ++r) {
        const QByteArray temp =
            r == 40 ? QByteArray() : QByteArray::number(20 + 5 * std::cos(0.05 * r), 'f', 4);
        file.write(t0.addSecs(3600 * r).toString("yyyy-MM-dd HH:mm:ss").toUtf8() + ',' +
                   QByteArray::number(100 + 30 * std::sin(0.26 * r), 'f', 4) + ',' + temp + '\n');
    }
    return path;
}

TrainConfig configFor(const QString &data)
{
    TrainConfig c;
    c.dataPath = data;
    c.modelId = QStringLiteral("tiny");
    c.lookback = 24;
    c.horizon = 6;
    c.epochs = 3;
    c.batchSize = 16;
    c.lr = 0.01;
    c.patience = 0;
    c.threads = 1;
    return c;
}

} // namespace

class tst_ForecastRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runFolderAndProvenance();
    void predictionsMatchDataAndMetrics();
    void progressJsonLines();
    void replayFromSavedConfig();
    void interruptAndResume();
    void resumeRefusesAnotherConfiguration();
    void fineTuneFromRun();
    void targetAloneIsScored();
    void badInput_data();
    void badInput();

private:
    QTemporaryDir m_tmp;
    QString m_csv;
    TestPlugin m_plugin;
    RunResult m_first;
    QString m_firstDir;
};

void tst_ForecastRun::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_csv = writeCsv(m_tmp.path());
    QVERIFY(!m_csv.isEmpty());
    m_firstDir = m_tmp.filePath(QStringLiteral("first"));
    TrainingRun run(lookupOf(m_plugin), nullptr, nullptr);
    m_first = run.start(configFor(m_csv), m_firstDir);
    QVERIFY2(m_first.succeeded(), qPrintable(m_first.message));
}

void tst_ForecastRun::runFolderAndProvenance()
{
    QDir dir(m_firstDir);
    for (const char *name :
         {"config.json", "status.json", "metrics.csv", "metrics.jsonl", "log.txt", "predictions.h5",
          "checkpoints/best.pt", "checkpoints/last.pt"})
        QVERIFY2(dir.exists(QLatin1String(name)), name);
    const QJsonObject config = test::readJson(dir.filePath("config.json"));
    QCOMPARE(config.value("data").toString(), QFileInfo(m_csv).absoluteFilePath());
    QCOMPARE(config.value("split").toString(), QStringLiteral("ratio"));
    QCOMPARE(config.value("hyperparameters").toObject().value("dropout").toDouble(), 0.1);
    const QJsonObject p = config.value("provenance").toObject();
    Expected<SeriesDataset> data = loadSeries(m_csv);
    QVERIFY(data);
    QCOMPARE(p.value("data_fingerprint").toString(), data->fingerprint());
    QCOMPARE(p.value("plugin").toObject().value("version").toString(), QStringLiteral("0.0.1"));
    QCOMPARE(p.value("versions").toObject().value("libtorch").toString(), QStringLiteral("1.13.0"));
    QCOMPARE(p.value("versions").toObject().value("qt").toString(),
             QString::fromLatin1(qVersion()));
    QCOMPARE(p.value("split").toObject().value("name").toString(), QStringLiteral("ratio"));
    QCOMPARE(p.value("scaler").toObject().value("mean").toArray().size(), 2);
    // The NaN in row 40 removes the 30 training windows that cover it, and says so.
    QCOMPARE(p.value("excluded_windows").toObject().value("train").toInt(), 30);
    QCOMPARE(p.value("threads_used").toInt(), 1);

    const QJsonObject status = test::readJson(dir.filePath("status.json"));
    QCOMPARE(status.value("state").toString(), QStringLiteral("finished"));
    QCOMPARE(status.value("test").toObject().value("mse").toDouble(),
             m_first.testMetrics.value("mse").toDouble());
    QFile log(dir.filePath("log.txt"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(log.readAll().contains("excluded windows with missing values: train 30"));
    QCOMPARE(QDir(dir.filePath("checkpoints")).entryList(QDir::Files | QDir::Hidden),
             (QStringList{"best.pt", "last.pt"}));
}

void tst_ForecastRun::predictionsMatchDataAndMetrics()
{
    Expected<Hdf5Reader> reader = Hdf5Reader::open(QDir(m_firstDir).filePath("predictions.h5"));
    QVERIFY(reader);
    Expected<PredictionsRecord> rec = readPredictions(*reader);
    QVERIFY2(rec, qPrintable(rec ? QString() : rec.error().toString()));
    Expected<SeriesDataset> data = loadSeries(m_csv);
    QVERIFY(data);
    // ratio split of 300 rows: test rows [240, 300), windows start 24 rows before: 55 windows.
    const ForecastPredictions &v = rec->values;
    QCOMPARE(v.windows, std::int64_t(55));
    QCOMPARE(m_first.testMetrics.value("windows").toInteger(), std::int64_t(55));
    QCOMPARE(v.horizon, std::int64_t(6));
    QCOMPARE(rec->channelNames, (QStringList{"load", "temp"}));
    QCOMPARE(rec->windowStartRows.front(), std::int64_t(216));
    QCOMPARE(rec->forecastStartTimes.front(), data->timestamps[240]);

    double squared = 0.0, absolute = 0.0, squaredOriginal = 0.0;
    for (std::int64_t w = 0; w < v.windows; ++w)
        for (std::int64_t h = 0; h < v.horizon; ++h)
            for (std::int64_t c = 0; c < 2; ++c) {
                const std::size_t i = std::size_t((w * v.horizon + h) * 2 + c);
                const double raw = data->at(rec->windowStartRows[std::size_t(w)] + 24 + h, c);
                QVERIFY(std::abs(v.truthOriginal[i] - raw) < 1e-3);
                const double e = double(v.prediction[i]) - double(v.truth[i]);
                squared += e * e;
                absolute += std::abs(e);
                const double eo = double(v.predictionOriginal[i]) - double(v.truthOriginal[i]);
                squaredOriginal += eo * eo;
            }
    const double n = double(v.windows * v.horizon * 2);
    QVERIFY(std::abs(squared / n - m_first.testMetrics.value("mse").toDouble()) <
            1e-9 * m_first.testMetrics.value("mse").toDouble());
    QVERIFY(std::abs(absolute / n - m_first.testMetrics.value("mae").toDouble()) <
            1e-9 * m_first.testMetrics.value("mae").toDouble());
    QVERIFY(std::abs(squaredOriginal / n - m_first.testMetrics.value("mse_original").toDouble()) <
            1e-6 * m_first.testMetrics.value("mse_original").toDouble());
}

void tst_ForecastRun::progressJsonLines()
{
    std::FILE *out = std::tmpfile();
    QVERIFY(out);
    ProgressReporter reporter(ProgressMode::JsonLines, out, stderr);
    TrainingRun run(lookupOf(m_plugin), &reporter, nullptr);
    const RunResult r = run.start(configFor(m_csv), m_tmp.filePath(QStringLiteral("progress")));
    QVERIFY(r.succeeded());
    std::rewind(out);
    QStringList events;
    QJsonObject start, done;
    char line[4096];
    while (std::fgets(line, sizeof line, out)) {
        QJsonParseError error;
        const QJsonObject o = QJsonDocument::fromJson(QByteArray(line), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        events << o.value("event").toString();
        if (events.back() == QLatin1String("start"))
            start = o;
        if (events.back() == QLatin1String("done"))
            done = o;
    }
    std::fclose(out);
    QCOMPARE(events.front(), QStringLiteral("start"));
    QCOMPARE(events.back(), QStringLiteral("done"));
    QCOMPARE(events.count("epoch"), 3);
    QVERIFY(events.count("batch") >= 3); // the last batch of each epoch at least
    // Train rows [0, 210): 181 windows, 30 of them hold row 40 (NaN): 151 -> 10 batches of 16.
    QCOMPARE(start.value("batches_per_epoch").toInt(), 10);
    QCOMPARE(start.value("model").toString(), QStringLiteral("tiny"));
    const QJsonObject test = done.value("test").toObject();
    for (const char *key : {"mse", "mae", "mse_original", "mae_original", "windows"})
        QVERIFY2(test.contains(QLatin1String(key)), key);
    QCOMPARE(test.value("mse").toDouble(),
             m_first.testMetrics.value("mse").toDouble()); // same seed, same result
}

void tst_ForecastRun::replayFromSavedConfig()
{
    Expected<TrainConfig> saved = TrainConfig::fromFile(QDir(m_firstDir).filePath("config.json"));
    QVERIFY(saved);
    TrainingRun run(lookupOf(m_plugin), nullptr, nullptr);
    const RunResult replay = run.start(*saved, m_tmp.filePath(QStringLiteral("replay")));
    QVERIFY(replay.succeeded());
    QCOMPARE(replay.testMetrics.value("mse").toDouble(),
             m_first.testMetrics.value("mse").toDouble());
    QCOMPARE(replay.testMetrics.value("mae_original").toDouble(),
             m_first.testMetrics.value("mae_original").toDouble());
}

void tst_ForecastRun::interruptAndResume()
{
    const QString dir = m_tmp.filePath(QStringLiteral("interrupted"));
    TrainControl control;
    test::StopAfterBatches stopper(control, 13); // 10 batches per epoch: epoch 2, batch 3
    TrainingRun first(lookupOf(m_plugin), &stopper, &control);
    const RunResult stopped = first.start(configFor(m_csv), dir);
    QCOMPARE(int(stopped.outcome), int(TrainOutcome::Interrupted));
    QVERIFY(QFile::exists(QDir(dir).filePath("checkpoints/last.pt")));
    const QJsonObject status = test::readJson(QDir(dir).filePath("status.json"));
    QCOMPARE(status.value("state").toString(), QStringLiteral("interrupted"));
    QVERIFY(status.value("message").toString().contains("after batch 3 of epoch 2"));
    QVERIFY(!QFile::exists(QDir(dir).filePath("predictions.h5")));

    TrainingRun second(lookupOf(m_plugin), nullptr, nullptr);
    const RunResult resumed = second.resume(dir, configFor(m_csv));
    QVERIFY2(resumed.succeeded(), qPrintable(resumed.message));
    QCOMPARE(resumed.testMetrics.value("mse").toDouble(),
             m_first.testMetrics.value("mse").toDouble()); // exactly as if never interrupted
    QCOMPARE(test::readJson(QDir(dir).filePath("status.json")).value("state").toString(),
             QStringLiteral("finished"));
    QFile csv(QDir(dir).filePath("metrics.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().count('\n'), 4); // header + 3 epochs, none twice
}

void tst_ForecastRun::resumeRefusesAnotherConfiguration()
{
    TrainConfig other = configFor(m_csv);
    other.lr = 0.5;
    TrainingRun run(lookupOf(m_plugin), nullptr, nullptr);
    const RunResult r = run.resume(m_firstDir, other);
    QCOMPARE(int(r.outcome), int(TrainOutcome::Failed));
    QVERIFY2(r.message.contains("differ from it: lr;"), qPrintable(r.message));
    QCOMPARE(test::readJson(QDir(m_firstDir).filePath("status.json")).value("state").toString(),
             QStringLiteral("finished"));
}

void tst_ForecastRun::fineTuneFromRun()
{
    TrainConfig c = configFor(m_csv);
    c.initFrom = m_firstDir;
    c.freeze = {QStringLiteral("time.")};
    c.epochs = 1;
    TrainingRun run(lookupOf(m_plugin), nullptr, nullptr);
    const QString dir = m_tmp.filePath(QStringLiteral("finetune"));
    const RunResult r = run.start(c, dir);
    QVERIFY2(r.succeeded(), qPrintable(r.message));
    const QJsonObject p =
        test::readJson(QDir(dir).filePath("config.json")).value("provenance").toObject();
    QCOMPARE(p.value("init_from").toObject().value("loaded").toInt(), 3);
    QCOMPARE(p.value("frozen").toArray().size(), 2);
    Expected<Checkpoint> source = loadCheckpoint(QDir(m_firstDir).filePath("checkpoints/best.pt"));
    Expected<Checkpoint> tuned = loadCheckpoint(QDir(dir).filePath("checkpoints/best.pt"));
    QVERIFY(source && tuned);
    QVERIFY(torch::equal(source->model.at("time.weight"), tuned->model.at("time.weight")));
    QVERIFY(!torch::equal(source->model.at("gain"), tuned->model.at("gain")));
}

void tst_ForecastRun::targetAloneIsScored()
{
    // The MS setting: both channels in, the metrics of temp alone.
    TrainConfig c = configFor(m_csv);
    c.target = QStringLiteral("temp");
    const QString dir = m_tmp.filePath(QStringLiteral("ms"));
    TrainingRun run(lookupOf(m_plugin), nullptr, nullptr);
    const RunResult r = run.start(c, dir);
    QVERIFY2(r.succeeded(), qPrintable(r.message));
    QCOMPARE(r.testMetrics.value("target").toString(), QStringLiteral("temp"));
    QCOMPARE(test::readJson(QDir(dir).filePath("config.json")).value("target").toString(),
             QStringLiteral("temp"));

    Expected<Hdf5Reader> reader = Hdf5Reader::open(QDir(dir).filePath("predictions.h5"));
    QVERIFY(reader);
    Expected<PredictionsRecord> rec = readPredictions(*reader);
    QVERIFY(rec);
    const ForecastPredictions &v = rec->values;
    QCOMPARE(v.channels, std::int64_t(2)); // predictions keep every channel
    double temp = 0.0, tempAbs = 0.0, both = 0.0;
    for (std::size_t i = 0; i < v.prediction.size(); ++i) {
        const double e = double(v.prediction[i]) - double(v.truth[i]);
        both += e * e;
        if (i % 2 == 1) {
            temp += e * e;
            tempAbs += std::abs(e);
        }
    }
    const double n = double(v.windows * v.horizon);
    const double mse = r.testMetrics.value("mse").toDouble();
    QVERIFY(std::abs(temp / n - mse) < 1e-9 * mse);
    QVERIFY(std::abs(tempAbs / n - r.testMetrics.value("mae").toDouble()) < 1e-9 * mse);
    QVERIFY(std::abs(both / (2 * n) - mse) > 1e-3 * mse);

    // A target the data does not have is refused with the channels it has.
    c.target = QStringLiteral("humidity");
    TrainingRun bad(lookupOf(m_plugin), nullptr, nullptr);
    const RunResult refused = bad.start(c, m_tmp.filePath(QStringLiteral("ms-bad")));
    QCOMPARE(int(refused.outcome), int(TrainOutcome::Failed));
    QVERIFY2(refused.message.contains(QStringLiteral("humidity")) &&
                 refused.message.contains(QStringLiteral("load, temp")),
             qPrintable(refused.message));
}

void tst_ForecastRun::badInput_data()
{
    QTest::addColumn<QString>("what");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown model") << "model"
                                   << "unknown model \"nope\"";
    QTest::newRow("missing data file") << "data"
                                       << "missing.csv";
    QTest::newRow("bad hyperparameter") << "set"
                                        << "dropout";
    QTest::newRow("horizon too long") << "horizon"
                                      << "too short";
    QTest::newRow("freeze typo") << "freeze"
                                 << "encoder.";
}

void tst_ForecastRun::badInput()
{
    QFETCH(QString, what);
    QFETCH(QString, expected);
    TrainConfig c = configFor(m_csv);
    if (what == QLatin1String("model"))
        c.modelId = QStringLiteral("nope");
    else if (what == QLatin1String("data"))
        c.dataPath = m_tmp.filePath(QStringLiteral("missing.csv"));
    else if (what == QLatin1String("set"))
        c.hyperparameters[QStringLiteral("dropout")] = QStringLiteral("lots");
    else if (what == QLatin1String("horizon"))
        c.horizon = 100;
    else if (what == QLatin1String("freeze"))
        c.freeze = {QStringLiteral("encoder.")};
    const QString dir = m_tmp.filePath(QStringLiteral("bad-") + what);
    TrainingRun run(lookupOf(m_plugin), nullptr, nullptr);
    const RunResult r = run.start(c, dir);
    QCOMPARE(int(r.outcome), int(TrainOutcome::Failed));
    QVERIFY2(r.message.contains(expected), qPrintable(r.message));
    const QJsonObject status = test::readJson(QDir(dir).filePath("status.json"));
    QCOMPARE(status.value("state").toString(), QStringLiteral("failed"));
    QCOMPARE(status.value("message").toString(), r.message);
}

QTEST_GUILESS_MAIN(tst_ForecastRun)
#include "tst_forecastrun.moc"
