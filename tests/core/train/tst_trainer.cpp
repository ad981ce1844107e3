#include "TinyModel.h"
#include "train/Checkpoint.h"
#include "train/FineTune.h"
#include "train/MemoryEstimate.h"
#include "train/TrainControl.h"
#include "train/TrainObserver.h"
#include "train/Trainer.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <torch/csrc/jit/serialization/pickle.h>

#include <functional>
#include <limits>
#include <thread>

using namespace twb;
using namespace twb::test;

namespace {

constexpr std::int64_t lookback = 16;
constexpr std::int64_t horizon = 4;

// Calls a function after every batch and records the events.
class Recorder : public TrainObserver
{
public:
    void onBatch(const BatchEvent &e) override
    {
        ++batches;
        if (afterBatch)
            afterBatch(e);
    }
    void onEpoch(const EpochEvent &e) override { epochs.push_back(e); }
    void onEarlyStop(const EarlyStopEvent &e) override { earlyStops.push_back(e); }
    int batches = 0;
    std::vector<EpochEvent> epochs;
    std::vector<EarlyStopEvent> earlyStops;
    std::function<void(const BatchEvent &)> afterBatch;
};

struct Setup
{
    torch::Tensor series = sineSeries(200);
    ForecastWindows train = windowsOf(series, 0, 99, lookback, horizon); // 100 windows
    ForecastWindows validation = windowsOf(series, 100, 139, lookback, horizon);
};

TrainerOptions options(const QString &checkpointDir = {})
{
    TrainerOptions o;
    o.epochs = 3;
    o.batchSize = 32; // 4 batches per epoch, the last one of 4 windows
    o.patience = 0;
    o.seed = 11;
    o.optimizer.lr = 0.01;
    o.clipGradNorm = 1.0;
    o.checkpointDir = checkpointDir;
    return o;
}

std::shared_ptr<TinyModel> tinyModel(std::uint64_t seed)
{
    torch::manual_seed(seed);
    return std::make_shared<TinyModel>(lookback, horizon);
}

bool sameWeights(const torch::nn::Module &a, const torch::nn::Module &b)
{
    const TensorDict da = moduleStateDict(a), db = moduleStateDict(b);
    if (da.size() != db.size())
        return false;
    for (const auto &entry : da)
        if (!torch::equal(entry.value(), db.at(entry.key())))
            return false;
    return true;
}

} // namespace

class tst_Trainer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameSeedSameLosses();
    void resumeEqualsUninterrupted_data();
    void resumeEqualsUninterrupted();
    void finishedRunResumedWithMoreEpochsTrainsThem();
    void averagingRunResumedPastItsPatienceGoesOn();
    void nanLossStops();
    void earlyStoppingStops();
    void bestWeightsAreKept();
    void scoredChannelAloneCounts();
    void fineTuneFreezes();
    void fineTuneShapeMismatch();
    void checkpointsAreAtomic();
    void epochCheckpointsEveryN();
    void badCheckpointIsAnError();
    void corruptedTensorBytesAreRefused();
    void checkpointOfTheFirstFormatStillLoads();
    void damagedArchivesAreRefusedByName_data();
    void damagedArchivesAreRefusedByName();
    void memoryEstimateLeavesTheRunAsItWas();
    void pauseAndStep();
    void plateauScheduleHalvesAndResumes_data();
    void plateauScheduleHalvesAndResumes();
};

void tst_Trainer::sameSeedSameLosses()
{
    Setup data;
    auto run = [&](std::uint64_t seed) {
        TrainerOptions o = options();
        o.seed = seed;
        Trainer trainer(tinyModel(seed), data.train, data.validation, o);
        TrainResult r = trainer.run();
        [&] {
            QCOMPARE(int(r.outcome), int(TrainOutcome::Finished));
        }();
        return r.batchLosses;
    };
    const std::vector<double> a = run(5), b = run(5), c = run(6);
    QCOMPARE(a.size(), std::size_t(12));
    QCOMPARE(a, b);
    QVERIFY(a != c);
    QVERIFY(a.back() < a.front()); // it learns
}

