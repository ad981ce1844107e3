// Attention captured from a real tiny PatchTST (made by its plugin) equals softmax(QK^T/sqrt(d))
// recomputed by hand from the layer's own q/k projections; gradient x input saliency.

#include "ExplainTestSupport.h"
#include "explain/AttentionCapture.h"
#include "explain/Saliency.h"

#include <QtTest>

#include <cmath>

using namespace twb;
using namespace twb::explain;

class tst_AttentionCapture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(3); }
    void patchTSTEqualsSoftmaxOfQK_data();
    void patchTSTEqualsSoftmaxOfQK();
    void rowsSumToOneAndTokensDescribePatches();
    void iTransformerHasOneMapForAllChannels();
    void badInputIsAnError();
    void forecastSaliencyIsCompleteForLinearModel();
    void forecastSaliencyOfAllChannels();
    void classifySaliencyTargetsPredictedLogit();

private:
    std::shared_ptr<Model> patchTST();
};

std::shared_ptr<Model> tst_AttentionCapture::patchTST()
{
    QString error;
    std::shared_ptr<Model> model =
        test::makeModel(QStringLiteral("patchtst"), test::forecastSpec(32, 8, {"a", "b", "c"}),
                        test::tinyPatchTST(), &error);
    if (!model)
        qWarning("%s", qPrintable(error));
    return model;
}

void tst_AttentionCapture::patchTSTEqualsSoftmaxOfQK_data()
{
    QTest::addColumn<int>("layer");
    QTest::addColumn<int>("channel");
    QTest::newRow("layer 0, channel 1") << 0 << 1;
    QTest::newRow("layer 1, channel 2") << 1 << 2;
    QTest::newRow("layer 1, channel 0") << 1 << 0;
}

void tst_AttentionCapture::patchTSTEqualsSoftmaxOfQK()
{
    QFETCH(int, layer);
    QFETCH(int, channel);
    std::shared_ptr<Model> model = patchTST();
    QVERIFY(model);
    const torch::Tensor x = torch::randn({1, 32, 3});
    Expected<AttentionSet> set = captureModelAttention(*model, x, channel);
    QVERIFY2(set, set ? "" : qPrintable(set.error().toString()));
    QCOMPARE(set->layerCount(), 2);
    QCOMPARE(set->channel, std::int64_t(channel));
    // The input as the model saw it, [L, C] row-major.
    QCOMPARE(set->inputRows, 32);
    QCOMPARE(set->inputCols, 3);
    QCOMPARE(set->input, std::vector<float>(x.data_ptr<float>(), x.data_ptr<float>() + 96));

    // The input of `layer`: the embedding (layer 0) or the previous layer's output, row
    // b * channels + c = channel for the single sample.
    torch::NoGradGuard noGrad;
    const ModelOutput out = model->forward(x, ForwardOptions{false, true});
    const std::string stage =
        layer == 0 ? "embedding" : "encoder_layer_" + std::to_string(layer - 1);
    torch::Tensor tokens;
    for (const NamedTensor &t : out.intermediates)
        if (t.name == stage)
            tokens = t.value[channel]; // [N, d]
    QVERIFY(tokens.defined());
    QCOMPARE(tokens.sizes().vec(), (std::vector<std::int64_t>{8, 16}));

    // q = x Wq^T + bq, k = x Wk^T + bk from MultiheadAttention's q_proj / k_proj.
    const auto params = model->named_parameters();
    const std::string prefix = "encoder.layers." + std::to_string(layer) + ".self_attention.";
    const torch::Tensor q = torch::nn::functional::linear(tokens, params[prefix + "q_proj.weight"],
                                                          params[prefix + "q_proj.bias"]);
    const torch::Tensor k = torch::nn::functional::linear(tokens, params[prefix + "k_proj.weight"],
                                                          params[prefix + "k_proj.bias"]);
    const int heads = 4, dk = 4, n = 8;
    const AttentionLayer &captured = set->layers[std::size_t(layer)];
    QCOMPARE(captured.heads, heads);
    QCOMPARE(captured.queries, n);
    QCOMPARE(captured.keys, n);
    double worst = 0.0;
    for (int h = 0; h < heads; ++h) {
        const torch::Tensor qh = q.narrow(1, h * dk, dk).to(torch::kDouble);
        const torch::Tensor kh = k.narrow(1, h * dk, dk).to(torch::kDouble);
        // Plain loops for the softmax so that nothing of the model's own code is reused.
        const torch::Tensor scores = torch::matmul(qh, kh.t()).contiguous();
        const double *s = scores.data_ptr<double>();
        for (int i = 0; i < n; ++i) {
            double maxScore = -1e300;
            for (int j = 0; j < n; ++j)
                maxScore = std::max(maxScore, s[i * n + j] / std::sqrt(double(dk)));
            double sum = 0.0;
            std::vector<double> e(static_cast<std::size_t>(n));
            for (int j = 0; j < n; ++j)
                sum += e[std::size_t(j)] =
                    std::exp(s[i * n + j] / std::sqrt(double(dk)) - maxScore);
            for (int j = 0; j < n; ++j)
                worst = std::max(worst, std::abs(e[std::size_t(j)] / sum - captured.at(h, i, j)));
        }
    }
    QVERIFY2(worst < 1e-5, qPrintable(QStringLiteral("max difference %1").arg(worst)));
}

