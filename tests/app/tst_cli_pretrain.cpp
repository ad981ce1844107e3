// `twb-cli train --task pretrain` and fine-tuning from it (issue 19), on ETTh1 with a tiny
// PatchTST: the pretraining run folder, --init-from a pretraining run into other channels and
// horizon with a recipe, the provenance of the pretrained run, --train-fraction recorded and
// replayed by --resume, and the tensor named when the shapes cannot match.

#include "CliTestSupport.h"
#include "client/ReconstructionFile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace twb;
using test::Result;

class tst_CliPretrain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pretrainingIsARunFolder();
    void reconstructionSamplesAreWritten();
    void parametersOfThePretrainedRun();
    void linearProbeFromThePretrainedRun();
    void resumeReplaysFractionAndRecipe();
    void otherLookbackNamesTheTensor();
    void tstPretrainsWithSpans();
    void badRecipesAreRefused();

private:
    Result run(const QStringList &args) { return test::runCli(m_cli, m_tmp.path(), args); }
    static QJsonObject readJson(const QString &path);
    QStringList tiny() const;
    QStringList fineTuneArgs(const QString &runDir, const QStringList &extra) const;

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_csv;
    QString m_pretrained;
};

QJsonObject tst_CliPretrain::readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QStringList tst_CliPretrain::tiny() const
{
    return {"--model",    "patchtst", "--set",  "d_model=16", "--set",        "n_heads=2",
            "--set",      "d_ff=32",  "--set",  "e_layers=1", "--threads",    "1",
            "--progress", "none",     "--seed", "3",          "--batch-size", "64"};
}

QStringList tst_CliPretrain::fineTuneArgs(const QString &runDir, const QStringList &extra) const
{
    const QStringList epochs =
        extra.contains(QStringLiteral("--epochs")) ? QStringList{} : QStringList{"--epochs", "1"};
    return QStringList{"train",      "--data",      m_csv,        "--task",    "forecast",
                       "--lookback", "48",          "--horizon",  "24",        "--stride",
                       "48",         "--init-from", m_pretrained, "--run-dir", runDir} +
           epochs + QStringList{"--model",    "patchtst", "--threads",    "1",
                                "--progress", "none",     "--batch-size", "64"} +
           extra;
}

void tst_CliPretrain::initTestCase()
{
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    m_csv = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(m_csv))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(m_csv)));
    QVERIFY(m_tmp.isValid());
    m_pretrained = m_tmp.filePath(QStringLiteral("pretrain"));
    const Result r =
        run(QStringList{"train", "--data", m_csv, "--task", "pretrain", "--lookback", "48",
                        "--stride", "48", "--epochs", "1", "--run-dir", m_pretrained} +
            tiny());
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void tst_CliPretrain::pretrainingIsARunFolder()
{
    const QJsonObject config = readJson(m_pretrained + "/config.json");
    QCOMPARE(config.value("task").toString(), QStringLiteral("pretrain"));
    const QJsonObject hp = config.value("hyperparameters").toObject();
    QCOMPARE(hp.value("patch_len").toInt(), 12); // the pretraining defaults
    QCOMPARE(hp.value("stride").toInt(), 12);
    QCOMPARE(hp.value("mask_ratio").toDouble(), 0.4);
    const QJsonObject provenance = config.value("provenance").toObject();
    const QJsonObject masking = provenance.value("masking").toObject();
    QCOMPARE(masking.value("kind").toString(), QStringLiteral("patches"));
    QCOMPARE(masking.value("patch_len").toInt(), 12);
    // ETTh1's training part alone: 8640 rows, windows of 48 every 48 steps.
    QCOMPARE(provenance.value("windows").toObject().value("train").toInt(), (8640 - 48) / 48 + 1);
    QVERIFY(QFile::exists(m_pretrained + "/checkpoints/best.pt"));
    QVERIFY(QFile::exists(m_pretrained + "/checkpoints/last.pt"));
    QFile metrics(m_pretrained + "/metrics.csv");
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    QCOMPARE(metrics.readAll().count('\n'), 2); // header + one epoch
    const QJsonObject status = readJson(m_pretrained + "/status.json");
    const QJsonObject test = status.value("test").toObject();
    QVERIFY2(test.value("masked_mse").toDouble() > 0.0, QJsonDocument(status).toJson().constData());
    // 40 % of the 4 patches of 48 steps: round(1.6) = 2 of 4.
    QCOMPARE(test.value("hidden_fraction").toDouble(), 0.5);
}

