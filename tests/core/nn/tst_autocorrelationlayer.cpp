#include "nn/AutoCorrelation.h"

#include <QTest>

#include <cmath>
#include <vector>

using namespace twb;

class tst_AutoCorrelationLayer : public QObject
{
    Q_OBJECT

private:
    /// R[b, τ, h] = mean_e Σ_t q[b, t, h, e] k[b, (t − τ) mod L, h, e], written out lag by lag.
    static torch::Tensor directCorrelation(const torch::Tensor &q, const torch::Tensor &k);
    /// Σ_i w[b, i] · roll(v[b], −d[b, i]) along time, one sample and one delay at a time.
    static torch::Tensor rolledByHand(const torch::Tensor &v, const torch::Tensor &delays,
                                      const torch::Tensor &weights);

private Q_SLOTS:
    void init() { torch::manual_seed(13); }
    void correlationEqualsDirectSum_data();
    void correlationEqualsDirectSum();
    void sineCorrelatesAtItsPeriod();
    void aggregationEqualsRolling();
    void topKFollowsOfficialFormula();
    void evaluationChoosesDelaysPerSample();
    void trainingSharesDelaysOverBatch();
    void shorterKeysArePadded();
    void layerShapesAndHeadMask();
};

torch::Tensor tst_AutoCorrelationLayer::directCorrelation(const torch::Tensor &q,
                                                          const torch::Tensor &k)
{
    const std::int64_t length = q.size(1);
    std::vector<torch::Tensor> lags;
    for (std::int64_t tau = 0; tau < length; ++tau) {
        // k(t − τ) for every t: k rolled forward by τ.
        const torch::Tensor shifted = torch::roll(k, {tau}, {1});
        lags.push_back((q * shifted).sum(1).mean(-1)); // [B, H]
    }
    return torch::stack(lags, 1); // [B, L, H]
}

torch::Tensor tst_AutoCorrelationLayer::rolledByHand(const torch::Tensor &v,
                                                     const torch::Tensor &delays,
                                                     const torch::Tensor &weights)
{
    std::vector<torch::Tensor> samples;
    for (std::int64_t b = 0; b < v.size(0); ++b) {
        torch::Tensor sum = torch::zeros_like(v[b]);
        for (std::int64_t i = 0; i < delays.size(1); ++i)
            sum =
                sum + weights[b][i] * torch::roll(v[b], {-delays[b][i].item<std::int64_t>()}, {0});
        samples.push_back(sum);
    }
    return torch::stack(samples);
}

void tst_AutoCorrelationLayer::correlationEqualsDirectSum_data()
{
    QTest::addColumn<int>("length");
    QTest::newRow("even L 16") << 16;
    QTest::newRow("odd L 15") << 15;
    QTest::newRow("L 96") << 96;
}

void tst_AutoCorrelationLayer::correlationEqualsDirectSum()
{
    QFETCH(int, length);
    const torch::Tensor q = torch::randn({3, length, 2, 4});
    const torch::Tensor k = torch::randn({3, length, 2, 4});
    const torch::Tensor fast = autocorrelation::correlation(q, k);
    const torch::Tensor direct = directCorrelation(q, k);
    QCOMPARE(fast.sizes().vec(), (std::vector<int64_t>{3, length, 2}));
    QVERIFY2(torch::allclose(fast, direct, 1e-4, 1e-4),
             qPrintable(QString::number((fast - direct).abs().max().item<double>())));
}

void tst_AutoCorrelationLayer::sineCorrelatesAtItsPeriod()
{
    // A sine of period 8 over 32 steps correlates with itself most at lags 0, 8, 16, 24.
    const torch::Tensor t = torch::arange(32, torch::kFloat);
    const torch::Tensor x = torch::sin(2.0 * M_PI * t / 8.0).view({1, 32, 1, 1});
    const torch::Tensor r = autocorrelation::correlation(x, x).view({32});
    const torch::Tensor top = std::get<0>(torch::sort(std::get<1>(torch::topk(r, 4))));
    QVERIFY(torch::equal(top, torch::tensor({0, 8, 16, 24}, torch::kLong)));
    QVERIFY(std::abs(r[0].item<double>() - 16.0) < 1e-4); // Σ sin² = L / 2
}

