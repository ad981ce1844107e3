#include "train/ForecastWindows.h"

#include <QtTest>

#include <cmath>
#include <vector>

using namespace twb;

class tst_ForecastWindows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchContentMatchesRawData();
    void rangeIsInOrder();
    void nanWindowsAreDropped_data();
    void nanWindowsAreDropped();
    void windowOutsideSeriesThrows();
    void marksFollowTheirRows();
};

namespace {

constexpr std::int64_t rows = 50;
constexpr std::int64_t channels = 3;

// value(r, c) = 10 r + c: every cell is distinct, so a misplaced row or channel shows.
std::vector<float> rawSeries()
{
    std::vector<float> v(std::size_t(rows * channels));
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < channels; ++c)
            v[std::size_t(r * channels + c)] = float(10 * r + c);
    return v;
}

} // namespace

void tst_ForecastWindows::batchContentMatchesRawData()
{
    std::vector<float> raw = rawSeries();
    const torch::Tensor series = torch::from_blob(raw.data(), {rows, channels}).clone();
    const std::int64_t lookback = 6, horizon = 4;
    const std::vector<std::int64_t> starts{0, 5, 17, 40};
    ForecastWindows windows(series, starts, lookback, horizon);
    QCOMPARE(windows.size(), std::int64_t(4));
    QCOMPARE(windows.channels(), channels);

    const torch::Tensor indices = torch::tensor(std::vector<std::int64_t>{3, 0, 2}, torch::kLong);
    const ForecastBatch batch = windows.batch(indices);
    QCOMPARE(batch.x.sizes().vec(), (std::vector<std::int64_t>{3, lookback, channels}));
    QCOMPARE(batch.y.sizes().vec(), (std::vector<std::int64_t>{3, horizon, channels}));
    QCOMPARE(batch.x.scalar_type(), torch::kFloat);
    QVERIFY(batch.x.is_contiguous() && batch.y.is_contiguous());
    auto x = batch.x.accessor<float, 3>();
    auto y = batch.y.accessor<float, 3>();
    for (std::int64_t b = 0; b < 3; ++b) {
        const std::int64_t start = starts[std::size_t(indices[b].item<std::int64_t>())];
        for (std::int64_t c = 0; c < channels; ++c) {
            for (std::int64_t t = 0; t < lookback; ++t)
                QCOMPARE(x[b][t][c], raw[std::size_t((start + t) * channels + c)]);
            for (std::int64_t t = 0; t < horizon; ++t)
                QCOMPARE(y[b][t][c], raw[std::size_t((start + lookback + t) * channels + c)]);
        }
    }
}

void tst_ForecastWindows::rangeIsInOrder()
{
    std::vector<float> raw = rawSeries();
    ForecastWindows windows(torch::from_blob(raw.data(), {rows, channels}).clone(), {1, 2, 3, 4}, 2,
                            1);
    const ForecastBatch batch = windows.range(1, 4);
    QCOMPARE(batch.x.size(0), std::int64_t(3));
    QCOMPARE(batch.x[0][0][0].item<float>(), 20.0f); // window 1 starts at row 2
    QCOMPARE(batch.y[2][0][2].item<float>(), 62.0f); // window 3: target row 4 + 2 = 6, channel 2
}

void tst_ForecastWindows::nanWindowsAreDropped_data()
{
    QTest::addColumn<int>("nanRow");
    QTest::addColumn<int>("expectedDropped");
    // Windows of length 5 starting at 0..10: a NaN in row r hits starts r-4..r.
    QTest::newRow("row 0") << 0 << 1;
    QTest::newRow("row 7") << 7 << 5;
    QTest::newRow("row 14 (last covered)") << 14 << 1;
    QTest::newRow("row 20 (not covered)") << 20 << 0;
}

void tst_ForecastWindows::nanWindowsAreDropped()
{
    QFETCH(int, nanRow);
    QFETCH(int, expectedDropped);
    std::vector<float> raw = rawSeries();
    raw[std::size_t(nanRow * channels + 1)] = std::nanf("");
    std::vector<std::int64_t> starts;
    for (std::int64_t s = 0; s <= 10; ++s)
        starts.push_back(s);
    const std::int64_t dropped =
        ForecastWindows::dropWindowsWithNan(raw.data(), rows, channels, 5, starts);
    QCOMPARE(dropped, std::int64_t(expectedDropped));
    QCOMPARE(starts.size(), std::size_t(11 - expectedDropped));
    for (std::int64_t s : starts)
        QVERIFY(nanRow < s || nanRow >= s + 5);
}

void tst_ForecastWindows::windowOutsideSeriesThrows()
{
    std::vector<float> raw = rawSeries();
    const torch::Tensor series = torch::from_blob(raw.data(), {rows, channels}).clone();
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, ForecastWindows(series, {45}, 4, 2));
    std::vector<std::int64_t> starts{48};
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, ForecastWindows::dropWindowsWithNan(
                                                    raw.data(), rows, channels, 5, starts));
}

void tst_ForecastWindows::marksFollowTheirRows()
{
    std::vector<float> raw = rawSeries();
    const torch::Tensor series = torch::from_blob(raw.data(), {rows, channels}).clone();
    // marks(r, f) = r + f / 10: each window's marks must be those of its own rows.
    const torch::Tensor marks =
        torch::arange(rows, torch::kFloat).unsqueeze(1) + torch::tensor({0.0f, 0.1f}).unsqueeze(0);
    const std::int64_t lookback = 6, horizon = 4;
    const std::vector<std::int64_t> starts{0, 5, 17, 40};
    ForecastWindows windows(series, starts, lookback, horizon, marks);
    const ForecastBatch batch = windows.batch(torch::tensor(std::vector<std::int64_t>{2, 0}));
    QCOMPARE(batch.historyMarks.sizes().vec(), (std::vector<std::int64_t>{2, lookback, 2}));
    QCOMPARE(batch.futureMarks.sizes().vec(), (std::vector<std::int64_t>{2, horizon, 2}));
    QCOMPARE(batch.historyMarks[0][0][1].item<float>(), 17.1f);
    QCOMPARE(batch.historyMarks[0][5][0].item<float>(), 22.0f);
    QCOMPARE(batch.futureMarks[0][0][0].item<float>(), 23.0f);
    QCOMPARE(batch.futureMarks[1][3][1].item<float>(), 9.1f);
    // The marks go into the forward options beside the step mask.
    const ForwardOptions options = batchForwardOptions(batch, true);
    QVERIFY(options.captureAttention && !options.captureIntermediates);
    QVERIFY(options.historyMarks.equal(batch.historyMarks));
    QVERIFY(options.futureMarks.equal(batch.futureMarks));
    // Marks of another length than the series are refused.
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument,
        ForecastWindows(series, starts, lookback, horizon, marks.narrow(0, 0, 10)));
}

QTEST_GUILESS_MAIN(tst_ForecastWindows)
#include "tst_forecastwindows.moc"
