// Weight averaging (SWA) in the trainer: the mean of the epochs' weights, BatchNorm statistics
// recomputed, early stopping only before it, and a resume that ends with the same weights.
#include "TinyModel.h"
#include "train/Checkpoint.h"
#include "train/TrainControl.h"
#include "train/TrainObserver.h"
#include "train/Trainer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>

using namespace twb;
using namespace twb::test;

namespace {

constexpr std::int64_t lookback = 16;
constexpr std::int64_t horizon = 4;

struct Setup
{
    torch::Tensor series = sineSeries(200);
    ForecastWindows train = windowsOf(series, 0, 99, lookback, horizon); // 100 windows
    ForecastWindows validation = windowsOf(series, 100, 139, lookback, horizon);
};

TrainerOptions options(const QString &checkpointDir, std::int64_t epochs, std::int64_t swaStart)
{
    TrainerOptions o;
    o.epochs = epochs;
    o.batchSize = 32; // 4 batches per epoch, the last one of 4 windows
    o.patience = 0;
    o.seed = 11;
    o.optimizer.lr = 0.01;
    o.checkpointDir = checkpointDir;
    o.swaStart = swaStart;
    return o;
}

std::shared_ptr<TinyModel> tinyModel(std::uint64_t seed)
{
    torch::manual_seed(seed);
    return std::make_shared<TinyModel>(lookback, horizon);
}

/// x [B, L, C] -> BatchNorm over the C channels -> Linear(L -> H) over time.
class BatchNormModel : public Model
{
public:
    BatchNormModel()
    {
        norm = register_module("norm", torch::nn::BatchNorm1d(2));
        time = register_module("time", torch::nn::Linear(lookback, horizon));
    }
    ModelOutput forward(const torch::Tensor &input, const ForwardOptions & = {}) override
    {
        ModelOutput out;
        out.prediction = time(norm(input.transpose(1, 2))).transpose(1, 2);
        return out;
    }
    std::vector<TokenInfo> tokens() const override { return {}; }
    torch::nn::BatchNorm1d norm = nullptr;
    torch::nn::Linear time = nullptr;
};

class EpochHook : public TrainObserver
{
public:
    std::function<void(const EpochEvent &)> onEpochDone;
    std::vector<QString> messages;
    void onEpoch(const EpochEvent &e) override
    {
        if (onEpochDone)
            onEpochDone(e);
    }
    void onMessage(const QString &text) override { messages.push_back(text); }
};

TensorDict weightsIn(const QString &path)
{
    Expected<Checkpoint> c = loadCheckpoint(path);
    return c ? c->model : TensorDict();
}

bool sameDicts(const TensorDict &a, const TensorDict &b)
{
    if (a.size() != b.size())
        return false;
    for (const auto &entry : a)
        if (!b.contains(entry.key()) || !torch::equal(entry.value(), b.at(entry.key())))
            return false;
    return true;
}

} // namespace

