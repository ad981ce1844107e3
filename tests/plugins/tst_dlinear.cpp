#include "DLinear.h"
#include "ModelTestSupport.h"

#include <QTest>

using namespace twb;

Q_DECLARE_METATYPE(twb::LinearVariant)

class tst_DLinear : public QObject
{
    Q_OBJECT

private:
    static ModelSpec spec(std::int64_t lookback = 48, std::int64_t horizon = 12,
                          std::int64_t channels = 3);
    static DLinearOptions options(LinearVariant variant, bool individual);

private Q_SLOTS:
    void init() { torch::manual_seed(11); }
    void variants_data();
    void outputShapes_data() { variants_data(); }
    void outputShapes();
    void initialWeightsAreOneOverL_data();
    void initialWeightsAreOneOverL();
    void dlinearEqualsDecomposedLinearMaps();
    void nlinearAddsLastValueBack();
    void intermediates_data() { variants_data(); }
    void intermediates();
    void overfitsTinyBatch_data() { variants_data(); }
    void overfitsTinyBatch();
    void saveLoadRoundTrip_data() { variants_data(); }
    void saveLoadRoundTrip();
    void sameSeedSameModel();
    void validation();
};

ModelSpec tst_DLinear::spec(std::int64_t lookback, std::int64_t horizon, std::int64_t channels)
{
    ModelSpec s;
    s.task = Task::Forecast;
    s.lookback = lookback;
    s.horizon = horizon;
    s.channels = channels;
    return s;
}

DLinearOptions tst_DLinear::options(LinearVariant variant, bool individual)
{
    return DLinearOptions(spec()).variant(variant).individual(individual).kernelSize(5);
}

void tst_DLinear::variants_data()
{
    QTest::addColumn<LinearVariant>("variant");
    QTest::addColumn<bool>("individual");
    QTest::newRow("DLinear shared") << LinearVariant::DLinear << false;
    QTest::newRow("DLinear individual") << LinearVariant::DLinear << true;
    QTest::newRow("NLinear shared") << LinearVariant::NLinear << false;
    QTest::newRow("NLinear individual") << LinearVariant::NLinear << true;
}

void tst_DLinear::outputShapes()
{
    QFETCH(LinearVariant, variant);
    QFETCH(bool, individual);
    DLinear model(options(variant, individual));
    const ModelOutput out = model->forward(torch::randn({4, 48, 3}), {true, true});
    QCOMPARE(out.prediction.sizes().vec(), (std::vector<int64_t>{4, 12, 3}));
    QVERIFY(out.attention.empty());
    QVERIFY(model->tokens().empty());
    QVERIFY(!model->channelIndependentAttention());
    QVERIFY_THROWS_EXCEPTION(c10::Error, model->forward(torch::randn({4, 47, 3})));
}

void tst_DLinear::initialWeightsAreOneOverL_data()
{
    QTest::addColumn<bool>("individual");
    QTest::newRow("shared") << false;
    QTest::newRow("individual") << true;
}

void tst_DLinear::initialWeightsAreOneOverL()
{
    QFETCH(bool, individual);
    DLinear model(options(LinearVariant::DLinear, individual));
    const auto params = model->named_parameters();
    for (const char *name : {"linear_seasonal.weight", "linear_trend.weight"}) {
        QVERIFY2(params.contains(name), name);
        const torch::Tensor w = params[name];
        QCOMPARE(w.size(-1), int64_t(48));
        QCOMPARE(w.size(-2), int64_t(12));
        if (individual)
            QCOMPARE(w.size(0), int64_t(3));
        QVERIFY(torch::allclose(w, torch::full_like(w, 1.0 / 48.0)));
    }
    // Biases keep the default (random) initialisation.
    QVERIFY(params["linear_trend.bias"].abs().max().item<float>() > 0.0f);
}

void tst_DLinear::dlinearEqualsDecomposedLinearMaps()
{
    DLinear model(options(LinearVariant::DLinear, false));
    const torch::Tensor x = torch::randn({2, 48, 3});
    const ModelOutput out = model->forward(x, {false, true});
    const torch::Tensor trend = out.intermediates[1].value;
    const torch::Tensor seasonal = out.intermediates[2].value;
    auto params = model->named_parameters();
    const auto map = [&](const char *prefix, const torch::Tensor &part) {
        const std::string p(prefix);
        return torch::nn::functional::linear(part.transpose(1, 2), params[p + ".weight"],
                                             params[p + ".bias"])
            .transpose(1, 2);
    };
    const torch::Tensor expected = map("linear_seasonal", seasonal) + map("linear_trend", trend);
    QVERIFY(torch::allclose(out.prediction, expected, 1e-5, 1e-6));
    QVERIFY(torch::allclose(trend + seasonal, x));
}

