#include "ModelTestSupport.h"
#include "VanillaTestSupport.h"
#include "VanillaTransformer.h"

#include <QTest>

using namespace twb;

class tst_Transformer : public QObject
{
    Q_OBJECT

private:
    /// L 32, H 8, 3 channels, 4 calendar features.
    static ModelSpec spec(std::int64_t markFeatures = 4);
    /// d 32, 4 heads, d_ff 64, 2 encoder + 1 decoder layers, label_len 16, no dropout.
    static VanillaTransformerOptions tiny(std::int64_t markFeatures = 4);

private Q_SLOTS:
    void init() { torch::manual_seed(13); }
    void defaultsAreTimeSeriesLibrarySettings();
    void outputShapesWithAndWithoutMarks();
    void marksAreEmbedded();
    void embedNoneIgnoresMarks();
    void attentionShapes();
    void captureOffReturnsNothing();
    void tokens();
    void intermediates();
    void childrenAndParameters();
    void headMask();
    void overfitsTinyBatch();
    void saveLoadRoundTrip();
    void sameSeedSameModel();
    void validation();
    void etth1SizeAndTiming();
};

ModelSpec tst_Transformer::spec(std::int64_t markFeatures)
{
    ModelSpec s;
    s.lookback = 32;
    s.horizon = 8;
    s.channels = 3;
    s.channelNames = {"HUFL", "HULL", "OT"};
    s.markFeatures = markFeatures;
    return s;
}

VanillaTransformerOptions tst_Transformer::tiny(std::int64_t markFeatures)
{
    return VanillaTransformerOptions(spec(markFeatures))
        .dModel(32)
        .numHeads(4)
        .dFF(64)
        .numLayers(2)
        .dropout(0.0)
        .labelLen(16);
}

void tst_Transformer::defaultsAreTimeSeriesLibrarySettings()
{
    const VanillaTransformerOptions o(spec());
    QCOMPARE(o.dModel(), int64_t(512));
    QCOMPARE(o.numHeads(), int64_t(8));
    QCOMPARE(o.dFF(), int64_t(2048));
    QCOMPARE(o.numLayers(), int64_t(2));
    QCOMPARE(o.decoderLayers(), int64_t(1));
    QCOMPARE(o.dropout(), 0.1);
    QCOMPARE(o.labelLen(), int64_t(48));
    QCOMPARE(o.activation(), FeedForwardActivation::Gelu);
    QVERIFY(o.useMarks());
}

void tst_Transformer::outputShapesWithAndWithoutMarks()
{
    VanillaTransformer model(tiny());
    const ModelSpec s = spec();
    QCOMPARE(
        model->forward(torch::randn({5, 32, 3}), test::withMarks(5, s)).prediction.sizes().vec(),
        (std::vector<int64_t>{5, 8, 3}));
    // Undefined marks: the model runs without the temporal embedding.
    QCOMPARE(model->forward(torch::randn({5, 32, 3})).prediction.sizes().vec(),
             (std::vector<int64_t>{5, 8, 3}));
    // A spec without dates has no temporal embedding at all.
    VanillaTransformer plain(tiny(0));
    QVERIFY(!plain->named_parameters().contains("enc_embedding.temporal.weight"));
    QCOMPARE(plain->forward(torch::randn({2, 32, 3})).prediction.sizes().vec(),
             (std::vector<int64_t>{2, 8, 3}));
    // One of the two marks alone is refused.
    ForwardOptions half = test::withMarks(2, s);
    half.futureMarks = torch::Tensor();
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::randn({2, 32, 3}), half));
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::randn({2, 31, 3})));
}

void tst_Transformer::marksAreEmbedded()
{
    VanillaTransformer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 32, 3});
    const ForwardOptions marks = test::withMarks(2, spec());
    const torch::Tensor with = model->forward(x, marks).prediction;
    QVERIFY(!torch::allclose(with, model->forward(x).prediction, 1e-5, 1e-6));
    // The future marks reach the forecast through the decoder.
    ForwardOptions otherFuture = marks;
    otherFuture.futureMarks = torch::rand_like(marks.futureMarks) - 0.5;
    QVERIFY(!torch::allclose(with, model->forward(x, otherFuture).prediction, 1e-5, 1e-6));
}

void tst_Transformer::embedNoneIgnoresMarks()
{
    VanillaTransformer model(tiny().useMarks(false));
    QVERIFY(!model->named_parameters().contains("enc_embedding.temporal.weight"));
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 32, 3});
    QVERIFY(torch::equal(model->forward(x, test::withMarks(2, spec())).prediction,
                         model->forward(x).prediction));
}

