#include "widgets/common/MinMaxDecimator.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace twb;

namespace {

const float missingValue = std::numeric_limits<float>::quiet_NaN();

std::vector<double> ramp(std::size_t n)
{
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i)
        x[i] = double(i);
    return x;
}

/// Every output point must be one of the input samples.
bool pointsAreSamples(const QList<QPointF> &points, const std::vector<double> &x,
                      const std::vector<float> &y, std::ptrdiff_t stride)
{
    for (const QPointF &p : points) {
        const auto it = std::lower_bound(x.begin(), x.end(), p.x());
        if (it == x.end() || *it != p.x())
            return false;
        if (y[std::size_t((it - x.begin()) * stride)] != float(p.y()))
            return false;
    }
    return true;
}

bool ascending(const QList<QPointF> &points)
{
    for (qsizetype i = 1; i < points.size(); ++i)
        if (points[i].x() < points[i - 1].x())
            return false;
    return true;
}

} // namespace

class tst_MinMaxDecimator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smallInputUnchanged_data();
    void smallInputUnchanged();
    void rejectsInvalidInput_data();
    void rejectsInvalidInput();
    void keepsExtremesOfLargeInput();
    void subRangeHasNeighbours();
    void readsOneColumnOfInterleavedData();
    void columnWithOnlyMissingValues();
    void twoMillionPoints();
    void blocksHoldFirstExtremes();
    void blocksGiveTheSamePoints_data();
    void blocksGiveTheSamePoints();
    void blocksOfAnotherLengthAreIgnored();
};

void tst_MinMaxDecimator::smallInputUnchanged_data()
{
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("buckets");
    QTest::newRow("1 sample") << 1 << 10;
    QTest::newRow("fewer than buckets") << 7 << 10;
    QTest::newRow("exactly 2 per bucket") << 20 << 10;
}

void tst_MinMaxDecimator::smallInputUnchanged()
{
    QFETCH(int, samples);
    QFETCH(int, buckets);
    const auto x = ramp(std::size_t(samples));
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < y.size(); ++i)
        y[i] = float(i * i % 7);
    const auto points = decimateMinMax(x, y.data(), 1, 0.0, double(samples - 1), buckets);
    QCOMPARE(points.size(), samples);
    for (int i = 0; i < samples; ++i)
        QCOMPARE(points[i], QPointF(x[std::size_t(i)], y[std::size_t(i)]));
}

void tst_MinMaxDecimator::rejectsInvalidInput_data()
{
    QTest::addColumn<int>("samples");
    QTest::addColumn<double>("x0");
    QTest::addColumn<double>("x1");
    QTest::addColumn<int>("buckets");
    QTest::newRow("no samples") << 0 << 0.0 << 10.0 << 10;
    QTest::newRow("reversed range") << 100 << 50.0 << 10.0 << 10;
    QTest::newRow("NaN range") << 100 << double(missingValue) << 10.0 << 10;
    QTest::newRow("no bucket") << 100 << 0.0 << 99.0 << 0;
}

void tst_MinMaxDecimator::rejectsInvalidInput()
{
    QFETCH(int, samples);
    QFETCH(double, x0);
    QFETCH(double, x1);
    QFETCH(int, buckets);
    const auto x = ramp(std::size_t(samples));
    const std::vector<float> y(x.size(), 1.0f);
    QVERIFY(decimateMinMax(x, y.data(), 1, x0, x1, buckets).isEmpty());
}

