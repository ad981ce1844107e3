// Runs the real twb-cli binary on a small CSV made here, with the dlinear plugin.

#include "CliTestSupport.h"
#include "data/Hdf5File.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace twb;

namespace {

constexpr int rows = 400;

} // namespace

using twb::test::Result;

class tst_Cli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelsListsThePlugins();
    void inspect();
    void inspectLabelled();
    void trainWritesTheRunFolder();
    void evalJson();
    void predictCsv();
    void predictAllWindowsHdf5();
    void exportIsReadable();
    void parametersListsTheModel();
    void replayFromConfig();
    void oneChannelRun();
    void targetChannelRun();
    void shuffledSplitRun();
    void badInput_data();
    void badInput();
    void lossBecomesNonFinite();
    void sigtermThenResume();
    void stopFromStdin();

private:
    Result run(const QStringList &args, int timeoutMs = 60000);
    QStringList trainArgs(const QString &runDir) const;
    QJsonObject readJson(const QString &path) const;

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_csv;
    QString m_runDir;
};

Result tst_Cli::run(const QStringList &args, int timeoutMs)
{
    return test::runCli(m_cli, m_tmp.path(), args, timeoutMs);
}

QStringList tst_Cli::trainArgs(const QString &runDir) const
{
    return {"train",
            "--data",
            m_csv,
            "--model",
            "dlinear",
            "--task",
            "forecast",
            "--lookback",
            "48",
            "--horizon",
            "12",
            "--epochs",
            "2",
            "--batch-size",
            "16",
            "--seed",
            "7",
            "--set",
            "kernel_size=13",
            "--threads",
            "1",
            "--run-dir",
            runDir,
            "--progress",
            "none"};
}

QJsonObject tst_Cli::readJson(const QString &path) const
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

void tst_Cli::initTestCase()
{
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    QVERIFY(m_tmp.isValid());
    // Hourly sine waves; one channel in other units.
    m_csv = m_tmp.filePath(QStringLiteral("waves.csv"));
    QVERIFY(test::writeHourlyWaves(m_csv, rows));
    m_runDir = m_tmp.filePath(QStringLiteral("run"));
}