void tst_AttentionCapture::rowsSumToOneAndTokensDescribePatches()
{
    std::shared_ptr<Model> model = patchTST();
    QVERIFY(model);
    Expected<AttentionSet> set = captureModelAttention(*model, torch::randn({1, 32, 3}), 0);
    QVERIFY(set);
    QCOMPARE(set->tokenCount(), 8); // (32 - 8) / 4 + 1 = 7 patches + 1 over the end padding
    for (const AttentionLayer &layer : set->layers)
        for (int h = 0; h < layer.heads; ++h)
            for (int q = 0; q < layer.queries; ++q) {
                double sum = 0.0;
                for (int k = 0; k < layer.keys; ++k)
                    sum += layer.at(h, q, k);
                QVERIFY(std::abs(sum - 1.0) < 1e-5);
            }
    // Patch i covers [i * 4, i * 4 + 8) of the lookback; the last one, over the padding that
    // repeats the last sample, covers [28, 32).
    QCOMPARE(set->tokens[7].begin, std::int64_t(28));
    QCOMPARE(set->tokens[7].end, std::int64_t(32));
    for (int i = 0; i < 7; ++i) {
        QCOMPARE(set->tokens[std::size_t(i)].kind, TokenInfo::Kind::TimeRange);
        QCOMPARE(set->tokens[std::size_t(i)].begin, std::int64_t(i * 4));
        QCOMPARE(set->tokens[std::size_t(i)].end, std::int64_t(i * 4 + 8));
    }
    // Different channels give different maps (channel-independent attention).
    Expected<AttentionSet> other = captureModelAttention(*model, torch::randn({1, 32, 3}), 2);
    QVERIFY(other);
    QVERIFY(other->layers[0].weights != set->layers[0].weights);
}

void tst_AttentionCapture::iTransformerHasOneMapForAllChannels()
{
    QString error;
    std::shared_ptr<Model> model = test::makeModel(
        QStringLiteral("itransformer"), test::forecastSpec(24, 6, {"HUFL", "MULL", "OT"}),
        {{"d_model", 16}, {"n_heads", 2}, {"d_ff", 32}, {"e_layers", 2}, {"dropout", 0.0}}, &error);
    QVERIFY2(model, qPrintable(error));
    Expected<AttentionSet> set = captureModelAttention(*model, torch::randn({1, 24, 3}), 5);
    QVERIFY2(set, set ? "" : qPrintable(set.error().toString()));
    QCOMPARE(set->channel, std::int64_t(-1)); // the channel argument does not apply
    QCOMPARE(set->layerCount(), 2);
    QCOMPARE(set->layers[0].heads, 2);
    QCOMPARE(set->layers[0].queries, 3);
    QCOMPARE(set->tokens[2].label, std::string("OT"));
}

void tst_AttentionCapture::badInputIsAnError()
{
    std::shared_ptr<Model> model = patchTST();
    QVERIFY(model);
    Expected<AttentionSet> r = captureModelAttention(*model, torch::randn({2, 32, 3}), 0);
    QVERIFY(!r);
    QVERIFY(r.error().reason.contains(QStringLiteral("one sample [1, time, channels]")));
    r = captureModelAttention(*model, torch::randn({1, 32, 3}), 3);
    QVERIFY(!r);
    QCOMPARE(r.error().reason, QStringLiteral("attention: channel 3 is outside [0, 3)"));
    r = captureModelAttention(*model, torch::randn({1, 30, 3}), 0); // wrong lookback: model throws
    QVERIFY(!r);
    QVERIFY2(r.error().reason.contains(QStringLiteral("PatchTST: input must be")),
             qPrintable(r.error().reason));

    QString error;
    std::shared_ptr<Model> linear = test::makeModel(
        QStringLiteral("dlinear"), test::forecastSpec(32, 8, {"a", "b"}), {}, &error);
    QVERIFY2(linear, qPrintable(error));
    r = captureModelAttention(*linear, torch::randn({1, 32, 2}), 0, {}, QStringLiteral("dlinear"));
    QVERIFY(!r);
    QCOMPARE(r.error().reason,
             QStringLiteral("attention: ") + noAttentionMapsMessage(QStringLiteral("dlinear")));
    QVERIFY(
        r.error().reason.startsWith(QStringLiteral("attention: dlinear has no attention maps")));
}