void tst_CliPretrain::reconstructionSamplesAreWritten()
{
    const Expected<ReconstructionSamples> read = readReconstructionSamples(m_pretrained);
    QVERIFY2(read, qPrintable(read ? QString() : read.error().toString()));
    const ReconstructionSamples &samples = *read;
    QCOMPARE(samples.lookback, std::int64_t(48));
    QCOMPARE(samples.channels.size(), 7);
    QCOMPARE(samples.channels.last(), QStringLiteral("OT"));
    QCOMPARE(samples.masking, QStringLiteral("patches of 12 steps, 40 % hidden"));
    QVERIFY(samples.windows.size() >= 2);
    QVERIFY(samples.testWindows > std::int64_t(samples.windows.size()));
    // ETTh1's rows, to check the values are the series in original units.
    QFile csv(m_csv);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().split('\n');
    for (const ReconstructionWindow &w : samples.windows) {
        QVERIFY(w.startRow >= 8640 + 2880 - 48); // the test part (its lookback reaches back)
        QVERIFY(w.maskedMse > 0.0);
        for (int c = 0; c < 7; ++c) {
            // Two whole patches of 12 of the four are hidden, per channel.
            const std::vector<bool> &hidden = w.hidden[std::size_t(c)];
            int count = 0;
            for (int p = 0; p < 4; ++p) {
                const int inPatch =
                    int(std::count(hidden.begin() + 12 * p, hidden.begin() + 12 * (p + 1), true));
                QVERIFY(inPatch == 0 || inPatch == 12);
                count += inPatch;
            }
            QCOMPARE(count, 24);
            for (int t : {0, 47}) {
                const QList<QByteArray> cells = lines.value(int(w.startRow) + 1 + t).split(',');
                QCOMPARE(cells.size(), 8);
                const double expected = cells[c + 1].toDouble();
                QVERIFY2(qAbs(w.values[std::size_t(c)][std::size_t(t)] - expected) <=
                             1e-3 * qMax(1.0, qAbs(expected)),
                         qPrintable(QStringLiteral("window %1 channel %2 step %3: %4, the file "
                                                   "has %5")
                                        .arg(w.index)
                                        .arg(c)
                                        .arg(t)
                                        .arg(w.values[std::size_t(c)][std::size_t(t)])
                                        .arg(expected)));
            }
        }
    }
}

