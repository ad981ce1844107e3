// Fine-tuning from a pretrained run (issue 19): what loads into a model of other channels or
// horizon, the parameter named when nothing can, and the recipes (frozen parameters stay
// bit-identical, a linear probe trains the head alone, head-first thaws on time).

#include "PatchTST.h"
#include "TST.h"
#include "train/Checkpoint.h"
#include "train/FineTune.h"
#include "train/FineTunePlan.h"
#include "train/ForecastWindows.h"
#include "train/Trainer.h"

#include <QTest>

using namespace twb;

namespace {

PatchTSTOptions patchOptions(Task task, std::int64_t lookback, std::int64_t channels,
                             std::int64_t horizon = 0)
{
    ModelSpec spec;
    spec.task = task;
    spec.lookback = lookback;
    spec.channels = channels;
    spec.horizon = horizon;
    PatchTSTOptions o(spec);
    o.dModel(16).numHeads(2).dFF(32).numLayers(1).dropout(0.0).patchLength(12).stride(12);
    return o;
}

/// The weights of a (not trained) pretraining PatchTST of 3 channels.
TensorDict pretrainedWeights(std::int64_t lookback = 48, bool affine = false)
{
    torch::manual_seed(1);
    PatchTST model(patchOptions(Task::Reconstruct, lookback, 3).affine(affine));
    return moduleStateDict(*model);
}

std::shared_ptr<PatchTSTImpl> forecaster(std::int64_t lookback, std::int64_t channels,
                                         std::int64_t horizon, bool affine = false)
{
    torch::manual_seed(2);
    return std::make_shared<PatchTSTImpl>(
        patchOptions(Task::Forecast, lookback, channels, horizon).affine(affine));
}

ForecastWindows seriesWindows(std::int64_t channels, std::int64_t lookback, std::int64_t horizon,
                              std::int64_t first, std::int64_t count)
{
    const torch::Tensor t = torch::arange(600, torch::kFloat).unsqueeze(1);
    const torch::Tensor series =
        torch::sin(t * 0.13 + torch::arange(channels, torch::kFloat).unsqueeze(0)).contiguous();
    std::vector<std::int64_t> starts;
    for (std::int64_t i = 0; i < count; ++i)
        starts.push_back(first + 3 * i);
    return ForecastWindows(series, starts, lookback, horizon);
}

TrainerOptions options(std::int64_t epochs)
{
    TrainerOptions o;
    o.epochs = epochs;
    o.batchSize = 16;
    o.patience = 0;
    o.optimizer.lr = 1e-2;
    return o;
}

/// Initialises `model` from a pretraining run's weights and applies `recipe`.
FineTunePlan prepare(PatchTSTImpl &model, const QString &recipe)
{
    Expected<InitReport> report = initializeFrom(model, pretrainedWeights(), "pretrain/best.pt");
    if (!report)
        qFatal("%s", qPrintable(report.error().toString()));
    Expected<FineTuneRecipe> r = FineTuneRecipe::parse(recipe);
    Expected<FineTunePlan> plan = applyRecipe(model, *r, report->notInSource, "best.pt");
    if (!plan)
        qFatal("%s", qPrintable(plan.error().toString()));
    return *plan;
}

bool isHead(const std::string &name)
{
    return name.rfind("head.", 0) == 0;
}

} // namespace

class tst_FineTuneRecipe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void backboneLoadsIntoOtherChannelsAndHorizon_data();
    void backboneLoadsIntoOtherChannelsAndHorizon();
    void mismatchNamesTheParameter_data();
    void mismatchNamesTheParameter();
    void recipesParse();
    void linearProbeTrainsOnlyTheHead();
    void frozenParametersStayBitIdentical();
    void headFirstThawsAfterItsEpochs();
    void recipeWithoutFreshHeadIsRefused();
};