void tst_MinMaxDecimator::keepsExtremesOfLargeInput()
{
    const std::size_t n = 100'000;
    const auto x = ramp(n);
    std::vector<float> y(n);
    for (std::size_t i = 0; i < n; ++i)
        y[i] = float(std::sin(double(i) * 0.01));
    y[12'345] = 50.0f; // one-sample spikes must survive
    y[77'777] = -40.0f;
    y[500] = missingValue;
    const int buckets = 300;
    const auto points = decimateMinMax(x, y.data(), 1, 0.0, double(n - 1), buckets);
    QVERIFY2(points.size() <= 2 * buckets + 2, qPrintable(QString::number(points.size())));
    QVERIFY(points.size() >= buckets); // every column has values
    QVERIFY(ascending(points));
    QVERIFY(pointsAreSamples(points, x, y, 1));
    QVERIFY(points.contains(QPointF(12'345, 50.0)));
    QVERIFY(points.contains(QPointF(77'777, -40.0)));
    for (const QPointF &p : points)
        QVERIFY(!std::isnan(p.y()));
}

void tst_MinMaxDecimator::subRangeHasNeighbours()
{
    const auto x = ramp(10'000);
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < y.size(); ++i)
        y[i] = float(i % 100);
    const auto points = decimateMinMax(x, y.data(), 1, 2000.5, 3000.5, 100);
    QVERIFY(points.size() <= 2 * 100 + 2);
    QCOMPARE(points.front().x(), 2000.0); // the sample left of the range
    QCOMPARE(points.back().x(), 3001.0);  // the sample right of the range
    for (qsizetype i = 1; i + 1 < points.size(); ++i)
        QVERIFY(points[i].x() >= 2000.5 && points[i].x() <= 3000.5);
}

void tst_MinMaxDecimator::readsOneColumnOfInterleavedData()
{
    // Row-major [time, 3 channels]: channel 1 is 10 * t, the others are noise.
    const std::size_t n = 5000;
    const auto x = ramp(n);
    std::vector<float> data(n * 3);
    for (std::size_t t = 0; t < n; ++t) {
        data[t * 3 + 0] = -1.0f;
        data[t * 3 + 1] = float(10 * t);
        data[t * 3 + 2] = 1e6f;
    }
    const auto points = decimateMinMax(x, data.data() + 1, 3, 0.0, double(n - 1), 50);
    QVERIFY(points.size() <= 102);
    QCOMPARE(points.front(), QPointF(0, 0));
    QCOMPARE(points.back(), QPointF(double(n - 1), 10.0 * double(n - 1)));
    for (const QPointF &p : points)
        QCOMPARE(p.y(), 10.0 * p.x());
}

void tst_MinMaxDecimator::columnWithOnlyMissingValues()
{
    const auto x = ramp(1000);
    std::vector<float> y(x.size(), 2.0f);
    std::fill(y.begin() + 100, y.begin() + 900, missingValue);
    const auto points = decimateMinMax(x, y.data(), 1, 0.0, 999.0, 10);
    // Columns 1..8 hold only NaN and produce nothing; the line bridges them.
    QVERIFY(!points.isEmpty());
    for (const QPointF &p : points)
        QVERIFY(p.x() < 100 || p.x() >= 900);

    const std::vector<float> allMissing(x.size(), missingValue);
    QVERIFY(decimateMinMax(x, allMissing.data(), 1, 0.0, 999.0, 10).isEmpty());
}

void tst_MinMaxDecimator::twoMillionPoints()
{
    const std::size_t n = 2'000'000;
    std::vector<double> x(n);
    std::vector<float> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        x[i] = 1.5e12 + double(i) * 1000.0; // one sample per second, as timestamps
        y[i] = float(std::sin(double(i) * 1e-3) + 0.1 * std::sin(double(i) * 0.37));
    }
    QElapsedTimer timer;
    timer.start();
    const auto points = decimateMinMax(x, y.data(), 1, x.front(), x.back(), 1200);
    const qint64 ms = timer.elapsed();
    QVERIFY(points.size() <= 2 * 1200 + 2);
    QVERIFY(points.size() >= 1200);
    QVERIFY(ascending(points));
    qInfo("decimated %zu points to %lld in %lld ms", n, qlonglong(points.size()), ms);
    const MinMaxBlocks blocks(y.data(), 1, n);
    QCOMPARE(decimateMinMax(x, y.data(), 1, x.front(), x.back(), 1200, &blocks), points);
}

void tst_MinMaxDecimator::blocksHoldFirstExtremes()
{
    const std::size_t block = MinMaxBlocks::blockSize;
    std::vector<float> y(2 * block + 5, 1.0f); // two full blocks and a short one
    y[3] = -2.0f;
    y[9] = -2.0f; // a tie: the first one counts
    y[20] = 7.0f;
    std::fill(y.begin() + std::ptrdiff_t(block), y.begin() + std::ptrdiff_t(2 * block),
              missingValue);
    y[2 * block + 4] = 3.0f;
    const MinMaxBlocks blocks(y.data(), 1, y.size());
    QCOMPARE(blocks.samples(), y.size());
    QCOMPARE(blocks.blocks(), std::size_t(3));
    QCOMPARE(blocks.minIndex(0), std::size_t(3));
    QCOMPARE(blocks.maxIndex(0), std::size_t(20));
    QCOMPARE(blocks.minIndex(1), SIZE_MAX); // only missing values
    QCOMPARE(blocks.maxIndex(1), SIZE_MAX);
    QCOMPARE(blocks.minIndex(2), 2 * block);
    QCOMPARE(blocks.maxIndex(2), 2 * block + 4);

    // A constant block: the first sample is both extremes.
    const std::vector<float> flat(block, 5.0f);
    const MinMaxBlocks flatBlocks(flat.data(), 1, flat.size());
    QCOMPARE(flatBlocks.minIndex(0), std::size_t(0));
    QCOMPARE(flatBlocks.maxIndex(0), std::size_t(0));
}

void tst_MinMaxDecimator::blocksGiveTheSamePoints_data()
{
    QTest::addColumn<int>("buckets");
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::newRow("everything, 1000 columns") << 1000 << 0.0 << 1.0;
    QTest::newRow("everything, 37 columns") << 37 << 0.0 << 1.0;
    QTest::newRow("a middle part") << 500 << 0.3 << 0.55;
    QTest::newRow("a narrow part") << 800 << 0.5 << 0.51;
    QTest::newRow("the end") << 300 << 0.9 << 1.0;
}

void tst_MinMaxDecimator::blocksGiveTheSamePoints()
{
    QFETCH(int, buckets);
    QFETCH(double, from);
    QFETCH(double, to);
    // 300,000 rows of 3 interleaved channels; uneven x steps; runs of NaN, ties, spikes.
    const std::size_t n = 300'000;
    const std::ptrdiff_t stride = 3;
    std::vector<double> x(n);
    std::vector<float> data(n * 3);
    std::uint32_t state = 7;
    double t = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        state = state * 1664525u + 1013904223u;
        t += 1.0 + double(state >> 28); // steps of 1 to 16
        x[i] = t;
        float v = float((state >> 12) % 50); // many ties
        if ((i / 1000) % 17 == 3)
            v = missingValue; // runs of missing values longer than a block
        if (i % 4099 == 0)
            v = 1000.0f;
        data[i * 3 + 1] = v;
        data[i * 3] = data[i * 3 + 2] = -1.0f;
    }
    const float *y = data.data() + 1;
    const MinMaxBlocks blocks(y, stride, n);
    const double x0 = x.front() + from * (x.back() - x.front());
    const double x1 = x.front() + to * (x.back() - x.front());
    const auto plain = decimateMinMax(x, y, stride, x0, x1, buckets);
    const auto fast = decimateMinMax(x, y, stride, x0, x1, buckets, &blocks);
    QVERIFY(plain.size() > buckets);
    QCOMPARE(fast, plain);
}

void tst_MinMaxDecimator::blocksOfAnotherLengthAreIgnored()
{
    const auto x = ramp(10'000);
    std::vector<float> y(x.size());
    for (std::size_t i = 0; i < y.size(); ++i)
        y[i] = float(i % 97);
    const MinMaxBlocks stale(y.data(), 1, 5'000); // built before the data grew
    QCOMPARE(decimateMinMax(x, y.data(), 1, 0.0, 9999.0, 100, &stale),
             decimateMinMax(x, y.data(), 1, 0.0, 9999.0, 100));
}

QTEST_GUILESS_MAIN(tst_MinMaxDecimator)
#include "tst_minmaxdecimator.moc"