void tst_AutoCorrelationLayer::aggregationEqualsRolling()
{
    const torch::Tensor v = torch::randn({2, 12, 3, 4});
    const torch::Tensor delays = torch::tensor({{0, 5, 11}, {3, 1, 7}}, torch::kLong);
    const torch::Tensor weights = torch::softmax(torch::randn({2, 3}), 1);
    const torch::Tensor fast = autocorrelation::aggregate(v, delays, weights);
    const torch::Tensor byHand = rolledByHand(v, delays, weights);
    QVERIFY2(torch::allclose(fast, byHand, 1e-5, 1e-5),
             qPrintable(QString::number((fast - byHand).abs().max().item<double>())));
    // A single delay of weight 1 is a pure roll.
    const torch::Tensor rolled =
        autocorrelation::aggregate(v, torch::tensor({{4}, {4}}, torch::kLong), torch::ones({2, 1}));
    QVERIFY(torch::allclose(rolled, torch::roll(v, {-4}, {1}), 1e-5, 1e-5));
}

void tst_AutoCorrelationLayer::topKFollowsOfficialFormula()
{
    QCOMPARE(autocorrelation::topK(3.0, 96), int64_t(13));  // int(3 ln 96) = int(13.69)
    QCOMPARE(autocorrelation::topK(3.0, 144), int64_t(14)); // decoder: 48 + 96 steps
    QCOMPARE(autocorrelation::topK(1.0, 96), int64_t(4));
    QCOMPARE(autocorrelation::topK(1.0, 2), int64_t(1)); // int(0.69) = 0, kept at 1
    QCOMPARE(autocorrelation::topK(100.0, 4), int64_t(4));
}

void tst_AutoCorrelationLayer::evaluationChoosesDelaysPerSample()
{
    AutoCorrelation mechanism(AutoCorrelationOptions(1.0));
    mechanism->eval();
    const torch::Tensor q = torch::randn({3, 20, 2, 4});
    const torch::Tensor k = torch::randn({3, 20, 2, 4});
    const torch::Tensor v = torch::randn({3, 20, 2, 4});
    std::vector<NamedTensor> report;
    const torch::Tensor out = mechanism->forward(q, k, v, {true}, report);
    QCOMPARE(report.size(), std::size_t(3));
    QCOMPARE(report[0].name, std::string("autocorrelation"));
    QCOMPARE(report[0].value.sizes().vec(), (std::vector<int64_t>{3, 2, 20}));
    QCOMPARE(report[1].name, std::string("delays"));
    QCOMPARE(report[1].value.sizes().vec(), (std::vector<int64_t>{3, 2})); // int(ln 20) = 2
    QCOMPARE(report[1].value.scalar_type(), torch::kLong);
    QCOMPARE(report[2].name, std::string("delay_weights"));
    QVERIFY(torch::allclose(report[2].value.sum(1), torch::ones({3})));

    // The delays are each sample's strongest lags of the head-averaged correlation.
    const torch::Tensor mean = autocorrelation::correlation(q, k).mean(2);
    const torch::Tensor expected = std::get<1>(torch::topk(mean, 2, 1));
    QVERIFY(torch::equal(report[1].value, expected));
    const torch::Tensor weights = torch::softmax(mean.gather(1, expected), 1);
    QVERIFY(torch::allclose(report[2].value, weights));
    QVERIFY(torch::allclose(out, rolledByHand(v, expected, weights), 1e-5, 1e-5));

    std::vector<NamedTensor> none;
    mechanism->forward(q, k, v, {false}, none);
    QVERIFY(none.empty());
}