void tst_FineTuneRecipe::backboneLoadsIntoOtherChannelsAndHorizon_data()
{
    QTest::addColumn<qint64>("channels");
    QTest::addColumn<qint64>("horizon");
    QTest::newRow("same channels, H 24") << qint64(3) << qint64(24);
    QTest::newRow("one channel, H 12") << qint64(1) << qint64(12);
    QTest::newRow("seven channels, H 96") << qint64(7) << qint64(96);
}

void tst_FineTuneRecipe::backboneLoadsIntoOtherChannelsAndHorizon()
{
    QFETCH(qint64, channels);
    QFETCH(qint64, horizon);
    const TensorDict source = pretrainedWeights();
    auto model = forecaster(48, channels, horizon);
    Expected<InitReport> report = initializeFrom(*model, source, "pretrain/best.pt");
    QVERIFY2(report, report ? "" : qPrintable(report.error().toString()));
    QCOMPARE(report->notInSource, (QStringList{"head.weight", "head.bias"}));
    QCOMPARE(report->notInModel, (QStringList{"pretrain_head.weight", "pretrain_head.bias"}));
    QVERIFY(report->loaded.contains("patch_embedding.weight"));
    QVERIFY(report->loaded.contains("positional_encoding.pe"));
    for (const auto &p : model->named_parameters())
        if (!isHead(p.key()))
            QVERIFY2(torch::equal(p.value(), source.at(p.key())), p.key().c_str());
    QVERIFY(model->forward(torch::randn({2, 48, channels})).prediction.sizes().vec() ==
            (std::vector<std::int64_t>{2, horizon, channels}));
}

void tst_FineTuneRecipe::mismatchNamesTheParameter_data()
{
    QTest::addColumn<qint64>("lookback");
    QTest::addColumn<bool>("affine");
    QTest::addColumn<QString>("parameter");
    QTest::newRow("other lookback: more patches") << qint64(96) << false << "positional_encoding";
    QTest::newRow("RevIN affine over other channels") << qint64(48) << true << "revin.";
}

void tst_FineTuneRecipe::mismatchNamesTheParameter()
{
    QFETCH(qint64, lookback);
    QFETCH(bool, affine);
    QFETCH(QString, parameter);
    auto model = forecaster(lookback, 2, 24, affine);
    const TensorDict before = moduleStateDict(*model);
    Expected<InitReport> report =
        initializeFrom(*model, pretrainedWeights(48, affine), "pretrain/best.pt");
    QVERIFY(!report);
    QCOMPARE(report.error().file, QStringLiteral("pretrain/best.pt"));
    QVERIFY2(report.error().reason.contains("cannot initialise " + parameter),
             qPrintable(report.error().reason));
    QVERIFY(report.error().reason.contains("in the source"));
    for (const auto &p : model->named_parameters()) // nothing copied
        QVERIFY(torch::equal(p.value(), before.at(p.key())));
}

void tst_FineTuneRecipe::recipesParse()
{
    QCOMPARE(FineTuneRecipe::parse("")->kind, FineTuneRecipe::Kind::Full);
    QCOMPARE(FineTuneRecipe::parse("full")->kind, FineTuneRecipe::Kind::Full);
    QCOMPARE(FineTuneRecipe::parse("linear-probe")->kind, FineTuneRecipe::Kind::LinearProbe);
    const Expected<FineTuneRecipe> h = FineTuneRecipe::parse("head-first:10");
    QCOMPARE(h->kind, FineTuneRecipe::Kind::HeadFirst);
    QCOMPARE(h->headEpochs, std::int64_t(10));
    QCOMPARE(h->name(), QStringLiteral("head-first:10"));
    for (const char *bad : {"head-first", "head-first:0", "head-first:x", "probe"}) {
        const Expected<FineTuneRecipe> r = FineTuneRecipe::parse(bad);
        QVERIFY(!r);
        QVERIFY(r.error().reason.contains(QLatin1String(bad)));
    }
}

