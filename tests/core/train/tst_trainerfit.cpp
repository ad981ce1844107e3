// The Trainer's path for models fitted in one pass (nn/OnePassFit.h): one fit on the training
// part to measure the validation loss, the final fit on training and validation together, one
// epoch recorded, best.pt and last.pt written and loadable into a fresh model whose fitted
// buffers are still empty, and a finished fit resumed without fitting again.

#include "nn/Model.h"
#include "nn/OnePassFit.h"
#include "train/Checkpoint.h"
#include "train/TrainObserver.h"
#include "train/Trainer.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

namespace {

/// Nearest class mean: the smallest one-pass classifier. "means" [classes, T·C] is empty until
/// fitted (its shape comes from the data, as 1-NN DTW's cases do); "fitted_cases" counts the
/// cases of the last fit; "fits" counts fit() calls.
class NearestMean : public Model, public OnePassFit
{
public:
    explicit NearestMean(std::int64_t classes)
        : m_classes(classes)
    {
        m_means = register_buffer("means", torch::empty({0}));
        m_fittedCases = register_buffer("fitted_cases", torch::zeros({1}, torch::kLong));
    }

    ModelOutput forward(const torch::Tensor &input, const ForwardOptions & = {}) override
    {
        TORCH_CHECK(m_means.numel() > 0, "NearestMean: not fitted");
        ModelOutput out;
        out.prediction = -torch::cdist(input.reshape({input.size(0), -1}), m_means).pow(2);
        return out;
    }
    std::vector<TokenInfo> tokens() const override { return {}; }

    Status fit(const torch::Tensor &x, const torch::Tensor &labels, const torch::Tensor &,
               std::uint64_t) override
    {
        ++fits;
        const torch::Tensor flat = x.reshape({x.size(0), -1});
        torch::Tensor means = torch::zeros({m_classes, flat.size(1)});
        for (std::int64_t k = 0; k < m_classes; ++k) {
            const torch::Tensor rows = flat.index({labels == k});
            if (rows.size(0) == 0)
                return Status(Error{QStringLiteral("class %1 has no case").arg(k), {}, 0});
            means[k] = rows.mean(0);
        }
        m_means.set_(means);
        m_fittedCases.fill_(x.size(0));
        return Status::ok();
    }

    std::int64_t fittedCases() const { return m_fittedCases.item<std::int64_t>(); }
    int fits = 0;

private:
    std::int64_t m_classes;
    torch::Tensor m_means, m_fittedCases;
};

/// Classification examples held as tensors.
class TensorExamples : public ExampleSet
{
public:
    TensorExamples(torch::Tensor x, torch::Tensor y)
        : m_x(std::move(x))
        , m_y(std::move(y))
    {}
    std::int64_t size() const override { return m_x.size(0); }
    ExampleBatch batch(const torch::Tensor &indices) const override
    {
        ExampleBatch b;
        b.x = m_x.index_select(0, indices);
        b.y = m_y.index_select(0, indices);
        return b;
    }

private:
    torch::Tensor m_x, m_y;
};

/// Two classes of [time 5, channels 2] cases around 0 and 1.
std::shared_ptr<TensorExamples> examples(std::int64_t n, std::uint64_t seed)
{
    torch::manual_seed(seed);
    const torch::Tensor y = torch::arange(n, torch::kLong) % 2;
    const torch::Tensor x = 0.3 * torch::randn({n, 5, 2}) + y.to(torch::kFloat).view({n, 1, 1});
    return std::make_shared<TensorExamples>(x, y);
}

class Recorder : public TrainObserver
{
public:
    void onStart(const TrainStartEvent &e) override { starts.push_back(e); }
    void onBatch(const BatchEvent &) override { ++batches; }
    void onEpoch(const EpochEvent &e) override { epochs.push_back(e); }
    void onMessage(const QString &m) override { messages << m; }
    std::vector<TrainStartEvent> starts;
    std::vector<EpochEvent> epochs;
    QStringList messages;
    int batches = 0;
};

TrainerOptions fitOptions(const QString &dir)
{
    TrainerOptions o;
    o.epochs = 50; // not used by a fit
    o.batchSize = 4;
    o.loss = LossKind::CrossEntropy;
    o.checkpointDir = dir;
    return o;
}

} // namespace

