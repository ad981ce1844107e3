#include "ModelTestSupport.h"
#include "TSMixer.h"
#include "nn/FusedRowMlp.h"

#include <QTest>

using namespace twb;

Q_DECLARE_METATYPE(twb::MixerNorm)
Q_DECLARE_METATYPE(twb::TimeMixing)

class tst_TSMixer : public QObject
{
    Q_OBJECT

private:
    static ModelSpec spec(std::int64_t lookback = 24, std::int64_t horizon = 6,
                          std::int64_t channels = 3);
    static TSMixerOptions options(MixerNorm norm, TimeMixing mixing, bool revin);
    /// The block written out with plain tensor operations (dropout 0): the reference.
    static torch::Tensor referenceBlock(MixerBlockImpl &block, const torch::Tensor &x,
                                        bool training);

private Q_SLOTS:
    void init() { torch::manual_seed(5); }
    void variants_data();
    void outputShapes_data() { variants_data(); }
    void outputShapes();
    void blockEqualsHandWrittenMixing_data() { variants_data(); }
    void blockEqualsHandWrittenMixing();
    void fusedFeatureMixingEqualsUnfused_data() { variants_data(); }
    void fusedFeatureMixingEqualsUnfused();
    void batchOfOneUsesRunningStatistics();
    void revinMakesForecastScaleEquivariant();
    void mechanismsAreTheMixingWeights_data();
    void mechanismsAreTheMixingWeights();
    void intermediates();
    void overfitsTinyBatch_data() { variants_data(); }
    void overfitsTinyBatch();
    void saveLoadRoundTrip_data() { variants_data(); }
    void saveLoadRoundTrip();
    void sameSeedSameModel();
    void validation();
};

ModelSpec tst_TSMixer::spec(std::int64_t lookback, std::int64_t horizon, std::int64_t channels)
{
    ModelSpec s;
    s.task = Task::Forecast;
    s.lookback = lookback;
    s.horizon = horizon;
    s.channels = channels;
    return s;
}

TSMixerOptions tst_TSMixer::options(MixerNorm norm, TimeMixing mixing, bool revin)
{
    return TSMixerOptions(spec())
        .numBlocks(2)
        .hidden(8)
        .dropout(0.0)
        .norm(norm)
        .timeMixing(mixing)
        .revin(revin);
}

void tst_TSMixer::variants_data()
{
    QTest::addColumn<MixerNorm>("norm");
    QTest::addColumn<TimeMixing>("mixing");
    QTest::addColumn<bool>("revin");
    QTest::newRow("paper (batch norm, RevIN)") << MixerNorm::Batch << TimeMixing::Single << true;
    QTest::newRow("layer norm") << MixerNorm::Layer << TimeMixing::Single << false;
    QTest::newRow("library") << MixerNorm::None << TimeMixing::TwoLayers << false;
}

torch::Tensor tst_TSMixer::referenceBlock(MixerBlockImpl &block, const torch::Tensor &x,
                                          bool training)
{
    const MixerNorm norm = block.options().norm();
    const auto params = block.named_parameters();
    const auto buffers = block.named_buffers();
    const auto normalize = [&](const std::string &name, const torch::Tensor &v) {
        if (norm == MixerNorm::None)
            return v;
        const torch::Tensor w = params[name + ".weight"];
        const torch::Tensor b = params[name + ".bias"];
        if (norm == MixerNorm::Layer) {
            const torch::Tensor mean = v.mean({1, 2}, true);
            const torch::Tensor var = (v - mean).pow(2).mean({1, 2}, true);
            return (v - mean) / torch::sqrt(var + 1e-3) * w + b;
        }
        // Batch: one statistic per [time, channel] position, over the samples.
        const torch::Tensor flat = v.reshape({v.size(0), -1});
        const torch::Tensor mean =
            training ? flat.mean(0, true) : buffers[name + ".running_mean"].unsqueeze(0);
        const torch::Tensor var = training ? (flat - mean).pow(2).mean(0, true)
                                           : buffers[name + ".running_var"].unsqueeze(0);
        return ((flat - mean) / torch::sqrt(var + 1e-3) * w + b).view(v.sizes());
    };
    const auto linear = [&](const std::string &name, const torch::Tensor &v) {
        return torch::matmul(v, params[name + ".weight"].t()) + params[name + ".bias"];
    };
    const torch::Tensor t = normalize("time_norm", x).transpose(1, 2);
    const torch::Tensor time = block.options().timeMixing() == TimeMixing::Single
                                   ? torch::relu(linear("time_in", t))
                                   : linear("time_out", torch::relu(linear("time_in", t)));
    const torch::Tensor afterTime = x + time.transpose(1, 2);
    const torch::Tensor features = linear(
        "feature_out", torch::relu(linear("feature_in", normalize("feature_norm", afterTime))));
    return afterTime + features;
}

