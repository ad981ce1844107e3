// Tracing one sample through real models of the built plugins: stage order, shapes, the
// attention stages and the parameter count.

#include "ExplainTestSupport.h"
#include "explain/ForwardCapture.h"

#include <QtTest>

#include <cmath>

using namespace twb;
using namespace twb::explain;

namespace {

std::vector<std::string> names(const ForwardTrace &t)
{
    std::vector<std::string> out;
    for (const ForwardStage &s : t.stages)
        out.push_back(s.name);
    return out;
}

const ForwardStage *find(const ForwardTrace &t, const std::string &name)
{
    for (const ForwardStage &s : t.stages)
        if (s.name == name)
            return &s;
    return nullptr;
}

using Shape = std::vector<std::int64_t>;

} // namespace

class tst_ForwardCapture : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void patchTstStagesInOrder();
    void patchTstParameters();
    void dlinearHasNoAttention();
    void rejectsBatches();
    void mechanismsFollowTheirLayer();
};

void tst_ForwardCapture::patchTstStagesInOrder()
{
    QString error;
    std::shared_ptr<Model> model =
        test::makeModel(QStringLiteral("patchtst"), test::forecastSpec(32, 8, {"a", "b", "c"}),
                        test::tinyPatchTST(), &error);
    QVERIFY2(model, qPrintable(error));
    torch::manual_seed(1);
    const torch::Tensor x = torch::randn({1, 32, 3});
    Expected<ForwardTrace> t = traceModelForward(*model, x);
    QVERIFY2(t, t ? "" : qPrintable(t.error().toString()));

    QCOMPARE(names(*t), (std::vector<std::string>{
                            "input", "revin", "patches", "embedding", "encoder_layer_0",
                            "attention_scores_layer_0", "attention_layer_0", "encoder_layer_1",
                            "attention_scores_layer_1", "attention_layer_1", "head", "output"}));
    // L 32, P 8, S 4: 8 patches (the last over the end padding); d 16, 4 heads, C = 3.
    const std::vector<Shape> shapes{{1, 32, 3}, {1, 32, 3}, {1, 3, 8, 8}, {3, 8, 16},
                                    {3, 8, 16}, {4, 8, 8},  {4, 8, 8},    {3, 8, 16},
                                    {4, 8, 8},  {4, 8, 8},  {1, 3, 8},    {1, 8, 3}};
    for (std::size_t i = 0; i < shapes.size(); ++i)
        QCOMPARE(t->stages[i].shape, shapes[i]);
    QCOMPARE(t->prediction.shape, (Shape{1, 8, 3}));

    // The input stage: preview = the whole window [32, 3], statistics of x.
    const ForwardStage &input = t->stages[0];
    QCOMPARE(input.rows, 32);
    QCOMPARE(input.cols, 3);
    QCOMPARE(input.preview[3 * 5 + 2], x[0][5][2].item<float>());
    QVERIFY(std::abs(input.mean - x.mean().item<double>()) < 1e-6);
    QVERIFY(std::abs(input.max - x.max().item<double>()) < 1e-6);
    QVERIFY(std::abs(input.std - x.std(/*unbiased=*/false).item<double>()) < 1e-5);

    // RevIN: every channel of the window has mean 0.
    const ForwardStage *revin = find(*t, "revin");
    QVERIFY(std::abs(revin->mean) < 1e-5);
    // Patches [1, C, N, P]: the preview is channel 0, patch n = revin rows 4n .. 4n + 7.
    const ForwardStage *patches = find(*t, "patches");
    QCOMPARE(patches->rows, 8);
    QCOMPARE(patches->cols, 8);
    for (int n = 0; n < 7; ++n)
        for (int p = 0; p < 8; ++p)
            QCOMPARE(patches->preview[std::size_t(n * 8 + p)],
                     revin->preview[std::size_t((4 * n + p) * 3)]);
    // Attention rows (head 0 of channel 0) are softmax rows.
    for (const char *name : {"attention_layer_0", "attention_layer_1"}) {
        const ForwardStage *a = find(*t, name);
        QCOMPARE(a->rows, 8);
        for (int q = 0; q < 8; ++q) {
            double sum = 0.0;
            for (int k = 0; k < 8; ++k)
                sum += a->preview[std::size_t(q * 8 + k)];
            QVERIFY(std::abs(sum - 1.0) < 1e-5);
        }
        QVERIFY(a->min >= 0.0 && a->max <= 1.0);
    }
    // The scores before the softmax give exactly the weights after it, row by row.
    for (int layer = 0; layer < 2; ++layer) {
        const std::string suffix = "layer_" + std::to_string(layer);
        const ForwardStage *scores = find(*t, "attention_scores_" + suffix);
        const ForwardStage *weights = find(*t, "attention_" + suffix);
        QVERIFY(scores && weights);
        QVERIFY(scores->min < 0.0 || scores->max > 1.0); // not probabilities
        for (int q = 0; q < 8; ++q) {
            double total = 0.0;
            for (int k = 0; k < 8; ++k)
                total += std::exp(double(scores->preview[std::size_t(q * 8 + k)]));
            for (int k = 0; k < 8; ++k) {
                const double softmax =
                    std::exp(double(scores->preview[std::size_t(q * 8 + k)])) / total;
                QVERIFY(std::abs(softmax - weights->preview[std::size_t(q * 8 + k)]) < 1e-5);
            }
        }
    }
}

