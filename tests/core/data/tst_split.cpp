#include "data/CsvLoader.h"
#include "data/Split.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QTest>

using namespace twb;

using Rows = std::vector<std::int64_t>;
Q_DECLARE_METATYPE(Rows)

namespace {

SplitBorders borders(std::int64_t a, std::int64_t b, std::int64_t c, std::int64_t d, std::int64_t e,
                     std::int64_t f)
{
    SplitBorders s;
    s.trainBegin = a;
    s.trainEnd = b;
    s.valBegin = c;
    s.valEnd = d;
    s.testBegin = e;
    s.testEnd = f;
    return s;
}

} // namespace

class TestSplit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void protocols()
    {
        QCOMPARE(ettHourSplit(17420), borders(0, 8640, 8640, 11520, 11520, 14400));
        QCOMPARE(ettMinuteSplit(69680), borders(0, 34560, 34560, 46080, 46080, 57600));
        QCOMPARE(ettHourSplit(10000), borders(0, 8640, 8640, 10000, 10000, 10000));
        QCOMPARE(ratioSplit(100), borders(0, 70, 70, 80, 80, 100));
        // int(17420 * 0.7) = 12194, int(17420 * 0.2) = 3484 in Python.
        QCOMPARE(ratioSplit(17420), borders(0, 12194, 12194, 13936, 13936, 17420));
        // 7 * 0.7 = 4.8999999999999995 in double: truncated to 4 as Python's int().
        QCOMPARE(ratioSplit(7), borders(0, 4, 4, 6, 6, 7));
        QCOMPARE(ratioSplit(100, 0.6, 0.1), borders(0, 60, 60, 90, 90, 100));
    }

    void byName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("expected"); // borders as JSON, or a part of the error

        QTest::newRow("ett-hour") << QStringLiteral("ett-hour") << qint64(17420) << true
                                  << QStringLiteral("0 8640 8640 11520 11520 14400");
        QTest::newRow("ett-minute, exact length")
            << QStringLiteral("ett-minute") << qint64(57600) << true
            << QStringLiteral("0 34560 34560 46080 46080 57600");
        QTest::newRow("ratio") << QStringLiteral("ratio") << qint64(100) << true
                               << QStringLiteral("0 70 70 80 80 100");
        QTest::newRow("ratio with fractions") << QStringLiteral("ratio:0.6:0.2") << qint64(100)
                                              << true << QStringLiteral("0 60 60 80 80 100");
        QTest::newRow("case and spaces")
            << QStringLiteral(" Ratio ") << qint64(10) << true << QStringLiteral("0 7 7 8 8 10");
        QTest::newRow("ett-hour too short") << QStringLiteral("ett-hour") << qint64(14399) << false
                                            << QStringLiteral("needs at least 14400 rows");
        QTest::newRow("ratio too short")
            << QStringLiteral("ratio") << qint64(3) << false << QStringLiteral("too few");
        QTest::newRow("no rows") << QStringLiteral("ratio") << qint64(0) << false
                                 << QStringLiteral("too few");
        QTest::newRow("fractions above one") << QStringLiteral("ratio:0.9:0.2") << qint64(100)
                                             << false << QStringLiteral("bad ratio split");
        QTest::newRow("not numbers") << QStringLiteral("ratio:a:b") << qint64(100) << false
                                     << QStringLiteral("bad ratio split");
        QTest::newRow("one fraction") << QStringLiteral("ratio:0.7") << qint64(100) << false
                                      << QStringLiteral("bad ratio split");
        QTest::newRow("unknown") << QStringLiteral("random") << qint64(100) << false
                                 << QStringLiteral("unknown split 'random'");
    }

    void byName()
    {
        QFETCH(QString, name);
        QFETCH(qint64, rows);
        QFETCH(bool, ok);
        QFETCH(QString, expected);
        const auto split = splitByName(name, rows);
        QCOMPARE(bool(split), ok);
        if (!ok) {
            QVERIFY2(split.error().reason.contains(expected), qPrintable(split.error().reason));
            return;
        }
        const SplitBorders &b = *split;
        QCOMPARE(QStringLiteral("%1 %2 %3 %4 %5 %6")
                     .arg(b.trainBegin)
                     .arg(b.trainEnd)
                     .arg(b.valBegin)
                     .arg(b.valEnd)
                     .arg(b.testBegin)
                     .arg(b.testEnd),
                 expected);
    }

    void windows_data()
    {
        QTest::addColumn<SplitBorders>("split");
        QTest::addColumn<int>("part");
        QTest::addColumn<qint64>("lookback");
        QTest::addColumn<qint64>("horizon");
        QTest::addColumn<qint64>("stride");
        QTest::addColumn<Rows>("starts");

        const SplitBorders small = borders(0, 10, 10, 14, 14, 20);
        const int train = int(SplitPart::Train);
        const int val = int(SplitPart::Validation);
        const int test = int(SplitPart::Test);
        QTest::newRow("train") << small << train << qint64(3) << qint64(2) << qint64(1)
                               << Rows{0, 1, 2, 3, 4, 5};
        QTest::newRow("validation reaches back")
            << small << val << qint64(3) << qint64(2) << qint64(1) << Rows{7, 8, 9};
        QTest::newRow("test reaches back")
            << small << test << qint64(3) << qint64(2) << qint64(1) << Rows{11, 12, 13, 14, 15};
        QTest::newRow("stride") << small << train << qint64(3) << qint64(2) << qint64(2)
                                << Rows{0, 2, 4};
        QTest::newRow("clamped at row 0") << borders(0, 2, 2, 8, 8, 9) << val << qint64(3)
                                          << qint64(2) << qint64(1) << Rows{0, 1, 2, 3};
        QTest::newRow("part too short")
            << small << val << qint64(3) << qint64(5) << qint64(1) << Rows{};
        QTest::newRow("train too short")
            << small << train << qint64(8) << qint64(3) << qint64(1) << Rows{};
        QTest::newRow("zero horizon")
            << small << train << qint64(3) << qint64(0) << qint64(1) << Rows{};
        QTest::newRow("zero stride")
            << small << train << qint64(3) << qint64(1) << qint64(0) << Rows{};
    }

    void windows()
    {
        QFETCH(SplitBorders, split);
        QFETCH(int, part);
        QFETCH(qint64, lookback);
        QFETCH(qint64, horizon);
        QFETCH(qint64, stride);
        QFETCH(Rows, starts);
        QCOMPARE(windowStarts(split, SplitPart(part), lookback, horizon, stride), starts);
    }

    void ettWindowCountsWithoutFile()
    {
        const SplitBorders b = ettHourSplit(17420);
        const auto test = windowStarts(b, SplitPart::Test, 336, 96);
        QCOMPARE(test.size(), std::size_t(2785));
        QCOMPARE(test.front(), 11520 - 336);     // first target = the border
        QCOMPARE(test.back() + 336 + 96, 14400); // last target row = 14399
        QCOMPARE(windowStarts(b, SplitPart::Validation, 336, 96).size(), std::size_t(2785));
        QCOMPARE(windowStarts(b, SplitPart::Train, 336, 96).size(), std::size_t(8209));
    }

    void ettWindowCountsFromFile()
    {
        const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
        if (!QFileInfo::exists(path))
            QSKIP(qPrintable(QStringLiteral("real data not found: %1").arg(path)));
        const auto data = loadCsv(path);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        const auto split = splitByName(QStringLiteral("ett-hour"), data->rows());
        QVERIFY(split);
        QCOMPARE(windowStarts(*split, SplitPart::Test, 336, 96).size(), std::size_t(2785));
        QCOMPARE(windowStarts(*split, SplitPart::Validation, 336, 96).size(), std::size_t(2785));
        QCOMPARE(windowStarts(*split, SplitPart::Train, 336, 96).size(), std::size_t(8209));
    }

    void json()
    {
        const SplitBorders b = ettHourSplit(17420);
        const QJsonObject json = b.toJson();
        QCOMPARE(json.value(QStringLiteral("testEnd")).toInteger(), 14400);
        const QByteArray text = QJsonDocument(json).toJson();
        const auto back = SplitBorders::fromJson(QJsonDocument::fromJson(text).object());
        QVERIFY(back);
        QCOMPARE(*back, b);

        QJsonObject missing = json;
        missing.remove(QStringLiteral("valEnd"));
        const auto noKey = SplitBorders::fromJson(missing);
        QVERIFY(!noKey);
        QVERIFY(noKey.error().reason.contains(QStringLiteral("'valEnd'")));

        QJsonObject fraction = json;
        fraction.insert(QStringLiteral("trainEnd"), 10.5);
        QVERIFY(!SplitBorders::fromJson(fraction));
        QJsonObject negative = json;
        negative.insert(QStringLiteral("trainBegin"), -1);
        QVERIFY(!SplitBorders::fromJson(negative));
        QJsonObject overlap = json;
        overlap.insert(QStringLiteral("valBegin"), 100);
        const auto overlapping = SplitBorders::fromJson(overlap);
        QVERIFY(!overlapping);
        QVERIFY(overlapping.error().reason.contains(QStringLiteral("overlap")));
    }
};

QTEST_GUILESS_MAIN(TestSplit)
#include "tst_split.moc"