void tst_AttentionCapture::forecastSaliencyIsCompleteForLinearModel()
{
    // DLinear is affine in its input: f(x) = A x + b. For such a function gradient x input adds
    // up exactly to f(x) - f(0) (completeness), and with shared (channel-independent) weights
    // the forecast of channel c does not depend on the other channels: their saliency is 0.
    QString error;
    std::shared_ptr<Model> model = test::makeModel(
        QStringLiteral("dlinear"), test::forecastSpec(32, 8, {"a", "b", "c"}), {}, &error);
    QVERIFY2(model, qPrintable(error));
    const torch::Tensor x = torch::randn({1, 32, 3});
    Expected<SaliencyMap> map = computeSaliency(*model, x, Task::Forecast, 1, {"a", "b", "c"});
    QVERIFY2(map, map ? "" : qPrintable(map.error().toString()));
    QCOMPARE(map->rows, 32);
    QCOMPARE(map->cols, 3);
    QCOMPARE(map->target, std::string("sum of the forecast of b"));
    torch::NoGradGuard noGrad;
    const double fx = model->forward(x).prediction.select(2, 1).sum().item<double>();
    const double f0 =
        model->forward(torch::zeros({1, 32, 3})).prediction.select(2, 1).sum().item<double>();
    double total = 0.0;
    for (int t = 0; t < 32; ++t) {
        total += map->values[std::size_t(t * 3 + 1)];
        QCOMPARE(map->values[std::size_t(t * 3 + 0)], 0.0f);
        QCOMPARE(map->values[std::size_t(t * 3 + 2)], 0.0f);
    }
    QVERIFY2(std::abs(total - (fx - f0)) < 1e-4 * std::max(1.0, std::abs(fx - f0)),
             qPrintable(QStringLiteral("sum %1, f(x) - f(0) %2").arg(total).arg(fx - f0)));
    // The model's own parameters got no gradient.
    for (const torch::Tensor &p : model->parameters())
        QVERIFY(!p.grad().defined() || p.grad().abs().sum().item<double>() == 0.0);
}

void tst_AttentionCapture::forecastSaliencyOfAllChannels()
{
    QString error;
    std::shared_ptr<Model> model = test::makeModel(
        QStringLiteral("dlinear"), test::forecastSpec(32, 8, {"a", "b"}), {}, &error);
    QVERIFY2(model, qPrintable(error));
    const torch::Tensor x = torch::randn({1, 32, 2});
    Expected<SaliencyMap> all = computeSaliency(*model, x, Task::Forecast, -1);
    QVERIFY(all);
    QCOMPARE(all->target, std::string("sum of the forecast of all channels"));
    Expected<SaliencyMap> a = computeSaliency(*model, x, Task::Forecast, 0);
    Expected<SaliencyMap> b = computeSaliency(*model, x, Task::Forecast, 1);
    QVERIFY(a && b);
    QCOMPARE(a->target, std::string("sum of the forecast of channel 0"));
    // Linear in the target: all = a + b element-wise.
    for (std::size_t i = 0; i < all->values.size(); ++i)
        QVERIFY(std::abs(all->values[i] - (a->values[i] + b->values[i])) < 1e-5f);
    Expected<SaliencyMap> bad = computeSaliency(*model, x, Task::Forecast, 2);
    QVERIFY(!bad);
    QCOMPARE(bad.error().reason, QStringLiteral("saliency: channel 2 is outside [0, 2)"));
}

void tst_AttentionCapture::classifySaliencyTargetsPredictedLogit()
{
    ModelSpec spec;
    spec.task = Task::Classify;
    spec.lookback = 40; // frames
    spec.channels = 24; // mel bins
    spec.numClasses = 3;
    QString error;
    std::shared_ptr<Model> model = test::makeModel(QStringLiteral("ast"), spec,
                                                   {{"d_model", 16},
                                                    {"n_heads", 2},
                                                    {"num_layers", 1},
                                                    {"patch_size", 8},
                                                    {"fstride", 8},
                                                    {"tstride", 8},
                                                    {"dropout", 0.0}},
                                                   &error);
    QVERIFY2(model, qPrintable(error));
    const torch::Tensor x = torch::randn({1, 40, 24});
    std::int64_t predicted = 0;
    {
        torch::NoGradGuard noGrad;
        predicted = model->forward(x).prediction[0].argmax().item<std::int64_t>();
    }
    Expected<SaliencyMap> map =
        computeSaliency(*model, x, Task::Classify, -1, {"zero", "one", "two"});
    QVERIFY2(map, map ? "" : qPrintable(map.error().toString()));
    const char *names[] = {"zero", "one", "two"};
    QCOMPARE(map->target, std::string("logit of the predicted class ") + names[predicted]);
    QCOMPARE(map->rows, 40);
    QCOMPARE(map->cols, 24);
    // Gradient x input of the predicted logit, recomputed with autograd directly.
    torch::Tensor xg = x.clone().requires_grad_(true);
    model->forward(xg).prediction[0][predicted].backward();
    const torch::Tensor expected = (xg.grad() * x)[0].contiguous();
    for (std::size_t i = 0; i < map->values.size(); ++i)
        QVERIFY(std::abs(map->values[i] - expected.data_ptr<float>()[i]) < 1e-5f);
}

QTEST_GUILESS_MAIN(tst_AttentionCapture)
#include "tst_attentioncapture.moc"
