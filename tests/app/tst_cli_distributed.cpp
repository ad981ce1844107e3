// Data-parallel training (issue 21): `twb-cli train` started as 2 ranks on loopback with
// torchrun's variables (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), as torchrun
// would start them. The ranks meet through c10d's TCPStore and train over a Gloo process group.
//
// What must hold: 2 ranks x batch B train exactly what 1 process x batch 2B trains (same
// weights, losses and metrics within float tolerance); the run folder is written once, by
// rank 0; a stop on one rank stops both with a checkpoint (exit 3), which 1 process resumes;
// a rank that dies or hangs ends the other within the timeout, naming it; a rendezvous that
// never completes fails clearly.

#include "../core/train/FreePort.h"
#include "CliTestSupport.h"
#include "train/Checkpoint.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <memory>

using namespace twb;
using twb::test::freePort;

namespace {

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QList<QByteArray> metricLines(const QString &runDir)
{
    QFile f(QDir(runDir).filePath("metrics.csv"));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().trimmed().split('\n');
}

} // namespace

class tst_CliDistributed : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoRanksEqualOneProcessWithTheGlobalBatch();
    void runFolderIsWrittenOnceByRankZero();
    void stopOnOneRankStopsBothThenOneProcessResumes();
    void killedRankEndsTheOtherNamingIt();
    void hungRankEndsTheOtherWithinTheTimeout();
    void headFirstFineTuneOnTwoRanks();
    void missingRankFailsTheRendezvous();

private:
    QStringList trainArgs(const QString &runDir, int batchSize, int epochs = 1) const;
    /// Starts `count` ranks of `args` on a fresh port; the processes are owned by the caller.
    std::vector<std::unique_ptr<QProcess>> startRanks(int count, const QStringList &args,
                                                      const QStringList &extraRank0 = {});
    static bool waitAll(std::vector<std::unique_ptr<QProcess>> &ranks, int ms);
    /// Reads rank 0's jsonl stdout until a batch event of batch >= `batch` arrived.
    static bool waitForBatch(QProcess &rank0, int batch);

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_csv;
};

