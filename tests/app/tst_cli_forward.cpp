// `twb-cli forward` on a tiny PatchTST trained for one epoch on ETTh1 (the real twb-cli binary
// through QProcess, the patchtst plugin of the build tree).

#include "CliTestSupport.h"
#include "attention/ForwardTrace.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

namespace {

QJsonArray shape(std::initializer_list<int> dims)
{
    QJsonArray a;
    for (int d : dims)
        a.append(d);
    return a;
}

} // namespace

using twb::test::Result;

class tst_CliForward : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void traceAndJson();
    void helpDocumentsJson();
    void badInput_data();
    void badInput();

private:
    Result run(const QStringList &args, int timeoutMs = 240000);

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_csv;
    QString m_runDir;
};

Result tst_CliForward::run(const QStringList &args, int timeoutMs)
{
    return test::runCli(m_cli, m_tmp.path(), args, timeoutMs);
}

void tst_CliForward::initTestCase()
{
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    m_csv = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(m_csv))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(m_csv)));
    QVERIFY(m_tmp.isValid());
    m_runDir = m_tmp.filePath(QStringLiteral("run"));
    const Result r = run(test::tinyPatchTstTrainArgs(m_csv, m_runDir));
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void tst_CliForward::traceAndJson()
{
    const QString out = m_tmp.filePath(QStringLiteral("trace.h5"));
    const Result r = run({"forward", m_runDir, "--index", "5", "--out", out, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j.value("model").toString(), QStringLiteral("patchtst"));
    QCOMPARE(j.value("sample_label").toString(),
             QStringLiteral("test window 5 (2017-10-20 05:00)"));
    QCOMPARE(j.value("sample_index").toInt(), 5);

    // B 1, C 7 (ETTh1), L 96, N 12 patches of P 16, d 16, 2 heads, horizon 24.
    const QJsonArray stages = j.value("stages").toArray();
    const QList<QPair<QString, QJsonArray>> expected{
        {"input", shape({1, 96, 7})},
        {"revin", shape({1, 96, 7})},
        {"patches", shape({1, 7, 12, 16})},
        {"embedding", shape({7, 12, 16})},
        {"encoder_layer_0", shape({7, 12, 16})},
        {"attention_scores_layer_0", shape({2, 12, 12})},
        {"attention_layer_0", shape({2, 12, 12})},
        {"encoder_layer_1", shape({7, 12, 16})},
        {"attention_scores_layer_1", shape({2, 12, 12})},
        {"attention_layer_1", shape({2, 12, 12})},
        {"head", shape({1, 7, 24})},
        {"output", shape({1, 24, 7})}};
    QCOMPARE(stages.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QJsonObject s = stages[i].toObject();
        QCOMPARE(s.value("name").toString(), expected[i].first);
        QCOMPARE(s.value("shape").toArray(), expected[i].second);
        QVERIFY(s.value("min").toDouble() <= s.value("mean").toDouble());
        QVERIFY(s.value("mean").toDouble() <= s.value("max").toDouble());
    }
    QCOMPARE(j.value("prediction").toObject().value("shape").toArray(), shape({1, 24, 7}));

    Expected<explain::ForwardTrace> t = explain::readForwardFile(out);
    QVERIFY2(t, t ? "" : qPrintable(t.error().toString()));
    QCOMPARE(t->modelId, std::string("patchtst"));
    QVERIFY(QString::fromStdString(t->runDir).endsWith(QStringLiteral("/run")));
    QCOMPARE(t->stages.size(), std::size_t(12));
    QCOMPARE(t->stages[2].rows, 12); // patches of channel 0
    QCOMPARE(t->stages[2].cols, 16);
    QCOMPARE(t->stages[3].mean, stages[3].toObject().value("mean").toDouble());
    std::int64_t sum = 0;
    bool head = false;
    for (const explain::ForwardParameter &p : t->parameters) {
        sum += p.count;
        head = head || p.shape == std::vector<std::int64_t>{24, 12 * 16};
    }
    QVERIFY(head);
    QCOMPARE(t->totalParameters, sum);
    QCOMPARE(j.value("parameters").toInteger(), sum);
    QCOMPARE(j.value("parameter_tensors").toInt(), int(t->parameters.size()));
    // The prediction is the output stage.
    QCOMPARE(t->prediction.preview, t->stages.back().preview);
}

void tst_CliForward::helpDocumentsJson()
{
    const Result r = run({"forward", "--help"});
    QCOMPARE(r.exitCode, 0);
    const QString help = QString::fromUtf8(r.out);
    QVERIFY2(help.contains(QStringLiteral("--json")), r.out.constData());
    QVERIFY(help.contains(QStringLiteral("number of parameters")));
    QVERIFY(help.contains(QStringLiteral("--index")));
}

void tst_CliForward::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("index out of range")
        << QStringList{"--index", "99999", "--out", "x.h5"}
        << QStringLiteral("index 99999 is outside the \\d+ windows of the test part");
    QTest::newRow("bad output suffix")
        << QStringList{"--out", "x.png"} << QStringLiteral("x.png: the output must end in .h5");
    QTest::newRow("missing data") << QStringList{"--data", "nope.csv", "--out", "x.h5"}
                                  << QStringLiteral("nope.csv");
}

void tst_CliForward::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = run(QStringList{"forward", m_runDir} + args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.err).contains(QRegularExpression(message)), r.err.constData());
    QVERIFY(!QFile::exists(m_tmp.filePath(QStringLiteral("x.h5"))));

    const Result notRun = run({"forward", m_tmp.path(), "--out", "y.h5"});
    QCOMPARE(notRun.exitCode, 1);
    QVERIFY(!QFile::exists(m_tmp.filePath(QStringLiteral("y.h5"))));
}

QTEST_GUILESS_MAIN(tst_CliForward)
#include "tst_cli_forward.moc"