void tst_Trainer::resumeEqualsUninterrupted_data()
{
    QTest::addColumn<int>("stopAfter");
    QTest::newRow("after the first batch") << 1;
    QTest::newRow("mid-epoch 2") << 6;
    QTest::newRow("after the last batch of epoch 1") << 4;
    QTest::newRow("in the last epoch") << 11;
}

void tst_Trainer::resumeEqualsUninterrupted()
{
    QFETCH(int, stopAfter);
    Setup data;
    QTemporaryDir dirA, dirB;

    auto straightModel = tinyModel(3);
    Trainer straight(straightModel, data.train, data.validation, options(dirA.path()));
    const TrainResult full = straight.run();
    QCOMPARE(int(full.outcome), int(TrainOutcome::Finished));

    TrainControl control;
    Recorder recorder;
    recorder.afterBatch = [&](const BatchEvent &) {
        if (recorder.batches == stopAfter)
            control.requestStop();
    };
    Trainer first(tinyModel(3), data.train, data.validation, options(dirB.path()));
    first.setControl(&control);
    first.setObserver(&recorder);
    const TrainResult part1 = first.run();
    QCOMPARE(int(part1.outcome), int(TrainOutcome::Interrupted));
    QCOMPARE(part1.batchLosses.size(), std::size_t(stopAfter));
    QVERIFY(QFile::exists(QDir(dirB.path()).filePath("last.pt")));

    // A new process: a fresh (differently initialised) model, state from last.pt.
    auto resumedModel = tinyModel(99);
    Trainer second(resumedModel, data.train, data.validation, options(dirB.path()));
    const Status resumed = second.resume(QDir(dirB.path()).filePath("last.pt"));
    QVERIFY2(resumed, qPrintable(resumed ? QString() : resumed.error().toString()));
    const TrainResult part2 = second.run();
    QCOMPARE(int(part2.outcome), int(TrainOutcome::Finished));

    std::vector<double> joined = part1.batchLosses;
    joined.insert(joined.end(), part2.batchLosses.begin(), part2.batchLosses.end());
    QCOMPARE(joined, full.batchLosses);
    QVERIFY(sameWeights(*resumedModel, *straightModel));
    QCOMPARE(part2.state.bestValLoss, full.state.bestValLoss);
    QCOMPARE(part2.state.bestEpoch, full.state.bestEpoch);
}

void tst_Trainer::finishedRunResumedWithMoreEpochsTrainsThem()
{
    Setup data;
    QTemporaryDir dir;
    TrainerOptions o = options(dir.path()); // 3 epochs of 4 batches
    Trainer first(tinyModel(3), data.train, data.validation, o);
    QCOMPARE(int(first.run().outcome), int(TrainOutcome::Finished));

    o.epochs = 5;
    Trainer more(tinyModel(3), data.train, data.validation, o);
    const Status resumed = more.resume(QDir(dir.path()).filePath("last.pt"));
    QVERIFY2(resumed, qPrintable(resumed ? QString() : resumed.error().toString()));
    const TrainResult r = more.run();
    QCOMPARE(int(r.outcome), int(TrainOutcome::Finished));
    QCOMPARE(r.batchLosses.size(), std::size_t(2 * 4)); // epochs 4 and 5
    QCOMPARE(r.state.epoch, std::int64_t(5));

    // The same count again: nothing left to train.
    Trainer again(tinyModel(3), data.train, data.validation, o);
    QVERIFY(again.resume(QDir(dir.path()).filePath("last.pt")));
    QCOMPARE(again.run().batchLosses.size(), std::size_t(0));
}

void tst_Trainer::averagingRunResumedPastItsPatienceGoesOn()
{
    // Weight averaging from epoch 2 switches early stopping off: a run stopped after epoch 2
    // with its patience used up (a model that never improves) must train epochs 3 and 4.
    Setup data;
    QTemporaryDir dir;
    TrainerOptions o = options(dir.path());
    o.epochs = 4;
    o.patience = 1;
    o.swaStart = 2;
    TrainControl control;
    Recorder recorder;
    recorder.afterBatch = [&](const BatchEvent &) {
        if (recorder.batches == 8) // the last batch of epoch 2
            control.requestStop();
    };
    Trainer first(std::make_shared<ConstantModel>(horizon), data.train, data.validation, o);
    first.setControl(&control);
    first.setObserver(&recorder);
    const TrainResult part1 = first.run();
    QCOMPARE(int(part1.outcome), int(TrainOutcome::Interrupted));
    QCOMPARE(part1.state.epoch, std::int64_t(2));
    QVERIFY(part1.state.badEpochs >= o.patience);

    Trainer second(std::make_shared<ConstantModel>(horizon), data.train, data.validation, o);
    QVERIFY(second.resume(QDir(dir.path()).filePath("last.pt")));
    const TrainResult part2 = second.run();
    QCOMPARE(int(part2.outcome), int(TrainOutcome::Finished));
    QCOMPARE(part2.batchLosses.size(), std::size_t(2 * 4));
    QCOMPARE(part2.state.swaCount, std::int64_t(3)); // epochs 2, 3 and 4 averaged
}

