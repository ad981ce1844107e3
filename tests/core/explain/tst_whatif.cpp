// What-if edits (issue 5 part 3): heads switched off in MultiheadAttention and runWhatIf on real
// plugin models (masking, heads off, errors, heads on again).

#include "ExplainTestSupport.h"
#include "explain/SampleSelection.h"
#include "explain/WhatIf.h"
#include "nn/MultiheadAttention.h"
#include "train/RunLoader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace twb;
using namespace twb::explain;
using torch::indexing::Slice;

class tst_WhatIf : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(11); }
    void headOffRemovesExactlyThatHeadsContribution();
    void headMaskRejectsWrongSize();
    void emptyEditChangesNothing();
    void regionMaskCountsChangedInputs();
    void headOffChangesForecastAndIsUndone();
    void badHeadIsNamedAndHeadsStayOn();
    void modelWithoutAttentionRefusesHeadOff();

private:
    /// A LoadedRun around a tiny PatchTST (no scaler: values stay on the normalised scale).
    LoadedRun patchRun(const QString &id = QStringLiteral("patchtst"));
    ExplainSample sample(std::int64_t time, std::int64_t channels);
};

LoadedRun tst_WhatIf::patchRun(const QString &id)
{
    LoadedRun run;
    run.config.task = QStringLiteral("forecast");
    QString error;
    const QVariantMap values =
        id == QLatin1String("patchtst") ? test::tinyPatchTST() : QVariantMap{};
    run.model = test::makeModel(id, test::forecastSpec(32, 8, {"a", "b", "c"}), values, &error);
    if (!run.model)
        qWarning("%s", qPrintable(error));
    run.channelNames = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")};
    return run;
}

ExplainSample tst_WhatIf::sample(std::int64_t time, std::int64_t channels)
{
    ExplainSample s;
    s.input = torch::randn({1, time, channels}) + 3.0; // far from the fill value 0
    s.target = torch::randn({1, 8, channels});
    s.count = 1;
    return s;
}

void tst_WhatIf::headOffRemovesExactlyThatHeadsContribution()
{
    // Switching head h off removes W_o[:, h] (A_h V_h) from the output and nothing else.
    const std::int64_t d = 12, heads = 3, dk = d / heads, t = 5;
    MultiheadAttention attention(MultiheadAttentionOptions(d, heads));
    attention->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, t, d});
    AttentionRequest request;
    request.needWeights = true;
    const AttentionOutput full = attention->forward(x, x, x, request);

    const int h = 1;
    torch::Tensor mask = torch::ones({heads});
    mask[h] = 0.0f;
    attention->setHeadMask(mask);
    const AttentionOutput without = attention->forward(x, x, x);
    attention->setHeadMask({});

    auto *vProj = attention->named_children()["v_proj"]->as<torch::nn::LinearImpl>();
    auto *outProj = attention->named_children()["out_proj"]->as<torch::nn::LinearImpl>();
    QVERIFY(vProj && outProj);
    const torch::Tensor v = vProj->forward(x).view({2, t, heads, dk}).transpose(1, 2);
    const torch::Tensor contextH = torch::matmul(full.weights.select(1, h), v.select(1, h));
    const torch::Tensor wH = outProj->weight.index({Slice(), Slice(h * dk, (h + 1) * dk)});
    const torch::Tensor contribution = torch::matmul(contextH, wH.t());
    QVERIFY(torch::allclose(full.output - without.output, contribution, 1e-5, 1e-5));

    // Every head off leaves only the output projection's bias.
    attention->setHeadMask(torch::zeros({heads}));
    const torch::Tensor none = attention->forward(x, x, x).output;
    QVERIFY(torch::allclose(none, outProj->bias.expand_as(none)));
    attention->setHeadMask({});
    QVERIFY(torch::equal(attention->forward(x, x, x).output, full.output));
}

void tst_WhatIf::headMaskRejectsWrongSize()
{
    MultiheadAttention attention(MultiheadAttentionOptions(8, 2));
    QVERIFY_THROWS_EXCEPTION(c10::Error, attention->setHeadMask(torch::ones({3})));
    QVERIFY(!attention->headMask().defined());
}

