#include "Informer.h"
#include "ModelTestSupport.h"
#include "VanillaTestSupport.h"

#include <QTest>

using namespace twb;

class tst_Informer : public QObject
{
    Q_OBJECT

private:
    /// L 32, H 8, 3 channels, 4 calendar features.
    static ModelSpec spec(std::int64_t markFeatures = 4);
    /// d 32, 4 heads, d_ff 64, 3 encoder layers (32 -> 16 -> 8 tokens) + 1 decoder layer,
    /// label_len 16, factor 3, no dropout.
    static InformerOptions tiny(std::int64_t markFeatures = 4);
    static std::vector<std::string> mechanismNames(const ModelOutput &out);

private Q_SLOTS:
    void init() { torch::manual_seed(17); }
    void defaultsAreTimeSeriesLibrarySettings();
    void outputShapesWithAndWithoutMarks();
    void distillingShrinksAttention();
    void encoderLayerTokensCoverTheInput();
    void timeSeriesLibraryVariant();
    void withoutDistilling();
    void mechanismsOnlyWhenCaptured();
    void intermediates();
    void seedReproducesForward();
    void headMask();
    void overfitsTinyBatch();
    void saveLoadRoundTrip();
    void sameSeedSameModel();
    void validation();
    void etth1SizeAndTiming();
};

ModelSpec tst_Informer::spec(std::int64_t markFeatures)
{
    ModelSpec s;
    s.lookback = 32;
    s.horizon = 8;
    s.channels = 3;
    s.markFeatures = markFeatures;
    return s;
}

InformerOptions tst_Informer::tiny(std::int64_t markFeatures)
{
    return InformerOptions(spec(markFeatures))
        .dModel(32)
        .numHeads(4)
        .dFF(64)
        .numLayers(3)
        .dropout(0.0)
        .labelLen(16);
}

std::vector<std::string> tst_Informer::mechanismNames(const ModelOutput &out)
{
    std::vector<std::string> names;
    for (const NamedTensor &m : out.mechanisms)
        names.push_back(m.name);
    return names;
}

void tst_Informer::defaultsAreTimeSeriesLibrarySettings()
{
    const InformerOptions o(spec());
    QCOMPARE(o.dModel(), int64_t(512));
    QCOMPARE(o.numHeads(), int64_t(8));
    QCOMPARE(o.dFF(), int64_t(2048));
    QCOMPARE(o.numLayers(), int64_t(2));
    QCOMPARE(o.decoderLayers(), int64_t(1));
    QCOMPARE(o.dropout(), 0.1);
    QCOMPARE(o.labelLen(), int64_t(48));
    QCOMPARE(o.factor(), int64_t(3));
    QVERIFY(o.distil());
    QCOMPARE(o.activation(), FeedForwardActivation::Gelu);
    QVERIFY(o.useMarks());
    QCOMPARE(o.variant(), InformerVariant::Informer2020);
}

void tst_Informer::outputShapesWithAndWithoutMarks()
{
    Informer model(tiny());
    QCOMPARE(model->forward(torch::randn({5, 32, 3}), test::withMarks(5, spec()))
                 .prediction.sizes()
                 .vec(),
             (std::vector<int64_t>{5, 8, 3}));
    QCOMPARE(model->forward(torch::randn({5, 32, 3})).prediction.sizes().vec(),
             (std::vector<int64_t>{5, 8, 3}));
    Informer plain(tiny(0));
    QCOMPARE(plain->forward(torch::randn({2, 32, 3})).prediction.sizes().vec(),
             (std::vector<int64_t>{2, 8, 3}));
}

void tst_Informer::distillingShrinksAttention()
{
    Informer model(tiny());
    const ModelOutput out =
        model->forward(torch::randn({2, 32, 3}), test::withMarks(2, spec(), true));
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
    QCOMPARE(model->tokens().size(), std::size_t(32));
    QCOMPARE(model->tokens()[0].label, std::string("encoder step t-32"));
    const std::vector<TokenInfo> layer0 = model->encoderLayerTokens(0);
    QCOMPARE(layer0[31].kind, TokenInfo::Kind::TimeStep);
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
    QCOMPARE(model->decoderTokens().front().label, std::string("decoder step t-16"));
    QCOMPARE(model->decoderTokens()[16].begin, int64_t(32));
}