void tst_Trainer::nanLossStops()
{
    Setup data;
    auto model = tinyModel(1);
    model->nanAfterCalls = 6; // the 7th batch: epoch 2, batch 3
    Trainer trainer(model, data.train, data.validation, options());
    const TrainResult r = trainer.run();
    QCOMPARE(int(r.outcome), int(TrainOutcome::Diverged));
    QCOMPARE(r.message, QStringLiteral("loss became NaN at epoch 2, batch 3"));
    QCOMPARE(r.batchLosses.size(), std::size_t(6));
}

void tst_Trainer::earlyStoppingStops()
{
    Setup data;
    TrainerOptions o = options();
    o.epochs = 10;
    o.patience = 2;
    Recorder recorder;
    Trainer trainer(std::make_shared<ConstantModel>(horizon), data.train, data.validation, o);
    trainer.setObserver(&recorder);
    const TrainResult r = trainer.run();
    QCOMPARE(int(r.outcome), int(TrainOutcome::EarlyStopped));
    QCOMPARE(r.state.epoch, std::int64_t(3)); // epoch 1 is the best, 2 and 3 are not better
    QCOMPARE(r.state.bestEpoch, std::int64_t(0));
    QCOMPARE(recorder.epochs.size(), std::size_t(3));
    QVERIFY(recorder.epochs[0].best && !recorder.epochs[1].best && !recorder.epochs[2].best);
    QCOMPARE(recorder.earlyStops.size(), std::size_t(1));
    QCOMPARE(recorder.earlyStops[0].patience, std::int64_t(2));
}

void tst_Trainer::scoredChannelAloneCounts()
{
    // The MS setting: the loss of channel 1 only, in meanLoss and in training.
    Setup data;
    auto model = tinyModel(4);
    model->eval();
    const ExampleBatch all = data.validation.range(0, data.validation.size());
    const torch::Tensor error = model->forward(all.x).prediction.detach() - all.y;
    const double channel1 = error.select(-1, 1).pow(2).mean().item<double>();
    const double both = error.pow(2).mean().item<double>();
    QVERIFY(std::abs(channel1 - both) > 1e-3 * both);
    QVERIFY(std::abs(Trainer::meanLoss(*model, data.validation, 7, LossKind::MeanSquaredError, 1) -
                     channel1) < 1e-6 * channel1);
    QVERIFY(std::abs(Trainer::meanLoss(*model, data.validation, 7) - both) < 1e-6 * both);

    // Trained on channel 1 alone, channel 0's error does not steer the weights: the run differs
    // from one scored on both channels, and reports channel 1's validation loss.
    TrainerOptions o = options();
    o.scoredChannel = 1;
    Recorder scored, plain;
    auto a = tinyModel(4), b = tinyModel(4);
    Trainer ta(a, data.train, data.validation, o);
    ta.setObserver(&scored);
    QCOMPARE(int(ta.run().outcome), int(TrainOutcome::Finished));
    Trainer tb(b, data.train, data.validation, options());
    tb.setObserver(&plain);
    QCOMPARE(int(tb.run().outcome), int(TrainOutcome::Finished));
    QVERIFY(scored.epochs.back().valLoss != plain.epochs.back().valLoss);
    QVERIFY(std::abs(scored.epochs.back().valLoss -
                     Trainer::meanLoss(*a, data.validation, 7, LossKind::MeanSquaredError, 1)) <
            1e-6 * scored.epochs.back().valLoss);
}