void tst_Transformer::attentionShapes()
{
    VanillaTransformer model(tiny());
    const ModelOutput out =
        model->forward(torch::randn({2, 32, 3}), test::withMarks(2, spec(), true));
    QCOMPARE(out.attention.size(), std::size_t(2));
    for (const torch::Tensor &a : out.attention) {
        QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{2, 4, 32, 32}));
        QVERIFY(torch::allclose(a.sum(-1), torch::ones({2, 4, 32}), 1e-5, 1e-6));
    }
    QCOMPARE(out.crossAttention.size(), std::size_t(1));
    QCOMPARE(out.crossAttention[0].sizes().vec(), (std::vector<int64_t>{2, 4, 24, 32}));
    QVERIFY(torch::allclose(out.crossAttention[0].sum(-1), torch::ones({2, 4, 24}), 1e-5, 1e-6));
    std::vector<std::string> names;
    for (const NamedTensor &m : out.mechanisms)
        names.push_back(m.name);
    const std::vector<std::string> expected{"encoder_layer_0/tokens", "encoder_layer_1/tokens",
                                            "decoder_layer_0/self_attention"};
    QCOMPARE(names, expected);
    QCOMPARE(out.mechanisms[1].value.item<int64_t>(), int64_t(32));
    // The decoder's self-attention is causal.
    const torch::Tensor self = out.mechanisms[2].value;
    QCOMPARE(self.sizes().vec(), (std::vector<int64_t>{2, 4, 24, 24}));
    QVERIFY(torch::equal(self.triu(1), torch::zeros_like(self)));
}

void tst_Transformer::captureOffReturnsNothing()
{
    VanillaTransformer model(tiny());
    model->eval();
    const torch::Tensor x = torch::randn({2, 32, 3});
    const ForwardOptions marks = test::withMarks(2, spec());
    const ModelOutput plain = model->forward(x, marks);
    QVERIFY(plain.attention.empty());
    QVERIFY(plain.crossAttention.empty());
    QVERIFY(plain.mechanisms.empty());
    QVERIFY(plain.intermediates.empty());
    QVERIFY(torch::equal(plain.prediction,
                         model->forward(x, withCaptures(marks, true, true)).prediction));
}

void tst_Transformer::tokens()
{
    VanillaTransformer model(tiny());
    const std::vector<TokenInfo> tokens = model->tokens();
    QCOMPARE(tokens.size(), std::size_t(32));
    QCOMPARE(tokens.front().label, std::string("encoder step t-32"));
    QCOMPARE(tokens.back().label, std::string("encoder step t-1"));
    QCOMPARE(tokens[5].kind, TokenInfo::Kind::TimeStep);
    QCOMPARE(tokens[5].begin, int64_t(5));
    const std::vector<TokenInfo> decoder = model->decoderTokens();
    QCOMPARE(decoder.size(), std::size_t(24));
    QCOMPARE(decoder.front().begin, int64_t(16));
    QCOMPARE(decoder[16].begin, int64_t(32));
    QCOMPARE(decoder[16].label, std::string("decoder step t"));
    QCOMPARE(decoder.back().label, std::string("decoder step t+7"));
    QCOMPARE(model->encoderLayerTokens(1).size(), std::size_t(32));
    QVERIFY(model->encoderLayerTokens(2).empty());
}

void tst_Transformer::intermediates()
{
    VanillaTransformer model(tiny());
    const ModelOutput out =
        model->forward(torch::randn({2, 32, 3}), test::withMarks(2, spec(), false, true));
    const std::vector<std::string> expected{"input",
                                            "encoder_embedding",
                                            "encoder_layer_0",
                                            "encoder_layer_1",
                                            "encoder_output",
                                            "decoder_input",
                                            "decoder_embedding",
                                            "decoder_layer_0",
                                            "projection",
                                            "output"};
    QCOMPARE(test::stageNames(out), expected);
    QCOMPARE(out.intermediates[5].value.sizes().vec(), (std::vector<int64_t>{2, 24, 3}));
    // The decoder input: the last 16 known steps, then zeros.
    QVERIFY(torch::equal(out.intermediates[5].value.slice(1, 0, 16),
                         out.intermediates[0].value.slice(1, 16)));
    QCOMPARE(out.intermediates[5].value.slice(1, 16).abs().max().item<float>(), 0.0f);
    QCOMPARE(out.intermediates[8].value.sizes().vec(), (std::vector<int64_t>{2, 24, 3}));
    QVERIFY(torch::equal(out.intermediates.back().value, out.prediction));
    QVERIFY(torch::equal(out.intermediates[8].value.slice(1, 16), out.prediction));
}

void tst_Transformer::childrenAndParameters()
{
    VanillaTransformer model(tiny());
    const auto params = model->named_parameters();
    for (const char *name :
         {"enc_embedding.value.weight", "enc_embedding.temporal.weight",
          "dec_embedding.value.weight", "encoder.layers.1.self_attention.q_proj.weight",
          "encoder.layers.0.feed_forward.0.weight", "encoder.norm.weight",
          "decoder.layers.0.self_attention.out_proj.bias",
          "decoder.layers.0.cross_attention.k_proj.weight", "decoder.layers.0.norm3.weight",
          "decoder.norm.weight", "decoder.projection.weight"})
        QVERIFY2(params.contains(name), name);
    QCOMPARE(params["decoder.projection.weight"].sizes().vec(), (std::vector<int64_t>{3, 32}));
    QCOMPARE(params["encoder.layers.0.feed_forward.0.weight"].sizes().vec(),
             (std::vector<int64_t>{64, 32}));
    QVERIFY(!params.contains("encoder.distil.0.down_conv.weight"));
}