void tst_CliPretrain::parametersOfThePretrainedRun()
{
    // What the window's fine-tune box lists: the model of a pretraining run is rebuilt for
    // masked reconstruction (no horizon) with its pretraining head.
    const Result r = run({"parameters", m_pretrained, "--json"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject o = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(o.value("task").toString(), QStringLiteral("pretrain"));
    QStringList names;
    for (const QJsonValue &p : o.value("parameters").toArray())
        names << p.toObject().value("name").toString();
    QVERIFY2(names.contains(QStringLiteral("pretrain_head.weight")), qPrintable(names.join(' ')));
    QVERIFY(!names.contains(QStringLiteral("head.weight")));
}

void tst_CliPretrain::linearProbeFromThePretrainedRun()
{
    const QString runDir = m_tmp.filePath(QStringLiteral("probe"));
    // One channel (OT) where the pretraining read seven, a horizon it never had, a quarter of
    // the training windows.
    const Result r = run(fineTuneArgs(
        runDir, {"--channels", "OT", "--finetune", "linear-probe", "--train-fraction", "0.25"}));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject config = readJson(runDir + "/config.json");
    QCOMPARE(config.value("finetune").toString(), QStringLiteral("linear-probe"));
    QCOMPARE(config.value("train-fraction").toDouble(), 0.25);
    QCOMPARE(config.value("hyperparameters").toObject().value("patch_len").toInt(), 12);
    const QJsonObject provenance = config.value("provenance").toObject();
    const QJsonObject init = provenance.value("init_from").toObject();
    QCOMPARE(init.value("run").toString(), QDir(m_pretrained).absolutePath());
    QCOMPARE(init.value("run_task").toString(), QStringLiteral("pretrain"));
    QCOMPARE(init.value("checkpoint_sha256").toString().size(), 64);
    QVERIFY(!init.value("run_data_fingerprint").toString().isEmpty());
    QCOMPARE(init.value("not_in_source").toArray().size(), 2); // the fresh head
    const QJsonObject finetune = provenance.value("finetune").toObject();
    QCOMPARE(finetune.value("recipe").toString(), QStringLiteral("linear-probe"));
    QCOMPARE(finetune.value("head").toArray(), (QJsonArray{"head.weight", "head.bias"}));
    const QJsonObject fraction = provenance.value("train_fraction").toObject();
    QCOMPARE(fraction.value("of").toInt(), (8640 - 48 - 24) / 48 + 1);
    QCOMPARE(fraction.value("kept").toInt(), ((8640 - 48 - 24) / 48 + 1) / 4);
}

void tst_CliPretrain::resumeReplaysFractionAndRecipe()
{
    // Stopped after one step (stdin), then resumed: the fraction and the recipe come back from
    // config.json.
    const QString runDir = m_tmp.filePath(QStringLiteral("headfirst"));
    QStringList args =
        fineTuneArgs(runDir, {"--finetune", "head-first:1", "--epochs", "2", "--train-fraction",
                              "0.1", "--patience", "0", "--control", "stdin"});
    args.replace(args.indexOf("none"), "jsonl");
    QProcess p;
    p.setWorkingDirectory(m_tmp.path());
    p.start(m_cli, args);
    QVERIFY(p.waitForStarted());
    p.write("pause\n");
    QByteArray seen;
    while (!seen.contains("\"event\":\"start\"") && p.waitForReadyRead(120000))
        seen += p.readAllStandardOutput();
    QVERIFY2(seen.contains("\"event\":\"start\""), p.readAllStandardError().constData());
    p.write("step\nstop\n");
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 3);
    const QJsonObject before = readJson(runDir + "/config.json");
    QCOMPARE(before.value("train-fraction").toDouble(), 0.1);
    Result r = run({"train", "--run-dir", runDir, "--resume", "--progress", "none"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject after = readJson(runDir + "/config.json");
    QCOMPARE(after.value("train-fraction").toDouble(), 0.1);
    QCOMPARE(after.value("finetune").toString(), QStringLiteral("head-first:1"));
    QCOMPARE(after.value("provenance").toObject().value("train_fraction"),
             before.value("provenance").toObject().value("train_fraction"));
    QFile metrics(runDir + "/metrics.csv");
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    QCOMPARE(metrics.readAll().count('\n'), 3); // header + two epochs
    QFile log(runDir + "/log.txt");
    QVERIFY(log.open(QIODevice::ReadOnly));
    QVERIFY(log.readAll().contains("head first: only head.weight, head.bias train"));
    // Changing the fraction is not a resume.
    r = run({"train", "--run-dir", runDir, "--resume", "--train-fraction", "0.5", "--progress",
             "none"});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("train-fraction"), r.err.constData());
    // Replaying the configuration elsewhere keeps the fraction and the source.
    const QString replay = m_tmp.filePath(QStringLiteral("replay"));
    r = run({"train", "--config", runDir + "/config.json", "--run-dir", replay, "--epochs", "2",
             "--progress", "none"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject replayed = readJson(replay + "/config.json");
    QCOMPARE(replayed.value("provenance").toObject().value("train_fraction"),
             before.value("provenance").toObject().value("train_fraction"));
    QCOMPARE(replayed.value("provenance").toObject().value("init_from").toObject().value("run"),
             before.value("provenance").toObject().value("init_from").toObject().value("run"));
}

void tst_CliPretrain::otherLookbackNamesTheTensor()
{
    const QString runDir = m_tmp.filePath(QStringLiteral("lookback96"));
    QStringList args = fineTuneArgs(runDir, {});
    args[args.indexOf("48")] = "96"; // --lookback 96: 9 patches where the source had 4
    const Result r = run(args);
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("positional_encoding.pe"), r.err.constData());
    QVERIFY2(r.err.contains("checkpoints/best.pt"), r.err.constData());
}

void tst_CliPretrain::tstPretrainsWithSpans()
{
    const QString runDir = m_tmp.filePath(QStringLiteral("tst"));
    const Result r = run({"train",
                          "--data",
                          m_csv,
                          "--task",
                          "pretrain",
                          "--model",
                          "tst",
                          "--lookback",
                          "32",
                          "--stride",
                          "64",
                          "--epochs",
                          "1",
                          "--set",
                          "d_model=16",
                          "--set",
                          "n_heads=2",
                          "--set",
                          "num_layers=1",
                          "--set",
                          "d_ff=32",
                          "--threads",
                          "1",
                          "--progress",
                          "none",
                          "--run-dir",
                          runDir,
                          "--train-fraction",
                          "0.5"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    const QJsonObject config = readJson(runDir + "/config.json");
    const QJsonObject masking = config.value("provenance").toObject().value("masking").toObject();
    QCOMPARE(masking.value("kind").toString(), QStringLiteral("geometric_spans"));
    QCOMPARE(masking.value("ratio").toDouble(), 0.15);
    QCOMPARE(masking.value("mean_span").toDouble(), 3.0);
    const double hidden = readJson(runDir + "/status.json")
                              .value("test")
                              .toObject()
                              .value("hidden_fraction")
                              .toDouble();
    QVERIFY2(hidden > 0.12 && hidden < 0.18, qPrintable(QString::number(hidden)));
}

void tst_CliPretrain::badRecipesAreRefused()
{
    Result r = run(fineTuneArgs(m_tmp.filePath("bad1"), {"--finetune", "head-first:1"}));
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("head-first:1"), r.err.constData());
    r = run(QStringList{"train", "--data", m_csv, "--task", "forecast", "--lookback", "48",
                        "--horizon", "24", "--finetune", "linear-probe", "--run-dir",
                        m_tmp.filePath("bad2")} +
            tiny());
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("finetune needs init-from"), r.err.constData());
    r = run(QStringList{"train", "--data", m_csv, "--task", "pretrain", "--model", "dlinear",
                        "--lookback", "48", "--epochs", "1", "--run-dir", m_tmp.filePath("bad3"),
                        "--progress", "none", "--threads", "1"});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("reconstruct"), r.err.constData());
}

QTEST_GUILESS_MAIN(tst_CliPretrain)
#include "tst_cli_pretrain.moc"