void tst_Trainer::bestWeightsAreKept()
{
    Setup data;
    QTemporaryDir dir;
    TrainerOptions o = options(dir.path());
    o.epochs = 5;
    o.optimizer.lr = 0.3; // large steps: the validation loss goes up and down
    Recorder recorder;
    auto model = tinyModel(4);
    Trainer trainer(model, data.train, data.validation, o);
    trainer.setObserver(&recorder);
    const TrainResult r = trainer.run();
    QCOMPARE(int(r.outcome), int(TrainOutcome::Finished));
    double best = std::numeric_limits<double>::infinity();
    for (const EpochEvent &e : recorder.epochs)
        best = std::min(best, e.valLoss);
    QCOMPARE(r.state.bestValLoss, best);
    // The model holds the best weights: its validation loss is the best one, and best.pt has them.
    QVERIFY(std::abs(Trainer::meanLoss(*model, data.validation, 7) - best) < 1e-6 * best);
    Expected<Checkpoint> saved = loadCheckpoint(QDir(dir.path()).filePath("best.pt"));
    QVERIFY(saved);
    for (const auto &entry : moduleStateDict(*model))
        QVERIFY(torch::equal(entry.value(), saved->model.at(entry.key())));
}

void tst_Trainer::fineTuneFreezes()
{
    Setup data;
    QTemporaryDir pretrainDir;
    Trainer pretrain(tinyModel(8), data.train, data.validation, options(pretrainDir.path()));
    QCOMPARE(int(pretrain.run().outcome), int(TrainOutcome::Finished));
    Expected<Checkpoint> source = loadCheckpoint(QDir(pretrainDir.path()).filePath("best.pt"));
    QVERIFY(source);

    auto model = tinyModel(9);
    Expected<InitReport> init = initializeFrom(*model, source->model, "best.pt");
    QVERIFY(init);
    QCOMPARE(init->loaded.size(), 3);
    QVERIFY(init->notInSource.isEmpty() && init->notInModel.isEmpty());
    QVERIFY(torch::equal(model->time->weight, source->model.at("time.weight")));

    Expected<QStringList> frozen = freezeParameters(*model, {QStringLiteral("time.")});
    QVERIFY(frozen);
    QCOMPARE(*frozen, (QStringList{"time.weight", "time.bias"}));
    const torch::Tensor timeBefore = model->time->weight.detach().clone();
    const torch::Tensor gainBefore = model->gain.detach().clone();
    Trainer fineTune(model, data.train, data.validation, options());
    QCOMPARE(int(fineTune.run().outcome), int(TrainOutcome::Finished));
    QVERIFY(torch::equal(model->time->weight, timeBefore));
    QVERIFY(!torch::equal(model->gain, gainBefore));

    Expected<QStringList> typo = freezeParameters(*model, {QStringLiteral("encoder.")});
    QVERIFY(!typo);
    QVERIFY(typo.error().reason.contains("encoder."));
}

void tst_Trainer::fineTuneShapeMismatch()
{
    auto source = tinyModel(1);
    auto other = std::make_shared<TinyModel>(lookback * 2, horizon);
    const torch::Tensor before = other->time->weight.detach().clone();
    Expected<InitReport> init = initializeFrom(*other, moduleStateDict(*source), "run/best.pt");
    QVERIFY(!init);
    QCOMPARE(init.error().file, QStringLiteral("run/best.pt"));
    QVERIFY2(init.error().reason.contains("time.weight") &&
                 init.error().reason.contains("[4, 16]") && init.error().reason.contains("[4, 32]"),
             qPrintable(init.error().reason));
    QVERIFY(torch::equal(other->time->weight, before)); // nothing copied
}

void tst_Trainer::checkpointsAreAtomic()
{
    Setup data;
    QTemporaryDir dir;
    Trainer trainer(tinyModel(2), data.train, data.validation, options(dir.path()));
    const TrainResult r = trainer.run();
    QCOMPARE(int(r.outcome), int(TrainOutcome::Finished));
    const QStringList files = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(files, (QStringList{"best.pt", "last.pt"})); // no temporary file left behind
    Expected<Checkpoint> last = loadCheckpoint(QDir(dir.path()).filePath("last.pt"));
    QVERIFY(last);
    QCOMPARE(last->state.epoch, std::int64_t(3));
    QVERIFY(last->state.finished);
    QCOMPARE(last->optimizerKind, std::string("adam"));
    QCOMPARE(last->optimizer.at("time.weight:step").item<std::int64_t>(), std::int64_t(12));
    QVERIFY(last->rngState.numel() > 0);
}

