// Time columns that go backwards, repeat a time or mix time zones are refused by name and line
// (issue 16): accepted, they would put windows and forecasts past the end at wrong dates.

#include "data/CsvLoader.h"
#include "data/Hdf5Series.h"
#include "data/TimeAxis.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

class tst_TimeAxis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void offsetDetection_data();
    void offsetDetection();
    void csvTimes_data();
    void csvTimes();
    void hdf5TimesMustIncrease();

private:
    QTemporaryDir m_tmp;
};

void tst_TimeAxis::offsetDetection_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<bool>("zoned");
    QTest::newRow("date") << "2016-07-01" << false;
    QTest::newRow("naive") << "2016-07-01 00:00:00" << false;
    QTest::newRow("naive T") << "2016-07-01T00:00" << false;
    QTest::newRow("Z") << "2016-07-01T00:00:00Z" << true;
    QTest::newRow("plus") << "2016-07-01 00:00+02:00" << true;
    QTest::newRow("minus compact") << " 2016-07-01 00:00:00-0500 " << true;
    QTest::newRow("slashes") << "2016/07/01 00:00" << false;
}

void tst_TimeAxis::offsetDetection()
{
    QFETCH(QString, cell);
    QFETCH(bool, zoned);
    const QByteArray utf8 = cell.toUtf8();
    QCOMPARE(dateTimeCellHasOffset(std::string_view(utf8.constData(), std::size_t(utf8.size()))),
             zoned);
}

void tst_TimeAxis::csvTimes_data()
{
    QTest::addColumn<QByteArray>("rows");
    QTest::addColumn<int>("line");     ///< 0: loads
    QTest::addColumn<QString>("says"); ///< part of the reason

    QTest::newRow("increasing") << QByteArray("2016-07-01 00:00,1\n2016-07-01 01:00,2\n"
                                              "2016-07-01 02:00,3\n")
                                << 0 << QString();
    // Summer time ends: the wall clock repeats 02:00-03:00, the offsets tell the hours apart.
    QTest::newRow("daylight saving with offsets")
        << QByteArray("2021-10-31 01:00+02:00,1\n2021-10-31 02:00+02:00,2\n"
                      "2021-10-31 02:00+01:00,3\n2021-10-31 03:00+01:00,4\n")
        << 0 << QString();
    QTest::newRow("backwards") << QByteArray("2016-07-01 00:00,1\n2016-07-01 02:00,2\n"
                                             "2016-07-01 01:00,3\n")
                               << 4
                               << "goes backwards: 2016-07-01 01:00:00 comes after "
                                  "2016-07-01 02:00:00";
    QTest::newRow("repeats") << QByteArray("2016-07-01 00:00,1\n2016-07-01 01:00,2\n"
                                           "2016-07-01 01:00,3\n")
                             << 4 << "2016-07-01 01:00:00 repeats";
    // The same wall clock without offsets: the repeated hour is a repeated time.
    QTest::newRow("daylight saving without offsets")
        << QByteArray("2021-10-31 01:00,1\n2021-10-31 02:00,2\n2021-10-31 02:00,3\n") << 4
        << "repeats";
    QTest::newRow("mixed zones") << QByteArray("2016-07-01 00:00,1\n2016-07-01T01:00Z,2\n") << 3
                                 << "mix time zones: \"2016-07-01T01:00Z\" has an offset";
    QTest::newRow("mixed zones the other way")
        << QByteArray("2016-07-01 00:00+01:00,1\n2016-07-01 01:00,2\n") << 3
        << "\"2016-07-01 01:00\" has no offset from UTC and the rows above have one";
}

void tst_TimeAxis::csvTimes()
{
    QFETCH(QByteArray, rows);
    QFETCH(int, line);
    QFETCH(QString, says);
    const QString path = m_tmp.filePath(QString::fromLatin1(QTest::currentDataTag()) + ".csv");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("date,value\n" + rows);
    f.close();
    Expected<SeriesDataset> data = loadCsv(path);
    if (line == 0) {
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(std::int64_t(data->timestamps.size()), data->rows());
        return;
    }
    QVERIFY(!data);
    QCOMPARE(data.error().file, path);
    QCOMPARE(data.error().line, qint64(line));
    QVERIFY2(data.error().reason.contains(says), qPrintable(data.error().reason));
    QVERIFY2(data.error().reason.contains("\"date\""), qPrintable(data.error().reason));
}

void tst_TimeAxis::hdf5TimesMustIncrease()
{
    SeriesDataset data;
    data.channelNames = {"a"};
    data.values = {1.0f, 2.0f, 3.0f};
    data.timestamps = {0, 3'600'000, 3'600'000};
    data.timeColumn = "date";
    const QString path = m_tmp.filePath("repeated.h5");
    QVERIFY(saveHdf5Series(data, path));
    Expected<SeriesDataset> loaded = loadHdf5Series(path);
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().file, path);
    QVERIFY2(loaded.error().reason.contains("'/timestamps' entry 2") &&
                 loaded.error().reason.contains("1970-01-01 01:00:00 repeats"),
             qPrintable(loaded.error().reason));
}

QTEST_GUILESS_MAIN(tst_TimeAxis)
#include "tst_timeaxis.moc"
