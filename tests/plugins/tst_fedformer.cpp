#include "FEDformer.h"
#include "ModelTestSupport.h"
#include "nn/HeadMaskable.h"

#include <QElapsedTimer>
#include <QTest>

using namespace twb;

class tst_FEDformer : public QObject
{
    Q_OBJECT

private:
    /// L 32, H 8, 3 channels, 4 calendar features.
    static ModelSpec spec(std::int64_t markFeatures = 4);
    /// d 16, 4 heads, d_ff 32, 2 + 1 layers, label_len 16, 4 random modes, moving_avg 5, no
    /// dropout.
    static FEDformerOptions tiny(std::int64_t markFeatures = 4);
    static ForwardOptions withMarks(std::int64_t batch, bool attention = false,
                                    bool intermediates = false);
    static HeadMaskable *firstHeadMaskable(torch::nn::Module &model);

private Q_SLOTS:
    void init() { torch::manual_seed(41); }
    void defaultsAreEtth1Settings();
    void outputShapesWithAndWithoutMarks();
    void embedNoneNeverReadsMarks();
    void tokensAreTimeSteps();
    void mechanismsOnlyWhenCaptured();
    void intermediates();
    void headMask();
    void overfitsTinyBatch();
    void saveLoadRoundTrip();
    void sameSeedSameModel();
    void validation();
    void etth1SizeAndTiming();
};

ModelSpec tst_FEDformer::spec(std::int64_t markFeatures)
{
    ModelSpec s;
    s.lookback = 32;
    s.horizon = 8;
    s.channels = 3;
    s.channelNames = {"HUFL", "HULL", "OT"};
    s.markFeatures = markFeatures;
    return s;
}

FEDformerOptions tst_FEDformer::tiny(std::int64_t markFeatures)
{
    return FEDformerOptions(spec(markFeatures))
        .dModel(16)
        .numHeads(4)
        .dFF(32)
        .numLayers(2)
        .dropout(0.0)
        .decoderLayers(1)
        .labelLen(16)
        .modes(4)
        .movingAvg(5);
}

ForwardOptions tst_FEDformer::withMarks(std::int64_t batch, bool attention, bool intermediates)
{
    ForwardOptions options(attention, intermediates);
    options.historyMarks = torch::rand({batch, 32, 4}) - 0.5;
    options.futureMarks = torch::rand({batch, 8, 4}) - 0.5;
    return options;
}

HeadMaskable *tst_FEDformer::firstHeadMaskable(torch::nn::Module &model)
{
    for (const auto &module : model.modules(false))
        if (auto *maskable = dynamic_cast<HeadMaskable *>(module.get()))
            return maskable;
    return nullptr;
}

void tst_FEDformer::defaultsAreEtth1Settings()
{
    const FEDformerOptions o(spec());
    QCOMPARE(o.dModel(), int64_t(512));
    QCOMPARE(o.numHeads(), int64_t(8));
    QCOMPARE(o.dFF(), int64_t(2048));
    QCOMPARE(o.numLayers(), int64_t(2));
    QCOMPARE(o.decoderLayers(), int64_t(1));
    QCOMPARE(o.dropout(), 0.1);
    QCOMPARE(o.labelLen(), int64_t(48));
    QCOMPARE(o.modes(), int64_t(32));
    QCOMPARE(o.modeSelect(), ModeSelect::Random);
    QCOMPARE(o.movingAvg(), int64_t(25));
    QCOMPARE(o.activation(), FeedForwardActivation::Gelu);
    QVERIFY(o.useMarks());
}

