#include "data/CsvLoader.h"
#include "data/DatasetSummary.h"

#include <QFileInfo>
#include <QTest>

#include <cmath>
#include <limits>

using namespace twb;

class TestDatasetSummary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handComputed()
    {
        constexpr float nan = std::numeric_limits<float>::quiet_NaN();
        SeriesDataset d;
        d.channelNames = {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("empty")};
        d.values = {1,   -4, nan, //
                    nan, 4,  nan, //
                    3,   0,  nan, //
                    8,   0,  nan};
        const auto stats = summarize(d);
        QCOMPARE(stats.size(), std::size_t(3));

        QCOMPARE(stats[0].name, QStringLiteral("a"));
        QCOMPARE(stats[0].count, 3);
        QCOMPARE(stats[0].missing, 1);
        QCOMPARE(stats[0].mean, 4.0);                          // (1 + 3 + 8) / 3
        QCOMPARE(stats[0].std, std::sqrt((9.0 + 1 + 16) / 3)); // population
        QCOMPARE(stats[0].min, 1.0);
        QCOMPARE(stats[0].max, 8.0);

        QCOMPARE(stats[1].count, 4);
        QCOMPARE(stats[1].missing, 0);
        QCOMPARE(stats[1].mean, 0.0);
        QCOMPARE(stats[1].std, std::sqrt(8.0));
        QCOMPARE(stats[1].min, -4.0);
        QCOMPARE(stats[1].max, 4.0);

        QCOMPARE(stats[2].count, 0);
        QCOMPARE(stats[2].missing, 4);
        QVERIFY(std::isnan(stats[2].mean) && std::isnan(stats[2].std));
        QVERIFY(std::isnan(stats[2].min) && std::isnan(stats[2].max));

        QVERIFY(summarize(SeriesDataset()).empty());
    }

    void labelledCasesOfUnequalLength()
    {
        constexpr float nan = std::numeric_limits<float>::quiet_NaN();
        LabelledDataset d;
        d.channelNames = {QStringLiteral("x"), QStringLiteral("y")};
        d.classNames = {QStringLiteral("a"), QStringLiteral("b")};
        // [time, channels]: 3 steps, then 1 step; y misses one value.
        d.cases.push_back({{1, 10, 2, nan, 3, 30}, 3, 0, QStringLiteral("t:1"), {}});
        d.cases.push_back({{6, 20}, 1, 1, QStringLiteral("t:2"), {}});
        const auto stats = summarize(d);
        QCOMPARE(stats.size(), std::size_t(2));
        QCOMPARE(stats[0].name, QStringLiteral("x"));
        QCOMPARE(stats[0].count, 4);
        QCOMPARE(stats[0].missing, 0);
        QCOMPARE(stats[0].mean, 3.0);                             // (1 + 2 + 3 + 6) / 4
        QCOMPARE(stats[0].std, std::sqrt((4.0 + 1 + 0 + 9) / 4)); // population
        QCOMPARE(stats[0].min, 1.0);
        QCOMPARE(stats[0].max, 6.0);
        QCOMPARE(stats[1].count, 3);
        QCOMPARE(stats[1].missing, 1);
        QCOMPARE(stats[1].mean, 20.0);
        QCOMPARE(stats[1].std, std::sqrt(200.0 / 3));
        QCOMPARE(stats[1].min, 10.0);
        QCOMPARE(stats[1].max, 30.0);

        QVERIFY(summarize(LabelledDataset()).empty());
    }

    void ett()
    {
        const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
        if (!QFileInfo::exists(path))
            QSKIP(qPrintable(QStringLiteral("real data not found: %1").arg(path)));
        const auto data = loadCsv(path);
        QVERIFY(data);
        const auto stats = summarize(*data);
        QCOMPARE(stats.size(), std::size_t(7));
        // numpy over all 17,420 rows of OT: mean, std (ddof 0), min, max.
        const ChannelStats &ot = stats[6];
        QCOMPARE(ot.name, QStringLiteral("OT"));
        QCOMPARE(ot.count, 17420);
        QCOMPARE(ot.missing, 0);
        QVERIFY(std::abs(ot.mean - 13.324671589881694) < 1e-9);
        QVERIFY(std::abs(ot.std - 8.566700420540636) < 1e-9);
        QCOMPARE(ot.min, double(-4.079999923706055f));
        QCOMPARE(ot.max, double(46.00699996948242f));
        QCOMPARE(stats[0].min, double(-22.70599937438965f));
    }
};

QTEST_GUILESS_MAIN(TestDatasetSummary)
#include "tst_datasetsummary.moc"