void tst_CliDistributed::initTestCase()
{
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    QVERIFY(m_tmp.isValid());
    // The first 1000 hours of ETTh1 (ratio split 0.7/0.1/0.2: 700 training rows, so
    // 700 - 49 - 12 + 1 = 640 windows at lookback 49 and horizon 12: 40 global batches of 16,
    // no padding of the shards and no partial batch, so the 2-rank epoch is exactly the
    // single process's).
    QFile source(QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv"));
    QVERIFY2(source.open(QIODevice::ReadOnly), qPrintable(source.fileName()));
    m_csv = m_tmp.filePath("etth1_slice.csv");
    QFile slice(m_csv);
    QVERIFY(slice.open(QIODevice::WriteOnly));
    for (int line = 0; line <= 1000 && !source.atEnd(); ++line)
        slice.write(source.readLine());
}

QStringList tst_CliDistributed::trainArgs(const QString &runDir, int batchSize, int epochs) const
{
    return {"train",
            "--data",
            m_csv,
            "--model",
            "dlinear",
            "--task",
            "forecast",
            "--lookback",
            "49",
            "--horizon",
            "12",
            "--epochs",
            QString::number(epochs),
            "--batch-size",
            QString::number(batchSize),
            "--seed",
            "5",
            "--patience",
            "0",
            "--set",
            "kernel_size=13",
            "--threads",
            "1",
            "--run-dir",
            runDir,
            "--progress",
            "none"};
}

std::vector<std::unique_ptr<QProcess>>
tst_CliDistributed::startRanks(int count, const QStringList &args, const QStringList &extraRank0)
{
    const int port = freePort();
    std::vector<std::unique_ptr<QProcess>> ranks;
    for (int r = 0; r < count; ++r) {
        auto p = std::make_unique<QProcess>();
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("RANK", QString::number(r));
        env.insert("LOCAL_RANK", QString::number(r));
        env.insert("WORLD_SIZE", QString::number(count));
        env.insert("MASTER_ADDR", "127.0.0.1");
        env.insert("MASTER_PORT", QString::number(port));
        p->setProcessEnvironment(env);
        p->setWorkingDirectory(m_tmp.path());
        p->start(m_cli, r == 0 ? args + extraRank0 : args);
        ranks.push_back(std::move(p));
    }
    return ranks;
}

bool tst_CliDistributed::waitAll(std::vector<std::unique_ptr<QProcess>> &ranks, int ms)
{
    QElapsedTimer timer;
    timer.start();
    bool all = true;
    for (auto &p : ranks)
        all = p->waitForFinished(std::max<int>(1, ms - int(timer.elapsed()))) && all;
    return all;
}

bool tst_CliDistributed::waitForBatch(QProcess &rank0, int batch)
{
    QByteArray seen;
    if (!rank0.waitForStarted(30000)) // start() returns in the Starting state
        return false;
    while (rank0.state() == QProcess::Running && rank0.waitForReadyRead(60000)) {
        seen += rank0.readAllStandardOutput();
        for (const QByteArray &line : seen.split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (o.value("event").toString() == QLatin1String("batch") &&
                o.value("batch").toInt() >= batch)
                return true;
        }
    }
    return false;
}

void tst_CliDistributed::twoRanksEqualOneProcessWithTheGlobalBatch()
{
    const QString single = m_tmp.filePath("single");
    const QString pair = m_tmp.filePath("pair");
    const test::Result one = test::runCli(m_cli, m_tmp.path(), trainArgs(single, 16), 120000);
    QVERIFY2(one.exitCode == 0, one.err.constData());

    auto ranks = startRanks(2, trainArgs(pair, 8));
    QVERIFY(waitAll(ranks, 120000));
    for (auto &p : ranks)
        QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0,
                 p->readAllStandardError().constData());

    // Every optimizer step of the epoch: the final weights.
    Expected<Checkpoint> a = loadCheckpoint(QDir(single).filePath("checkpoints/last.pt"));
    Expected<Checkpoint> b = loadCheckpoint(QDir(pair).filePath("checkpoints/last.pt"));
    QVERIFY(a && b);
    QCOMPARE(a->state.globalStep, b->state.globalStep);
    QVERIFY(a->state.globalStep > 20);
    QCOMPARE(b->state.worldSize, std::int64_t(2));
    QCOMPARE(a->model.size(), b->model.size());
    for (const auto &entry : a->model) {
        const torch::Tensor &x = entry.value();
        const torch::Tensor &y = b->model.at(entry.key());
        QVERIFY2(torch::allclose(x, y, 1e-4, 1e-6),
                 qPrintable(QString::fromStdString(entry.key()) + ": max difference " +
                            QString::number((x - y).abs().max().item<double>())));
    }
    // The epoch's train loss (mean of the global batch losses), the sharded and reduced
    // validation loss and the sharded test metrics
    // (they differ from one process's only because the weights differ within float tolerance).
    const QList<QByteArray> m1 = metricLines(single), m2 = metricLines(pair);
    QCOMPARE(int(m1.size()), 2);
    QCOMPARE(int(m2.size()), 2);
    const QList<QByteArray> r1 = m1[1].split(','), r2 = m2[1].split(',');
    QVERIFY(qAbs(r1[1].toDouble() - r2[1].toDouble()) <= 1e-5 * qAbs(r1[1].toDouble()));
    QVERIFY(qAbs(r1[2].toDouble() - r2[2].toDouble()) <= 1e-5 * qAbs(r1[2].toDouble()));
    const double mse1 = readJson(QDir(single).filePath("status.json"))
                            .value("test")
                            .toObject()
                            .value("mse")
                            .toDouble();
    const double mse2 = readJson(QDir(pair).filePath("status.json"))
                            .value("test")
                            .toObject()
                            .value("mse")
                            .toDouble();
    QVERIFY(mse1 > 0);
    QVERIFY2(qAbs(mse1 - mse2) <= 1e-5 * mse1,
             qPrintable(QStringLiteral("%1 vs %2").arg(mse1).arg(mse2)));
}