void tst_Trainer::epochCheckpointsEveryN()
{
    QCOMPARE(epochCheckpointName(2), QStringLiteral("epoch_002.pt"));
    QCOMPARE(epochCheckpointName(123), QStringLiteral("epoch_123.pt"));
    Setup data;
    QTemporaryDir dir;
    TrainerOptions o = options(dir.path());
    o.epochs = 4;
    o.checkpointEvery = 2;
    auto model = tinyModel(2);
    Trainer trainer(model, data.train, data.validation, o);
    const TrainResult r = trainer.run();
    QCOMPARE(int(r.outcome), int(TrainOutcome::Finished));
    const QStringList files = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(files, (QStringList{"best.pt", "epoch_002.pt", "epoch_004.pt", "last.pt"}));
    Expected<Checkpoint> second = loadCheckpoint(QDir(dir.path()).filePath("epoch_002.pt"));
    QVERIFY2(second, qPrintable(second ? QString() : second.error().toString()));
    QCOMPARE(second->state.epoch, std::int64_t(2));
    Expected<Checkpoint> fourth = loadCheckpoint(QDir(dir.path()).filePath("epoch_004.pt"));
    QVERIFY(fourth);
    QCOMPARE(fourth->state.epoch, std::int64_t(4));
    // epoch_004 holds the weights after the last epoch, the same as last.pt.
    Expected<Checkpoint> last = loadCheckpoint(QDir(dir.path()).filePath("last.pt"));
    QVERIFY(last);
    for (const auto &entry : last->model)
        QVERIFY(torch::equal(entry.value(), fourth->model.at(entry.key())));
    // ... and the weights changed between epoch 2 and epoch 4.
    bool changed = false;
    for (const auto &entry : second->model)
        changed = changed || !torch::equal(entry.value(), fourth->model.at(entry.key()));
    QVERIFY(changed);
    // A resumed run that passes epoch 4 again overwrites the file.
    TrainerOptions more = o;
    more.epochs = 6;
    Trainer again(tinyModel(2), data.train, data.validation, more);
    QVERIFY(again.resume(QDir(dir.path()).filePath("epoch_002.pt")));
    QCOMPARE(int(again.run().outcome), int(TrainOutcome::Finished));
    QVERIFY(QFile::exists(QDir(dir.path()).filePath("epoch_006.pt")));
    QCOMPARE(loadCheckpoint(QDir(dir.path()).filePath("epoch_004.pt"))->state.epoch,
             std::int64_t(4));
}

void tst_Trainer::badCheckpointIsAnError()
{
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath("last.pt");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("this is not a checkpoint");
    file.close();
    Expected<Checkpoint> c = loadCheckpoint(path);
    QVERIFY(!c);
    QCOMPARE(c.error().file, path);
    Expected<Checkpoint> missing = loadCheckpoint(QDir(dir.path()).filePath("none.pt"));
    QVERIFY(!missing);
    QVERIFY(missing.error().reason.contains("does not exist"));
}

/// A checkpoint whose model holds one tensor of 4096 floats of the value 1234.5 (a pattern
/// easy to find in the file's bytes).
static Checkpoint patternCheckpoint()
{
    Checkpoint c;
    c.model.insert("weight", torch::full({4096}, 1234.5f));
    c.optimizerKind = "adam";
    c.state.epoch = 3;
    c.lr = 1e-3;
    c.rngState = rngState(); // uint8 tensor
    return c;
}

void tst_Trainer::damagedArchivesAreRefusedByName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reason");
    // The zip directory points past the end: LibTorch's own reader copied 4 KB past the buffer.
    QTest::newRow("zip directory past the end") << "heap-overflow-zip-directory-past-end.pt"
                                                << "unreadable checkpoint: ";
    // A string length in data.pkl turned into gigabytes: LibTorch allocated and zeroed them.
    QTest::newRow("pickle length of gigabytes")
        << "huge-pickle-length.pt"
        << "damaged checkpoint: its pickled content has a length of ";
}