void tst_FEDformer::outputShapesWithAndWithoutMarks()
{
    FEDformer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({5, 32, 3});
    const ModelOutput marked = model->forward(x, withMarks(5));
    QCOMPARE(marked.prediction.sizes().vec(), (std::vector<int64_t>{5, 8, 3}));
    const ModelOutput plain = model->forward(x);
    QCOMPARE(plain.prediction.sizes().vec(), (std::vector<int64_t>{5, 8, 3}));
    QVERIFY(!torch::allclose(marked.prediction, plain.prediction));
    const auto params = model->named_parameters();
    QVERIFY(params.contains("enc_embedding.temporal.weight"));
    QVERIFY(params.contains("encoder_layers.0.attention.inner_correlation.weight_real"));
    QVERIFY(!params.contains("encoder_layers.0.attention.key_projection.weight"));
    QVERIFY(params.contains("decoder_layers.0.cross_attention.key_projection.weight"));
    QVERIFY(model->named_buffers().contains("decoder_layers.0.cross_attention.inner_correlation."
                                            "query_modes"));

    // A spec without dates: no temporal embedding at all, marks undefined.
    FEDformer undated(tiny(0));
    undated->eval();
    QVERIFY(!undated->named_parameters().contains("enc_embedding.temporal.weight"));
    QCOMPARE(undated->forward(x).prediction.sizes().vec(), (std::vector<int64_t>{5, 8, 3}));
    // Only one of the two marks is an error.
    ForwardOptions half;
    half.historyMarks = torch::zeros({5, 32, 4});
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(x, half));
}

void tst_FEDformer::embedNoneNeverReadsMarks()
{
    FEDformer model(tiny().useMarks(false));
    model->eval();
    torch::NoGradGuard noGrad;
    QVERIFY(!model->named_parameters().contains("enc_embedding.temporal.weight"));
    const torch::Tensor x = torch::randn({2, 32, 3});
    QVERIFY(torch::equal(model->forward(x, withMarks(2)).prediction, model->forward(x).prediction));
}

void tst_FEDformer::tokensAreTimeSteps()
{
    FEDformer model(tiny());
    const std::vector<TokenInfo> tokens = model->tokens();
    QCOMPARE(tokens.size(), std::size_t(32));
    QCOMPARE(tokens.front().label, std::string("encoder step t-32"));
    QCOMPARE(tokens.back().label, std::string("encoder step t-1"));
    QCOMPARE(tokens.back().begin, int64_t(31));
    QCOMPARE(tokens.back().end, int64_t(32));
    QCOMPARE(tokens.back().kind, TokenInfo::Kind::TimeStep);
    const std::vector<TokenInfo> decoder = model->decoderTokens();
    QCOMPARE(decoder.size(), std::size_t(16 + 8));
    QCOMPARE(decoder.front().label, std::string("decoder step t-16"));
    QCOMPARE(decoder.front().begin, int64_t(16));
    QCOMPARE(decoder[16].label, std::string("decoder step t"));
    QCOMPARE(decoder[16].begin, int64_t(32)); // the first horizon step
    QCOMPARE(decoder.back().label, std::string("decoder step t+7"));
    QCOMPARE(decoder.back().end, int64_t(40));
    QCOMPARE(model->encoderLayerTokens(1).size(), std::size_t(32));
}

void tst_FEDformer::mechanismsOnlyWhenCaptured()
{
    FEDformer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 32, 3});
    const ForwardOptions marks = withMarks(2);
    const ModelOutput plain = model->forward(x, marks);
    QVERIFY(plain.mechanisms.empty());
    QVERIFY(plain.attention.empty());
    QVERIFY(plain.intermediates.empty());

    ForwardOptions capture = marks;
    capture.captureAttention = true;
    const ModelOutput out = model->forward(x, capture);
    QVERIFY(out.attention.empty()); // no softmax attention matrix exists
    QVERIFY(out.crossAttention.empty());
    std::map<std::string, torch::Tensor> byName;
    for (const NamedTensor &m : out.mechanisms)
        byName[m.name] = m.value;
    QCOMPARE(byName.size(), std::size_t(2 * 2 + 2 + 4));
    QCOMPARE(byName["encoder_layer_0/modes"].sizes().vec(), (std::vector<int64_t>{4}));
    QCOMPARE(byName["encoder_layer_0/modes"].scalar_type(), torch::kLong);
    QCOMPARE(byName["encoder_layer_1/mode_magnitude"].sizes().vec(), (std::vector<int64_t>{4, 4}));
    QCOMPARE(byName["decoder_layer_0/self/modes"].sizes().vec(), (std::vector<int64_t>{4}));
    QVERIFY(byName["decoder_layer_0/self/modes"].max().item<int64_t>() < 12); // T 24
    QCOMPARE(byName["decoder_layer_0/cross/key_modes"].sizes().vec(), (std::vector<int64_t>{4}));
    QCOMPARE(byName["decoder_layer_0/cross/frequency_attention"].sizes().vec(),
             (std::vector<int64_t>{2, 4, 4, 4}));
    // Each layer draws its own random modes.
    QVERIFY(!torch::equal(byName["encoder_layer_0/modes"], byName["encoder_layer_1/modes"]));
    QVERIFY(torch::equal(out.prediction, plain.prediction));
}

