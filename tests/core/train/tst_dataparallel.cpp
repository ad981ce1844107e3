// Data-parallel pieces that need no second process (issue 21): the launcher environment, the
// sharded BatchSampler (DistributedSampler's semantics) and the checkpoint position moved to
// another number of ranks.

#include "train/BatchSampler.h"
#include "train/DataParallel.h"
#include "train/DistributedSettings.h"

#include <QMap>
#include <QtTest>

using namespace twb;

class tst_DataParallel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void environment_data();
    void environment();
    void torchrunAgentServesTheStore();
    void shardsTogetherAreTheGlobalBatches();
    void shardsArePaddedToEqualSize();
    void positionMovesToAnotherWorldSize();
};

void tst_DataParallel::environment_data()
{
    QTest::addColumn<QStringList>("variables"); // NAME=VALUE
    QTest::addColumn<QString>("flag");
    QTest::addColumn<int>("worldSize"); // 0 = error, 1 = one process
    QTest::addColumn<int>("rank");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("error");

    QTest::newRow("nothing: one process") << QStringList() << "" << 1 << 0 << "" << 0 << "";
    QTest::newRow("torchrun") << QStringList{"RANK=1", "WORLD_SIZE=2", "LOCAL_RANK=1",
                                             "MASTER_ADDR=10.0.0.1", "MASTER_PORT=29400"}
                              << "" << 2 << 1 << "10.0.0.1" << 29400 << "";
    QTest::newRow("torchrun world of one")
        << QStringList{"RANK=0", "WORLD_SIZE=1", "MASTER_ADDR=h", "MASTER_PORT=1"} << "" << 1 << 0
        << "" << 0 << "";
    QTest::newRow("flag wins over MASTER_ADDR")
        << QStringList{"RANK=0", "WORLD_SIZE=2", "MASTER_ADDR=a", "MASTER_PORT=5"} << "b" << 2 << 0
        << "b" << 5 << "";
    QTest::newRow("slurm with flag")
        << QStringList{"SLURM_PROCID=3", "SLURM_NTASKS=4", "SLURM_LOCALID=1", "SLURM_STEP_ID=0"}
        << "node7" << 4 << 3 << "node7" << 29500 << "";
    QTest::newRow("slurm step of 2 tasks in a job of 4")
        << QStringList{"SLURM_PROCID=1",  "SLURM_NTASKS=4", "SLURM_STEP_NUM_TASKS=2",
                       "SLURM_STEP_ID=1", "MASTER_ADDR=n1", "MASTER_PORT=6000"}
        << "" << 2 << 1 << "n1" << 6000 << "";
    // The batch script's own shell (sbatch --ntasks=4) is not an srun task: one process.
    QTest::newRow("sbatch shell outside srun")
        << QStringList{"SLURM_PROCID=0", "SLURM_NTASKS=4", "SLURM_JOB_ID=17"} << "" << 1 << 0 << ""
        << 0 << "";
    QTest::newRow("slurm without address")
        << QStringList{"SLURM_PROCID=0", "SLURM_NTASKS=4", "SLURM_STEP_ID=0"} << "" << 0 << 0 << ""
        << 0 << "--master-addr";
    QTest::newRow("rank without world size")
        << QStringList{"RANK=0", "MASTER_ADDR=a", "MASTER_PORT=5"} << "" << 0 << 0 << "" << 0
        << "WORLD_SIZE";
    QTest::newRow("rank out of range")
        << QStringList{"RANK=2", "WORLD_SIZE=2", "MASTER_ADDR=a", "MASTER_PORT=5"} << "" << 0 << 0
        << "" << 0 << "RANK=2";
    QTest::newRow("no port") << QStringList{"RANK=0", "WORLD_SIZE=2", "MASTER_ADDR=a"} << "" << 0
                             << 0 << "" << 0 << "MASTER_PORT";
}