void tst_ForwardCapture::patchTstParameters()
{
    QString error;
    std::shared_ptr<Model> model =
        test::makeModel(QStringLiteral("patchtst"), test::forecastSpec(32, 8, {"a", "b", "c"}),
                        test::tinyPatchTST(), &error);
    QVERIFY2(model, qPrintable(error));
    Expected<ForwardTrace> t = traceModelForward(*model, torch::randn({1, 32, 3}));
    QVERIFY2(t, t ? "" : qPrintable(t.error().toString()));

    std::int64_t numel = 0;
    for (const torch::Tensor &p : model->parameters())
        numel += p.numel();
    QVERIFY(numel > 0);
    QCOMPARE(t->totalParameters, numel);
    QCOMPARE(t->parameters.size(), model->parameters().size());
    // The buffers too (PatchTST's positional table, RevIN has none), by name and count.
    std::int64_t bufferNumel = 0;
    for (const torch::Tensor &b : model->buffers())
        bufferNumel += b.numel();
    QCOMPARE(t->totalBuffers, bufferNumel);
    QCOMPARE(t->buffers.size(), model->buffers().size());
    std::int64_t sum = 0;
    for (const ForwardParameter &p : t->parameters) {
        std::int64_t product = 1;
        for (std::int64_t d : p.shape)
            product *= d;
        QCOMPARE(p.count, product);
        sum += p.count;
    }
    QCOMPARE(sum, numel);
    // The same names, in the same order, as named_parameters().
    const auto named = model->named_parameters();
    for (std::size_t i = 0; i < named.size(); ++i)
        QCOMPARE(t->parameters[i].name, named[i].key());
    // The head maps d * N = 128 features to the horizon 8.
    bool headFound = false;
    for (const ForwardParameter &p : t->parameters)
        if (p.shape == Shape{8, 128})
            headFound = true;
    QVERIFY(headFound);
}

void tst_ForwardCapture::dlinearHasNoAttention()
{
    QString error;
    std::shared_ptr<Model> model = test::makeModel(
        QStringLiteral("dlinear"), test::forecastSpec(32, 8, {"a", "b"}), {}, &error);
    QVERIFY2(model, qPrintable(error));
    Expected<ForwardTrace> t = traceModelForward(*model, torch::randn({1, 32, 2}));
    QVERIFY2(t, t ? "" : qPrintable(t.error().toString()));
    QCOMPARE(names(*t), (std::vector<std::string>{"input", "trend", "seasonal", "output"}));
    QCOMPARE(t->stages[3].shape, (Shape{1, 8, 2}));
    // trend + seasonal = input.
    for (std::size_t i = 0; i < t->stages[0].preview.size(); ++i)
        QVERIFY(std::abs(t->stages[1].preview[i] + t->stages[2].preview[i] -
                         t->stages[0].preview[i]) < 1e-5f);
}

