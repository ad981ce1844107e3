#include "data/DatasetLoader.h"
#include "data/DatasetSummary.h"
#include "widgets/data/ChannelHistogramView.h"
#include "widgets/data/Histogram.h"

#include <QDir>
#include <QTest>
#include <QValueAxis>

#include <cmath>
#include <limits>
#include <numeric>

using namespace twb;

namespace {

const float missingValue = std::numeric_limits<float>::quiet_NaN();

std::int64_t sum(const std::vector<std::int64_t> &counts)
{
    return std::accumulate(counts.begin(), counts.end(), std::int64_t(0));
}

std::shared_ptr<SeriesDataset> loadEtth1()
{
    const QString path = QDir(QStringLiteral(TWB_SHARED_DATA_DIR)).filePath("ett/ETTh1.csv");
    if (!QFile::exists(path))
        return nullptr;
    Expected<SeriesDataset> data = loadSeries(path);
    return data ? std::make_shared<SeriesDataset>(std::move(*data)) : nullptr;
}

} // namespace

class tst_Histogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void quantiles();
    void freedmanDiaconisBins();
    void sturgesBins();
    void zeroIqrFallsBackToSturges();
    void missingValuesAreIgnored();
    void constantAndEmpty();
    void strideReadsOneChannel();
    void etth1EveryChannel();
    void viewShowsSelectedChannel();
};

