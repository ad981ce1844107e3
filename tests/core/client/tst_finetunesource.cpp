// Where a fine-tune starts (issue 19): a run's configuration read for the model panel, and the
// parameter list of `twb-cli parameters --json` parsed for the freeze tree.
#include "client/FineTuneSource.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

class tst_FineTuneSource : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheRunsArchitecture();
    void errorsNameTheConfiguration_data();
    void errorsNameTheConfiguration();
    void parsesTheParameterList();
    void refusesABrokenParameterList_data();
    void refusesABrokenParameterList();
};

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

void tst_FineTuneSource::readsTheRunsArchitecture()
{
    QTemporaryDir dir;
    const QString run = dir.filePath(QStringLiteral("patchtst-pre"));
    QVERIFY(QDir().mkpath(run));
    QVERIFY(writeFile(run + QStringLiteral("/config.json"),
                      R"({"model": "patchtst", "task": "pretrain", "lookback": 512,
                          "hyperparameters": {"d_model": 16, "patch_len": 12, "revin": true,
                                              "dropout": 0.2}})"));
    const Expected<FineTuneSource> s = readFineTuneSource(run);
    QVERIFY2(s, qPrintable(s ? QString() : s.error().toString()));
    QCOMPARE(s->runDir, QDir(run).absolutePath());
    QCOMPARE(s->name, QStringLiteral("patchtst-pre"));
    QCOMPARE(s->modelId, QStringLiteral("patchtst"));
    QCOMPARE(s->task, QStringLiteral("pretrain"));
    QCOMPARE(s->lookback, 512);
    QCOMPARE(s->hyperparameters.value(QStringLiteral("d_model")).toInt(), 16);
    QCOMPARE(s->hyperparameters.value(QStringLiteral("revin")).toBool(), true);
    QCOMPARE(s->hyperparameters.value(QStringLiteral("dropout")).toDouble(), 0.2);
}

void tst_FineTuneSource::errorsNameTheConfiguration_data()
{
    QTest::addColumn<QByteArray>("config"); // empty: no file
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing") << QByteArray() << "cannot read it";
    QTest::newRow("not json") << QByteArray("{model: patchtst") << "not a JSON object";
    QTest::newRow("no model") << QByteArray(R"({"task": "forecast"})") << "no \"model\"";
}

void tst_FineTuneSource::errorsNameTheConfiguration()
{
    QFETCH(QByteArray, config);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    if (!config.isEmpty())
        QVERIFY(writeFile(dir.filePath(QStringLiteral("config.json")), config));
    const Expected<FineTuneSource> s = readFineTuneSource(dir.path());
    QVERIFY(!s);
    QCOMPARE(s.error().file, dir.filePath(QStringLiteral("config.json")));
    QVERIFY2(s.error().reason.contains(reason), qPrintable(s.error().reason));
}

void tst_FineTuneSource::parsesTheParameterList()
{
    const QByteArray json = R"({"model": "dlinear", "total": 20,
        "parameters": [{"name": "linear.weight", "shape": [4, 4], "count": 16, "frozen": true},
                       {"name": "linear.bias", "shape": [4], "count": 4, "frozen": false}]})";
    const Expected<QList<ParameterEntry>> list = parseParameterList(json, QStringLiteral("p.json"));
    QVERIFY(list);
    QCOMPARE(list->size(), 2);
    QCOMPARE(list->at(0).name, QStringLiteral("linear.weight"));
    QCOMPARE(list->at(0).shape, (QList<qint64>{4, 4}));
    QCOMPARE(list->at(0).count, 16);
    QVERIFY(list->at(0).frozen);
    QVERIFY(!list->at(1).frozen);
}

void tst_FineTuneSource::refusesABrokenParameterList_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("reason");
    QTest::newRow("truncated") << QByteArray(R"({"parameters": [)") << "not a JSON object";
    QTest::newRow("no list") << QByteArray(R"({"model": "x"})") << "no \"parameters\" list";
    QTest::newRow("nameless") << QByteArray(R"({"parameters": [{"count": 3}]})")
                              << "without a name (entry 1)";
}

void tst_FineTuneSource::refusesABrokenParameterList()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, reason);
    const Expected<QList<ParameterEntry>> list = parseParameterList(json, QStringLiteral("p.json"));
    QVERIFY(!list);
    QCOMPARE(list.error().file, QStringLiteral("p.json"));
    QVERIFY2(list.error().reason.contains(reason), qPrintable(list.error().reason));
}

QTEST_GUILESS_MAIN(tst_FineTuneSource)
#include "tst_finetunesource.moc"