void tst_ForwardCapture::rejectsBatches()
{
    QString error;
    std::shared_ptr<Model> model = test::makeModel(
        QStringLiteral("dlinear"), test::forecastSpec(32, 8, {"a", "b"}), {}, &error);
    QVERIFY2(model, qPrintable(error));
    Expected<ForwardTrace> t = traceModelForward(*model, torch::randn({2, 32, 2}));
    QVERIFY(!t);
    QCOMPARE(t.error().reason,
             QStringLiteral("forward: the input must be one sample [1, time, channels]"));
    t = traceModelForward(*model, torch::randn({1, 31, 2}));
    QVERIFY(!t);
    QVERIFY2(t.error().reason.startsWith(QStringLiteral("forward: DLinear: input must be")),
             qPrintable(t.error().reason));
}

void tst_ForwardCapture::mechanismsFollowTheirLayer()
{
    const QVariantMap small{{"d_model", 16}, {"n_heads", 2},   {"d_ff", 32},     {"e_layers", 2},
                            {"d_layers", 1}, {"label_len", 8}, {"moving_avg", 5}};
    QString error;
    std::shared_ptr<Model> autoformer = test::makeModel(
        QStringLiteral("autoformer"), test::forecastSpec(32, 8, {"a", "b"}), small, &error);
    QVERIFY2(autoformer, qPrintable(error));
    Expected<ForwardTrace> t = traceModelForward(*autoformer, torch::randn({1, 32, 2}));
    QVERIFY2(t, t ? "" : qPrintable(t.error().toString()));
    const std::vector<std::string> order = names(*t);
    const auto at = [&](const std::string &name) {
        return std::find(order.begin(), order.end(), name) - order.begin();
    };
    // The first encoder layer's mechanism comes after all of that layer's stages and before
    // the next layer's; '/' became '.'.
    const auto correlation = at("encoder_layer_0.autocorrelation");
    QVERIFY(correlation < std::ptrdiff_t(order.size()));
    QCOMPARE(at("encoder_layer_0.delays"), correlation + 1);
    QCOMPARE(at("encoder_layer_0.delay_weights"), correlation + 2);
    QCOMPARE(at("encoder_layer_0.after_feed_forward.trend"), correlation - 1);
    QCOMPARE(at("encoder_layer_1.after_attention.seasonal"), correlation + 3);
    QVERIFY(at("decoder_layer_0.cross.delays") > at("decoder_layer_0.residual_trend"));
    QCOMPARE(t->stages[std::size_t(correlation)].shape, (Shape{1, 2, 32}));

    // Cross-attention right after its decoder layer (the Transformer: one stage per layer).
    QVariantMap vanillaSettings = small;
    vanillaSettings.remove(QStringLiteral("moving_avg"));
    std::shared_ptr<Model> transformer =
        test::makeModel(QStringLiteral("transformer"), test::forecastSpec(32, 8, {"a", "b"}),
                        vanillaSettings, &error);
    QVERIFY2(transformer, qPrintable(error));
    Expected<ForwardTrace> v = traceModelForward(*transformer, torch::randn({1, 32, 2}));
    QVERIFY2(v, v ? "" : qPrintable(v.error().toString()));
    const std::vector<std::string> vanilla = names(*v);
    const auto decoder = std::find(vanilla.begin(), vanilla.end(), "decoder_layer_0");
    QVERIFY(decoder != vanilla.end() && decoder + 1 != vanilla.end());
    QCOMPARE(*(decoder + 1), std::string("cross_attention_layer_0"));
    const auto cross = std::size_t(decoder + 1 - vanilla.begin());
    QCOMPARE(v->stages[cross].shape, (Shape{2, 16, 32})); // heads x (8 + 8) decoder steps x 32
}

QTEST_GUILESS_MAIN(tst_ForwardCapture)
#include "tst_forwardcapture.moc"