void tst_TSMixer::outputShapes()
{
    QFETCH(MixerNorm, norm);
    QFETCH(TimeMixing, mixing);
    QFETCH(bool, revin);
    TSMixer model(options(norm, mixing, revin));
    const ModelOutput out = model->forward(torch::randn({4, 24, 3}), {true, true});
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{4, 6, 3}));
    QVERIFY(out.attention.empty());
    QVERIFY(model->tokens().empty());
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::randn({4, 23, 3})));
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::randn({4, 24, 2})));
}

void tst_TSMixer::blockEqualsHandWrittenMixing()
{
    QFETCH(MixerNorm, norm);
    QFETCH(TimeMixing, mixing);
    MixerBlock block(MixerBlockOptions(24, 3, 8).norm(norm).timeMixing(mixing));
    {
        // Non-trivial normalisation parameters, so that they are read where they should be.
        torch::NoGradGuard noGrad;
        for (auto &p : block->named_parameters())
            if (p.key().find("norm") != std::string::npos)
                p.value().uniform_(0.5, 1.5);
    }
    const torch::Tensor x = torch::randn({5, 24, 3}) * 2.0 + 1.0;
    block->train();
    const torch::Tensor expectedTrain = referenceBlock(*block, x, true);
    const torch::Tensor trained = block->forward(x);
    QVERIFY(torch::allclose(trained, expectedTrain, 1e-4, 1e-5));
    block->eval();
    // Running statistics moved during the training pass (batch norm): eval reads them.
    const torch::Tensor expectedEval = referenceBlock(*block, x, false);
    QVERIFY(torch::allclose(block->forward(x), expectedEval, 1e-4, 1e-5));
    if (norm == MixerNorm::Batch)
        QVERIFY(!torch::allclose(expectedEval, expectedTrain, 1e-3, 1e-3));
}

void tst_TSMixer::fusedFeatureMixingEqualsUnfused()
{
    // The paper's dropout (0.9) in training: the fused feature MLP must drop the same values as
    // the unfused path under the same seed, and give the same gradients.
    QFETCH(MixerNorm, norm);
    QFETCH(TimeMixing, mixing);
    MixerBlock block(
        MixerBlockOptions(24, 3, 16).norm(norm).timeMixing(mixing).dropout(0.9).gelu(false));
    block->train();
    const torch::Tensor x = torch::randn({5, 24, 3}, torch::kDouble);
    block->to(torch::kDouble);
    const torch::Tensor upstream = torch::randn_like(x);
    const auto run = [&](bool fused) {
        twb::nn::setFusedRowMlpEnabled(fused);
        block->zero_grad();
        const torch::Tensor input = x.clone().requires_grad_();
        torch::manual_seed(21);
        const torch::Tensor y = block->forward(input);
        y.backward(upstream);
        std::vector<torch::Tensor> grads{input.grad()};
        for (const auto &p : block->parameters())
            grads.push_back(p.grad().clone());
        return std::make_pair(y.detach(), grads);
    };
    const auto [fusedY, fusedGrads] = run(true);
    const auto [plainY, plainGrads] = run(false);
    twb::nn::setFusedRowMlpEnabled(true);
    QVERIFY(torch::allclose(fusedY, plainY, 1e-10, 1e-12));
    QCOMPARE(fusedGrads.size(), plainGrads.size());
    for (std::size_t i = 0; i < fusedGrads.size(); ++i)
        QVERIFY2(torch::allclose(fusedGrads[i], plainGrads[i], 1e-9, 1e-11),
                 qPrintable(QStringLiteral("gradient %1").arg(i)));
}

void tst_TSMixer::batchOfOneUsesRunningStatistics()
{
    MixerBlock block(MixerBlockOptions(24, 3, 8).norm(MixerNorm::Batch));
    const torch::Tensor x = torch::randn({1, 24, 3});
    block->eval();
    const torch::Tensor evaluated = block->forward(x);
    block->train();
    torch::Tensor trained;
    try {
        trained = block->forward(x);
    } catch (const c10::Error &e) {
        QFAIL(e.what());
    }
    QVERIFY(torch::allclose(trained, evaluated));
}

void tst_TSMixer::revinMakesForecastScaleEquivariant()
{
    // RevIN around the model: forecasting 3x + 5 gives 3 f(x) + 5 (eval mode, fresh affine).
    TSMixer model(options(MixerNorm::Batch, TimeMixing::Single, true));
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 24, 3});
    const torch::Tensor y = model->forward(x).prediction;
    const torch::Tensor scaled = model->forward(x * 3.0 + 5.0).prediction;
    QVERIFY(torch::allclose(scaled, y * 3.0 + 5.0, 1e-3, 1e-3));
    // Without RevIN the model is not: the check above is not vacuous.
    TSMixer plain(options(MixerNorm::Batch, TimeMixing::Single, false));
    plain->eval();
    QVERIFY(!torch::allclose(plain->forward(x * 3.0 + 5.0).prediction,
                             plain->forward(x).prediction * 3.0 + 5.0, 1e-2, 1e-2));
}

void tst_TSMixer::mechanismsAreTheMixingWeights_data()
{
    QTest::addColumn<TimeMixing>("mixing");
    QTest::newRow("single") << TimeMixing::Single;
    QTest::newRow("two layers") << TimeMixing::TwoLayers;
}

