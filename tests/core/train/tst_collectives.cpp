// Data parallel inside one process: ranks as threads over a real Gloo process group on
// loopback (issue 21). The sharded test evaluation equals one process's bit for bit, and the
// gradient all-reduce that starts during backward gives the plain mean over the ranks.

#include "FreePort.h"
#include "TinyModel.h"
#include "train/DataParallel.h"
#include "train/GradientAverager.h"
#include "train/Metrics.h"
#include "train/ProcessGroup.h"
#include "train/ShardedPrediction.h"
#include "train/Trainer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

#include <functional>
#include <mutex>
#include <thread>

using namespace twb;
using namespace twb::test;

namespace {

constexpr std::int64_t lookback = 24, horizon = 8;

/// Runs `body(group)` on `ranks` threads, each a rank of one Gloo group on 127.0.0.1; returns
/// the errors the ranks met (empty when all went well).
QStringList runRanks(int ranks, const std::function<void(ProcessGroup &)> &body)
{
    const int port = freePort();
    std::mutex lock;
    QStringList errors;
    std::vector<std::thread> threads;
    for (int r = 0; r < ranks; ++r)
        threads.emplace_back([&, r] {
            DistributedSettings s;
            s.rank = r;
            s.worldSize = ranks;
            s.masterAddr = QStringLiteral("127.0.0.1");
            s.masterPort = port;
            s.timeoutSeconds = 30;
            s.launcher = QStringLiteral("test");
            try {
                Expected<std::unique_ptr<ProcessGroup>> group = ProcessGroup::join(s);
                if (!group)
                    throw std::runtime_error(group.error().toString().toStdString());
                body(**group);
            } catch (const std::exception &e) {
                std::lock_guard<std::mutex> guard(lock);
                errors << QStringLiteral("rank %1: %2").arg(r).arg(QString::fromUtf8(e.what()));
            }
        });
    for (auto &t : threads)
        t.join();
    return errors;
}

/// TinyModel followed by a BatchNorm over the channels: evaluation depends on its running
/// statistics, which every rank keeps for itself while training.
class NormedModel : public Model
{
public:
    NormedModel()
    {
        torch::manual_seed(7);
        time = register_module("time", torch::nn::Linear(lookback, horizon));
        norm = register_module("norm", torch::nn::BatchNorm1d(2));
    }
    ModelOutput forward(const torch::Tensor &input, const ForwardOptions & = {}) override
    {
        ModelOutput out; // [B, L, C] -> [B, C, H] -> norm over C -> [B, H, C]
        out.prediction = norm(time(input.transpose(1, 2))).transpose(1, 2);
        return out;
    }
    std::vector<TokenInfo> tokens() const override { return {}; }
    torch::nn::Linear time = nullptr;
    torch::nn::BatchNorm1d norm = nullptr;
};

std::shared_ptr<TinyModel> seededModel(double dropout = 0.0)
{
    torch::manual_seed(7);
    return std::make_shared<TinyModel>(lookback, horizon, dropout);
}

} // namespace

class tst_Collectives : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shardsAreWholeBatches();
    void shardedPredictionsEqualOneProcess_data();
    void shardedPredictionsEqualOneProcess();
    void shardedForecastMetricsEqualOneProcess();
    void ranksEvaluateRankZerosBatchNorm();
    void overlappedAverageIsTheMean_data();
    void overlappedAverageIsTheMean();
};

void tst_Collectives::initTestCase()
{
    torch::set_num_threads(1); // the ranks share this process; results must not depend on it
}

void tst_Collectives::shardsAreWholeBatches()
{
    // 103 examples in batches of 10: 11 batches, 4 per rank for 3 ranks (4, 4, 3).
    std::mutex lock;
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges(3), tiny(3);
    const QStringList errors = runRanks(3, [&](ProcessGroup &g) {
        std::lock_guard<std::mutex> guard(lock);
        ranges[std::size_t(g.rank())] = shardRange(g, 103, 10);
        tiny[std::size_t(g.rank())] = shardRange(g, 15, 10); // 2 batches for 3 ranks
    });
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    QCOMPARE(ranges[0], (std::pair<std::int64_t, std::int64_t>(0, 40)));
    QCOMPARE(ranges[1], (std::pair<std::int64_t, std::int64_t>(40, 80)));
    QCOMPARE(ranges[2], (std::pair<std::int64_t, std::int64_t>(80, 103)));
    QCOMPARE(tiny[0], (std::pair<std::int64_t, std::int64_t>(0, 10)));
    QCOMPARE(tiny[1], (std::pair<std::int64_t, std::int64_t>(10, 15)));
    QCOMPARE(tiny[2], (std::pair<std::int64_t, std::int64_t>(15, 15))); // none
}