void tst_Trainer::damagedArchivesAreRefusedByName()
{
    QFETCH(QString, name);
    QFETCH(QString, reason);
    const QString path = QStringLiteral(TWB_FUZZ_DIR "/regressions/checkpoint/") + name;
    QVERIFY(QFileInfo::exists(path));
    const Expected<Checkpoint> loaded = loadCheckpoint(path);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().file, path);
    QVERIFY2(loaded.error().reason.startsWith(reason), qPrintable(loaded.error().reason));
}

void tst_Trainer::corruptedTensorBytesAreRefused()
{
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath("best.pt");
    QVERIFY(saveCheckpoint(path, patternCheckpoint()));
    Expected<Checkpoint> good = loadCheckpoint(path);
    QVERIFY2(good, qPrintable(good ? QString() : good.error().toString()));
    QCOMPARE(good->model.at("weight")[7].item<float>(), 1234.5f);

    // Overwrite bytes inside the tensor's data: the zip stays valid, the numbers change.
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    const float value = 1234.5f;
    const QByteArray pattern = QByteArray(reinterpret_cast<const char *>(&value), 4).repeated(64);
    const qsizetype at = bytes.indexOf(pattern);
    QVERIFY(at > 0);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    bytes.replace(at + 4 * 10, 4, QByteArray(reinterpret_cast<const char *>(&nan), 4));
    QVERIFY(file.seek(0));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();

    Expected<Checkpoint> corrupted = loadCheckpoint(path);
    QVERIFY(!corrupted);
    QCOMPARE(corrupted.error().file, path);
    QVERIFY2(corrupted.error().reason.contains("corrupted checkpoint"),
             qPrintable(corrupted.error().reason));
}

void tst_Trainer::checkpointOfTheFirstFormatStillLoads()
{
    // Runs trained before the checksum (format 1) keep loading, unchecked.
    const Checkpoint c = patternCheckpoint();
    c10::impl::GenericDict state(c10::StringType::get(), c10::AnyType::get());
    for (const char *key :
         {"epoch", "batch", "global_step", "best_epoch", "bad_epochs", "epoch_samples"})
        state.insert(key, std::int64_t(0));
    state.insert("best_val_loss", 1.0);
    state.insert("epoch_loss_sum", 0.0);
    state.insert("finished", false);
    c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
    root.insert("format", std::int64_t(1));
    root.insert("model", c.model);
    root.insert("optimizer", c.optimizer);
    root.insert("optimizer_kind", c.optimizerKind);
    root.insert("state", state);
    root.insert("rng", c.rngState);
    root.insert("lr", c.lr);
    const std::vector<char> bytes = torch::pickle_save(root);
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath("old.pt");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes.data(), qint64(bytes.size()));
    file.close();
    Expected<Checkpoint> loaded = loadCheckpoint(path);
    QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
    QCOMPARE(loaded->model.at("weight")[0].item<float>(), 1234.5f);
}

void tst_Trainer::memoryEstimateLeavesTheRunAsItWas()
{
    Setup data;
    const TrainResult plain = Trainer(tinyModel(1), data.train, data.validation, options()).run();

    std::shared_ptr<TinyModel> model = tinyModel(1);
    torch::manual_seed(5);
    const torch::Tensor nextDraw = torch::rand({4});
    torch::manual_seed(5);
    Expected<MemoryEstimate> estimate = estimateTrainingMemory(*model, data.train, 32, 10);
    QVERIFY2(estimate, qPrintable(estimate ? QString() : estimate.error().toString()));
    QVERIFY(torch::equal(torch::rand({4}), nextDraw)); // the generator as it was
    std::int64_t parameterBytes = 0;
    for (const torch::Tensor &p : model->parameters())
        parameterBytes += p.numel() * 4;
    QCOMPARE(estimate->parameters, parameterBytes);
    QCOMPARE(estimate->batchSize, std::int64_t(32));
    QVERIFY(estimate->step >= 0); // a step this small may fit in memory already resident
    QVERIFY(estimate->resident > 0);
    QCOMPARE(estimate->predictions, std::int64_t(10 * horizon * 2 * 4)); // 10 windows x H x 2
    QCOMPARE(estimate->peak(),
             estimate->resident + estimate->step + 4 * parameterBytes + 6 * estimate->predictions);
    for (const torch::Tensor &p : model->parameters())
        QVERIFY(!p.grad().defined()); // the step's gradients are gone
    QVERIFY(estimate->describe().startsWith("estimated peak "));
    // A batch larger than the set is the whole set.
    QCOMPARE(estimateTrainingMemory(*model, data.train, 1000)->batchSize, std::int64_t(100));

    // The run after the probe is the run without it, loss for loss.
    const TrainResult probed = Trainer(model, data.train, data.validation, options()).run();
    QCOMPARE(probed.batchLosses, plain.batchLosses);
    QVERIFY(availableMemory() > 0);
    const std::int64_t resident = residentMemory(); // read before the peak: it only grows
    QVERIFY(peakResidentMemory() >= resident);
}

