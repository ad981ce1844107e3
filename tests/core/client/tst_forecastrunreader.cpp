// readForecastRun: a finished forecasting run read back (config.json + predictions.h5), and
// the errors of runs that cannot be shown, each naming its file.

#include "../../widgets/ForecastFixture.h"
#include "client/ForecastRun.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;
using namespace twb::test;

class tst_ForecastRunReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsAFinishedRun();
    void scoredChannel();
    void brokenRuns();
};

void tst_ForecastRunReader::readsAFinishedRun()
{
    QTemporaryDir dir;
    const auto data = makeData();
    const QString runDir = makeRun(dir, *data);
    QVERIFY(!runDir.isEmpty());
    Expected<ForecastRunData> run = readForecastRun(runDir);
    QVERIFY2(run, qPrintable(run ? QString() : run.error().toString()));
    QCOMPARE(run->runDir, QDir(runDir).absolutePath());
    QCOMPARE(run->lookback, lookback);
    QVERIFY(run->target.isEmpty());
    const PredictionsRecord expected = makeRecord(*data);
    const PredictionsRecord &p = run->predictions;
    QCOMPARE(p.channelNames, expected.channelNames);
    QCOMPARE(p.split, QStringLiteral("test"));
    QCOMPARE(p.values.windows, windows);
    QCOMPARE(p.values.horizon, horizon);
    QCOMPARE(p.values.channels, 2);
    QCOMPARE(p.values.truth, expected.values.truth);
    QCOMPARE(p.values.prediction, expected.values.prediction);
    QCOMPARE(p.values.truthOriginal, expected.values.truthOriginal);
    QCOMPARE(p.values.predictionOriginal, expected.values.predictionOriginal);
    QCOMPARE(p.windowStartRows, (std::vector<std::int64_t>{10, 11, 12}));
    QCOMPARE(p.forecastStartTimes, expected.forecastStartTimes);
}

void tst_ForecastRunReader::scoredChannel()
{
    QTemporaryDir dir;
    const auto data = makeData();
    Expected<ForecastRunData> run = readForecastRun(makeRun(dir, *data, QStringLiteral("b")));
    QVERIFY2(run, qPrintable(run ? QString() : run.error().toString()));
    QCOMPARE(run->target, QStringLiteral("b"));
}

void tst_ForecastRunReader::brokenRuns()
{
    QTemporaryDir dir;
    const Expected<ForecastRunData> missing = readForecastRun(dir.filePath("nothing"));
    QVERIFY(!missing);
    QVERIFY2(missing.error().toString().contains(QStringLiteral("does not exist")),
             qPrintable(missing.error().toString()));
    QVERIFY2(missing.error().toString().contains(dir.filePath("nothing")),
             qPrintable(missing.error().toString()));

    Expected<RunStore> store = RunStore::create(dir.filePath("unfinished"));
    QVERIFY(store);
    QVERIFY(store->writeConfig({{"lookback", 5}}));
    const QString predictions = store->filePath("predictions.h5");
    const Expected<ForecastRunData> unfinished = readForecastRun(store->dir());
    QVERIFY(!unfinished);
    QCOMPARE(unfinished.error().reason,
             QStringLiteral("no predictions yet (the run has not finished)"));
    QCOMPARE(unfinished.error().file, predictions);

    QFile garbage(predictions);
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("this is not HDF5");
    garbage.close();
    const Expected<ForecastRunData> corrupt = readForecastRun(store->dir());
    QVERIFY(!corrupt);
    QVERIFY2(corrupt.error().toString().contains(predictions),
             qPrintable(corrupt.error().toString()));

    QFile config(store->filePath("config.json"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("{\"lookback\": ");
    config.close();
    const Expected<ForecastRunData> badConfig = readForecastRun(store->dir());
    QVERIFY(!badConfig);
    QVERIFY2(badConfig.error().toString().contains(QStringLiteral("config.json")),
             qPrintable(badConfig.error().toString()));
}

QTEST_GUILESS_MAIN(tst_ForecastRunReader)
#include "tst_forecastrunreader.moc"