void tst_Collectives::shardedPredictionsEqualOneProcess_data()
{
    QTest::addColumn<int>("ranks");
    QTest::addColumn<int>("windows");
    QTest::addColumn<int>("batchSize");
    QTest::newRow("2 ranks, uneven batches") << 2 << 169 << 16;
    QTest::newRow("3 ranks, one without a batch") << 3 << 20 << 16;
    QTest::newRow("4 ranks, batch of one") << 4 << 7 << 1;
}

void tst_Collectives::shardedPredictionsEqualOneProcess()
{
    QFETCH(int, ranks);
    QFETCH(int, windows);
    QFETCH(int, batchSize);
    const torch::Tensor series = sineSeries(windows + lookback + horizon);
    const ForecastWindows set = windowsOf(series, 0, windows - 1, lookback, horizon);
    const torch::Tensor single = predictAll(*seededModel(), set, batchSize);
    QCOMPARE(single.size(0), std::int64_t(windows));

    std::vector<std::shared_ptr<TinyModel>> models;
    for (int r = 0; r < ranks; ++r)
        models.push_back(seededModel());
    std::mutex lock;
    std::vector<torch::Tensor> results(static_cast<std::size_t>(ranks));
    const QStringList errors = runRanks(ranks, [&](ProcessGroup &g) {
        torch::Tensor p = predictAll(*models[std::size_t(g.rank())], set, batchSize, &g);
        std::lock_guard<std::mutex> guard(lock);
        results[std::size_t(g.rank())] = p;
    });
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    for (int r = 0; r < ranks; ++r)
        QVERIFY2(torch::equal(results[std::size_t(r)], single), qPrintable(QString::number(r)));
}

void tst_Collectives::shardedForecastMetricsEqualOneProcess()
{
    const torch::Tensor series = sineSeries(300);
    const ForecastWindows set = windowsOf(series, 0, 240, lookback, horizon);
    Expected<StandardScaler> scaler =
        StandardScaler::fromJson(QJsonObject{{QStringLiteral("mean"), QJsonArray{0.1, -0.2}},
                                             {QStringLiteral("scale"), QJsonArray{2.0, 0.5}}});
    QVERIFY2(scaler, qPrintable(scaler ? QString() : scaler.error().toString()));
    ForecastPredictions keepOne;
    const ForecastMetrics one = evaluateForecast(*seededModel(), set, *scaler, 32, &keepOne);
    QVERIFY(one.mse > 0.0);

    std::vector<std::shared_ptr<TinyModel>> models{seededModel(), seededModel()};
    std::mutex lock;
    std::vector<ForecastMetrics> metrics(2);
    std::vector<ForecastPredictions> kept(2);
    const QStringList errors = runRanks(2, [&](ProcessGroup &g) {
        ForecastPredictions keep;
        const ForecastMetrics m =
            evaluateForecast(*models[std::size_t(g.rank())], set, *scaler, 32, &keep, -1, &g);
        std::lock_guard<std::mutex> guard(lock);
        metrics[std::size_t(g.rank())] = m;
        kept[std::size_t(g.rank())] = std::move(keep);
    });
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    for (const ForecastMetrics &m : metrics) { // exactly, not within a tolerance
        QCOMPARE(m.windows, one.windows);
        QCOMPARE(m.mse, one.mse);
        QCOMPARE(m.mae, one.mae);
        QCOMPARE(m.mseOriginal, one.mseOriginal);
        QCOMPARE(m.maeOriginal, one.maeOriginal);
    }
    QVERIFY(kept[0].prediction == keepOne.prediction);
    QVERIFY(kept[0].truthOriginal == keepOne.truthOriginal);
}

void tst_Collectives::ranksEvaluateRankZerosBatchNorm()
{
    const torch::Tensor series = sineSeries(150);
    const ForecastWindows set = windowsOf(series, 0, 100, lookback, horizon);
    std::vector<std::shared_ptr<NormedModel>> models;
    for (int r = 0; r < 2; ++r) {
        models.push_back(std::make_shared<NormedModel>());
        models.back()->norm->running_mean.fill_(0.5 * r); // what each rank learned alone
        models.back()->norm->running_var.fill_(1.0 + r);
    }
    auto rankZero = std::make_shared<NormedModel>();
    rankZero->norm->running_mean.fill_(0.0);
    rankZero->norm->running_var.fill_(1.0);
    const torch::Tensor single = predictAll(*rankZero, set, 16);
    const double singleLoss = Trainer::meanLoss(*rankZero, set, 16);
    // Its own statistics give rank 1 other predictions: the test can tell.
    QVERIFY(!torch::allclose(predictAll(*models[1], set, 16), single));

    std::mutex lock;
    std::vector<torch::Tensor> results(2);
    std::vector<double> losses(2);
    const QStringList errors = runRanks(2, [&](ProcessGroup &g) {
        const std::size_t r = std::size_t(g.rank());
        // Both collectives in the same order on every rank (c10d's rule); each takes rank 0's
        // statistics first.
        losses[r] = Trainer::meanLoss(*models[r], set, 16, LossKind::MeanSquaredError, -1, &g);
        torch::Tensor p = predictAll(*models[r], set, 16, &g);
        std::lock_guard<std::mutex> guard(lock);
        results[r] = p;
    });
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    for (std::size_t r = 0; r < 2; ++r) {
        QVERIFY2(torch::equal(results[r], single), qPrintable(QString::number(r)));
        QVERIFY(qAbs(losses[r] - singleLoss) <= 1e-12 * singleLoss);
        QVERIFY(torch::equal(models[r]->norm->running_var, torch::ones({2})));
    }
}