void tst_CliDistributed::runFolderIsWrittenOnceByRankZero()
{
    const QString dir = m_tmp.filePath("pair");
    QVERIFY(QFileInfo::exists(QDir(dir).filePath("config.json")));
    const QJsonObject config = readJson(QDir(dir).filePath("config.json"));
    QCOMPARE(config.value("world_size").toInt(), 2);
    QCOMPARE(config.value("batch-size").toInt(), 8); // per rank
    QCOMPARE(readJson(QDir(dir).filePath("status.json")).value("state").toString(),
             QStringLiteral("finished"));
    for (const char *name : {"checkpoints/best.pt", "checkpoints/last.pt", "predictions.h5",
                             "metrics.jsonl", "log.txt"})
        QVERIFY2(QFileInfo::exists(QDir(dir).filePath(name)), name);
    QFile log(QDir(dir).filePath("log.txt"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    QCOMPARE(int(text.count("start at epoch 1")), 1); // one writer
    QCOMPARE(int(text.count("epoch 1: train")), 1);   // one metrics row logged
    QVERIFY2(text.contains("data parallel: 2 ranks, this log written by rank 0 of 2 (torchrun, "
                           "rendezvous 127.0.0.1:"),
             text.constData());
    QVERIFY(text.contains("batch size 8 per rank, 16 in all"));
    QCOMPARE(int(QDir(dir).entryList(QDir::Files).filter(".tmp-").size()), 0);
}

void tst_CliDistributed::stopOnOneRankStopsBothThenOneProcessResumes()
{
    const QString dir = m_tmp.filePath("stopped");
    QStringList args = trainArgs(dir, 2, 3);
    args.replace(args.lastIndexOf("none"), "jsonl");
    auto ranks = startRanks(2, args);
    QVERIFY(waitForBatch(*ranks[0], 5));
    ::kill(pid_t(ranks[1]->processId()), SIGTERM); // rank 1 alone is told to stop
    QVERIFY(waitAll(ranks, 60000));
    for (auto &p : ranks)
        QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 3,
                 p->readAllStandardError().constData());
    QCOMPARE(readJson(QDir(dir).filePath("status.json")).value("state").toString(),
             QStringLiteral("interrupted"));
    Expected<Checkpoint> last = loadCheckpoint(QDir(dir).filePath("checkpoints/last.pt"));
    QVERIFY(last);
    QCOMPARE(last->state.worldSize, std::int64_t(2));

    const test::Result r = test::runCli(
        m_cli, m_tmp.path(), {"train", "--run-dir", dir, "--resume", "--progress", "none"}, 120000);
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QCOMPARE(readJson(QDir(dir).filePath("status.json")).value("state").toString(),
             QStringLiteral("finished"));
    QCOMPARE(int(metricLines(dir).size()), 4);
    const QJsonObject config = readJson(QDir(dir).filePath("config.json"));
    QVERIFY(!config.contains("world_size")); // one process now
    QFile log(QDir(dir).filePath("log.txt"));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QByteArray text = log.readAll();
    QVERIFY(text.contains("world size: 2 -> 1"));
    QVERIFY(text.contains("the checkpoint was written by 2 ranks, this run has 1"));
}

void tst_CliDistributed::killedRankEndsTheOtherNamingIt()
{
    QStringList args = trainArgs(m_tmp.filePath("killed"), 2, 20);
    args.replace(args.lastIndexOf("none"), "jsonl");
    auto ranks = startRanks(2, args + QStringList{"--dist-timeout", "10"});
    QVERIFY(waitForBatch(*ranks[0], 3));
    QElapsedTimer timer;
    timer.start();
    ::kill(pid_t(ranks[1]->processId()), SIGKILL);
    QVERIFY(ranks[0]->waitForFinished(30000));
    QVERIFY(timer.elapsed() < 10000 + 5000);
    QCOMPARE(ranks[0]->exitCode(), 1);
    const QByteArray err = ranks[0]->readAllStandardError();
    QVERIFY2(err.contains("rank 1 stopped answering"), err.constData());
    ranks[1]->waitForFinished(5000);
}

void tst_CliDistributed::hungRankEndsTheOtherWithinTheTimeout()
{
    QStringList args = trainArgs(m_tmp.filePath("hung"), 2, 20);
    args.replace(args.lastIndexOf("none"), "jsonl");
    auto ranks = startRanks(2, args + QStringList{"--dist-timeout", "3"});
    QVERIFY(waitForBatch(*ranks[0], 3));
    QElapsedTimer timer;
    timer.start();
    ::kill(pid_t(ranks[1]->processId()), SIGSTOP); // hangs: alive, silent
    const bool ended = ranks[0]->waitForFinished(30000);
    const qint64 ms = timer.elapsed();
    ::kill(pid_t(ranks[1]->processId()), SIGKILL);
    ::kill(pid_t(ranks[1]->processId()), SIGCONT);
    ranks[1]->waitForFinished(5000);
    QVERIFY(ended);
    QVERIFY2(ms < 3000 + 8000, qPrintable(QString::number(ms)));
    QCOMPARE(ranks[0]->exitCode(), 1);
    const QByteArray err = ranks[0]->readAllStandardError();
    QVERIFY2(err.contains("rank 1 stopped answering"), err.constData());
}

void tst_CliDistributed::headFirstFineTuneOnTwoRanks()
{
    // Fine-tuning that thaws the backbone after the first epoch: the ranks average the head's
    // gradients, then everything's; the backbone stays bit-identical while frozen.
    const QString pre = m_tmp.filePath("pretrained");
    const QStringList small{"--data",     m_csv,       "--model",   "patchtst",   "--lookback",
                            "48",         "--set",     "d_model=8", "--set",      "n_heads=2",
                            "--set",      "d_ff=16",   "--set",     "e_layers=1", "--batch-size",
                            "16",         "--threads", "1",         "--seed",     "3",
                            "--progress", "none"};
    const test::Result p = test::runCli(
        m_cli, m_tmp.path(),
        QStringList{"train", "--task", "pretrain", "--epochs", "1", "--run-dir", pre} + small,
        120000);
    QVERIFY2(p.exitCode == 0, p.err.constData());

    const QString ft = m_tmp.filePath("finetuned");
    auto ranks =
        startRanks(2, QStringList{"train", "--task", "forecast", "--horizon", "12", "--epochs", "2",
                                  "--init-from", pre, "--finetune", "head-first:1", "--optimizer",
                                  "adamw", "--checkpoint-every", "1", "--run-dir", ft} +
                          small);
    QVERIFY(waitAll(ranks, 180000));
    for (auto &r : ranks)
        QVERIFY2(r->exitStatus() == QProcess::NormalExit && r->exitCode() == 0,
                 r->readAllStandardError().constData());
    Expected<Checkpoint> source = loadCheckpoint(QDir(pre).filePath("checkpoints/best.pt"));
    Expected<Checkpoint> first = loadCheckpoint(QDir(ft).filePath("checkpoints/epoch_001.pt"));
    Expected<Checkpoint> last = loadCheckpoint(QDir(ft).filePath("checkpoints/last.pt"));
    QVERIFY(source && first && last);
    int compared = 0, moved = 0;
    for (const auto &entry : source->model) {
        const std::string &key = entry.key();
        const bool statistics = key.find("running_") != std::string::npos ||
                                key.find("num_batches") != std::string::npos;
        if (key.rfind("pretrain_head.", 0) == 0 || statistics || !first->model.contains(key))
            continue;
        QVERIFY2(torch::equal(entry.value(), first->model.at(key)), key.c_str());
        moved += torch::equal(entry.value(), last->model.at(key)) ? 0 : 1;
        ++compared;
    }
    QVERIFY(compared > 4);
    QVERIFY(moved > 0); // thawed in epoch 2
}

void tst_CliDistributed::missingRankFailsTheRendezvous()
{
    // Rank 1 of 2 alone: nobody serves the store at the port.
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("RANK", "1");
    env.insert("WORLD_SIZE", "2");
    env.insert("MASTER_ADDR", "127.0.0.1");
    env.insert("MASTER_PORT", QString::number(freePort()));
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(m_tmp.path());
    p.start(m_cli, trainArgs(m_tmp.filePath("alone"), 8) + QStringList{"--dist-timeout", "2"});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 1);
    const QByteArray err = p.readAllStandardError();
    QVERIFY2(err.contains("rank 1 of 2") && err.contains("rendezvous at 127.0.0.1:"),
             err.constData());
    QVERIFY(!QFileInfo::exists(m_tmp.filePath("alone"))); // nothing written

    // A world size that does not parse names the variable.
    env.insert("WORLD_SIZE", "two");
    p.setProcessEnvironment(env);
    p.start(m_cli, trainArgs(m_tmp.filePath("alone"), 8));
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 1);
    QVERIFY(p.readAllStandardError().contains("WORLD_SIZE=two"));
}

QTEST_GUILESS_MAIN(tst_CliDistributed)
#include "tst_cli_distributed.moc"