void tst_DLinear::nlinearAddsLastValueBack()
{
    DLinear model(options(LinearVariant::NLinear, false));
    // A constant series is centred to zero: the forecast is the value plus the bias.
    const torch::Tensor x = torch::full({2, 48, 3}, 7.0f);
    const torch::Tensor bias = model->named_parameters()["linear.bias"]; // [H]
    const torch::Tensor expected = (bias.view({1, 12, 1}) + 7.0f).expand({2, 12, 3});
    QVERIFY(torch::allclose(model->forward(x).prediction, expected, 1e-5, 1e-6));
}

void tst_DLinear::intermediates()
{
    QFETCH(LinearVariant, variant);
    QFETCH(bool, individual);
    DLinear model(options(variant, individual));
    const torch::Tensor x = torch::randn({2, 48, 3});
    QVERIFY(model->forward(x).intermediates.empty());
    const ModelOutput out = model->forward(x, {false, true});
    const std::vector<std::string> expected =
        variant == LinearVariant::DLinear
            ? std::vector<std::string>{"input", "trend", "seasonal", "output"}
            : std::vector<std::string>{"input", "centered", "output"};
    QCOMPARE(test::stageNames(out), expected);
    QVERIFY(torch::equal(out.intermediates.back().value, out.prediction));
}

void tst_DLinear::overfitsTinyBatch()
{
    QFETCH(LinearVariant, variant);
    QFETCH(bool, individual);
    DLinear model(options(variant, individual));
    const torch::Tensor x = torch::randn({8, 48, 3});
    const torch::Tensor y = torch::randn({8, 12, 3});
    const auto [first, last] = test::overfit(*model, x, y, 300, 1e-2);
    qInfo("loss %g -> %g (%.1f %% drop)", first, last, 100.0 * (1.0 - last / first));
    QVERIFY2(last < 0.1 * first, qPrintable(QStringLiteral("loss %1 -> %2").arg(first).arg(last)));
}

void tst_DLinear::saveLoadRoundTrip()
{
    QFETCH(LinearVariant, variant);
    QFETCH(bool, individual);
    DLinear source(options(variant, individual));
    {
        torch::NoGradGuard noGrad;
        for (torch::Tensor &p : source->parameters())
            p.normal_();
    }
    DLinear target(options(variant, individual));
    const torch::Tensor x = torch::randn({3, 48, 3});
    const auto [a, b] = test::saveLoad(source, target, x);
    QVERIFY(torch::equal(a, b));
}

void tst_DLinear::sameSeedSameModel()
{
    const torch::Tensor x = torch::randn({2, 48, 3});
    torch::manual_seed(42);
    DLinear a(options(LinearVariant::NLinear, true));
    torch::manual_seed(42);
    DLinear b(options(LinearVariant::NLinear, true));
    torch::manual_seed(43);
    DLinear c(options(LinearVariant::NLinear, true));
    QVERIFY(torch::equal(a->forward(x).prediction, b->forward(x).prediction));
    QVERIFY(!torch::equal(a->forward(x).prediction, c->forward(x).prediction));
}

void tst_DLinear::validation()
{
    QVERIFY(DLinearOptions(spec()).validate().isOk());
    QVERIFY(!DLinearOptions(spec()).kernelSize(4).validate().isOk());
    QVERIFY(DLinearOptions(spec()).kernelSize(4).variant(LinearVariant::NLinear).validate().isOk());
    QVERIFY(!DLinearOptions(spec(48, 0, 3)).validate().isOk());
    ModelSpec classify = spec();
    classify.task = Task::Classify;
    const Status status = DLinearOptions(classify).validate();
    QVERIFY(!status.isOk());
    QVERIFY(status.error().reason.contains(QLatin1String("forecast")));
    QVERIFY_THROWS_EXCEPTION(c10::Error, DLinear(DLinearOptions(spec()).kernelSize(0)));
}

QTEST_GUILESS_MAIN(tst_DLinear)
#include "tst_dlinear.moc"
