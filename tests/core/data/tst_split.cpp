#include "data/CsvLoader.h"
#include "data/Split.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>
#include <cmath>

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
        // Horizon 0: pretraining's windows are the lookback alone.
        QTest::newRow("zero horizon") << small << train << qint64(3) << qint64(0) << qint64(1)
                                      << Rows{0, 1, 2, 3, 4, 5, 6, 7};
        QTest::newRow("negative horizon")
            << small << train << qint64(3) << qint64(-1) << qint64(1) << Rows{};
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

    // The shuffled split: the teaching mistake (windows at random, see shuffledPart).

    void shuffledByName()
    {
        const auto plain = splitByName(QStringLiteral("shuffled"), 100);
        QVERIFY(plain);
        QCOMPARE(*plain, shuffledSplit(100));
        QVERIFY(plain->shuffled);
        QCOMPARE(plain->trainFraction, 0.7);
        QCOMPARE(plain->testFraction, 0.2);
        for (int part = 0; part < 3; ++part) { // every part covers all rows
            QCOMPARE(plain->begin(SplitPart(part)), std::int64_t(0));
            QCOMPARE(plain->end(SplitPart(part)), std::int64_t(100));
        }
        const auto fractions = splitByName(QStringLiteral(" Shuffled:0.6:0.3 "), 50);
        QVERIFY(fractions);
        QCOMPARE(*fractions, shuffledSplit(50, 0.6, 0.3));
        QVERIFY(!splitByName(QStringLiteral("ratio"), 100)->shuffled);

        for (const char *bad : {"shuffled:0.9:0.2", "shuffled:0.7", "shuffled:a:b",
                                "shuffled:0:0.2", "shuffled:0.7:-0.1"}) {
            const auto split = splitByName(QLatin1String(bad), 100);
            QVERIFY2(!split, bad);
            QVERIFY2(split.error().reason.contains(QStringLiteral("bad shuffled split")),
                     qPrintable(split.error().reason));
            QVERIFY2(!checkSplitName(QLatin1String(bad)).isOk(), bad);
        }
        const auto empty = splitByName(QStringLiteral("shuffled"), 0);
        QVERIFY(!empty);
        QVERIFY(empty.error().reason.contains(QStringLiteral("no rows")));

        // checkSplitName: the same name errors without any data.
        for (const char *good :
             {"ett-hour", "ett-minute", "ratio", "ratio:0.6:0.2", "shuffled", "shuffled:0.5:0.25"})
            QVERIFY2(checkSplitName(QLatin1String(good)).isOk(), good);
        const Status unknown = checkSplitName(QStringLiteral("random"));
        QVERIFY(!unknown.isOk());
        QVERIFY(unknown.error().reason.contains(QStringLiteral("shuffled")));
        QVERIFY(!checkSplitName(QStringLiteral("ratio:0.9:0.2")).isOk());
    }

    void shuffledIsDeterministic()
    {
        const SplitBorders b = shuffledSplit(10119);
        for (int part = 0; part < 3; ++part) {
            const auto first = windowStarts(b, SplitPart(part), 96, 24);
            QVERIFY(!first.empty());
            QCOMPARE(windowStarts(b, SplitPart(part), 96, 24), first);
            // The same window start is in the same part whatever the data length: the draw
            // depends on the start row only.
            const auto longer = windowStarts(shuffledSplit(20000), SplitPart(part), 96, 24);
            QVERIFY(std::equal(first.begin(), first.end(), longer.begin()));
        }
        for (std::int64_t s = 0; s < 1000; ++s)
            QCOMPARE(shuffledPart(s, 0.7, 0.2), shuffledPart(s, 0.7, 0.2));
        // Pinned: the hash is fixed, so these never change (a change would silently change
        // every shuffled run's parts).
        QCOMPARE(windowStarts(b, SplitPart::Test, 96, 24).size(), std::size_t(2033));
        QCOMPARE(windowStarts(b, SplitPart::Validation, 96, 24).size(), std::size_t(969));
        QCOMPARE(windowStarts(b, SplitPart::Test, 96, 24).front(), std::int64_t(7));
    }

    void shuffledProportions_data()
    {
        QTest::addColumn<double>("train");
        QTest::addColumn<double>("test");
        QTest::newRow("0.7/0.1/0.2") << 0.7 << 0.2;
        QTest::newRow("0.6/0.2/0.2") << 0.6 << 0.2;
        QTest::newRow("0.5/0.1/0.4") << 0.5 << 0.4;
    }

    void shuffledProportions()
    {
        QFETCH(double, train);
        QFETCH(double, test);
        const std::int64_t lookback = 96, horizon = 24, windows = 10000;
        const SplitBorders b = shuffledSplit(windows + lookback + horizon - 1, train, test);
        const double expected[] = {train, 1.0 - train - test, test};
        for (int part = 0; part < 3; ++part) {
            const double share =
                double(windowStarts(b, SplitPart(part), lookback, horizon).size()) / windows;
            QVERIFY2(std::abs(share - expected[part]) <= 0.02,
                     qPrintable(QStringLiteral("part %1: %2 of the windows, expected %3")
                                    .arg(part)
                                    .arg(share)
                                    .arg(expected[part])));
        }
    }

    void shuffledWindowInExactlyOnePart_data()
    {
        QTest::addColumn<qint64>("rows");
        QTest::addColumn<qint64>("stride");
        QTest::newRow("10,000 windows") << qint64(10000 + 119) << qint64(1);
        QTest::newRow("stride 3") << qint64(5000) << qint64(3);
    }

    void shuffledWindowInExactlyOnePart()
    {
        QFETCH(qint64, rows);
        QFETCH(qint64, stride);
        const SplitBorders b = shuffledSplit(rows);
        Rows all;
        for (int part = 0; part < 3; ++part) {
            const auto starts = windowStarts(b, SplitPart(part), 96, 24, stride);
            QVERIFY(std::is_sorted(starts.begin(), starts.end()));
            for (std::int64_t s : starts)
                QCOMPARE(shuffledPart(s, 0.7, 0.2), SplitPart(part));
            all.insert(all.end(), starts.begin(), starts.end());
        }
        std::sort(all.begin(), all.end());
        Rows expected;
        for (std::int64_t s = 0; s + 96 + 24 <= rows; s += stride)
            expected.push_back(s);
        QCOMPARE(all, expected); // every start once: none missing, none twice
    }

    void shuffledJson()
    {
        for (const SplitBorders &b : {shuffledSplit(17420), shuffledSplit(500, 0.6, 0.3)}) {
            const QJsonObject json = b.toJson();
            QCOMPARE(json.value(QStringLiteral("shuffled")).toBool(), true);
            const QByteArray text = QJsonDocument(json).toJson();
            const auto back = SplitBorders::fromJson(QJsonDocument::fromJson(text).object());
            QVERIFY2(back, qPrintable(back ? QString() : back.error().reason));
            QCOMPARE(*back, b);
            QCOMPARE(back->testFraction, b.testFraction); // 0.3 exactly, through the text
        }

        const QJsonObject good = shuffledSplit(100).toJson();
        QJsonObject noFraction = good;
        noFraction.remove(QStringLiteral("testFraction"));
        QVERIFY(!SplitBorders::fromJson(noFraction));
        QJsonObject tooMuch = good;
        tooMuch.insert(QStringLiteral("trainFraction"), 0.9);
        QVERIFY(!SplitBorders::fromJson(tooMuch));
        QJsonObject notBool = good;
        notBool.insert(QStringLiteral("shuffled"), 1);
        QVERIFY(!SplitBorders::fromJson(notBool));
        QJsonObject partial = good;
        partial.insert(QStringLiteral("valBegin"), 70);
        const auto uneven = SplitBorders::fromJson(partial);
        QVERIFY(!uneven);
        QVERIFY(uneven.error().reason.contains(QStringLiteral("same rows")));
        // "shuffled": false is the chronological form, checked as before.
        QJsonObject chronological = ettHourSplit(17420).toJson();
        chronological.insert(QStringLiteral("shuffled"), false);
        QCOMPARE(*SplitBorders::fromJson(chronological), ettHourSplit(17420));
        QJsonObject falseOverlap = good;
        falseOverlap.insert(QStringLiteral("shuffled"), false);
        QVERIFY(!SplitBorders::fromJson(falseOverlap));
    }

    void oldJsonStillLoads()
    {
        // As a run folder from before the shuffled split wrote it (config.json's provenance).
        const QByteArray old = R"({"testBegin": 11520, "testEnd": 14400, "trainBegin": 0,
                                   "trainEnd": 8640, "valBegin": 8640, "valEnd": 11520})";
        const auto back = SplitBorders::fromJson(QJsonDocument::fromJson(old).object());
        QVERIFY(back);
        QCOMPARE(*back, ettHourSplit(17420));
        QVERIFY(!back->shuffled);
        QCOMPARE(back->trainFraction, 0.0);
        // Chronological splits still write exactly the six keys.
        QCOMPARE(ettHourSplit(17420).toJson().keys().size(), 6);
        QCOMPARE(ratioSplit(100).toJson().keys().size(), 6);
        QCOMPARE(windowStarts(*back, SplitPart::Test, 336, 96).size(), std::size_t(2785));
    }
};

QTEST_GUILESS_MAIN(TestSplit)
#include "tst_split.moc"
