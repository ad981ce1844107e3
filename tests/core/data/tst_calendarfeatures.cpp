// The "timeF" calendar features of the encoder-decoder forecasters, against hand-computed values.
#include "data/CalendarFeatures.h"
#include "data/CsvLoader.h"

#include <QDateTime>
#include <QFileInfo>
#include <QTest>

using namespace twb;

namespace {

std::int64_t utcMs(int y, int mo, int d, int h = 0, int mi = 0, int s = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC).toMSecsSinceEpoch();
}

bool near(float a, double b)
{
    return std::abs(double(a) - b) < 1e-6;
}

} // namespace

class tst_CalendarFeatures : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hourlyAsInformer()
    {
        // ETTh1's first row: Friday 2016-07-01 00:00, day 183 of a leap year.
        const CalendarFeatures f =
            calendarFeatures({utcMs(2016, 7, 1), utcMs(2016, 7, 1, 13)}, TimeFrequency::Hour);
        QCOMPARE(f.names,
                 QStringList({"hour_of_day", "day_of_week", "day_of_month", "day_of_year"}));
        QCOMPARE(f.steps(), 2);
        QVERIFY(near(f.at(0, 0), -0.5));
        QVERIFY(near(f.at(0, 1), 4.0 / 6.0 - 0.5));
        QVERIFY(near(f.at(0, 2), -0.5));
        QVERIFY(near(f.at(0, 3), 182.0 / 365.0 - 0.5));
        QVERIFY(near(f.at(1, 0), 13.0 / 23.0 - 0.5));
    }

    void everyFieldAtItsTop()
    {
        // Saturday 2016-12-31 23:59:59: the last second of a leap year.
        const CalendarFeatures f =
            calendarFeatures({utcMs(2016, 12, 31, 23, 59, 59)}, TimeFrequency::Second);
        QCOMPARE(f.names.size(), 6);
        const double expected[] = {0.5, 0.5, 0.5, 5.0 / 6.0 - 0.5, 0.5, 0.5};
        for (int i = 0; i < 6; ++i)
            QVERIFY2(near(f.at(0, i), expected[i]), qPrintable(f.names[i]));
        // Before 1970 too: Wednesday 1969-12-31 23:00.
        const CalendarFeatures old =
            calendarFeatures({utcMs(1969, 12, 31, 23)}, TimeFrequency::Minute);
        QVERIFY(near(old.at(0, 0), -0.5));                // minute 0
        QVERIFY(near(old.at(0, 1), 0.5));                 // hour 23
        QVERIFY(near(old.at(0, 2), 2.0 / 6.0 - 0.5));     // Wednesday
        QVERIFY(near(old.at(0, 4), 364.0 / 365.0 - 0.5)); // day 365
    }

    void weeksMonthsAndYears()
    {
        // Sunday 2021-01-03 is in ISO week 53 of 2020; Monday 2021-01-04 starts week 1.
        const CalendarFeatures weekly =
            calendarFeatures({utcMs(2021, 1, 3), utcMs(2021, 1, 4)}, TimeFrequency::Week);
        QCOMPARE(weekly.names, QStringList({"day_of_month", "week_of_year"}));
        QVERIFY(near(weekly.at(0, 1), 0.5));
        QVERIFY(near(weekly.at(1, 1), -0.5));
        QVERIFY(near(weekly.at(1, 0), 3.0 / 30.0 - 0.5));
        const CalendarFeatures monthly =
            calendarFeatures({utcMs(2020, 12, 15)}, TimeFrequency::Month);
        QCOMPARE(monthly.names, QStringList({"month_of_year"}));
        QVERIFY(near(monthly.at(0, 0), 0.5));
        QCOMPARE(calendarFeatures({utcMs(2020, 1, 1)}, TimeFrequency::Year).names.size(), 0);
        QCOMPARE(calendarFeatures({utcMs(2020, 1, 1)}, TimeFrequency::Year).steps(), 0);
    }

    void frequencies()
    {
        QCOMPARE(*parseFrequency(QStringLiteral("h")), TimeFrequency::Hour);
        QCOMPARE(*parseFrequency(QStringLiteral("15min")), TimeFrequency::Minute);
        QCOMPARE(*parseFrequency(QStringLiteral("T")), TimeFrequency::Minute);
        QCOMPARE(*parseFrequency(QStringLiteral(" 1D ")), TimeFrequency::Day);
        const auto bad = parseFrequency(QStringLiteral("fortnight"));
        QVERIFY(!bad);
        QVERIFY(bad.error().reason.contains(QStringLiteral("\"fortnight\" is not one of")));
        QCOMPARE(frequencyName(TimeFrequency::Minute), QStringLiteral("t"));
        QCOMPARE(frequencyOfStep(3'600'000), TimeFrequency::Hour);
        QCOMPARE(frequencyOfStep(15 * 60'000), TimeFrequency::Minute);
        QCOMPARE(frequencyOfStep(86'400'000), TimeFrequency::Day);
        QCOMPARE(frequencyOfStep(30LL * 86'400'000), TimeFrequency::Month);
        QCOMPARE(frequencyOfStep(0), TimeFrequency::Hour);
        QCOMPARE(timesAfter(1000, 10, 3), (std::vector<std::int64_t>{1010, 1020, 1030}));
    }

    void etth1()
    {
        const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
        if (!QFileInfo::exists(path))
            QSKIP("real data not found");
        const Expected<SeriesDataset> data = loadCsv(path);
        QVERIFY(data);
        const CalendarFeatures f = calendarFeatures(data->timestamps, TimeFrequency::Hour);
        QCOMPARE(f.steps(), 17420);
        for (float v : f.values)
            QVERIFY(v >= -0.5f && v <= 0.5f);
        // Hourly: the hour advances by one each row and wraps after 23.
        for (std::int64_t r = 0; r < 48; ++r)
            QVERIFY(near(f.at(r, 0), double(r % 24) / 23.0 - 0.5));
        // The last row, 2018-06-26 19:00, a Tuesday, day 177.
        QVERIFY(near(f.at(17419, 0), 19.0 / 23.0 - 0.5));
        QVERIFY(near(f.at(17419, 1), 1.0 / 6.0 - 0.5));
        QVERIFY(near(f.at(17419, 3), 176.0 / 365.0 - 0.5));
    }
};

QTEST_GUILESS_MAIN(tst_CalendarFeatures)
#include "tst_calendarfeatures.moc"
