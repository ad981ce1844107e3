#include "Informer.h"
#include "ModelTestSupport.h"

#include <QTest>

#include <algorithm>

using namespace twb;

class tst_Informer : public QObject
{
    Q_OBJECT

private:
    /// d 32, 4 heads, d_ff 64, 3 encoder layers (32 -> 16 -> 8 tokens) + 1 decoder layer,
    /// label_len 16, factor 3, no dropout, on test::tinyForecastSpec (L 32, H 8, 3 channels).
    static InformerOptions tiny(std::int64_t markFeatures = 4);

private Q_SLOTS:
    void init() { torch::manual_seed(17); }
    void defaultsAreTimeSeriesLibrarySettings();
    void outputShapesWithAndWithoutMarks() { test::checkMarksOptional<Informer>(tiny()); }
    void distillingShrinksAttention();
    void encoderLayerTokensCoverTheInput();
    void timeSeriesLibraryVariant();
    void withoutDistilling();
    void mechanismsOnlyWhenCaptured();
    void intermediates();
    void seedReproducesForward();
    void headMask();
    void overfitsTinyBatch() { test::checkOverfitsTinyBatch<Informer>(tiny(0), 200, 1e-3, 0.1); }
    void saveLoadRoundTrip();
    void sameSeedSameModel() { test::checkSameSeedSameModel<Informer>(tiny()); }
    void validation();
    void etth1ParameterCount();
};

InformerOptions tst_Informer::tiny(std::int64_t markFeatures)
{
    return InformerOptions(test::tinyForecastSpec(markFeatures))
        .encoder({.dModel = 32, .numHeads = 4, .dFF = 64, .numLayers = 3, .dropout = 0.0})
        .labelLen(16);
}

void tst_Informer::defaultsAreTimeSeriesLibrarySettings()
{
    const InformerOptions o(test::tinyForecastSpec());
    test::checkTimeSeriesLibraryDefaults(o);
    QCOMPARE(o.factor(), int64_t(3));
    QVERIFY(o.distil());
    QCOMPARE(o.variant(), InformerVariant::Informer2020);
}

void tst_Informer::distillingShrinksAttention()
{
    Informer model(tiny());
    const ModelOutput out = model->forward(torch::randn({2, 32, 3}),
                                           test::withMarks(2, test::tinyForecastSpec(), true));
    QCOMPARE(out.attention.size(), std::size_t(3));
    const int64_t tokens[] = {32, 16, 8};
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(out.attention[i].sizes().vec(),
                 (std::vector<int64_t>{2, 4, tokens[i], tokens[i]}));
        // Encoder rows: softmax rows and uniform lazy rows both sum to one.
        QVERIFY(
            torch::allclose(out.attention[i].sum(-1), torch::ones({2, 4, tokens[i]}), 1e-5, 1e-6));
        QCOMPARE(model->encoderLayerTokens(i).size(), std::size_t(tokens[i]));
    }
    // Informer2020: full cross-attention from the 24 decoder tokens to the last layer's 8.
    QCOMPARE(out.crossAttention.size(), std::size_t(1));
    QCOMPARE(out.crossAttention[0].sizes().vec(), (std::vector<int64_t>{2, 4, 24, 8}));
    QCOMPARE(out.crossAttention[0].size(-1), int64_t(model->encoderLayerTokens(2).size()));
    QCOMPARE(out.crossAttention[0].size(2), int64_t(model->decoderTokens().size()));
}

void tst_Informer::encoderLayerTokensCoverTheInput()
{
    Informer model(tiny());
    test::checkStepTokens(model, 1);
    if (QTest::currentTestFailed())
        return;
    for (std::size_t layer : {1, 2}) {
        const std::vector<TokenInfo> tokens = model->encoderLayerTokens(layer);
        QCOMPARE(tokens.front().kind, TokenInfo::Kind::TimeRange);
        QCOMPARE(tokens.front().begin, int64_t(0));
        QCOMPARE(tokens.back().end, int64_t(32));
        for (std::size_t j = 1; j < tokens.size(); ++j)
            QVERIFY(tokens[j].begin <= tokens[j - 1].end && tokens[j].begin > tokens[j - 1].begin);
    }
    // Layer 1 token 3 pools steps 5..7; layer 2 token 1 pools layer-1 tokens 1..3 = steps 1..7.
    QCOMPARE(model->encoderLayerTokens(1)[3].begin, int64_t(5));
    QCOMPARE(model->encoderLayerTokens(1)[3].end, int64_t(8));
    QCOMPARE(model->encoderLayerTokens(1)[3].label, std::string("encoder token 3: [t-27, t-24)"));
    QCOMPARE(model->encoderLayerTokens(2)[1].begin, int64_t(1));
    QCOMPARE(model->encoderLayerTokens(2)[1].end, int64_t(8));
    QVERIFY(model->encoderLayerTokens(3).empty());
}