void tst_Informer::timeSeriesLibraryVariant()
{
    // Every attention ProbSparse, the convolution padded by 2: 32 -> 17 -> 10 tokens.
    Informer model(tiny().variant(InformerVariant::TimeSeriesLibrary));
    const ModelOutput out =
        model->forward(torch::randn({2, 32, 3}), test::withMarks(2, spec(), true));
    QCOMPARE(out.attention[1].size(-1), int64_t(17));
    QCOMPARE(out.attention[2].size(-1), int64_t(10));
    QCOMPARE(model->encoderLayerTokens(2).size(), std::size_t(10));
    QCOMPARE(out.crossAttention[0].sizes().vec(), (std::vector<int64_t>{2, 4, 24, 10}));
    const std::vector<std::string> names = mechanismNames(out);
    QVERIFY(std::find(names.begin(), names.end(), "decoder_layer_0/cross_active_queries") !=
            names.end());
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{2, 8, 3}));
    // Informer2020 has no ProbSparse cross-attention.
    Informer paper(tiny());
    const std::vector<std::string> paperNames =
        mechanismNames(paper->forward(torch::randn({2, 32, 3}), ForwardOptions(true)));
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
    model->eval();
    const torch::Tensor x = torch::randn({2, 32, 3});
    const ForwardOptions marks = test::withMarks(2, spec());
    torch::manual_seed(4);
    const ModelOutput plain = model->forward(x, marks);
    QVERIFY(plain.attention.empty() && plain.crossAttention.empty());
    QVERIFY(plain.mechanisms.empty() && plain.intermediates.empty());
    torch::manual_seed(4);
    const ModelOutput out = model->forward(x, withCaptures(marks, true, false));
    QVERIFY(torch::equal(plain.prediction, out.prediction));
    const std::vector<std::string> expected{
        "encoder_layer_0/tokens",         "encoder_layer_0/active_queries",
        "encoder_layer_1/tokens",         "encoder_layer_1/active_queries",
        "encoder_layer_2/tokens",         "encoder_layer_2/active_queries",
        "decoder_layer_0/self_attention", "decoder_layer_0/self_active_queries"};
    QCOMPARE(mechanismNames(out), expected);
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
    const ModelOutput out =
        model->forward(torch::randn({2, 32, 3}), test::withMarks(2, spec(), false, true));
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
    model->eval();
    torch::NoGradGuard noGrad;
    const std::vector<HeadMaskable *> layers = test::maskableLayers(*model);
    QCOMPARE(layers.size(), std::size_t(5));
    QVERIFY(dynamic_cast<ProbSparseAttentionImpl *>(layers[0]));
    QVERIFY(dynamic_cast<ProbSparseAttentionImpl *>(layers[3]));
    QVERIFY(dynamic_cast<MultiheadAttentionImpl *>(layers[4]));
    const torch::Tensor x = torch::randn({2, 32, 3});
    const auto run = [&] {
        torch::manual_seed(6);
        return model->forward(x).prediction;
    };
    const torch::Tensor plain = run();
    for (HeadMaskable *layer : layers)
        layer->setHeadMask(torch::ones({4}));
    QVERIFY(torch::equal(run(), plain));
    for (HeadMaskable *layer : layers) {
        // The last head: with mixed heads (the decoder's self-attention) head h fills decoder
        // tokens [h T / heads, (h + 1) T / heads), so the first heads reach only the label_len
        // known steps, which the forecast does not include.
        layer->setHeadMask(torch::tensor({1.0f, 1.0f, 1.0f, 0.0f}));
        QVERIFY(!torch::allclose(run(), plain, 1e-5, 1e-6));
        layer->setHeadMask({});
    }
    QVERIFY(torch::equal(run(), plain));
    layers[3]->setHeadMask(torch::tensor({0.0f, 1.0f, 1.0f, 1.0f}));
    QVERIFY(torch::equal(run(), plain));
    layers[3]->setHeadMask({});
}