void tst_Collectives::overlappedAverageIsTheMean_data()
{
    QTest::addColumn<bool>("overlap");
    QTest::addColumn<qint64>("bucketBytes");
    QTest::newRow("overlapped, a bucket per parameter") << true << qint64(1);
    QTest::newRow("overlapped, one bucket") << true << qint64(25 * 1024 * 1024);
    QTest::newRow("after backward") << false << qint64(1);
}

void tst_Collectives::overlappedAverageIsTheMean()
{
    QFETCH(bool, overlap);
    QFETCH(qint64, bucketBytes);
    constexpr int ranks = 2;
    const torch::Tensor series = sineSeries(200);
    const ForecastWindows set = windowsOf(series, 0, 150, lookback, horizon);
    auto batchOf = [&](int rank) {
        return set.range(rank * 40, rank * 40 + 40);
    };

    // The reference: each rank's gradients computed alone, then averaged.
    std::vector<torch::Tensor> expected;
    for (int r = 0; r < ranks; ++r) {
        auto model = seededModel();
        const ExampleBatch b = batchOf(r);
        torch::mse_loss(model->forward(b.x).prediction, b.y).backward();
        std::vector<torch::Tensor> grads;
        for (const auto &p : model->parameters())
            grads.push_back(p.grad().clone());
        if (expected.empty())
            expected = grads;
        else
            for (std::size_t i = 0; i < grads.size(); ++i)
                expected[i] = (expected[i] + grads[i]) / 2.0;
    }

    std::vector<std::shared_ptr<TinyModel>> models{seededModel(), seededModel()};
    // A parameter outside the graph gets no gradient: zeros, started after backward.
    std::vector<torch::Tensor> unused{torch::ones({3}, torch::requires_grad()),
                                      torch::ones({3}, torch::requires_grad())};
    std::vector<torch::Tensor> frozen{torch::ones({5}), torch::ones({5})};
    std::mutex lock;
    std::vector<std::int64_t> overlapped(ranks), buckets(ranks);
    const QStringList errors = runRanks(ranks, [&](ProcessGroup &g) {
        const std::size_t r = std::size_t(g.rank());
        TinyModel &model = *models[r];
        // First: its bucket comes last. A frozen tensor is left out (no hook, no gradient).
        std::vector<torch::Tensor> parameters{unused[r], frozen[r]};
        for (const auto &p : model.parameters())
            parameters.push_back(p);
        GradientAverager averager(g, parameters, bucketBytes, overlap);
        for (int step = 0; step < 2; ++step) { // hooks re-armed every step
            model.zero_grad();
            const ExampleBatch b = batchOf(g.rank());
            averager.beginStep();
            torch::mse_loss(model.forward(b.x).prediction, b.y).backward();
            averager.finish();
        }
        std::lock_guard<std::mutex> guard(lock);
        overlapped[r] = averager.lastOverlapped();
        buckets[r] = averager.bucketCount();
    });
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join('\n')));
    for (int r = 0; r < ranks; ++r) {
        const auto parameters = models[std::size_t(r)]->parameters();
        for (std::size_t i = 0; i < parameters.size(); ++i)
            QVERIFY2(torch::allclose(parameters[i].grad(), expected[i], 1e-6, 1e-7),
                     qPrintable(QStringLiteral("rank %1, parameter %2").arg(r).arg(i)));
        QVERIFY(torch::equal(unused[std::size_t(r)].grad(), torch::zeros({3})));
        QVERIFY(!frozen[std::size_t(r)].grad().defined());
        // Every bucket but the unused parameter's starts during backward when overlapping.
        QCOMPARE(overlapped[std::size_t(r)], overlap ? buckets[std::size_t(r)] - 1 : 0);
    }
    QCOMPARE(buckets[0], bucketBytes > 1000 ? std::int64_t(1) : std::int64_t(4));
}

QTEST_GUILESS_MAIN(tst_Collectives)
#include "tst_collectives.moc"
