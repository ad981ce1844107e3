#include "widgets/common/WallClock.h"

#include <QTest>
#include <QTimeZone>

#include <ctime>

using namespace twb;

/// WallClockAxisMapper must answer exactly as wallClockToAxis, also in zones with daylight
/// saving time, around the changes and over centuries.
class tst_WallClock : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mapperEqualsExactConversion_data();
    void mapperEqualsExactConversion();
    void cleanupTestCase();
};

void tst_WallClock::mapperEqualsExactConversion_data()
{
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<QString>("from");
    QTest::addColumn<double>("stepHours");
    QTest::addColumn<int>("count");
    QTest::newRow("UTC, ten years hourly") << QByteArray("UTC") << "2010-01-01" << 1.0 << 87'600;
    QTest::newRow("Berlin, two years hourly")
        << QByteArray("Europe/Berlin") << "2016-01-01" << 1.0 << 17'520;
    QTest::newRow("Berlin, every 7 minutes around a change")
        << QByteArray("Europe/Berlin") << "2016-03-25" << 7.0 / 60.0 << 2'000;
    QTest::newRow("New York, 600 years weekly")
        << QByteArray("America/New_York") << "1700-01-01" << 7.0 * 24.0 << 31'000;
    QTest::newRow("Lord Howe (half-hour change), hourly")
        << QByteArray("Australia/Lord_Howe") << "2019-01-01" << 1.0 << 20'000;
}

void tst_WallClock::mapperEqualsExactConversion()
{
    QFETCH(QByteArray, zone);
    QFETCH(QString, from);
    QFETCH(double, stepHours);
    QFETCH(int, count);
    if (!QTimeZone(zone).isValid())
        QSKIP(qPrintable("time zone " + zone + " is not installed (package tzdata)"));
    qputenv("TZ", zone);
    tzset();
    QCOMPARE(QTimeZone::systemTimeZoneId(), zone);

    const double start = double(
        QDateTime(QDate::fromString(from, Qt::ISODate), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
    const double step = stepHours * 3600.0 * 1000.0;
    const WallClockAxisMapper toAxis(start, start + step * (count - 1));
    int mismatches = 0;
    for (int i = 0; i < count; ++i) {
        const double wall = start + step * i + (i % 3 == 0 ? 0.25 : 0.0); // fractional ms too
        if (toAxis(wall) != wallClockToAxis(wall) && ++mismatches < 5)
            qWarning("%s: %.3f -> %.3f, exact %.3f", zone.constData(), wall, toAxis(wall),
                     wallClockToAxis(wall));
    }
    QCOMPARE(mismatches, 0);
    // The first and last values of the range, and a sample outside it, also agree.
    QCOMPARE(toAxis(start - 400.0 * 24 * 3600 * 1000),
             wallClockToAxis(start - 400.0 * 24 * 3600 * 1000));
}

void tst_WallClock::cleanupTestCase()
{
    qunsetenv("TZ");
    tzset();
}

QTEST_GUILESS_MAIN(tst_WallClock)
#include "tst_wallclock.moc"