void tst_Histogram::quantiles()
{
    const std::vector<double> sorted{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    QCOMPARE(quantileSorted(sorted, 0.0), 0.0);
    QCOMPARE(quantileSorted(sorted, 0.25), 2.25); // numpy.percentile(range(10), 25)
    QCOMPARE(quantileSorted(sorted, 0.5), 4.5);
    QCOMPARE(quantileSorted(sorted, 0.75), 6.75);
    QCOMPARE(quantileSorted(sorted, 1.0), 9.0);
    QVERIFY(std::isnan(quantileSorted({}, 0.5)));
}

void tst_Histogram::freedmanDiaconisBins()
{
    // IQR 4.5, width 2 * 4.5 / cbrt(10) = 4.177 -> ceil(9 / 4.177) = 3 bins of width 3.
    const std::vector<float> x{9, 0, 8, 1, 7, 2, 6, 3, 5, 4};
    const Histogram h = computeHistogram(x.data(), 10);
    QCOMPARE(h.rule, BinRule::FreedmanDiaconis);
    QCOMPARE(h.edges, (std::vector<double>{0.0, 3.0, 6.0, 9.0}));
    QCOMPARE(h.counts, (std::vector<std::int64_t>{3, 3, 4})); // 9 == max goes into the last
    QCOMPARE(h.values, 10);
    QCOMPARE(h.ignored, 0);
    QCOMPARE(h.mean, 4.5);
    QCOMPARE(h.std, std::sqrt(8.25));
}

void tst_Histogram::sturgesBins()
{
    // ceil(log2 10) + 1 = 5 bins of width 1.8: two values each.
    const std::vector<float> x{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    const Histogram h = computeHistogram(x.data(), 10, 1, BinRule::Sturges);
    QCOMPARE(h.rule, BinRule::Sturges);
    QCOMPARE(h.bins(), 5);
    QCOMPARE(h.counts, (std::vector<std::int64_t>(5, 2)));
    QCOMPARE(h.edges.front(), 0.0);
    QCOMPARE(h.edges.back(), 9.0);
    QVERIFY(std::abs(h.edges[1] - 1.8) < 1e-12);
}

void tst_Histogram::zeroIqrFallsBackToSturges()
{
    const std::vector<float> x{0, 0, 0, 0, 0, 0, 0, 0, 1};
    const Histogram h = computeHistogram(x.data(), 9);
    QCOMPARE(h.rule, BinRule::Sturges);
    QCOMPARE(h.bins(), 5); // ceil(log2 9) + 1
    QCOMPARE(h.counts.front(), 8);
    QCOMPARE(h.counts.back(), 1);
    QCOMPARE(sum(h.counts), 9);
}

void tst_Histogram::missingValuesAreIgnored()
{
    const std::vector<float> x{missingValue, 0, 1, std::numeric_limits<float>::infinity(), 2, 3,
                               missingValue};
    const Histogram h = computeHistogram(x.data(), std::int64_t(x.size()));
    QCOMPARE(h.values, 4);
    QCOMPARE(h.ignored, 3);
    QCOMPARE(sum(h.counts), 4);
    QCOMPARE(h.mean, 1.5);
    QCOMPARE(h.edges.front(), 0.0);
    QCOMPARE(h.edges.back(), 3.0);
}

void tst_Histogram::constantAndEmpty()
{
    const std::vector<float> same{5, 5, 5};
    const Histogram h = computeHistogram(same.data(), 3);
    QCOMPARE(h.edges, (std::vector<double>{4.5, 5.5}));
    QCOMPARE(h.counts, (std::vector<std::int64_t>{3}));
    QCOMPARE(h.std, 0.0);

    const std::vector<float> missing{missingValue, missingValue};
    const Histogram empty = computeHistogram(missing.data(), 2);
    QCOMPARE(empty.bins(), 0);
    QVERIFY(empty.edges.empty());
    QCOMPARE(empty.ignored, 2);
    QVERIFY(std::isnan(empty.mean));
    QCOMPARE(computeHistogram(nullptr, 0).bins(), 0);
}

void tst_Histogram::strideReadsOneChannel()
{
    // Row-major [4 rows, 2 channels]: channel 1 is 10, 20, 30, 40.
    const std::vector<float> rows{1, 10, 2, 20, 3, 30, 4, 40};
    const Histogram h = computeHistogram(rows.data() + 1, 4, 2);
    QCOMPARE(h.values, 4);
    QCOMPARE(h.edges.front(), 10.0);
    QCOMPARE(h.edges.back(), 40.0);
    QCOMPARE(h.mean, 25.0);
}

void tst_Histogram::etth1EveryChannel()
{
    const auto data = loadEtth1();
    if (!data)
        QSKIP("ETTh1 not found under " TWB_SHARED_DATA_DIR "/ett");
    const std::vector<ChannelStats> stats = summarize(*data);
    for (int c = 0; c < int(data->channels()); ++c) {
        const Histogram h = computeHistogram(data->values.data() + c, data->rows(),
                                             std::ptrdiff_t(data->channels()));
        QCOMPARE(h.values, stats[std::size_t(c)].count);
        QCOMPARE(sum(h.counts), stats[std::size_t(c)].count);
        QCOMPARE(h.ignored, stats[std::size_t(c)].missing);
        QCOMPARE(h.edges.front(), stats[std::size_t(c)].min);
        QCOMPARE(h.edges.back(), stats[std::size_t(c)].max);
        QVERIFY(std::abs(h.mean - stats[std::size_t(c)].mean) < 1e-9 * std::abs(h.mean) + 1e-12);
        QVERIFY(std::abs(h.std - stats[std::size_t(c)].std) < 1e-9 * h.std + 1e-12);
        QVERIFY(h.bins() > 10 && h.bins() <= 256);
        QVERIFY(std::is_sorted(h.edges.begin(), h.edges.end()));
        // Recount every value by binary search over the edges: the same counts.
        std::vector<std::int64_t> recount(h.counts.size(), 0);
        for (std::int64_t r = 0; r < data->rows(); ++r) {
            const double v = data->at(r, c);
            auto it = std::upper_bound(h.edges.begin(), h.edges.end(), v);
            const std::size_t bin =
                std::min(std::size_t(it - h.edges.begin()) - 1, h.counts.size() - 1);
            ++recount[bin];
        }
        QCOMPARE(recount, h.counts);
    }
}

void tst_Histogram::viewShowsSelectedChannel()
{
    auto data = std::make_shared<SeriesDataset>();
    data->channelNames = {QStringLiteral("a"), QStringLiteral("b")};
    for (int r = 0; r < 10; ++r)
        data->values.insert(data->values.end(), {float(r), r == 3 ? missingValue : float(r * r)});
    data->recountMissing();

    ChannelHistogramView view;
    view.resize(500, 300);
    QCOMPARE(view.histogram().bins(), 0);
    QVERIFY(view.csvTable().rows.isEmpty());

    view.setDataset(data, 0);
    QCOMPARE(view.histogram().counts, (std::vector<std::int64_t>{3, 3, 4}));
    const CsvTable table = view.csvTable();
    QCOMPARE(table.header, (QStringList{"bin", "left", "right", "count"}));
    QCOMPARE(table.rows.size(), 3);
    QCOMPARE(table.rows[2], (QStringList{"2", "6", "9", "4"}));
    QVERIFY(view.chart()->title().contains(QStringLiteral("Freedman")));

    // Both axes are labelled; counts run from 0 to a round count above the highest bar (4).
    auto *x = qobject_cast<QValueAxis *>(view.chart()->axes(Qt::Horizontal).value(0));
    auto *y = qobject_cast<QValueAxis *>(view.chart()->axes(Qt::Vertical).value(0));
    QVERIFY(x && y);
    QCOMPARE(x->titleText(), QStringLiteral("a value (channel units)"));
    QCOMPARE(y->titleText(), QStringLiteral("Values per bin"));
    QCOMPARE(y->min(), 0.0);
    QCOMPARE(y->max(), 5.0);
    QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
    QCOMPARE(y->tickInterval(), 1.0);
    QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
    QCOMPARE(x->tickInterval(), 2.0); // values 0..9, at most 8 steps: steps of 2
    QCOMPARE(x->min(), 0.0);
    QCOMPARE(x->max(), 9.0);

    view.setChannel(1);
    QCOMPARE(x->titleText(), QStringLiteral("b value (channel units)"));
    QCOMPARE(view.histogram().values, 9);
    QCOMPARE(view.histogram().ignored, 1);
    QVERIFY(view.chart()->title().contains(QStringLiteral("1 missing ignored")));

    view.setChannel(7); // invalid: cleared, no crash
    QCOMPARE(view.histogram().bins(), 0);
    QCOMPARE(x->titleText(), QStringLiteral("Value (channel units)")); // still labelled
    QCOMPARE(y->titleText(), QStringLiteral("Values per bin"));
}

QTEST_MAIN(tst_Histogram)
#include "tst_histogram.moc"