void tst_Informer::timeSeriesLibraryVariant()
{
    // Every attention ProbSparse, the convolution padded by 2: 32 -> 17 -> 10 tokens.
    Informer model(tiny().variant(InformerVariant::TimeSeriesLibrary));
    const ModelOutput out = model->forward(torch::randn({2, 32, 3}),
                                           test::withMarks(2, test::tinyForecastSpec(), true));
    QCOMPARE(out.attention[1].size(-1), int64_t(17));
    QCOMPARE(out.attention[2].size(-1), int64_t(10));
    QCOMPARE(model->encoderLayerTokens(2).size(), std::size_t(10));
    QCOMPARE(out.crossAttention[0].sizes().vec(), (std::vector<int64_t>{2, 4, 24, 10}));
    const std::vector<std::string> names = test::names(out.mechanisms);
    QVERIFY(std::find(names.begin(), names.end(), "decoder_layer_0/cross_active_queries") !=
            names.end());
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{2, 8, 3}));
    // Informer2020 has no ProbSparse cross-attention.
    Informer paper(tiny());
    const std::vector<std::string> paperNames =
        test::names(paper->forward(torch::randn({2, 32, 3}), ForwardOptions(true)).mechanisms);
    QVERIFY(std::find(paperNames.begin(), paperNames.end(),
                      "decoder_layer_0/cross_active_queries") == paperNames.end());
}

void tst_Informer::withoutDistilling()
{
    Informer model(tiny().distil(false));
    QVERIFY(!model->named_parameters().contains("encoder.distil.0.down_conv.weight"));
    const ModelOutput out = model->forward(torch::randn({2, 32, 3}), ForwardOptions(true));
    for (const torch::Tensor &a : out.attention)
        QCOMPARE(a.size(-1), int64_t(32));
    QCOMPARE(model->encoderLayerTokens(2).size(), std::size_t(32));
    QCOMPARE(model->encoderLayerTokens(2)[0].kind, TokenInfo::Kind::TimeStep);
}

void tst_Informer::mechanismsOnlyWhenCaptured()
{
    Informer model(tiny());
    const torch::Tensor x = torch::randn({2, 32, 3});
    ModelOutput out;
    test::checkCapturesOnlyWhenAsked(*model, x, test::withMarks(2, test::tinyForecastSpec()), true,
                                     false, out);
    if (QTest::currentTestFailed())
        return;
    const std::vector<std::string> expected{
        "encoder_layer_0/tokens",         "encoder_layer_0/active_queries",
        "encoder_layer_1/tokens",         "encoder_layer_1/active_queries",
        "encoder_layer_2/tokens",         "encoder_layer_2/active_queries",
        "decoder_layer_0/self_attention", "decoder_layer_0/self_active_queries"};
    QCOMPARE(test::names(out.mechanisms), expected);
    // u = 3 * ceil(ln T): 12 of 32, 9 of 16, 9 of 8 -> 8; decoder 3 * ceil(ln 24) = 12.
    QCOMPARE(out.mechanisms[1].value.sizes().vec(), (std::vector<int64_t>{2, 4, 12}));
    QCOMPARE(out.mechanisms[3].value.sizes().vec(), (std::vector<int64_t>{2, 4, 9}));
    QCOMPARE(out.mechanisms[5].value.sizes().vec(), (std::vector<int64_t>{2, 4, 8}));
    QCOMPARE(out.mechanisms[7].value.sizes().vec(), (std::vector<int64_t>{2, 4, 12}));
    QCOMPARE(out.mechanisms[2].value.item<int64_t>(), int64_t(16));
    QCOMPARE(out.mechanisms[1].value.scalar_type(), torch::kLong);
    // Active queries are distinct, ascending, in range; lazy encoder rows are uniform.
    const torch::Tensor active = out.mechanisms[1].value[1][2];
    QVERIFY((active.slice(0, 1) > active.slice(0, 0, -1)).all().item<bool>());
    QVERIFY(active.max().item<int64_t>() < 32);
    torch::Tensor lazy = torch::ones({32}, torch::kBool);
    lazy.index_put_({active}, false);
    const torch::Tensor lazyRows = out.attention[0][1][2].index({lazy});
    QVERIFY(torch::allclose(lazyRows, torch::full_like(lazyRows, 1.0 / 32)));
    // The decoder's ProbSparse self-attention is causal.
    const torch::Tensor self = out.mechanisms[6].value;
    QVERIFY(torch::equal(self.triu(1), torch::zeros_like(self)));
}

