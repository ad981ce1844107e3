#include "ModelTestSupport.h"
#include "VanillaTransformer.h"

#include <QTest>

using namespace twb;

class tst_Transformer : public QObject
{
    Q_OBJECT

private:
    /// d 32, 4 heads, d_ff 64, 2 encoder + 1 decoder layers, label_len 16, no dropout, on
    /// test::tinyForecastSpec (L 32, H 8, 3 channels).
    static VanillaTransformerOptions tiny(std::int64_t markFeatures = 4);

private Q_SLOTS:
    void init() { torch::manual_seed(13); }
    void defaultsAreTimeSeriesLibrarySettings()
    {
        test::checkTimeSeriesLibraryDefaults(VanillaTransformerOptions(test::tinyForecastSpec()));
    }
    void outputShapesWithAndWithoutMarks() { test::checkMarksOptional<VanillaTransformer>(tiny()); }
    void marksAreEmbedded();
    void embedNoneIgnoresMarks() { test::checkIgnoresMarks<VanillaTransformer>(tiny()); }
    void attentionShapes();
    void captureOffReturnsNothing();
    void tokens();
    void intermediates();
    void childrenAndParameters();
    void headMask();
    void overfitsTinyBatch()
    {
        test::checkOverfitsTinyBatch<VanillaTransformer>(tiny(0), 200, 1e-3, 0.1);
    }
    void saveLoadRoundTrip() { test::checkSaveLoadRoundTrip<VanillaTransformer>(tiny()); }
    void sameSeedSameModel() { test::checkSameSeedSameModel<VanillaTransformer>(tiny()); }
    void validation();
    void etth1ParameterCount()
    {
        test::checkParameterCount<VanillaTransformer>(VanillaTransformerOptions(test::etth1Spec()),
                                                      10540039);
    }
};

VanillaTransformerOptions tst_Transformer::tiny(std::int64_t markFeatures)
{
    return VanillaTransformerOptions(test::tinyForecastSpec(markFeatures))
        .encoder({.dModel = 32, .numHeads = 4, .dFF = 64, .numLayers = 2, .dropout = 0.0})
        .labelLen(16);
}

void tst_Transformer::marksAreEmbedded()
{
    VanillaTransformer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 32, 3});
    const ForwardOptions marks = test::withMarks(2, test::tinyForecastSpec());
    const torch::Tensor with = model->forward(x, marks).prediction;
    QVERIFY(!torch::allclose(with, model->forward(x).prediction, 1e-5, 1e-6));
    // The future marks reach the forecast through the decoder.
    ForwardOptions otherFuture = marks;
    otherFuture.futureMarks = torch::rand_like(marks.futureMarks) - 0.5;
    QVERIFY(!torch::allclose(with, model->forward(x, otherFuture).prediction, 1e-5, 1e-6));
}

void tst_Transformer::attentionShapes()
{
    VanillaTransformer model(tiny());
    const ModelOutput out = model->forward(torch::randn({2, 32, 3}),
                                           test::withMarks(2, test::tinyForecastSpec(), true));
    QCOMPARE(out.attention.size(), std::size_t(2));
    for (const torch::Tensor &a : out.attention) {
        QCOMPARE(a.sizes().vec(), (std::vector<int64_t>{2, 4, 32, 32}));
        QVERIFY(torch::allclose(a.sum(-1), torch::ones({2, 4, 32}), 1e-5, 1e-6));
    }
    QCOMPARE(out.crossAttention.size(), std::size_t(1));
    QCOMPARE(out.crossAttention[0].sizes().vec(), (std::vector<int64_t>{2, 4, 24, 32}));
    QVERIFY(torch::allclose(out.crossAttention[0].sum(-1), torch::ones({2, 4, 24}), 1e-5, 1e-6));
    const std::vector<std::string> expected{"encoder_layer_0/tokens", "encoder_layer_1/tokens",
                                            "decoder_layer_0/self_attention"};
    QCOMPARE(test::names(out.mechanisms), expected);
    QCOMPARE(out.mechanisms[1].value.item<int64_t>(), int64_t(32));
    // The decoder's self-attention is causal.
    const torch::Tensor self = out.mechanisms[2].value;
    QCOMPARE(self.sizes().vec(), (std::vector<int64_t>{2, 4, 24, 24}));
    QVERIFY(torch::equal(self.triu(1), torch::zeros_like(self)));
}

void tst_Transformer::captureOffReturnsNothing()
{
    VanillaTransformer model(tiny());
    ModelOutput captured;
    test::checkCapturesOnlyWhenAsked(*model, torch::randn({2, 32, 3}),
                                     test::withMarks(2, test::tinyForecastSpec()), true, true,
                                     captured);
}

void tst_Transformer::tokens()
{
    VanillaTransformer model(tiny());
    test::checkStepTokens(model, 2);
    QVERIFY(model->encoderLayerTokens(2).empty());
}

void tst_Transformer::intermediates()
{
    VanillaTransformer model(tiny());
    const ModelOutput out = model->forward(
        torch::randn({2, 32, 3}), test::withMarks(2, test::tinyForecastSpec(), false, true));
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
    // Encoder layers 0 and 1, then the decoder's self- and cross-attention; each of them.
    VanillaTransformer model(tiny());
    const std::vector<HeadMaskable *> layers = test::maskableLayers(*model);
    QCOMPARE(layers.size(), std::size_t(4));
    const torch::Tensor x = torch::randn({2, 32, 3});
    test::checkHeadMasks(*model, layers, x, test::withMarks(2, test::tinyForecastSpec()),
                         torch::tensor({1.0f, 1.0f, 0.0f, 1.0f}), 1e-5, 1e-6);
}

void tst_Transformer::validation()
{
    test::checkEncoderDecoderValidation<VanillaTransformer>(tiny());
    QVERIFY_THROWS_EXCEPTION(c10::Error, VanillaTransformer{tiny().labelLen(40)});
    // label_len 0: the decoder sees only zeros and the marks.
    VanillaTransformer noLabel(tiny().labelLen(0));
    QCOMPARE(noLabel->forward(torch::randn({1, 32, 3})).prediction.sizes().vec(),
             (std::vector<int64_t>{1, 8, 3}));
}

QTEST_GUILESS_MAIN(tst_Transformer)
#include "tst_transformer.moc"