void tst_DataParallel::torchrunAgentServesTheStore()
{
    // torchrun's elastic agent hosts the TCPStore at MASTER_PORT and tells its workers so
    // (Debian's torchrun 1.13 does): rank 0 must join it, not bind the port again.
    QMap<QString, QString> env{
        {"RANK", "0"}, {"WORLD_SIZE", "2"}, {"MASTER_ADDR", "127.0.0.1"}, {"MASTER_PORT", "29500"}};
    auto lookup = [&env](const char *name) -> std::optional<QString> {
        const QString key = QString::fromLatin1(name);
        return env.contains(key) ? std::optional<QString>(env.value(key)) : std::nullopt;
    };
    auto plain = distributedSettingsFromEnvironment({}, 60, lookup);
    QVERIFY(plain && plain->has_value());
    QVERIFY(!(*plain)->agentStore);
    env.insert("TORCHELASTIC_USE_AGENT_STORE", "True");
    env.insert("TORCHELASTIC_RESTART_COUNT", "2");
    auto agent = distributedSettingsFromEnvironment({}, 60, lookup);
    QVERIFY(agent && agent->has_value());
    QVERIFY((*agent)->agentStore);
    QCOMPARE((*agent)->storePrefix, QStringLiteral("/worker/attempt_2"));
}

void tst_DataParallel::environment()
{
    QFETCH(QStringList, variables);
    QFETCH(QString, flag);
    QFETCH(int, worldSize);
    QFETCH(int, rank);
    QFETCH(QString, address);
    QFETCH(int, port);
    QFETCH(QString, error);
    QMap<QString, QString> env;
    for (const QString &v : variables)
        env.insert(v.section('=', 0, 0), v.section('=', 1));
    auto lookup = [&env](const char *name) -> std::optional<QString> {
        const QString key = QString::fromLatin1(name);
        return env.contains(key) ? std::optional<QString>(env.value(key)) : std::nullopt;
    };
    const auto settings = distributedSettingsFromEnvironment(flag, 60, lookup);
    if (worldSize == 0) {
        QVERIFY(!settings);
        QVERIFY2(settings.error().reason.contains(error), qPrintable(settings.error().reason));
        return;
    }
    QVERIFY(settings);
    if (worldSize == 1) {
        QVERIFY(!settings->has_value());
        return;
    }
    QVERIFY(settings->has_value());
    QCOMPARE((*settings)->worldSize, worldSize);
    QCOMPARE((*settings)->rank, rank);
    QCOMPARE((*settings)->masterAddr, address);
    QCOMPARE((*settings)->masterPort, port);
    QCOMPARE((*settings)->timeoutSeconds, 60);
}

void tst_DataParallel::shardsTogetherAreTheGlobalBatches()
{
    const std::int64_t count = 100, batch = 4;
    BatchSampler global(count, batch * 2, true, 9);
    BatchSampler rank0(count, batch, true, 9, false, 0, 2);
    BatchSampler rank1(count, batch, true, 9, false, 1, 2);
    for (std::int64_t epoch : {0, 3}) {
        global.setEpoch(epoch);
        rank0.setEpoch(epoch);
        rank1.setEpoch(epoch);
        QCOMPARE(rank0.batchesPerEpoch(), global.batchesPerEpoch());
        for (std::int64_t b = 0; b < global.batchesPerEpoch(); ++b) {
            const auto together =
                std::get<0>(torch::sort(torch::cat({rank0.batch(b), rank1.batch(b)})));
            const auto alone = std::get<0>(torch::sort(global.batch(b)));
            QVERIFY(torch::equal(together, alone));
        }
    }
}

void tst_DataParallel::shardsArePaddedToEqualSize()
{
    // 10 windows over 4 ranks: 3 each, the order padded with its first two windows.
    std::vector<torch::Tensor> orders;
    for (int r = 0; r < 4; ++r) {
        BatchSampler s(10, 2, true, 1, false, r, 4);
        QCOMPARE(s.count(), std::int64_t(3));
        QCOMPARE(s.batchesPerEpoch(), std::int64_t(2));
        orders.push_back(s.order());
    }
    const torch::Tensor all = torch::cat(orders);
    QCOMPARE(std::get<0>(at::_unique(all)).numel(),
             std::int64_t(10)); // every window, two of them twice
}

void tst_DataParallel::positionMovesToAnotherWorldSize()
{
    TrainState s;
    s.worldSize = 2;
    s.epoch = 1;
    s.batch = 5; // 10 per-rank batches of the epoch consumed
    QVERIFY(adaptToWorldSize(s, 1).contains("becomes batch 10"));
    QCOMPARE(s.batch, std::int64_t(10));
    QCOMPARE(s.worldSize, std::int64_t(1));
    s.batch = 5;
    QVERIFY(adaptToWorldSize(s, 2).contains("trained again")); // 5 / 2
    QCOMPARE(s.batch, std::int64_t(2));
    QVERIFY(adaptToWorldSize(s, 2).isEmpty());
}

QTEST_GUILESS_MAIN(tst_DataParallel)
#include "tst_dataparallel.moc"
