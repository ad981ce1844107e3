#include "nn/SeriesDecomposition.h"

#include <QTest>

#include <vector>

using namespace twb;

class tst_SeriesDecomposition : public QObject
{
    Q_OBJECT

private:
    /// Moving average with edge replication, written out sample by sample.
    static std::vector<double> movingAverage(const std::vector<double> &x, int k);

private Q_SLOTS:
    void matchesHandComputation_data();
    void matchesHandComputation();
    void kernelOneIsIdentity();
    void constantSeriesHasNoSeason();
    void evenKernelThrows();
};

std::vector<double> tst_SeriesDecomposition::movingAverage(const std::vector<double> &x, int k)
{
    const int n = int(x.size());
    const int pad = (k - 1) / 2;
    std::vector<double> result(x.size());
    for (int t = 0; t < n; ++t) {
        double sum = 0.0;
        for (int j = t - pad; j <= t + pad; ++j)
            sum += x[std::size_t(std::clamp(j, 0, n - 1))];
        result[std::size_t(t)] = sum / k;
    }
    return result;
}

void tst_SeriesDecomposition::matchesHandComputation_data()
{
    QTest::addColumn<int>("kernel");
    QTest::addColumn<int>("length");
    QTest::newRow("k3 L8") << 3 << 8;
    QTest::newRow("k5 L12") << 5 << 12;
    QTest::newRow("k25 L40 (DLinear)") << 25 << 40;
    QTest::newRow("k25 L10 (kernel longer than series)") << 25 << 10;
}

void tst_SeriesDecomposition::matchesHandComputation()
{
    QFETCH(int, kernel);
    QFETCH(int, length);
    torch::manual_seed(3);
    const torch::Tensor x = torch::randn({2, length, 3});
    SeriesDecomposition decomposition{SeriesDecompositionOptions(kernel)};
    const Decomposition parts = decomposition(x);
    QCOMPARE(parts.trend.sizes(), x.sizes());
    QCOMPARE(parts.seasonal.sizes(), x.sizes());
    QVERIFY(torch::allclose(parts.trend + parts.seasonal, x));
    for (int b = 0; b < 2; ++b) {
        for (int c = 0; c < 3; ++c) {
            std::vector<double> series;
            for (int t = 0; t < length; ++t)
                series.push_back(x[b][t][c].item<double>());
            const std::vector<double> expected = movingAverage(series, kernel);
            for (int t = 0; t < length; ++t)
                QVERIFY2(std::abs(parts.trend[b][t][c].item<double>() - expected[std::size_t(t)]) <
                             1e-5,
                         qPrintable(QStringLiteral("b %1 c %2 t %3").arg(b).arg(c).arg(t)));
        }
    }
}

void tst_SeriesDecomposition::kernelOneIsIdentity()
{
    const torch::Tensor x = torch::randn({1, 7, 2});
    const Decomposition parts = SeriesDecomposition(SeriesDecompositionOptions(1))(x);
    QVERIFY(torch::allclose(parts.trend, x));
    QCOMPARE(parts.seasonal.abs().max().item<float>(), 0.0f);
}

void tst_SeriesDecomposition::constantSeriesHasNoSeason()
{
    const torch::Tensor x = torch::full({2, 30, 1}, 4.5f);
    const Decomposition parts = SeriesDecomposition()(x);
    QVERIFY(torch::allclose(parts.trend, x));
    QVERIFY(parts.seasonal.abs().max().item<float>() < 1e-6f);
}

void tst_SeriesDecomposition::evenKernelThrows()
{
    QVERIFY_THROWS_EXCEPTION(c10::Error, SeriesDecomposition(SeriesDecompositionOptions(4)));
}

QTEST_GUILESS_MAIN(tst_SeriesDecomposition)
#include "tst_seriesdecomposition.moc"