void tst_FEDformer::intermediates()
{
    FEDformer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    const torch::Tensor x = torch::randn({2, 32, 3});
    const ModelOutput out = model->forward(x, withMarks(2, false, true));
    const std::vector<std::string> names = test::stageNames(out);
    std::map<std::string, torch::Tensor> byName;
    for (const NamedTensor &stage : out.intermediates)
        byName[stage.name] = stage.value;
    QCOMPARE(names.front(), std::string("input"));
    QCOMPARE(names.back(), std::string("output"));
    for (const char *name :
         {"input_decomposition.seasonal", "input_decomposition.trend", "decoder_input.seasonal",
          "decoder_input.trend", "encoder_embedding", "encoder_layer_0.after_attention.seasonal",
          "encoder_layer_1.after_feed_forward.trend", "encoder_output", "decoder_embedding",
          "decoder_layer_0.after_self.trend", "decoder_layer_0.after_cross.seasonal",
          "decoder_layer_0.after_feed_forward.seasonal", "decoder_layer_0.residual_trend",
          "decoder_output.seasonal", "decoder_output.trend"})
        QVERIFY2(byName.count(name), name);
    QCOMPARE(byName["decoder_input.trend"].sizes().vec(), (std::vector<int64_t>{2, 24, 3}));
    QCOMPARE(byName["encoder_layer_0.after_attention.trend"].sizes().vec(),
             (std::vector<int64_t>{2, 32, 16}));
    QCOMPARE(byName["decoder_layer_0.residual_trend"].sizes().vec(),
             (std::vector<int64_t>{2, 24, 3}));
    QVERIFY(torch::allclose(
        byName["input_decomposition.seasonal"] + byName["input_decomposition.trend"], x));
    // The forecast is trend + seasonal of the decoder's last horizon steps.
    const torch::Tensor sum = byName["decoder_output.seasonal"] + byName["decoder_output.trend"];
    QVERIFY(torch::allclose(sum.narrow(1, 16, 8), out.prediction));
    QVERIFY(torch::equal(byName["output"], out.prediction));
}

void tst_FEDformer::headMask()
{
    FEDformer model(tiny());
    model->eval();
    torch::NoGradGuard noGrad;
    HeadMaskable *first = firstHeadMaskable(*model);
    QVERIFY(first);
    QCOMPARE(first->headCount(), int64_t(4));
    int maskable = 0;
    for (const auto &module : model->modules(false))
        maskable += dynamic_cast<HeadMaskable *>(module.get()) ? 1 : 0;
    QCOMPARE(maskable, 2 + 2 * 1); // encoder self x 2, decoder self + cross
    const torch::Tensor x = torch::randn({2, 32, 3});
    const torch::Tensor plain = model->forward(x).prediction;
    first->setHeadMask(torch::ones({4}));
    QVERIFY(torch::equal(model->forward(x).prediction, plain));
    first->setHeadMask(torch::tensor({1.0f, 0.0f, 1.0f, 1.0f}));
    // Small at initialisation: the official Fourier weights start at U(0, 1) / d_model².
    QVERIFY(!torch::equal(model->forward(x).prediction, plain));
    first->setHeadMask({});
    QVERIFY(torch::equal(model->forward(x).prediction, plain));
}