void tst_Informer::overfitsTinyBatch()
{
    Informer model(tiny(0));
    const torch::Tensor x = torch::randn({4, 32, 3});
    const torch::Tensor y = torch::randn({4, 8, 3});
    const auto [first, last] = test::overfit(*model, x, y, 200, 1e-3);
    qInfo("loss %g -> %g", first, last);
    QVERIFY2(last < 0.1 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
}

void tst_Informer::saveLoadRoundTrip()
{
    Informer source(tiny());
    torch::manual_seed(77);
    Informer target(tiny());
    // Training steps move the distilling layers' BatchNorm statistics away from their start.
    source->train();
    for (int i = 0; i < 3; ++i)
        source->forward(torch::randn({4, 32, 3}));
    const auto named = source->named_buffers();
    QVERIFY(named["encoder.distil.0.norm.running_mean"].abs().sum().item<float>() > 0);
    const torch::Tensor x = torch::randn({3, 32, 3});
    std::stringstream stream;
    torch::save(source, stream);
    torch::load(target, stream);
    source->eval();
    target->eval();
    torch::NoGradGuard noGrad;
    torch::manual_seed(2);
    const torch::Tensor a = source->forward(x).prediction;
    torch::manual_seed(2);
    QVERIFY(torch::equal(a, target->forward(x).prediction));
}

void tst_Informer::sameSeedSameModel()
{
    const torch::Tensor x = torch::randn({2, 32, 3});
    torch::manual_seed(9);
    Informer a(tiny());
    torch::manual_seed(9);
    Informer b(tiny());
    for (const auto &p : a->named_parameters())
        QVERIFY(torch::equal(p.value(), b->named_parameters()[p.key()]));
    a->eval();
    b->eval();
    torch::manual_seed(3);
    const torch::Tensor ya = a->forward(x).prediction;
    torch::manual_seed(3);
    QVERIFY(torch::equal(ya, b->forward(x).prediction));
}

void tst_Informer::validation()
{
    QVERIFY(tiny().validate().isOk());
    const auto reason = [](const InformerOptions &o) {
        const Status s = o.validate();
        return s.isOk() ? QString() : s.error().reason;
    };
    QVERIFY(reason(tiny().numHeads(5)).contains(QLatin1String("not divisible by n_heads")));
    QVERIFY(reason(tiny().labelLen(64)).contains(QLatin1String("label_len 64")));
    QVERIFY(reason(tiny().factor(0)).contains(QLatin1String("factor")));
    QVERIFY(reason(tiny().decoderLayers(0)).contains(QLatin1String("d_layers")));
    ModelSpec classify = spec();
    classify.task = Task::Classify;
    QVERIFY(reason(InformerOptions(classify)).contains(QLatin1String("forecast")));
    QVERIFY_THROWS_EXCEPTION(c10::Error, Informer{tiny().factor(0)});
}

void tst_Informer::etth1SizeAndTiming()
{
    ModelSpec s;
    s.lookback = 96;
    s.horizon = 96;
    s.channels = 7;
    s.markFeatures = 4;
    for (InformerVariant variant :
         {InformerVariant::Informer2020, InformerVariant::TimeSeriesLibrary}) {
        Informer model{InformerOptions(s).variant(variant)};
        const char *name = variant == InformerVariant::Informer2020 ? "informer2020" : "tslib";
        qInfo("Informer (%s) ETTh1 parameters: %lld", name,
              static_cast<long long>(test::parameterCount(*model)));
        if (qEnvironmentVariableIsEmpty("TWB_TIMING"))
            continue;
        const double ms =
            test::forwardBackwardMs(*model, torch::randn({32, 96, 7}), torch::randn({32, 96, 7}),
                                    test::withMarks(32, s), 5);
        qInfo("Informer (%s) ETTh1 forward+backward, batch 32, %d threads: %.1f ms", name,
              torch::get_num_threads(), ms);
    }
}

QTEST_GUILESS_MAIN(tst_Informer)
#include "tst_informer.moc"