void tst_AutoCorrelationLayer::trainingSharesDelaysOverBatch()
{
    AutoCorrelation mechanism(AutoCorrelationOptions(2.0));
    mechanism->train();
    const torch::Tensor q = torch::randn({4, 24, 2, 3});
    const torch::Tensor k = torch::randn({4, 24, 2, 3});
    const torch::Tensor v = torch::randn({4, 24, 2, 3});
    std::vector<NamedTensor> report;
    const torch::Tensor out = mechanism->forward(q, k, v, {true}, report);
    const torch::Tensor delays = report[1].value;
    const std::int64_t topK = autocorrelation::topK(2.0, 24);
    QCOMPARE(delays.sizes().vec(), (std::vector<int64_t>{4, topK}));
    for (std::int64_t b = 1; b < 4; ++b)
        QVERIFY(torch::equal(delays[b], delays[0]));
    const torch::Tensor mean = autocorrelation::correlation(q, k).mean(2);
    const torch::Tensor shared = std::get<1>(torch::topk(mean.mean(0), topK));
    QVERIFY(torch::equal(delays[0], shared));
    const torch::Tensor weights = torch::softmax(mean.index_select(1, shared), 1);
    QVERIFY(torch::allclose(report[2].value, weights));
    QVERIFY(torch::allclose(out, rolledByHand(v, delays, weights), 1e-5, 1e-5));
}

void tst_AutoCorrelationLayer::shorterKeysArePadded()
{
    // Decoder cross correlation: 14 query steps, 10 key steps padded with zeros to 14.
    AutoCorrelation mechanism;
    mechanism->eval();
    const torch::Tensor q = torch::randn({2, 14, 2, 3});
    const torch::Tensor k = torch::randn({2, 10, 2, 3});
    const torch::Tensor v = torch::randn({2, 10, 2, 3});
    std::vector<NamedTensor> report;
    const torch::Tensor out = mechanism->forward(q, k, v, {false}, report);
    const torch::Tensor padK = torch::cat({k, torch::zeros({2, 4, 2, 3})}, 1);
    const torch::Tensor padV = torch::cat({v, torch::zeros({2, 4, 2, 3})}, 1);
    QVERIFY(torch::allclose(out, mechanism->forward(q, padK, padV, {false}, report)));
    // Longer keys are cut to the queries' length.
    const torch::Tensor shortQ = q.narrow(1, 0, 8);
    QVERIFY(torch::allclose(
        mechanism->forward(shortQ, k, v, {false}, report),
        mechanism->forward(shortQ, k.narrow(1, 0, 8), v.narrow(1, 0, 8), {false}, report)));
}

void tst_AutoCorrelationLayer::layerShapesAndHeadMask()
{
    CorrelationLayer layer(CorrelationLayerOptions(16, 4), std::make_shared<AutoCorrelationImpl>());
    layer->eval();
    const auto params = layer->named_parameters();
    QVERIFY(params.contains("query_projection.weight"));
    QVERIFY(params.contains("key_projection.weight"));
    QVERIFY(params.contains("value_projection.weight"));
    QVERIFY(params.contains("out_projection.weight"));
    QCOMPARE(layer->headCount(), int64_t(4));
    const torch::Tensor x = torch::randn({2, 20, 16});
    std::vector<NamedTensor> report;
    const torch::Tensor plain = layer(x, x, x, CorrelationRequest{}, report);
    QCOMPARE(plain.sizes().vec(), (std::vector<int64_t>{2, 20, 16}));
    layer->setHeadMask(torch::ones({4}));
    QVERIFY(torch::allclose(layer(x, x, x, CorrelationRequest{}, report), plain));
    layer->setHeadMask(torch::tensor({1.0f, 0.0f, 1.0f, 1.0f}));
    QVERIFY(!torch::allclose(layer(x, x, x, CorrelationRequest{}, report), plain));
    // All heads off: only the output projection's bias remains.
    layer->setHeadMask(torch::zeros({4}));
    const torch::Tensor off = layer(x, x, x, CorrelationRequest{}, report);
    QVERIFY(torch::allclose(off, params["out_projection.bias"].expand({2, 20, 16})));
    QVERIFY_THROWS_EXCEPTION(c10::Error, layer->setHeadMask(torch::ones({3})));
}

QTEST_GUILESS_MAIN(tst_AutoCorrelationLayer)
#include "tst_autocorrelationlayer.moc"