class tst_TrainerFit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fitsOnceForValidationThenOnEverything()
    {
        QTemporaryDir dir;
        auto model = std::make_shared<NearestMean>(2);
        auto train = examples(20, 1), validation = examples(6, 2);
        Trainer trainer(model, train, validation, fitOptions(dir.path()));
        Recorder recorder;
        trainer.setObserver(&recorder);
        const TrainResult result = trainer.run();
        QCOMPARE(result.outcome, TrainOutcome::Finished);
        QCOMPARE(model->fits, 2);
        QCOMPARE(model->fittedCases(), std::int64_t(26)); // the final fit saw both parts
        QCOMPARE(recorder.batches, 0);
        QCOMPARE(recorder.starts.size(), std::size_t(1));
        QCOMPARE(recorder.starts[0].epochs, std::int64_t(1));
        QCOMPARE(recorder.epochs.size(), std::size_t(1));
        const EpochEvent &epoch = recorder.epochs[0];
        QCOMPARE(epoch.epoch, std::int64_t(1));
        QVERIFY(epoch.best);
        QVERIFY(std::isfinite(epoch.valLoss) && std::isfinite(epoch.trainLoss));
        QCOMPARE(result.state.epoch, std::int64_t(1));
        QVERIFY(result.state.finished);
        QCOMPARE(result.state.bestValLoss, epoch.valLoss);
        QVERIFY(recorder.messages.join('\n').contains(QStringLiteral("then on all 26 cases")));

        // The validation loss is that of the fit on the training part alone.
        NearestMean trainOnly(2);
        const ExampleBatch all = train->range(0, 20);
        QVERIFY(trainOnly.fit(all.x, all.y, {}, 0).isOk());
        const double expected =
            Trainer::meanLoss(trainOnly, *validation, 4, LossKind::CrossEntropy);
        QVERIFY(std::abs(expected - epoch.valLoss) < 1e-9);

        // best.pt loads into a fresh model whose fitted buffer is still empty.
        for (const char *name : {"best.pt", "last.pt"}) {
            Expected<Checkpoint> saved = loadCheckpoint(dir.filePath(QLatin1String(name)));
            QVERIFY2(saved.hasValue(), name);
            NearestMean fresh(2);
            QVERIFY(loadModuleStateDict(fresh, saved->model, QLatin1String(name)).isOk());
            const ExampleBatch v = validation->range(0, 6);
            QVERIFY(torch::equal(fresh.forward(v.x).prediction, model->forward(v.x).prediction));
        }
    }

    void resumingAFinishedFitDoesNotFitAgain()
    {
        QTemporaryDir dir;
        auto train = examples(20, 1), validation = examples(6, 2);
        {
            Trainer first(std::make_shared<NearestMean>(2), train, validation,
                          fitOptions(dir.path()));
            QCOMPARE(first.run().outcome, TrainOutcome::Finished);
        }
        auto model = std::make_shared<NearestMean>(2);
        Trainer again(model, train, validation, fitOptions(dir.path()));
        QVERIFY(again.resume(dir.filePath(QStringLiteral("last.pt"))).isOk());
        const TrainResult result = again.run();
        QCOMPARE(result.outcome, TrainOutcome::Finished);
        QCOMPARE(model->fits, 0);
        QCOMPARE(model->fittedCases(), std::int64_t(26));
    }

    void aFailedFitIsReported()
    {
        QTemporaryDir dir;
        // Only class 0 in the training part: the model refuses, the run fails with its reason.
        torch::manual_seed(4);
        auto train = std::make_shared<TensorExamples>(torch::randn({6, 5, 2}),
                                                      torch::zeros({6}, torch::kLong));
        auto model = std::make_shared<NearestMean>(2);
        Trainer trainer(model, train, examples(4, 2), fitOptions(dir.path()));
        const TrainResult result = trainer.run();
        QCOMPARE(result.outcome, TrainOutcome::Failed);
        QVERIFY2(result.message.contains(QStringLiteral("class 1 has no case")),
                 qPrintable(result.message));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("best.pt"))));
    }
};

QTEST_GUILESS_MAIN(tst_TrainerFit)
#include "tst_trainerfit.moc"