class tst_WeightAveraging : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theResultIsTheMeanOfTheEpochs()
    {
        Setup data;
        QTemporaryDir dir;
        TrainerOptions o = options(dir.path(), 5, 3);
        o.checkpointEvery = 1; // keeps every epoch's weights to compare with
        auto model = tinyModel(4);
        Trainer trainer(model, data.train, data.validation, o);
        EpochHook hook;
        trainer.setObserver(&hook);
        const TrainResult r = trainer.run();
        QCOMPARE(int(r.outcome), int(TrainOutcome::Finished));
        QCOMPARE(r.state.swaCount, std::int64_t(3));
        const QDir d(dir.path());
        // Epochs 3, 4 and 5 averaged by hand.
        const TensorDict e3 = weightsIn(d.filePath("epoch_003.pt")),
                         e4 = weightsIn(d.filePath("epoch_004.pt")),
                         e5 = weightsIn(d.filePath("epoch_005.pt"));
        const TensorDict result = moduleStateDict(*model);
        QCOMPARE(result.size(), e3.size());
        for (const auto &entry : result) {
            const torch::Tensor mean =
                (e3.at(entry.key()) + e4.at(entry.key()) + e5.at(entry.key())) / 3.0;
            QVERIFY2(torch::allclose(entry.value(), mean, 1e-6, 1e-7), entry.key().c_str());
            QVERIFY(!torch::equal(entry.value(), e5.at(entry.key())));
        }
        // The mean is the run's result (best.pt) and swa.pt keeps it with its count.
        QVERIFY(sameDicts(weightsIn(d.filePath("best.pt")), result));
        Expected<Checkpoint> swa = loadCheckpoint(d.filePath("swa.pt"));
        QVERIFY(swa);
        QCOMPARE(swa->state.swaCount, std::int64_t(3));
        QVERIFY(sameDicts(swa->model, result));
        QVERIFY(std::isfinite(r.averagedValLoss));
        QCOMPARE(r.averagedValLoss, Trainer::meanLoss(*model, data.validation, 32));
        QVERIFY(!hook.messages.empty());
        QVERIFY2(hook.messages.back().startsWith(
                     QStringLiteral("weight averaging: the mean of epochs 3 to 5 (3)")),
                 qPrintable(hook.messages.back()));
    }

    void offWritesNoAverage()
    {
        Setup data;
        QTemporaryDir dir;
        Trainer trainer(tinyModel(4), data.train, data.validation, options(dir.path(), 2, 0));
        const TrainResult r = trainer.run();
        QCOMPARE(int(r.outcome), int(TrainOutcome::Finished));
        QCOMPARE(r.state.swaCount, std::int64_t(0));
        QVERIFY(std::isnan(r.averagedValLoss));
        QVERIFY(!QFile::exists(QDir(dir.path()).filePath("swa.pt")));
    }

    void earlyStoppingEndsOnlyBeforeAveraging()
    {
        Setup data;
        // The validation loss never improves after epoch 1: patience 2 stops after epoch 3 ...
        TrainerOptions late = options({}, 8, 5);
        late.patience = 2;
        Trainer stopped(std::make_shared<ConstantModel>(horizon), data.train, data.validation,
                        late);
        const TrainResult a = stopped.run();
        QCOMPARE(int(a.outcome), int(TrainOutcome::EarlyStopped));
        QCOMPARE(a.state.epoch, std::int64_t(3));
        QCOMPARE(a.state.swaCount, std::int64_t(0));
        QVERIFY(std::isnan(a.averagedValLoss));
        // ... unless averaging has begun by then: every epoch from 2 on is averaged.
        TrainerOptions early = options({}, 8, 2);
        early.patience = 2;
        Trainer averaged(std::make_shared<ConstantModel>(horizon), data.train, data.validation,
                         early);
        const TrainResult b = averaged.run();
        QCOMPARE(int(b.outcome), int(TrainOutcome::Finished));
        QCOMPARE(b.state.epoch, std::int64_t(8));
        QCOMPARE(b.state.swaCount, std::int64_t(7));
    }

    void batchNormStatisticsAreRecomputed()
    {
        Setup data;
        auto model = std::make_shared<BatchNormModel>();
        Trainer trainer(model, data.train, data.validation, options({}, 3, 2));
        const TrainResult r = trainer.run();
        QCOMPARE(int(r.outcome), int(TrainOutcome::Finished));
        // One pass over the training windows in order, batches of 32, cumulative average of
        // each batch's channel means (what torch.optim.swa_utils.update_bn computes).
        torch::Tensor expected = torch::zeros({2});
        std::int64_t batches = 0;
        for (std::int64_t begin = 0; begin < data.train.size(); begin += 32) {
            const ExampleBatch batch =
                data.train.range(begin, std::min<std::int64_t>(data.train.size(), begin + 32));
            expected += batch.x.mean(std::vector<std::int64_t>{0, 1});
            ++batches;
        }
        expected /= double(batches);
        QVERIFY(torch::allclose(model->norm->running_mean, expected, 1e-5, 1e-6));
        QCOMPARE(model->norm->num_batches_tracked.item<std::int64_t>(), batches);
        // The momentum is back to what the layer had.
        QCOMPARE(model->norm->options.momentum().value(), 0.1);
    }

    void resumeEndsWithTheSameMean_data()
    {
        QTest::addColumn<bool>("swaBehind");
        QTest::newRow("stopped after an epoch") << false;
        QTest::newRow("killed between last.pt and swa.pt") << true;
    }

    void resumeEndsWithTheSameMean()
    {
        QFETCH(bool, swaBehind);
        Setup data;
        QTemporaryDir dirA, dirB;
        auto straightModel = tinyModel(6);
        Trainer straight(straightModel, data.train, data.validation, options(dirA.path(), 5, 2));
        QCOMPARE(int(straight.run().outcome), int(TrainOutcome::Finished));

        // Stop after epoch 3 (averaging counts epochs 2 and 3). The hook runs before the
        // epoch's checkpoints are written, so swa.pt then still holds epoch 2 alone.
        const QString swaPath = QDir(dirB.path()).filePath("swa.pt");
        const QString kept = QDir(dirB.path()).filePath("swa-epoch2.keep");
        TrainControl control;
        EpochHook hook;
        hook.onEpochDone = [&](const EpochEvent &e) {
            if (e.epoch == 3) {
                QFile::copy(swaPath, kept);
                control.requestStop();
            }
        };
        Trainer first(tinyModel(6), data.train, data.validation, options(dirB.path(), 5, 2));
        first.setControl(&control);
        first.setObserver(&hook);
        QCOMPARE(int(first.run().outcome), int(TrainOutcome::Interrupted));
        if (swaBehind) { // as if killed after last.pt was renamed, before swa.pt was
            QVERIFY(QFile::remove(swaPath));
            QVERIFY(QFile::rename(kept, swaPath));
            QCOMPARE(loadCheckpoint(swaPath)->state.swaCount, std::int64_t(1));
        }

        auto resumedModel = tinyModel(99);
        Trainer second(resumedModel, data.train, data.validation, options(dirB.path(), 5, 2));
        const Status resumed = second.resume(QDir(dirB.path()).filePath("last.pt"));
        QVERIFY2(resumed, qPrintable(resumed ? QString() : resumed.error().toString()));
        const TrainResult r = second.run();
        QCOMPARE(int(r.outcome), int(TrainOutcome::Finished));
        QVERIFY(sameDicts(moduleStateDict(*resumedModel), moduleStateDict(*straightModel)));
        QVERIFY(sameDicts(weightsIn(swaPath), weightsIn(QDir(dirA.path()).filePath("swa.pt"))));
    }

    void mismatchedAverageIsRefused()
    {
        Setup data;
        QTemporaryDir dir;
        TrainControl control;
        EpochHook hook;
        hook.onEpochDone = [&](const EpochEvent &e) {
            if (e.epoch == 3)
                control.requestStop();
        };
        Trainer first(tinyModel(6), data.train, data.validation, options(dir.path(), 5, 1));
        first.setControl(&control);
        first.setObserver(&hook);
        QCOMPARE(int(first.run().outcome), int(TrainOutcome::Interrupted));
        // swa.pt from another run: two epochs behind last.pt.
        QTemporaryDir other;
        Trainer shorter(tinyModel(6), data.train, data.validation, options(other.path(), 1, 1));
        QCOMPARE(int(shorter.run().outcome), int(TrainOutcome::Finished));
        const QString swaPath = QDir(dir.path()).filePath("swa.pt");
        QVERIFY(QFile::remove(swaPath));
        QVERIFY(QFile::copy(QDir(other.path()).filePath("swa.pt"), swaPath));
        Trainer second(tinyModel(6), data.train, data.validation, options(dir.path(), 5, 1));
        const Status s = second.resume(QDir(dir.path()).filePath("last.pt"));
        QVERIFY(!s);
        QCOMPARE(s.error().file, swaPath);
        QVERIFY2(s.error().reason.contains(QLatin1String("last.pt counts 3 averaged epochs and "
                                                         "swa.pt 1")),
                 qPrintable(s.error().reason));
    }

    void startAfterTheLastEpochIsAnError()
    {
        Setup data;
        Trainer trainer(tinyModel(1), data.train, data.validation, options({}, 3, 4));
        const TrainResult r = trainer.run();
        QCOMPARE(int(r.outcome), int(TrainOutcome::Failed));
        QVERIFY2(r.message.contains(QLatin1String("weight averaging must start at an epoch from 1 "
                                                  "to the last (3)")),
                 qPrintable(r.message));
    }
};

QTEST_GUILESS_MAIN(tst_WeightAveraging)
#include "tst_weightaveraging.moc"
