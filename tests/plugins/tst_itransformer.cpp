#include "ITransformer.h"
#include "ModelTestSupport.h"

#include <QTest>

using namespace twb;

class tst_ITransformer : public QObject
{
    Q_OBJECT

private:
    static ModelSpec spec(std::vector<std::string> names = {"HUFL", "HULL", "OT"});
    /// A small configuration for fast tests: L 32, H 8, 3 variates, d 32, 4 heads, 2 layers.
    static ITransformerOptions tiny();

private Q_SLOTS:
    void init() { torch::manual_seed(31); }
    void defaultsArePaperSettings();
    void outputAndAttentionShapes();
    void tokensAreVariates();
    void tokensWithoutNames();
    void captureOffReturnsNothing();
    void intermediates();
    void permutingVariatesPermutesForecast();
    void overfitsTinyBatch();
    void saveLoadRoundTrip();
    void sameSeedSameModel();
    void validation();
};

ModelSpec tst_ITransformer::spec(std::vector<std::string> names)
{
    ModelSpec s;
    s.lookback = 32;
    s.horizon = 8;
    s.channels = 3;
    s.channelNames = std::move(names);
    return s;
}

ITransformerOptions tst_ITransformer::tiny()
{
    return ITransformerOptions(spec()).dModel(32).numHeads(4).dFF(64).numLayers(2).dropout(0.0);
}

void tst_ITransformer::defaultsArePaperSettings()
{
    const ITransformerOptions o(spec());
    QCOMPARE(o.dModel(), int64_t(512));
    QCOMPARE(o.numHeads(), int64_t(8));
    QCOMPARE(o.dFF(), int64_t(2048));
    QCOMPARE(o.numLayers(), int64_t(2));
    QCOMPARE(o.dropout(), 0.1);
    QVERIFY(o.useNorm());
}

void tst_ITransformer::outputAndAttentionShapes()
{
    ITransformer model(tiny());
    QVERIFY(!model->channelIndependentAttention());
    const ModelOutput out = model->forward(torch::randn({5, 32, 3}), {true, false});
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{5, 8, 3}));
    QCOMPARE(out.attention.size(), std::size_t(2));
    for (const torch::Tensor &a : out.attention) {
        QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{5, 4, 3, 3}));
        QVERIFY(torch::allclose(a.sum(-1), torch::ones({5, 4, 3}), 1e-5, 1e-6));
    }
    const auto params = model->named_parameters();
    QCOMPARE(params["embedding.weight"].sizes().vec(), (std::vector<int64_t>{32, 32}));
    QCOMPARE(params["projection.weight"].sizes().vec(), (std::vector<int64_t>{8, 32}));
    QVERIFY(params.contains("encoder.final_norm.weight"));
    QVERIFY(params.contains("encoder.layers.1.norm2.weight"));
}

void tst_ITransformer::tokensAreVariates()
{
    ITransformer model(tiny());
    const std::vector<TokenInfo> tokens = model->tokens();
    QCOMPARE(tokens.size(), std::size_t(3));
    const std::vector<std::string> names{"HUFL", "HULL", "OT"};
    for (std::size_t c = 0; c < tokens.size(); ++c) {
        QCOMPARE(tokens[c].kind, TokenInfo::Kind::Variate);
        QCOMPARE(tokens[c].channel, int64_t(c));
        QCOMPARE(tokens[c].label, names[c]);
        QCOMPARE(tokens[c].begin, int64_t(0));
        QCOMPARE(tokens[c].end, int64_t(32));
    }
}

void tst_ITransformer::tokensWithoutNames()
{
    ITransformer model(ITransformerOptions(spec({})).dModel(8).numHeads(2).dFF(16));
    const std::vector<TokenInfo> tokens = model->tokens();
    QCOMPARE(tokens.size(), std::size_t(3));
    QCOMPARE(tokens[2].label, std::string("ch2"));
}

