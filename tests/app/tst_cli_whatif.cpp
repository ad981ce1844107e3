// `twb-cli whatif` on a tiny PatchTST trained for one epoch on ETTh1: one-shot edits with
// --json and plain output, the --serve conversation, and bad input (the real twb-cli binary
// through QProcess).

#include "CliTestSupport.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextStream>
#include <QtTest>

#include <cmath>

using namespace twb;
using twb::test::Result;

class tst_CliWhatIf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void noEditReproducesTheForecastInDataUnits();
    void maskedPatchesAndHeadOff();
    void plainSummary();
    void serveAnswersEachLine();
    void classificationProbabilities();
    void badInput_data();
    void badInput();

private:
    Result run(const QStringList &args) { return test::runCli(m_cli, m_tmp.path(), args); }
    /// Row `row` (0-based, after the header) of ETTh1, column `column` (0 = date).
    QString csvCell(int row, int column) const;

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_csv;
    QString m_runDir;
    QStringList m_lines;
};

QString tst_CliWhatIf::csvCell(int row, int column) const
{
    return m_lines.value(row + 1).split(QLatin1Char(',')).value(column);
}

void tst_CliWhatIf::initTestCase()
{
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    m_csv = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(m_csv))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(m_csv)));
    QFile file(m_csv);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    m_lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    QVERIFY(m_tmp.isValid());
    m_runDir = m_tmp.filePath(QStringLiteral("run"));
    const Result r = run(test::tinyPatchTstTrainArgs(m_csv, m_runDir));
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void tst_CliWhatIf::noEditReproducesTheForecastInDataUnits()
{
    const Result r = run({"whatif", m_runDir, "--index", "5", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QVERIFY(j.value("ok").toBool());
    QCOMPARE(j.value("task").toString(), QStringLiteral("forecast"));
    QCOMPARE(j.value("label").toString(), QStringLiteral("test window 5 (2017-10-20 05:00)"));
    QCOMPARE(j.value("rows").toInt(), 24);
    QCOMPARE(j.value("cols").toInt(), 7);
    QCOMPARE(j.value("lookback").toInt(), 96);
    QCOMPARE(j.value("names").toArray().last().toString(), QStringLiteral("OT"));
    QCOMPARE(j.value("changed_inputs").toInt(), 0);
    QCOMPARE(j.value("input_values").toInt(), 96 * 7);
    QCOMPARE(j.value("original").toArray(), j.value("edited").toArray());
    QCOMPARE(j.value("summary").toObject().value("max_abs_change").toDouble(), 0.0);

    // The history and the truth are the file's values (window 5 starts at row 11429): the
    // run's scaling is undone exactly enough to give back the CSV.
    const QJsonArray history = j.value("history").toArray();
    const QJsonArray truth = j.value("truth").toArray();
    QCOMPARE(history.size(), 96 * 7);
    QCOMPARE(truth.size(), 24 * 7);
    for (int c = 0; c < 7; ++c) {
        QVERIFY(std::abs(history[c].toDouble() - csvCell(11429, c + 1).toDouble()) < 1e-3);
        QVERIFY(std::abs(history[95 * 7 + c].toDouble() - csvCell(11429 + 95, c + 1).toDouble()) <
                1e-3);
        QVERIFY(std::abs(truth[23 * 7 + c].toDouble() -
                         csvCell(11429 + 96 + 23, c + 1).toDouble()) < 1e-3);
    }
    QCOMPARE(j.value("history").toArray(), j.value("edited_history").toArray());
    // The forecast is in the data's units too: OT of ETTh1 lies within a few degrees of 0..46.
    const double otFirst = j.value("original").toArray()[6].toDouble();
    QVERIFY2(otFirst > -10.0 && otFirst < 60.0, qPrintable(QString::number(otFirst)));
}

void tst_CliWhatIf::maskedPatchesAndHeadOff()
{
    // Patches 2 and 3 cover rows [16, 32) and [24, 40): 24 rows of OT.
    const Result r = run(
        {"whatif", m_runDir, "--index", "5", "--mask-tokens", "2,3", "--channel", "OT", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j.value("changed_inputs").toInt(), 24);
    const QJsonArray history = j.value("history").toArray();
    const QJsonArray edited = j.value("edited_history").toArray();
    for (int row = 0; row < 96; ++row)
        for (int c = 0; c < 7; ++c) {
            const int i = row * 7 + c;
            const bool masked = c == 6 && row >= 16 && row < 40;
            QVERIFY2(masked == (history[i].toDouble() != edited[i].toDouble()),
                     qPrintable(QStringLiteral("row %1 channel %2").arg(row).arg(c)));
        }
    // Channel independence: only OT's forecast changes.
    const QJsonArray before = j.value("original").toArray();
    const QJsonArray after = j.value("edited").toArray();
    bool otChanged = false;
    for (int i = 0; i < before.size(); ++i) {
        if (i % 7 == 6)
            otChanged = otChanged || before[i].toDouble() != after[i].toDouble();
        else
            QCOMPARE(after[i].toDouble(), before[i].toDouble());
    }
    QVERIFY(otChanged);
    QVERIFY(j.value("summary").toObject().value("max_abs_change").toDouble() > 0.0);

    // A head switched off changes the forecast without touching the input.
    const Result head = run({"whatif", m_runDir, "--index", "5", "--head-off", "1:1", "--json"});
    QVERIFY2(head.exitCode == 0, head.err.constData());
    const QJsonObject h = QJsonDocument::fromJson(head.out).object();
    QCOMPARE(h.value("changed_inputs").toInt(), 0);
    QVERIFY(h.value("original").toArray() != h.value("edited").toArray());
    QCOMPARE(h.value("original").toArray(), before);

    // A time range of every channel and a whole channel.
    const Result rows = run({"whatif", m_runDir, "--index", "5", "--mask-rows",
                             "90:", "--mask-channel", "HUFL", "--json"});
    QVERIFY2(rows.exitCode == 0, rows.err.constData());
    QCOMPARE(QJsonDocument::fromJson(rows.out).object().value("changed_inputs").toInt(),
             6 * 7 + 96 - 6);
}

void tst_CliWhatIf::plainSummary()
{
    const Result r = run({"whatif", m_runDir, "--index", "5", "--mask-rows", "0:48"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QString text = QString::fromUtf8(r.out);
    QVERIFY2(text.contains(QRegularExpression(
                 "^test window 5 \\(2017-10-20 05:00\\): 336 of 672 input values masked; "
                 "forecast changed by \\S+ on average, \\S+ at most \\(data units\\); MSE "
                 "against the truth \\S+ -> \\S+\\n$")),
             qPrintable(text));
}

void tst_CliWhatIf::serveAnswersEachLine()
{
    QProcess p;
    p.setWorkingDirectory(m_tmp.path());
    p.start(m_cli, {"whatif", m_runDir, "--serve"});
    QVERIFY(p.waitForStarted());
    const auto readLine = [&p]() -> QJsonObject {
        while (!p.canReadLine())
            if (!p.waitForReadyRead(120000))
                return {};
        return QJsonDocument::fromJson(p.readLine()).object();
    };
    const QJsonObject ready = readLine();
    QVERIFY(ready.value("ready").toBool());
    QCOMPARE(ready.value("model").toString(), QStringLiteral("patchtst"));

    p.write(R"({"id": 7, "index": 3, "mask_tokens": [0], "token_channel": 6})"
            "\n");
    p.write("not json\n");
    p.write(R"({"id": "x", "index": 3, "heads_off": [[9, 0]]})"
            "\n");
    p.write(R"({"index": 999999})"
            "\n");
    p.write(R"({"id": 8, "index": 3})"
            "\n");
    const QJsonObject first = readLine();
    QVERIFY(first.value("ok").toBool());
    QCOMPARE(first.value("id").toInt(), 7);
    QCOMPARE(first.value("changed_inputs").toInt(), 16); // patch 0: rows [0, 16) of OT
    const QJsonObject notJson = readLine();
    QVERIFY(!notJson.value("ok").toBool());
    QVERIFY(notJson.value("error").toString().contains("not a JSON object"));
    const QJsonObject badHead = readLine();
    QVERIFY(!badHead.value("ok").toBool());
    QCOMPARE(badHead.value("id").toString(), QStringLiteral("x"));
    QVERIFY2(badHead.value("error").toString().contains("layer 9 does not exist: the model has 2"),
             qPrintable(badHead.value("error").toString()));
    const QJsonObject outside = readLine();
    QVERIFY(outside.value("error").toString().contains("index 999999 is outside"));
    // The session goes on after errors, and the heads are on again.
    const QJsonObject plain = readLine();
    QVERIFY(plain.value("ok").toBool());
    QCOMPARE(plain.value("original").toArray(), plain.value("edited").toArray());
    QCOMPARE(plain.value("original").toArray(), first.value("original").toArray());

    p.closeWriteChannel();
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 0);
}

void tst_CliWhatIf::classificationProbabilities()
{
    // A tiny TST trained for one epoch on ItalyPowerDemand (24 steps, 1 channel, 2 classes).
    const QString ucr = QStringLiteral(TWB_SHARED_DATA_DIR "/ucr/ItalyPowerDemand/");
    if (!QFile::exists(ucr + "ItalyPowerDemand_TRAIN.ts"))
        QSKIP("ItalyPowerDemand is missing");
    const QString runDir = m_tmp.filePath(QStringLiteral("tst-run"));
    const Result train =
        run(QStringList{"train", "--task", "classify", "--data", ucr + "ItalyPowerDemand_TRAIN.ts",
                        "--test-data", ucr + "ItalyPowerDemand_TEST.ts", "--epochs", "1",
                        "--batch-size", "32", "--run-dir", runDir}
            << test::tinyTstArgs());
    QVERIFY2(train.exitCode == 0, train.err.constData());

    const Result r = run({"whatif", runDir, "--index", "4", "--mask-rows", "0:12", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j.value("task").toString(), QStringLiteral("classify"));
    QCOMPARE(j.value("rows").toInt(), 1);
    QCOMPARE(j.value("cols").toInt(), 2);
    QCOMPARE(j.value("names").toArray().size(), 2);
    QCOMPARE(j.value("changed_inputs").toInt(), 12);
    QCOMPARE(j.value("input_values").toInt(), 24);
    QVERIFY(!j.value("truth_class").toString().isEmpty());
    QVERIFY(!j.contains("history")); // class probabilities only
    for (const char *key : {"original", "edited"}) {
        double sum = 0.0;
        for (const QJsonValue &p : j.value(key).toArray()) {
            QVERIFY(p.toDouble() >= 0.0 && p.toDouble() <= 1.0);
            sum += p.toDouble();
        }
        QVERIFY2(std::abs(sum - 1.0) < 1e-5, key);
    }
    const QJsonObject s = j.value("summary").toObject();
    QVERIFY(j.value("names").toArray().contains(s.value("class_original")));

    const Result plain = run({"whatif", runDir, "--index", "4", "--mask-rows", "0:12"});
    QVERIFY2(plain.exitCode == 0, plain.err.constData());
    QVERIFY2(QString::fromUtf8(plain.out).contains(QRegularExpression(
                 "12 of 24 input values masked; predicted \"\\S+\" \\(p = [01]\\.\\d{3}\\) -> "
                 "\"\\S+\" \\(p = [01]\\.\\d{3}\\)")),
             plain.out.constData());
}

void tst_CliWhatIf::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("rows without colon")
        << QStringList{"--mask-rows", "5"} << QStringLiteral("--mask-rows 5: expected BEGIN:END");
    QTest::newRow("unknown channel")
        << QStringList{"--mask-channel", "XYZ"}
        << QStringLiteral("--mask-channel XYZ is neither a channel name nor a number below 7");
    QTest::newRow("head out of range")
        << QStringList{"--head-off", "0:5"} << QStringLiteral("head 5 does not exist in layer 0");
    QTest::newRow("empty rows") << QStringList{"--mask-rows", "9:3"}
                                << QStringLiteral("is empty or negative");
    QTest::newRow("token text") << QStringList{"--mask-tokens", "a"}
                                << QStringLiteral("a is not a token number");
}

void tst_CliWhatIf::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Result r = run(QStringList{"whatif", m_runDir, "--index", "0"} + args);
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
}

QTEST_GUILESS_MAIN(tst_CliWhatIf)
#include "tst_cli_whatif.moc"