void tst_Informer::intermediates()
{
    Informer model(tiny());
    const ModelOutput out = model->forward(
        torch::randn({2, 32, 3}), test::withMarks(2, test::tinyForecastSpec(), false, true));
    const std::vector<std::string> expected{
        "input",           "encoder_embedding", "encoder_layer_0", "distil_0",
        "encoder_layer_1", "distil_1",          "encoder_layer_2", "encoder_output",
        "decoder_input",   "decoder_embedding", "decoder_layer_0", "projection",
        "output"};
    QCOMPARE(test::stageNames(out), expected);
    QCOMPARE(out.intermediates[3].value.sizes().vec(), (std::vector<int64_t>{2, 16, 32}));
    QCOMPARE(out.intermediates[5].value.sizes().vec(), (std::vector<int64_t>{2, 8, 32}));
    QCOMPARE(out.intermediates[7].value.sizes().vec(), (std::vector<int64_t>{2, 8, 32}));
    QVERIFY(torch::equal(out.intermediates.back().value, out.prediction));
}

void tst_Informer::seedReproducesForward()
{
    // Eval mode samples the keys with a fixed seed: the same input, the same forecast, whatever
    // the global generator did in between (evaluation and what-if compare passes).
    Informer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 32, 3});
    torch::manual_seed(1);
    const torch::Tensor a = model->forward(x).prediction;
    torch::manual_seed(2);
    QVERIFY(torch::equal(a, model->forward(x).prediction));
    // Training draws from the global generator: seeded runs reproduce, others differ.
    model->train();
    torch::manual_seed(3);
    const torch::Tensor b = model->forward(x).prediction;
    torch::manual_seed(3);
    QVERIFY(torch::equal(b, model->forward(x).prediction));
}

void tst_Informer::headMask()
{
    // Three ProbSparse encoder layers, then the decoder's self- and cross-attention.
    Informer model(tiny());
    const std::vector<HeadMaskable *> layers = test::maskableLayers(*model);
    QCOMPARE(layers.size(), std::size_t(5));
    QVERIFY(dynamic_cast<ProbSparseAttentionImpl *>(layers[0]));
    QVERIFY(dynamic_cast<ProbSparseAttentionImpl *>(layers[3]));
    QVERIFY(dynamic_cast<MultiheadAttentionImpl *>(layers[4]));
    const torch::Tensor x = torch::randn({2, 32, 3});
    // Each layer's last head: with mixed heads (the decoder's self-attention) head h fills
    // decoder tokens [h T / heads, (h + 1) T / heads), so the first heads reach only the
    // label_len known steps, which the forecast does not include.
    test::checkHeadMasks(*model, layers, x, {}, torch::tensor({1.0f, 1.0f, 1.0f, 0.0f}), 1e-5,
                         1e-6);
    if (QTest::currentTestFailed())
        return;
    torch::NoGradGuard noGrad;
    const torch::Tensor plain = model->forward(x).prediction;
    layers[3]->setHeadMask(torch::tensor({0.0f, 1.0f, 1.0f, 1.0f}));
    QVERIFY(torch::equal(model->forward(x).prediction, plain));
    layers[3]->setHeadMask({});
}

void tst_Informer::saveLoadRoundTrip()
{
    // Training steps move the distilling layers' BatchNorm statistics away from their start;
    // the eval-mode forecasts compared do not depend on the seed (seedReproducesForward).
    test::checkSaveLoadRoundTrip<Informer>(tiny(), [](Informer &source) {
        source->train();
        for (int i = 0; i < 3; ++i)
            source->forward(torch::randn({4, 32, 3}));
        const auto named = source->named_buffers();
        QVERIFY(named["encoder.distil.0.norm.running_mean"].abs().sum().item<float>() > 0);
    });
}

void tst_Informer::validation()
{
    test::checkEncoderDecoderValidation<Informer>(tiny());
    QVERIFY(test::invalidReason(tiny().numHeads(5))
                .contains(QLatin1String("not divisible by n_heads")));
    QVERIFY(test::invalidReason(tiny().labelLen(64)).contains(QLatin1String("label_len 64")));
    QVERIFY(test::invalidReason(tiny().factor(0)).contains(QLatin1String("factor")));
    QVERIFY_THROWS_EXCEPTION(c10::Error, Informer{tiny().factor(0)});
}

void tst_Informer::etth1ParameterCount()
{
    // The variants differ in padding and attention, not in parameters.
    for (InformerVariant variant :
         {InformerVariant::Informer2020, InformerVariant::TimeSeriesLibrary}) {
        Informer model{InformerOptions(test::etth1Spec()).variant(variant)};
        QCOMPARE(test::parameterCount(*model), int64_t(11328007));
    }
}

QTEST_GUILESS_MAIN(tst_Informer)
#include "tst_informer.moc"
