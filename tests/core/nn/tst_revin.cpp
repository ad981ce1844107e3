#include "nn/RevIN.h"

#include <QTest>

using namespace twb;

class tst_RevIN : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { torch::manual_seed(2); }
    void roundTrip_data();
    void roundTrip();
    void normalizedStatistics();
    void statisticsAreKept();
    void denormalizeOtherLength();
    void denormalizeBeforeNormalizeThrows();
};

void tst_RevIN::roundTrip_data()
{
    QTest::addColumn<bool>("affine");
    QTest::addColumn<bool>("subtractLast");
    QTest::newRow("plain") << false << false;
    QTest::newRow("affine") << true << false;
    QTest::newRow("subtract last") << false << true;
    QTest::newRow("affine, subtract last") << true << true;
}

void tst_RevIN::roundTrip()
{
    QFETCH(bool, affine);
    QFETCH(bool, subtractLast);
    RevIN revin(RevINOptions(3).affine(affine).subtractLast(subtractLast));
    if (affine) {
        // Non-trivial affine parameters, as after training.
        torch::NoGradGuard noGrad;
        revin->named_parameters()["weight"].copy_(torch::tensor({0.5f, 2.0f, -1.5f}));
        revin->named_parameters()["bias"].copy_(torch::tensor({0.1f, -0.3f, 0.7f}));
    }
    const torch::Tensor x = torch::randn({4, 20, 3}) * 5 + 3;
    const torch::Tensor y = revin->normalize(x);
    QCOMPARE(y.sizes(), x.sizes());
    QVERIFY(!torch::allclose(y, x));
    const torch::Tensor back = revin->denormalize(y);
    QVERIFY(torch::allclose(back, x, 1e-4, 1e-4));
}

void tst_RevIN::normalizedStatistics()
{
    RevIN revin(RevINOptions(2));
    const torch::Tensor x = torch::randn({3, 50, 2}) * torch::tensor({10.0f, 0.1f}) + 4;
    const torch::Tensor y = revin->normalize(x);
    QVERIFY(torch::allclose(y.mean(1), torch::zeros({3, 2}), 1e-5, 1e-5));
    // Biased std with eps 1e-5 inside the square root.
    const torch::Tensor expectedStd =
        torch::sqrt(x.var(1, false, false) / (x.var(1, false, false) + 1e-5));
    QVERIFY(torch::allclose(y.var(1, false, false).sqrt(), expectedStd, 1e-4, 1e-5));
}

void tst_RevIN::statisticsAreKept()
{
    RevIN revin(RevINOptions(1));
    const torch::Tensor x = torch::tensor({1.0f, 2.0f, 3.0f, 6.0f}).view({1, 4, 1});
    revin->normalize(x);
    QCOMPARE(revin->mean().item<float>(), 3.0f);
    // biased variance: (4 + 1 + 0 + 9) / 4 = 3.5
    QVERIFY(std::abs(revin->stdev().item<float>() - std::sqrt(3.5f + 1e-5f)) < 1e-6f);
    QCOMPARE(revin->mean().sizes().vec(), (std::vector<int64_t>{1, 1, 1}));
}

void tst_RevIN::denormalizeOtherLength()
{
    RevIN revin(RevINOptions(2));
    const torch::Tensor x = torch::randn({2, 16, 2}) * 3 - 1;
    revin->normalize(x);
    const torch::Tensor zeros = torch::zeros({2, 5, 2});
    const torch::Tensor y = revin->denormalize(zeros);
    QCOMPARE(y.sizes().vec(), (std::vector<int64_t>{2, 5, 2}));
    QVERIFY(torch::allclose(y, x.mean(1, true).expand({2, 5, 2}), 1e-5, 1e-5));
}

void tst_RevIN::denormalizeBeforeNormalizeThrows()
{
    RevIN revin(RevINOptions(2));
    QVERIFY_THROWS_EXCEPTION(c10::Error, revin->denormalize(torch::zeros({1, 3, 2})));
    QVERIFY_THROWS_EXCEPTION(c10::Error, revin->normalize(torch::zeros({1, 3, 5})));
}

QTEST_GUILESS_MAIN(tst_RevIN)
#include "tst_revin.moc"