void tst_Cli::modelsListsThePlugins()
{
    const Result r = run({"models", "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray models = QJsonDocument::fromJson(r.out).array();
    QStringList ids;
    for (const QJsonValue &m : models) {
        const QJsonObject o = m.toObject();
        ids << o.value("id").toString();
        QVERIFY(!o.value("name").toString().isEmpty());
        const QJsonArray tasks = o.value("tasks").toArray();
        QVERIFY(tasks.contains(QJsonValue("forecast")) || tasks.contains(QJsonValue("classify")) ||
                tasks.contains(QJsonValue("separate")));
        QVERIFY(o.value("hyperparameters").isArray());
    }
    for (const char *id :
         {"dlinear", "patchtst", "itransformer", "tst", "t2", "ast", "convtasnet", "sepformer"})
        QVERIFY2(ids.contains(QLatin1String(id)), id);
    const Result help = run({"models", "--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--json"));
}

void tst_Cli::inspect()
{
    const Result r = run({"inspect", m_csv, "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("rows").toInt(), rows);
    QCOMPARE(o.value("channels").toArray().size(), 2);
    QCOMPARE(o.value("channels").toArray()[1].toObject().value("name").toString(),
             QStringLiteral("b"));
    QVERIFY(std::abs(o.value("channels").toArray()[1].toObject().value("max").toDouble() - 60.0) <
            0.01);
    QCOMPARE(o.value("time_range").toObject().value("start").toString(),
             QStringLiteral("2022-01-01 00:00:00"));
    QCOMPARE(o.value("time_range").toObject().value("median_step_seconds").toDouble(), 3600.0);
    QCOMPARE(o.value("missing").toObject().value("total").toInt(), 0);
}

void tst_Cli::inspectLabelled()
{
    // Two channels, unequal lengths, one missing value; class "b" twice.
    const QString ts = m_tmp.filePath(QStringLiteral("cases_TRAIN.ts"));
    QFile file(ts);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("@problemName cases\n@timeStamps false\n@missing true\n@univariate false\n"
               "@dimensions 2\n@equalLength false\n@classLabel true a b\n@data\n"
               "1,2,3:10,20,30:a\n"
               "4,?:40,50:b\n"
               "5,6:60,70:b\n");
    file.close();
    const Result r = run({"inspect", ts, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("kind").toString(), QStringLiteral("labelled"));
    QCOMPARE(o.value("cases").toInt(), 3);
    QCOMPARE(o.value("min_length").toInt(), 2);
    QCOMPARE(o.value("max_length").toInt(), 3);
    QVERIFY(o.value("sample_rate").isNull());
    const QJsonArray classes = o.value("classes").toArray();
    QCOMPARE(classes.size(), 2);
    QCOMPARE(classes[1].toObject().value("name").toString(), QStringLiteral("b"));
    QCOMPARE(classes[1].toObject().value("cases").toInt(), 2);
    const QJsonArray channels = o.value("channels").toArray();
    QCOMPARE(channels.size(), 2);
    const QJsonObject first = channels[0].toObject();
    QCOMPARE(first.value("count").toInt(), 6); // 1 2 3 4 5 6, the "?" missing
    QCOMPARE(first.value("missing").toInt(), 1);
    QCOMPARE(first.value("mean").toDouble(), 3.5);
    QCOMPARE(channels[1].toObject().value("max").toDouble(), 70.0);
    QCOMPARE(o.value("missing").toObject().value("total").toInt(), 1);

    const Result text = run({"inspect", ts});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("3 labelled cases x 2 channels, 2 classes (a: 1, b: 2)"),
             text.out.constData());
    QVERIFY(text.out.contains("lengths 2 .. 3 (unequal)"));

    // A manifest CSV is a series file unless --labelled says otherwise: a missing clip is named.
    const QString manifest = m_tmp.filePath(QStringLiteral("manifest.csv"));
    QFile list(manifest);
    QVERIFY(list.open(QIODevice::WriteOnly));
    list.write("path,label\nmissing.wav,a\n");
    list.close();
    const Result labelled = run({"inspect", manifest, "--labelled"});
    QVERIFY(labelled.exitCode != 0);
    QVERIFY2(labelled.err.contains("missing.wav"), labelled.err.constData());
}

void tst_Cli::trainWritesTheRunFolder()
{
    const Result r = run(trainArgs(m_runDir) << "--json");
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject summary = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(summary.value("outcome").toString(), QStringLiteral("finished"));
    QDir dir(m_runDir);
    for (const char *name :
         {"config.json", "status.json", "metrics.csv", "metrics.jsonl", "log.txt", "predictions.h5",
          "checkpoints/best.pt", "checkpoints/last.pt"})
        QVERIFY2(dir.exists(QLatin1String(name)), name);
    QCOMPARE(readJson(dir.filePath("status.json")).value("state").toString(),
             QStringLiteral("finished"));
    const QJsonObject config = readJson(dir.filePath("config.json"));
    QCOMPARE(config.value("model").toString(), QStringLiteral("dlinear"));
    QCOMPARE(config.value("hyperparameters").toObject().value("kernel_size").toInt(), 13);
    QCOMPARE(config.value("provenance")
                 .toObject()
                 .value("plugin")
                 .toObject()
                 .value("version")
                 .toString(),
             QStringLiteral("1.0.0"));
    QFile csv(dir.filePath("metrics.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().count('\n'), 3);
}

void tst_Cli::evalJson()
{
    const Result r = run({"eval", m_runDir, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.keys(), (QStringList{"mae", "mae_original", "mse", "mse_original", "windows"}));
    // ratio split of 400 rows: test rows [320, 400), windows from row 272: 69 windows.
    QCOMPARE(o.value("windows").toInt(), 69);
    const QJsonObject test =
        readJson(QDir(m_runDir).filePath("status.json")).value("test").toObject();
    QVERIFY(std::abs(o.value("mse").toDouble() - test.value("mse").toDouble()) < 1e-9);
    const Result val = run({"eval", m_runDir, "--split", "val", "--json"});
    QCOMPARE(val.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(val.out).object().value("windows").toInt(), 40 - 12 + 1);
}

void tst_Cli::predictCsv()
{
    const QString out = m_tmp.filePath(QStringLiteral("forecast.csv"));
    const Result r = run({"predict", m_runDir, "--data", m_csv, "--out", out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + 12);
    QCOMPARE(lines[0], QByteArray("date,a,b"));
    // The data ends at 2022-01-17 15:00 (row 399): the forecast continues hourly.
    QVERIFY(lines[1].startsWith("2022-01-17 16:00:00,"));
    QVERIFY(lines[12].startsWith("2022-01-18 03:00:00,"));
    const QList<QByteArray> cells = lines[1].split(',');
    QCOMPARE(cells.size(), 3);
    bool ok = false;
    const double b = cells[2].toDouble(&ok);
    QVERIFY(ok && b > 30 && b < 70); // original units, not z-scores
}

void tst_Cli::predictAllWindowsHdf5()
{
    const QString out = m_tmp.filePath(QStringLiteral("all.h5"));
    const Result r = run({"predict", m_runDir, "--data", m_csv, "--out", out, "--all-windows"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    Expected<Hdf5Reader> h5 = Hdf5Reader::open(out);
    QVERIFY(h5);
    Expected<std::vector<std::int64_t>> dims = h5->datasetDims("/forecast");
    QVERIFY(dims);
    QCOMPARE(*dims, (std::vector<std::int64_t>{rows - 48 + 1, 12, 2}));
    Expected<Hdf5Array> time = h5->readArray("/time");
    QVERIFY(time);
    const QDateTime t0(QDate(2022, 1, 1), QTime(0, 0), Qt::UTC);
    QCOMPARE(qint64(time->values[0]), t0.addSecs(3600 * 48).toMSecsSinceEpoch());
    QCOMPARE(*h5->readStrings("/channel_names"), (QStringList{"a", "b"}));
}

void tst_Cli::exportIsReadable()
{
    const QString out = m_tmp.filePath(QStringLiteral("export.h5"));
    const Result r = run({"export", m_runDir, "--out", out});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    Expected<Hdf5Reader> h5 = Hdf5Reader::open(out);
    QVERIFY(h5);
    const QStringList datasets = h5->datasetPaths();
    QVERIFY2(datasets.contains("/weights/linear_trend.weight"), qPrintable(datasets.join(' ')));
    Expected<std::vector<std::int64_t>> w = h5->datasetDims("/weights/linear_trend.weight");
    QCOMPARE(*w, (std::vector<std::int64_t>{12, 48}));
    QCOMPARE(*h5->datasetDims("/predictions/original"), (std::vector<std::int64_t>{69, 12, 2}));
    QVERIFY(h5->hasDataset("/truth/normalised"));
    QCOMPARE(h5->readArray("/metrics/epoch")->values, (std::vector<double>{1, 2}));
    const QJsonObject test =
        readJson(QDir(m_runDir).filePath("status.json")).value("test").toObject();
    QCOMPARE(*h5->numberAttribute("/metrics", "test_mse"), test.value("mse").toDouble());
    Expected<QString> config = h5->stringAttribute("/", "config");
    QVERIFY(config);
    QCOMPARE(QJsonDocument::fromJson(config->toUtf8()).object().value("model").toString(),
             QStringLiteral("dlinear"));
}

void tst_Cli::parametersListsTheModel()
{
    const Result r = run({"parameters", m_runDir, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("model").toString(), QStringLiteral("dlinear"));
    const QJsonArray list = o.value("parameters").toArray();
    QVERIFY(!list.isEmpty());
    qint64 total = 0;
    for (const QJsonValue &v : list) {
        const QJsonObject p = v.toObject();
        qint64 count = 1;
        for (const QJsonValue &d : p.value("shape").toArray())
            count *= d.toInteger();
        QCOMPARE(p.value("count").toInteger(), count);
        QVERIFY(!p.value("name").toString().isEmpty());
        QCOMPARE(p.value("frozen").toBool(), false); // the run froze nothing
        total += count;
    }
    QCOMPARE(o.value("total").toInteger(), total);
    // --out writes the same document (through a temporary file).
    const QString out = m_tmp.filePath(QStringLiteral("parameters.json"));
    QCOMPARE(run({"parameters", m_runDir, "--out", out}).exitCode, 0);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(f.readAll()).object(), o);
    // Not a run: the message names the folder's missing configuration.
    const Result bad = run({"parameters", m_tmp.path()});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("config.json"), bad.err.constData());
}

void tst_Cli::replayFromConfig()
{
    const QString replay = m_tmp.filePath(QStringLiteral("replay"));
    const Result r = run({"train", "--config", QDir(m_runDir).filePath("config.json"), "--run-dir",
                          replay, "--progress", "none", "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const double mse =
        QJsonDocument::fromJson(r.out).object().value("test").toObject().value("mse").toDouble();
    const QJsonObject original =
        readJson(QDir(m_runDir).filePath("status.json")).value("test").toObject();
    QCOMPARE(mse, original.value("mse").toDouble());
    // Flags override the file.
    const Result more =
        run({"train", "--config", QDir(m_runDir).filePath("config.json"), "--run-dir",
             m_tmp.filePath("replay3"), "--epochs", "3", "--progress", "none"});
    QCOMPARE(more.exitCode, 0);
    QCOMPARE(readJson(m_tmp.filePath("replay3/config.json")).value("epochs").toInt(), 3);
}

void tst_Cli::oneChannelRun()
{
    // --channels b: the run reads, forecasts, scores and predicts channel b only.
    const QString runDir = m_tmp.filePath(QStringLiteral("run-b"));
    QStringList args = trainArgs(runDir);
    args << "--channels"
         << "b";
    const Result trained = run(args);
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    const QJsonObject config = readJson(QDir(runDir).filePath("config.json"));
    QCOMPARE(config.value("channels").toArray(), QJsonArray{"b"});

    const Result eval = run({"eval", runDir, "--json"});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    const QJsonObject m = QJsonDocument::fromJson(eval.out).object();
    QCOMPARE(m.value("windows").toInt(), 69);
    // b is 50 + 10 cos: errors in original units are about 10^2 times the normalised ones.
    QVERIFY(m.value("mse_original").toDouble() > 10.0 * m.value("mse").toDouble());

    const QString out = m_tmp.filePath(QStringLiteral("forecast-b.csv"));
    const Result predicted = run({"predict", runDir, "--data", m_csv, "--out", out});
    QVERIFY2(predicted.exitCode == 0, predicted.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.value(0), QByteArray("date,b"));
    QCOMPARE(lines.size(), 1 + 12);

    // A channel the data does not have is named with the data's channels.
    args = trainArgs(m_tmp.filePath(QStringLiteral("run-c")));
    args << "--channels"
         << "b,c";
    const Result bad = run(args);
    QVERIFY(bad.exitCode != 0);
    QVERIFY2(bad.err.contains("no channel \"c\" (the channels are a, b)"), bad.err.constData());
}

void tst_Cli::targetChannelRun()
{
    // --target b (the MS setting): both channels in, b alone scored; eval scores it the same way.
    const QString runDir = m_tmp.filePath(QStringLiteral("run-ms"));
    QStringList args = trainArgs(runDir);
    args << "--target"
         << "b";
    const Result trained = run(args);
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    QCOMPARE(readJson(QDir(runDir).filePath("config.json")).value("target").toString(),
             QStringLiteral("b"));
    const QJsonObject status =
        readJson(QDir(runDir).filePath("status.json")).value("test").toObject();
    QCOMPARE(status.value("target").toString(), QStringLiteral("b"));

    const Result eval = run({"eval", runDir, "--json"});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    const QJsonObject m = QJsonDocument::fromJson(eval.out).object();
    QCOMPARE(m.value("target").toString(), QStringLiteral("b"));
    QCOMPARE(m.value("windows").toInt(), 69);
    QVERIFY(std::abs(m.value("mse").toDouble() - status.value("mse").toDouble()) <
            1e-9 * status.value("mse").toDouble());
    const Result text = run({"eval", runDir});
    QVERIFY2(text.out.contains("test, b only"), text.out.constData());

    // A target outside --channels is refused before anything is loaded.
    args = trainArgs(m_tmp.filePath(QStringLiteral("run-ms-bad")));
    args << "--channels"
         << "a"
         << "--target"
         << "b";
    const Result bad = run(args);
    QVERIFY(bad.exitCode != 0);
    QVERIFY2(bad.err.contains("target b is not one of the channels (a)"), bad.err.constData());
}

void tst_Cli::shuffledSplitRun()
{
    // --split shuffled, the teaching mistake: it trains, and the run folder says what it did.
    const QString runDir = m_tmp.filePath(QStringLiteral("run-shuffled"));
    QStringList args = trainArgs(runDir);
    args << "--split"
         << "shuffled"
         << "--json";
    const Result trained = run(args);
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    QCOMPARE(QJsonDocument::fromJson(trained.out).object().value("outcome").toString(),
             QStringLiteral("finished"));
    const QJsonObject config = readJson(QDir(runDir).filePath("config.json"));
    QCOMPARE(config.value("split").toString(), QStringLiteral("shuffled"));
    const QJsonObject split = config.value("provenance").toObject().value("split").toObject();
    QCOMPARE(split.value("name").toString(), QStringLiteral("shuffled"));
    const QJsonObject borders = split.value("borders").toObject();
    QCOMPARE(borders.value("shuffled").toBool(), true);
    QCOMPARE(borders.value("trainFraction").toDouble(), 0.7);
    QCOMPARE(borders.value("testFraction").toDouble(), 0.2);
    QCOMPARE(borders.value("testEnd").toInt(), rows);
    // Every one of the 400 - 60 + 1 windows is in one part, about 70/10/20 %.
    const QJsonObject windows = config.value("provenance").toObject().value("windows").toObject();
    const int train = windows.value("train").toInt(), val = windows.value("val").toInt(),
              test = windows.value("test").toInt();
    QCOMPARE(train + val + test, rows - 60 + 1);
    QVERIFY2(train > 200 && val > 10 && test > 40,
             qPrintable(QStringLiteral("%1 / %2 / %3").arg(train).arg(val).arg(test)));
    // The scaler saw all rows: channel b's mean is that of all 400 rows, not of the first 280.
    double meanAll = 0;
    for (int r = 0; r < rows; ++r)
        meanAll += (50 + 10 * std::cos(0.07 * r)) / rows;
    const double meanB = config.value("provenance")
                             .toObject()
                             .value("scaler")
                             .toObject()
                             .value("mean")
                             .toArray()
                             .at(1)
                             .toDouble();
    QVERIFY2(std::abs(meanB - meanAll) < 1e-4, qPrintable(QString::number(meanB)));
    QFile log(QDir(runDir).filePath("log.txt"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(log.readAll().contains("leaks the future"));

    // eval re-creates the same parts from the saved split.
    const Result eval = run({"eval", runDir, "--json"});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
    QCOMPARE(QJsonDocument::fromJson(eval.out).object().value("windows").toInt(), test);
    const Result evalVal = run({"eval", runDir, "--split", "val", "--json"});
    QVERIFY2(evalVal.exitCode == 0, evalVal.err.constData());
    QCOMPARE(QJsonDocument::fromJson(evalVal.out).object().value("windows").toInt(), val);

    // The help says what it is.
    const Result help = run({"train", "--help"});
    QVERIFY(help.out.contains("deliberately leaks the future"));
}

void tst_Cli::badInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString csv = QStringLiteral("waves.csv");
    QTest::newRow("missing data file")
        << QStringList{"train", "--data",    "nothere.csv", "--model",   "dlinear", "--lookback",
                       "8",     "--horizon", "4",           "--run-dir", "bad1"}
        << "nothere.csv";
    QTest::newRow("unknown model")
        << QStringList{"train", "--data",    csv, "--model",   "transformerx", "--lookback",
                       "8",     "--horizon", "4", "--run-dir", "bad2"}
        << "unknown model \"transformerx\"";
    QTest::newRow("bad --set value")
        << QStringList{"train", "--data",    csv, "--model", "dlinear",          "--lookback",
                       "8",     "--horizon", "4", "--set",   "kernel_size=huge", "--run-dir",
                       "bad3"}
        << "kernel_size";
    QTest::newRow("unknown --set key")
        << QStringList{"train",     "--data", csv,     "--model",  "dlinear",   "--lookback", "8",
                       "--horizon", "4",      "--set", "kernel=3", "--run-dir", "bad4"}
        << "kernel";
    QTest::newRow("--set without =")
        << QStringList{"train",       "--data",    csv,         "--model", "dlinear",
                       "--lookback",  "8",         "--horizon", "4",       "--set",
                       "kernel_size", "--run-dir", "bad5"}
        << "--set kernel_size";
    QTest::newRow("no lookback") << QStringList{"train",   "--data",    csv,
                                                "--model", "dlinear",   "--horizon",
                                                "4",       "--run-dir", "bad6"}
                                 << "lookback";
    QTest::newRow("run folder in use")
        << QStringList{"train", "--data",    csv, "--model",   "dlinear", "--lookback",
                       "8",     "--horizon", "4", "--run-dir", "run"}
        << "already holds a run";
    QTest::newRow("eval of no run") << QStringList{"eval", "nowhere"} << "nowhere";
    QTest::newRow("inspect missing file") << QStringList{"inspect", "none.csv"} << "none.csv";
    QTest::newRow("predict to .txt")
        << QStringList{"predict", "run", "--data", csv, "--out", "x.txt"} << "x.txt";
    QTest::newRow("bad schedule") << QStringList{"train",   "--data",     csv,      "--model",
                                                 "dlinear", "--lookback", "8",      "--horizon",
                                                 "4",       "--schedule", "linear", "--run-dir",
                                                 "bad7"}
                                  << "--schedule";
    QTest::newRow("bad shuffled fractions")
        << QStringList{"train", "--data",    csv, "--model", "dlinear",          "--lookback",
                       "8",     "--horizon", "4", "--split", "shuffled:0.9:0.2", "--run-dir",
                       "bad8"}
        << "--split: bad shuffled split 'shuffled:0.9:0.2'";
}

void tst_Cli::badInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Result r = run(args);
    QVERIFY(r.exitCode > 0);
    QVERIFY2(QString::fromUtf8(r.err).contains(expected), r.err.constData());
}

void tst_Cli::lossBecomesNonFinite()
{
    QStringList args = trainArgs(m_tmp.filePath(QStringLiteral("diverge")));
    args << "--lr"
         << "1e30";
    const Result r = run(args);
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("loss became"), r.err.constData());
    QCOMPARE(readJson(m_tmp.filePath("diverge/status.json")).value("state").toString(),
             QStringLiteral("failed"));
}

void tst_Cli::sigtermThenResume()
{
    const QString dir = m_tmp.filePath(QStringLiteral("long"));
    QStringList args = trainArgs(dir);
    args.replace(args.indexOf("2"), "10"); // --epochs 10
    args.replace(args.indexOf("none"), "jsonl");
    args.replace(args.indexOf("16"), "2"); // --batch-size 2: many batches
    QProcess p;
    p.setWorkingDirectory(m_tmp.path());
    p.start(m_cli, args);
    QVERIFY(p.waitForStarted());
    QByteArray seen;
    while (!seen.contains("\"event\":\"batch\"") && p.waitForReadyRead(30000))
        seen += p.readAllStandardOutput();
    QVERIFY2(seen.contains("\"event\":\"batch\""), seen.constData());
    p.terminate(); // SIGTERM
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 3);
    QVERIFY(p.readAllStandardError().contains("SIGTERM"));
    QVERIFY(QFile::exists(QDir(dir).filePath("checkpoints/last.pt")));
    const QJsonObject status = readJson(QDir(dir).filePath("status.json"));
    QCOMPARE(status.value("state").toString(), QStringLiteral("interrupted"));

    const Result resumed = run({"train", "--run-dir", dir, "--resume", "--progress", "none"});
    QVERIFY2(resumed.exitCode == 0, resumed.err.constData());
    QCOMPARE(readJson(QDir(dir).filePath("status.json")).value("state").toString(),
             QStringLiteral("finished"));
    QVERIFY(QFile::exists(QDir(dir).filePath("predictions.h5")));
}

void tst_Cli::stopFromStdin()
{
    const QString dir = m_tmp.filePath(QStringLiteral("stdin"));
    QStringList args = trainArgs(dir);
    args.replace(args.indexOf("2"), "10");
    args.replace(args.indexOf("none"), "jsonl");
    args.replace(args.indexOf("16"), "2");
    args << "--control"
         << "stdin";
    QProcess p;
    p.setWorkingDirectory(m_tmp.path());
    p.start(m_cli, args);
    QVERIFY(p.waitForStarted());
    p.write("pause\n");
    QByteArray seen;
    while (!seen.contains("\"event\":\"start\"") && p.waitForReadyRead(30000))
        seen += p.readAllStandardOutput();
    p.write("step\nstop\n");
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 3);
    const QJsonObject status = readJson(QDir(dir).filePath("status.json"));
    QCOMPARE(status.value("state").toString(), QStringLiteral("interrupted"));
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"