void tst_FEDformer::overfitsTinyBatch()
{
    FEDformer model(tiny());
    const torch::Tensor x = torch::randn({4, 32, 3});
    const torch::Tensor y = torch::randn({4, 8, 3});
    const auto [first, last] = test::overfit(*model, x, y, 300, 3e-3);
    qInfo("loss %g -> %g (%.1f %% drop)", first, last, 100.0 * (1.0 - last / first));
    QVERIFY2(last < 0.2 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
}

void tst_FEDformer::saveLoadRoundTrip()
{
    FEDformer source(tiny());
    torch::manual_seed(77);
    FEDformer target(tiny());
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

void tst_FEDformer::sameSeedSameModel()
{
    const torch::Tensor x = torch::randn({2, 32, 3});
    torch::manual_seed(9);
    FEDformer a(tiny());
    torch::manual_seed(9);
    FEDformer b(tiny());
    const auto pa = a->named_parameters();
    const auto pb = b->named_parameters();
    QCOMPARE(pa.size(), pb.size());
    for (const auto &item : pa)
        QVERIFY2(torch::equal(item.value(), pb[item.key()]), item.key().c_str());
    const auto ba = a->named_buffers();
    const auto bb = b->named_buffers();
    for (const auto &item : ba)
        QVERIFY2(torch::equal(item.value(), bb[item.key()]), item.key().c_str());
    a->eval();
    b->eval();
    QVERIFY(torch::equal(a->forward(x).prediction, b->forward(x).prediction));
}

void tst_FEDformer::validation()
{
    QVERIFY(tiny().validate().isOk());
    const auto reason = [](const FEDformerOptions &o) {
        const Status s = o.validate();
        return s.isOk() ? QString() : s.error().reason;
    };
    QVERIFY(reason(tiny().labelLen(33)).contains(QLatin1String("label_len")));
    QVERIFY(reason(tiny().dModel(18)).contains(QLatin1String("divisible")));
    QVERIFY(reason(tiny().movingAvg(4)).contains(QLatin1String("moving_avg")));
    QVERIFY(reason(tiny().modes(0)).contains(QLatin1String("modes")));
    QVERIFY(reason(tiny().decoderLayers(0)).contains(QLatin1String("d_layers")));
    QVERIFY(reason(tiny().dropout(1.0)).contains(QLatin1String("dropout")));
    QVERIFY(reason(tiny()).isEmpty());
    QVERIFY(tiny().labelLen(0).validate().isOk());
    QVERIFY(tiny().modes(1000).modeSelect(ModeSelect::Low).validate().isOk());
    QVERIFY_THROWS_EXCEPTION(c10::Error, FEDformer{tiny().movingAvg(4)});
}

void tst_FEDformer::etth1SizeAndTiming()
{
    // ETTh1 at the default settings: 7 channels, lookback 96, horizon 96, 4 calendar features.
    ModelSpec etth1;
    etth1.lookback = 96;
    etth1.horizon = 96;
    etth1.channels = 7;
    etth1.markFeatures = 4;
    FEDformer model{FEDformerOptions(etth1)};
    std::int64_t parameters = 0;
    for (const torch::Tensor &p : model->parameters())
        parameters += p.numel();
    qInfo("FEDformer ETTh1 parameters: %lld", static_cast<long long>(parameters));
    QCOMPARE(parameters, int64_t(17085959));
    if (qEnvironmentVariableIsEmpty("TWB_BENCH"))
        QSKIP("set TWB_BENCH=1 to time forward + backward at batch 32");
    model->train();
    const torch::Tensor x = torch::randn({32, 96, 7});
    const torch::Tensor y = torch::randn({32, 96, 7});
    ForwardOptions options;
    options.historyMarks = torch::rand({32, 96, 4}) - 0.5;
    options.futureMarks = torch::rand({32, 96, 4}) - 0.5;
    QElapsedTimer timer;
    for (int run = 0; run < 4; ++run) {
        model->zero_grad();
        timer.start();
        torch::mse_loss(model->forward(x, options).prediction, y).backward();
        qInfo("forward + backward, batch 32, %d threads: %lld ms", torch::get_num_threads(),
              static_cast<long long>(timer.elapsed()));
    }
}

QTEST_GUILESS_MAIN(tst_FEDformer)
#include "tst_fedformer.moc"