void tst_Trainer::pauseAndStep()
{
    Setup data;
    TrainControl control;
    control.pause();
    Recorder recorder;
    std::atomic<int> seen{0};
    recorder.afterBatch = [&](const BatchEvent &) {
        seen.store(recorder.batches);
    };
    Trainer trainer(tinyModel(1), data.train, data.validation, options());
    trainer.setControl(&control);
    trainer.setObserver(&recorder);
    std::thread driver([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        control.step();
        while (seen.load() < 1)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(100)); // still paused: no batch
        control.requestStop();
    });
    const TrainResult r = trainer.run();
    driver.join();
    QCOMPARE(int(r.outcome), int(TrainOutcome::Interrupted));
    QCOMPARE(r.batchLosses.size(), std::size_t(1));
}

void tst_Trainer::plateauScheduleHalvesAndResumes_data()
{
    QTest::addColumn<int>("stopAfter");
    QTest::newRow("after epoch 3, whose end halved the rate") << 12;
    QTest::newRow("mid-epoch 4") << 14;
}

void tst_Trainer::plateauScheduleHalvesAndResumes()
{
    // A model that never improves after its first epoch: the rate halves after every second
    // epoch without a better validation loss, and a resumed run goes on with the halved rate.
    QFETCH(int, stopAfter);
    Setup data;
    QTemporaryDir dirA, dirB;
    const auto plateauOptions = [](const QString &dir) {
        TrainerOptions o = options(dir);
        o.epochs = 6;
        o.schedule.kind = ScheduleKind::Plateau;
        o.schedule.stepSize = 2;
        o.schedule.gamma = 0.5;
        return o;
    };
    const auto ratesOf = [](const Recorder &r) {
        std::vector<double> rates;
        for (const EpochEvent &e : r.epochs)
            rates.push_back(e.lr);
        return rates;
    };
    Recorder straight;
    Trainer full(std::make_shared<ConstantModel>(horizon), data.train, data.validation,
                 plateauOptions(dirA.path()));
    full.setObserver(&straight);
    QCOMPARE(int(full.run().outcome), int(TrainOutcome::Finished));
    const std::vector<double> rates = ratesOf(straight);
    QCOMPARE(rates, (std::vector<double>{0.01, 0.01, 0.01, 0.005, 0.005, 0.0025}));

    TrainControl control;
    Recorder before;
    before.afterBatch = [&](const BatchEvent &) {
        if (before.batches == stopAfter)
            control.requestStop();
    };
    Trainer first(std::make_shared<ConstantModel>(horizon), data.train, data.validation,
                  plateauOptions(dirB.path()));
    first.setControl(&control);
    first.setObserver(&before);
    QCOMPARE(int(first.run().outcome), int(TrainOutcome::Interrupted));
    Recorder after;
    Trainer second(std::make_shared<ConstantModel>(horizon), data.train, data.validation,
                   plateauOptions(dirB.path()));
    second.setObserver(&after);
    QVERIFY(second.resume(QDir(dirB.path()).filePath("last.pt")));
    QCOMPARE(int(second.run().outcome), int(TrainOutcome::Finished));
    std::vector<double> joined = ratesOf(before);
    const std::vector<double> rest = ratesOf(after);
    joined.insert(joined.end(), rest.begin(), rest.end());
    QCOMPARE(joined, rates);
}

QTEST_GUILESS_MAIN(tst_Trainer)
#include "tst_trainer.moc"