void tst_TSMixer::mechanismsAreTheMixingWeights()
{
    QFETCH(TimeMixing, mixing);
    TSMixer model(options(MixerNorm::None, mixing, false));
    const torch::Tensor x = torch::randn({2, 24, 3});
    QVERIFY(model->forward(x).mechanisms.empty());
    const ModelOutput out = model->forward(x, {true, false});
    QCOMPARE(test::names(out.mechanisms),
             (std::vector<std::string>{"block_0/time_mixing", "block_1/time_mixing",
                                       "head/projection"}));
    const auto mechanisms = test::byName(out.mechanisms);
    const auto params = model->named_parameters();
    for (int i = 0; i < 2; ++i) {
        const std::string prefix = "blocks." + std::to_string(i) + ".";
        const torch::Tensor in = params[prefix + "time_in.weight"];
        const torch::Tensor expected = mixing == TimeMixing::Single
                                           ? in
                                           : torch::matmul(params[prefix + "time_out.weight"], in);
        const torch::Tensor got = mechanisms.at("block_" + std::to_string(i) + "/time_mixing");
        QCOMPARE(got.sizes().vec(), (std::vector<int64_t>{1, 24, 24}));
        QVERIFY(torch::allclose(got[0], expected));
        QVERIFY(!got.requires_grad());
    }
    const torch::Tensor head = mechanisms.at("head/projection");
    QCOMPARE(head.sizes().vec(), (std::vector<int64_t>{1, 6, 24}));
    QVERIFY(torch::equal(head[0], params["projection.weight"]));
}

void tst_TSMixer::intermediates()
{
    TSMixer model(options(MixerNorm::Batch, TimeMixing::Single, true));
    const torch::Tensor x = torch::randn({2, 24, 3});
    QVERIFY(model->forward(x).intermediates.empty());
    const ModelOutput out = model->forward(x, {false, true});
    QCOMPARE(test::stageNames(out), (std::vector<std::string>{"input", "normalized", "block_0",
                                                              "block_1", "projection", "output"}));
    QVERIFY(torch::equal(out.intermediates.back().value, out.prediction));
}

void tst_TSMixer::overfitsTinyBatch()
{
    QFETCH(MixerNorm, norm);
    QFETCH(TimeMixing, mixing);
    QFETCH(bool, revin);
    TSMixer model(options(norm, mixing, revin));
    const torch::Tensor x = torch::randn({8, 24, 3});
    const torch::Tensor y = torch::randn({8, 6, 3});
    const auto [first, last] = test::overfit(*model, x, y, 300, 1e-2);
    qInfo("loss %g -> %g", first, last);
    QVERIFY2(last < 0.1 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
}

void tst_TSMixer::saveLoadRoundTrip()
{
    QFETCH(MixerNorm, norm);
    QFETCH(TimeMixing, mixing);
    QFETCH(bool, revin);
    TSMixer source(options(norm, mixing, revin));
    {
        torch::NoGradGuard noGrad;
        for (torch::Tensor &p : source->parameters())
            p.normal_();
    }
    // A training pass moves batch norm's running statistics: buffers must travel too.
    source->train();
    source->forward(torch::randn({4, 24, 3}) * 3.0);
    TSMixer target(options(norm, mixing, revin));
    const auto [a, b] = test::saveLoad(source, target, torch::randn({3, 24, 3}));
    QVERIFY(torch::equal(a, b));
}

void tst_TSMixer::sameSeedSameModel()
{
    const torch::Tensor x = torch::randn({2, 24, 3});
    torch::manual_seed(42);
    TSMixer a(options(MixerNorm::Layer, TimeMixing::Single, true));
    torch::manual_seed(42);
    TSMixer b(options(MixerNorm::Layer, TimeMixing::Single, true));
    torch::manual_seed(43);
    TSMixer c(options(MixerNorm::Layer, TimeMixing::Single, true));
    QVERIFY(torch::equal(a->forward(x).prediction, b->forward(x).prediction));
    QVERIFY(!torch::equal(a->forward(x).prediction, c->forward(x).prediction));
}

void tst_TSMixer::validation()
{
    QVERIFY(TSMixerOptions(spec()).validate().isOk());
    QVERIFY(!TSMixerOptions(spec()).numBlocks(0).validate().isOk());
    QVERIFY(!TSMixerOptions(spec()).hidden(0).validate().isOk());
    const Status dropout = TSMixerOptions(spec()).dropout(1.0).validate();
    QVERIFY(!dropout.isOk());
    QVERIFY(dropout.error().reason.contains(QLatin1String("dropout")));
    ModelSpec classify = spec();
    classify.task = Task::Classify;
    QVERIFY(!TSMixerOptions(classify).validate().isOk());
    QVERIFY_THROWS_EXCEPTION(c10::Error, TSMixer(TSMixerOptions(spec()).numBlocks(0)));
}

QTEST_GUILESS_MAIN(tst_TSMixer)
#include "tst_tsmixer.moc"
