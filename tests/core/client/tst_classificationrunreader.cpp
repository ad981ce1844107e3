// readClassificationRun: a classification run read back (config.json + predictions.h5 +
// metrics), where its cases come from, and the errors of runs that cannot be shown.

#include "../../widgets/ClassificationFixture.h"
#include "client/ClassificationRun.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace twb;

class tst_ClassificationRunReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsARun();
    void testDataIsTheSourcesRoot();
    void brokenFolders();
};

void tst_ClassificationRunReader::readsARun()
{
    QTemporaryDir dir;
    const QString runDir = dir.filePath("run");
    QVERIFY(twb::test::writeRun(runDir, dir.path(), twb::test::wavSources()));
    Expected<ClassificationRunData> run = readClassificationRun(runDir);
    QVERIFY2(run, qPrintable(run ? QString() : run.error().toString()));
    QCOMPARE(run->runDir, QDir(runDir).absolutePath());
    QCOMPARE(run->model, QStringLiteral("ast"));
    QCOMPARE(run->sourcesRoot, dir.path());
    QVERIFY(run->predictions);
    QCOMPARE(run->predictions->cases, 10);
    QCOMPARE(run->predictions->classNames, twb::test::kClassNames);
    QCOMPARE(run->predictions->sources, twb::test::wavSources());
    QCOMPARE(run->predictions->split, QStringLiteral("test"));
    // The metrics of the fixture (see ClassificationFixture.h).
    QCOMPARE(run->metrics.examples, 10);
    QCOMPARE(run->metrics.accuracy, 0.7);
    const std::vector<std::vector<std::int64_t>> confusion{{2, 1, 1}, {1, 2, 0}, {0, 0, 3}};
    QCOMPARE(run->metrics.confusion, confusion);
    QVERIFY(std::abs(run->metrics.macroF1 - (4.0 / 7 + 2.0 / 3 + 6.0 / 7) / 3) < 1e-9);
}

void tst_ClassificationRunReader::testDataIsTheSourcesRoot()
{
    QTemporaryDir dir;
    const QString runDir = dir.filePath("run");
    QVERIFY(twb::test::writeRun(runDir, "/elsewhere/train", twb::test::wavSources(), "/data/test"));
    Expected<ClassificationRunData> run = readClassificationRun(runDir);
    QVERIFY2(run, qPrintable(run ? QString() : run.error().toString()));
    QCOMPARE(run->sourcesRoot, QStringLiteral("/data/test"));
}

void tst_ClassificationRunReader::brokenFolders()
{
    QTemporaryDir dir;
    // No folder at all.
    const Expected<ClassificationRunData> missing = readClassificationRun(dir.filePath("missing"));
    QVERIFY(!missing);
    QVERIFY2(missing.error().toString().contains("missing"),
             qPrintable(missing.error().toString()));
    // A run without predictions.h5.
    const QString noPredictions = dir.filePath("nopred");
    {
        Expected<RunStore> store = RunStore::create(noPredictions);
        QVERIFY(store);
        QVERIFY(store->writeConfig(QJsonObject{{"task", "classify"}, {"data", "/x"}}));
    }
    const Expected<ClassificationRunData> unfinished = readClassificationRun(noPredictions);
    QVERIFY(!unfinished);
    QVERIFY2(unfinished.error().toString().contains(QDir(noPredictions).filePath("predictions.h5")),
             qPrintable(unfinished.error().toString()));
    // A forecasting run: its config.json says why.
    const QString forecast = dir.filePath("forecast");
    {
        Expected<RunStore> store = RunStore::create(forecast);
        QVERIFY(store);
        QVERIFY(store->writeConfig(QJsonObject{{"task", "forecast"}, {"data", "/x.csv"}}));
    }
    const Expected<ClassificationRunData> notClassify = readClassificationRun(forecast);
    QVERIFY(!notClassify);
    QCOMPARE(notClassify.error().toString(),
             QDir(forecast).filePath("config.json") +
                 QStringLiteral(": not a classification run (task \"forecast\")"));
    // Sources and class names that do not fit the probabilities.
    const QString bad = dir.filePath("bad");
    QVERIFY(twb::test::writeRun(bad, dir.path(), {"a.wav"}));
    const Expected<ClassificationRunData> badSources = readClassificationRun(bad);
    QVERIFY(!badSources);
    QVERIFY2(badSources.error().toString().contains("/sources has 1 entries, expected 10"),
             qPrintable(badSources.error().toString()));
}

QTEST_GUILESS_MAIN(tst_ClassificationRunReader)
#include "tst_classificationrunreader.moc"