void tst_FineTuneRecipe::linearProbeTrainsOnlyTheHead()
{
    auto model = forecaster(48, 2, 12);
    const FineTunePlan plan = prepare(*model, "linear-probe");
    QVERIFY(!plan.frozen.isEmpty());
    QVERIFY(plan.thawLater.empty());
    const TensorDict before = moduleStateDict(*model);
    Trainer trainer(model, seriesWindows(2, 48, 12, 0, 64), seriesWindows(2, 48, 12, 300, 16),
                    options(2));
    const TrainResult result = trainer.run();
    QCOMPARE(result.outcome, TrainOutcome::Finished);
    std::int64_t trainable = 0;
    for (const auto &p : model->named_parameters()) {
        if (isHead(p.key())) {
            QVERIFY2(!torch::equal(p.value(), before.at(p.key())), p.key().c_str());
            ++trainable;
        } else {
            QVERIFY2(torch::equal(p.value(), before.at(p.key())), p.key().c_str());
            QVERIFY(!p.value().requires_grad());
        }
    }
    QCOMPARE(trainable, std::int64_t(2));
}

void tst_FineTuneRecipe::frozenParametersStayBitIdentical()
{
    // --freeze after --init-from (the recipe "full" with a prefix frozen by hand).
    auto model = forecaster(48, 2, 12);
    prepare(*model, "full");
    Expected<QStringList> frozen = freezeParameters(*model, {"encoder.", "patch_embedding."});
    QVERIFY(frozen && !frozen->isEmpty());
    const TensorDict before = moduleStateDict(*model);
    Trainer trainer(model, seriesWindows(2, 48, 12, 0, 64), seriesWindows(2, 48, 12, 300, 16),
                    options(2));
    QCOMPARE(trainer.run().outcome, TrainOutcome::Finished);
    for (const QString &name : *frozen)
        QVERIFY2(torch::equal(model->named_parameters()[name.toStdString()],
                              before.at(name.toStdString())),
                 qPrintable(name));
    QVERIFY(!torch::equal(model->named_parameters()["head.weight"], before.at("head.weight")));
    QVERIFY(!torch::equal(model->named_parameters()["positional_encoding.pe"],
                          before.at("positional_encoding.pe")));
}

void tst_FineTuneRecipe::headFirstThawsAfterItsEpochs()
{
    for (std::int64_t epochs : {1, 2}) {
        auto model = forecaster(48, 2, 12);
        const FineTunePlan plan = prepare(*model, "head-first:1");
        QCOMPARE(plan.thawEpoch, std::int64_t(1));
        QVERIFY(!plan.thawLater.empty());
        const TensorDict before = moduleStateDict(*model);
        TrainerOptions o = options(epochs);
        o.thawLater = plan.thawLater;
        o.thawEpoch = plan.thawEpoch;
        Trainer trainer(model, seriesWindows(2, 48, 12, 0, 64), seriesWindows(2, 48, 12, 300, 16),
                        o);
        QCOMPARE(trainer.run().outcome, TrainOutcome::Finished);
        // The model ends with its best epoch's weights, which may be the head-only epoch: the
        // thaw shows in requires_grad; the head-only epoch leaves the backbone bit-identical.
        const std::string ffn = "encoder.layers.0.feed_forward.0.weight";
        QCOMPARE(model->named_parameters()[ffn].requires_grad(), epochs == 2);
        if (epochs == 1)
            QVERIFY(torch::equal(model->named_parameters()[ffn], before.at(ffn)));
        QVERIFY(!torch::equal(model->named_parameters()["head.weight"], before.at("head.weight")));
    }
}

void tst_FineTuneRecipe::recipeWithoutFreshHeadIsRefused()
{
    auto model = forecaster(48, 2, 12);
    const Expected<FineTunePlan> plan =
        applyRecipe(*model, *FineTuneRecipe::parse("linear-probe"), {}, "other/best.pt");
    QVERIFY(!plan);
    QCOMPARE(plan.error().file, QStringLiteral("other/best.pt"));
    QVERIFY(plan.error().reason.contains("no fresh head"));
}

QTEST_GUILESS_MAIN(tst_FineTuneRecipe)
#include "tst_finetunerecipe.moc"