void tst_ITransformer::captureOffReturnsNothing()
{
    ITransformer model(tiny());
    model->eval();
    const torch::Tensor x = torch::randn({2, 32, 3});
    const ModelOutput plain = model->forward(x);
    QVERIFY(plain.attention.empty());
    QVERIFY(plain.intermediates.empty());
    QVERIFY(torch::equal(plain.prediction, model->forward(x, {true, true}).prediction));
}

void tst_ITransformer::intermediates()
{
    ITransformer model(tiny());
    const ModelOutput out = model->forward(torch::randn({2, 32, 3}), {false, true});
    const std::vector<std::string> expected{"input",           "normalized",      "variate_tokens",
                                            "encoder_layer_0", "encoder_layer_1", "projection",
                                            "output"};
    QCOMPARE(test::stageNames(out), expected);
    QCOMPARE(out.intermediates[2].value.sizes().vec(), (std::vector<int64_t>{2, 3, 32}));
    QCOMPARE(out.intermediates[5].value.sizes().vec(), (std::vector<int64_t>{2, 3, 8}));
    QVERIFY(torch::equal(out.intermediates.back().value, out.prediction));
}

void tst_ITransformer::permutingVariatesPermutesForecast()
{
    // Variate tokens carry no position: reordering the channels reorders the forecast.
    ITransformer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 32, 3});
    const torch::Tensor order = torch::tensor({2, 0, 1}, torch::kLong);
    const torch::Tensor y = model->forward(x).prediction;
    const torch::Tensor permuted = model->forward(x.index_select(2, order)).prediction;
    QVERIFY(torch::allclose(permuted, y.index_select(2, order), 1e-4, 1e-5));
}

void tst_ITransformer::overfitsTinyBatch()
{
    ITransformer model(tiny());
    const torch::Tensor x = torch::randn({4, 32, 3});
    const torch::Tensor y = torch::randn({4, 8, 3});
    const auto [first, last] = test::overfit(*model, x, y, 300, 1e-3);
    qInfo("loss %g -> %g (%.1f %% drop)", first, last, 100.0 * (1.0 - last / first));
    QVERIFY2(last < 0.1 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
}

void tst_ITransformer::saveLoadRoundTrip()
{
    ITransformer source(tiny());
    torch::manual_seed(77);
    ITransformer target(tiny());
    const torch::Tensor x = torch::randn({3, 32, 3});
    {
        source->eval();
        target->eval();
        torch::NoGradGuard noGrad;
        QVERIFY(!torch::equal(source->forward(x).prediction, target->forward(x).prediction));
    }
    const auto [a, b] = test::saveLoad(source, target, x);
    QVERIFY(torch::equal(a, b));
}

void tst_ITransformer::sameSeedSameModel()
{
    const torch::Tensor x = torch::randn({2, 32, 3});
    torch::manual_seed(9);
    ITransformer a(tiny());
    torch::manual_seed(9);
    ITransformer b(tiny());
    a->eval();
    b->eval();
    QVERIFY(torch::equal(a->forward(x).prediction, b->forward(x).prediction));
}

void tst_ITransformer::validation()
{
    QVERIFY(tiny().validate().isOk());
    const Status heads = ITransformerOptions(spec()).dModel(30).numHeads(4).validate();
    QVERIFY(!heads.isOk());
    QVERIFY(heads.error().reason.contains(QLatin1String("not divisible")));
    const Status names = ITransformerOptions(spec({"a", "b"})).validate();
    QVERIFY(!names.isOk());
    QVERIFY(names.error().reason.contains(QLatin1String("channel names")));
    QVERIFY(!ITransformerOptions(spec()).dropout(-0.1).validate().isOk());
    QVERIFY_THROWS_EXCEPTION(c10::Error, ITransformer{ITransformerOptions(spec()).numLayers(0)});
}

QTEST_GUILESS_MAIN(tst_ITransformer)
#include "tst_itransformer.moc"