void tst_Transformer::headMask()
{
    // Encoder layers 0 and 1, then the decoder's self- and cross-attention.
    VanillaTransformer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const std::vector<HeadMaskable *> layers = test::maskableLayers(*model);
    QCOMPARE(layers.size(), std::size_t(4));
    const torch::Tensor x = torch::randn({2, 32, 3});
    const ForwardOptions marks = test::withMarks(2, spec());
    const torch::Tensor plain = model->forward(x, marks).prediction;
    for (HeadMaskable *layer : layers) {
        QCOMPARE(layer->headCount(), int64_t(4));
        layer->setHeadMask(torch::ones({4}));
    }
    QVERIFY(torch::equal(model->forward(x, marks).prediction, plain));
    for (HeadMaskable *layer : layers) {
        layer->setHeadMask(torch::tensor({1.0f, 1.0f, 0.0f, 1.0f}));
        QVERIFY(!torch::allclose(model->forward(x, marks).prediction, plain, 1e-5, 1e-6));
        layer->setHeadMask({});
    }
    QVERIFY(torch::equal(model->forward(x, marks).prediction, plain));
}

void tst_Transformer::overfitsTinyBatch()
{
    VanillaTransformer model(tiny(0));
    const torch::Tensor x = torch::randn({4, 32, 3});
    const torch::Tensor y = torch::randn({4, 8, 3});
    const auto [first, last] = test::overfit(*model, x, y, 200, 1e-3);
    qInfo("loss %g -> %g", first, last);
    QVERIFY2(last < 0.1 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
}

void tst_Transformer::saveLoadRoundTrip()
{
    VanillaTransformer source(tiny());
    torch::manual_seed(77);
    VanillaTransformer target(tiny());
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

void tst_Transformer::sameSeedSameModel()
{
    const torch::Tensor x = torch::randn({2, 32, 3});
    torch::manual_seed(9);
    VanillaTransformer a(tiny());
    torch::manual_seed(9);
    VanillaTransformer b(tiny());
    for (const auto &p : a->named_parameters())
        QVERIFY(torch::equal(p.value(), b->named_parameters()[p.key()]));
    a->eval();
    b->eval();
    QVERIFY(torch::equal(a->forward(x).prediction, b->forward(x).prediction));
}

void tst_Transformer::validation()
{
    QVERIFY(tiny().validate().isOk());
    const auto reason = [](const VanillaTransformerOptions &o) {
        const Status s = o.validate();
        return s.isOk() ? QString() : s.error().reason;
    };
    QVERIFY(reason(tiny().dModel(30)).contains(QLatin1String("not divisible by n_heads")));
    QVERIFY(reason(tiny().labelLen(33)).contains(QLatin1String("label_len 33")));
    QVERIFY(reason(tiny().decoderLayers(0)).contains(QLatin1String("d_layers")));
    QVERIFY(reason(tiny().dropout(1.0)).contains(QLatin1String("dropout")));
    QVERIFY(reason(tiny().labelLen(0)).isEmpty());
    QVERIFY_THROWS_EXCEPTION(c10::Error, VanillaTransformer{tiny().labelLen(40)});
    // label_len 0: the decoder sees only zeros and the marks.
    VanillaTransformer noLabel(tiny().labelLen(0));
    QCOMPARE(noLabel->forward(torch::randn({1, 32, 3})).prediction.sizes().vec(),
             (std::vector<int64_t>{1, 8, 3}));
}

void tst_Transformer::etth1SizeAndTiming()
{
    // ETTh1 with the official settings: 7 channels, lookback 96, horizon 96, 4 marks.
    ModelSpec s;
    s.lookback = 96;
    s.horizon = 96;
    s.channels = 7;
    s.markFeatures = 4;
    VanillaTransformer model{VanillaTransformerOptions(s)};
    qInfo("Transformer ETTh1 parameters: %lld",
          static_cast<long long>(test::parameterCount(*model)));
    if (qEnvironmentVariableIsEmpty("TWB_TIMING"))
        QSKIP("set TWB_TIMING=1 to time a training step");
    const torch::Tensor x = torch::randn({32, 96, 7});
    const double ms =
        test::forwardBackwardMs(*model, x, torch::randn({32, 96, 7}), test::withMarks(32, s), 5);
    qInfo("Transformer ETTh1 forward+backward, batch 32, %d threads: %.1f ms",
          torch::get_num_threads(), ms);
}

QTEST_GUILESS_MAIN(tst_Transformer)
#include "tst_transformer.moc"