void tst_WhatIf::emptyEditChangesNothing()
{
    const LoadedRun run = patchRun();
    QVERIFY(run.model);
    const ExplainSample s = sample(32, 3);
    Expected<WhatIfOutcome> o = runWhatIf(run, s, {});
    QVERIFY2(o, qPrintable(o ? QString() : o.error().toString()));
    QCOMPARE(o->rows, 8);
    QCOMPARE(o->cols, 3);
    QCOMPARE(o->original.size(), std::size_t(24));
    QVERIFY(o->original == o->edited);
    QCOMPARE(o->changedInputs, 0);
    QCOMPARE(o->inputValues, 96);
    QCOMPARE(o->history.size(), std::size_t(96));
    QVERIFY(o->history == o->editedHistory);
    QCOMPARE(o->truth.size(), std::size_t(24));
    QVERIFY(!o->classify);
}

void tst_WhatIf::regionMaskCountsChangedInputs()
{
    const LoadedRun run = patchRun();
    QVERIFY(run.model);
    const ExplainSample s = sample(32, 3);
    WhatIfEdit edit;
    edit.regions = {{4, 12, 0, -1}, {0, -1, 2, 3}}; // 8 rows x 3 + 32 rows of channel 2 - overlap 8
    edit.tokens = {0};                              // patch 0: rows [0, 8) of channel 0 only
    edit.tokenChannel = 0;
    Expected<WhatIfOutcome> o = runWhatIf(run, s, edit);
    QVERIFY(o);
    QCOMPARE(o->changedInputs, 8 * 3 + 32 - 8 + 4); // patch 0 adds rows 0..3 of channel 0
    QVERIFY(o->original != o->edited);
    // The edited history shows the fill (0) exactly where masked.
    QCOMPARE(o->editedHistory[std::size_t(5 * 3 + 1)], 0.0f);
    QCOMPARE(o->editedHistory[std::size_t(20 * 3 + 2)], 0.0f);
    QCOMPARE(o->editedHistory[std::size_t(20 * 3 + 0)], o->history[std::size_t(20 * 3 + 0)]);
}

void tst_WhatIf::headOffChangesForecastAndIsUndone()
{
    const LoadedRun run = patchRun();
    QVERIFY(run.model);
    const auto layers = attentionLayers(*run.model);
    QCOMPARE(layers.size(), std::size_t(2)); // e_layers 2
    const ExplainSample s = sample(32, 3);
    WhatIfEdit edit;
    edit.headsOff = {{1, 3}};
    Expected<WhatIfOutcome> o = runWhatIf(run, s, edit);
    QVERIFY(o);
    QCOMPARE(o->changedInputs, 0);
    QVERIFY(o->original != o->edited);
    for (const auto &layer : layers)
        QVERIFY(!static_cast<MultiheadAttentionImpl *>(layer.get())->headMask().defined());
    Expected<WhatIfOutcome> again = runWhatIf(run, s, {});
    QVERIFY(again);
    QVERIFY(again->edited == o->original);
}

void tst_WhatIf::badHeadIsNamedAndHeadsStayOn()
{
    const LoadedRun run = patchRun();
    QVERIFY(run.model);
    const ExplainSample s = sample(32, 3);
    WhatIfEdit edit;
    edit.headsOff = {{0, 1}, {0, 4}};
    Expected<WhatIfOutcome> o = runWhatIf(run, s, edit);
    QVERIFY(!o);
    QVERIFY2(o.error().reason.contains(QLatin1String("head 4 does not exist in layer 0: it has 4")),
             qPrintable(o.error().reason));
    edit.headsOff = {{2, 0}};
    o = runWhatIf(run, s, edit);
    QVERIFY(!o);
    QVERIFY2(o.error().reason.contains(QLatin1String("layer 2 does not exist: the model has 2")),
             qPrintable(o.error().reason));
    for (const auto &layer : attentionLayers(*run.model))
        QVERIFY(!static_cast<MultiheadAttentionImpl *>(layer.get())->headMask().defined());
}

void tst_WhatIf::modelWithoutAttentionRefusesHeadOff()
{
    const LoadedRun run = patchRun(QStringLiteral("dlinear"));
    QVERIFY(run.model);
    const ExplainSample s = sample(32, 3);
    WhatIfEdit edit;
    edit.regions = {{0, 16, 0, -1}};
    Expected<WhatIfOutcome> masked = runWhatIf(run, s, edit);
    QVERIFY(masked);
    QCOMPARE(masked->changedInputs, 16 * 3);
    edit.headsOff = {{0, 0}};
    Expected<WhatIfOutcome> o = runWhatIf(run, s, edit);
    QVERIFY(!o);
    QVERIFY(o.error().reason.contains(QLatin1String("no attention heads")));
}

QTEST_GUILESS_MAIN(tst_WhatIf)
#include "tst_whatif.moc"
