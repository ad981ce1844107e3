#include "data/CsvLoader.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace twb;

namespace {

std::int64_t utcMs(int y, int mo, int d, int h = 0, int mi = 0, int s = 0)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi, s), Qt::UTC).toMSecsSinceEpoch();
}

} // namespace

class TestCsvLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void formats_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QChar>("delimiter");

        QTest::newRow("comma, LF")
            << QByteArray("t,a,b\n2020-01-01,1,2\n2020-01-02,3,4\n") << QChar();
        QTest::newRow("CRLF, no final newline")
            << QByteArray("t,a,b\r\n2020-01-01,1,2\r\n2020-01-02,3,4") << QChar();
        QTest::newRow("old Mac CR")
            << QByteArray("t,a,b\r2020-01-01,1,2\r2020-01-02,3,4\r") << QChar();
        QTest::newRow("UTF-8 BOM")
            << QByteArray("\xEF\xBB\xBFt,a,b\n2020-01-01,1,2\n2020-01-02,3,4\n") << QChar();
        QTest::newRow("semicolon")
            << QByteArray("t;a;b\n2020-01-01;1;2\n2020-01-02;3;4\n") << QChar();
        QTest::newRow("tab") << QByteArray("t\ta\tb\n2020-01-01\t1\t2\n2020-01-02\t3\t4\n")
                             << QChar();
        QTest::newRow("pipe") << QByteArray("t|a|b\n2020-01-01|1|2\n2020-01-02|3|4\n") << QChar();
        QTest::newRow("quoted names and values")
            << QByteArray("\"t\",\"a\",\"b\"\n\"2020-01-01\",\"1\",2\n2020-01-02,3,\"4\"\n")
            << QChar();
        QTest::newRow("explicit semicolon with commas in quotes")
            << QByteArray("t;\"a\";b\n2020-01-01;1;2\n2020-01-02;3;4\n") << QChar(';');
        QTest::newRow("blank lines and spaces")
            << QByteArray("t, a , b\n\n2020-01-01, 1 ,2\n\n2020-01-02,3 , 4\n\n") << QChar();
    }

    void formats()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QChar, delimiter);
        CsvOptions options;
        options.delimiter = delimiter;
        const auto data = loadCsv(write(QStringLiteral("formats.csv"), bytes), options);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->channelNames, QStringList({QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(data->timeColumn, QStringLiteral("t"));
        QCOMPARE(data->rows(), 2);
        QCOMPARE(data->values, std::vector<float>({1, 2, 3, 4}));
        QCOMPARE(data->timestamps,
                 std::vector<std::int64_t>({utcMs(2020, 1, 1), utcMs(2020, 1, 2)}));
        QCOMPARE(data->missing.total(), 0);
    }

    void europeanSpreadsheetExport()
    {
        // A BOM, ';' between the fields, decimal commas, thousands points, CRLF.
        const QByteArray bytes = "\xEF\xBB\xBF"
                                 "date;temp;load\r\n"
                                 "2024-01-01 00:00;1,5;12,25\r\n"
                                 "2024-01-01 01:00;-0,75;1.234,5\r\n"
                                 "2024-01-01 02:00;2;NA\r\n"
                                 "2024-01-01 03:00;\"3,125\";-1.000.000\r\n";
        const auto data = loadCsv(write(QStringLiteral("euro.csv"), bytes));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->channelNames, QStringList({QStringLiteral("temp"), QStringLiteral("load")}));
        QCOMPARE(data->rows(), 4);
        QCOMPARE(data->values[0], 1.5f);
        QCOMPARE(data->values[1], 12.25f);
        QCOMPARE(data->values[2], -0.75f);
        QCOMPARE(data->values[3], 1234.5f);
        QCOMPARE(data->values[4], 2.0f);
        QVERIFY(std::isnan(data->values[5]));
        QCOMPARE(data->values[6], 3.125f);
        QCOMPARE(data->values[7], -1000000.0f);
        QCOMPARE(data->timestamps[1], utcMs(2024, 1, 1, 1));

        // A point that is not between groups of three digits is no number there, and says why.
        const auto bad = loadCsv(
            write(QStringLiteral("euro-bad.csv"), "date;temp\n2024-01-01;1,5\n2024-01-02;2.5\n"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().line, qint64(3));
        QVERIFY2(bad.error().reason.contains(QStringLiteral("'2.5' is not a number (this file "
                                                            "writes numbers with a decimal comma")),
                 qPrintable(bad.error().reason));
        // Commas between the fields: points are decimal points as always.
        const auto plain = loadCsv(write(QStringLiteral("plain.csv"), "a,b\n1.234,2\n"));
        QVERIFY(plain);
        QCOMPARE(plain->values, std::vector<float>({1.234f, 2.0f}));
    }

    void quotedFields()
    {
        // Delimiters, escaped quotes and a line break inside quoted header names; the record
        // after the multi-line header starts on line 3.
        const QByteArray bytes = "\"x, with comma\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
                                 "1,2,3\n"
                                 "\"4\" ,\"5\",6\n";
        const auto data = loadCsv(write(QStringLiteral("quoted.csv"), bytes));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->channelNames,
                 QStringList({QStringLiteral("x, with comma"), QStringLiteral("say \"hi\""),
                              QStringLiteral("two\nlines")}));
        QVERIFY(data->timeColumn.isEmpty());
        QVERIFY(!data->hasTimestamps());
        QCOMPARE(data->values, std::vector<float>({1, 2, 3, 4, 5, 6}));
    }

    void dateForms_data()
    {
        QTest::addColumn<QByteArray>("cell");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("ISO with space")
            << QByteArray("2016-07-01 00:00:00") << qint64(utcMs(2016, 7, 1));
        QTest::newRow("ISO T minutes")
            << QByteArray("2016-07-01T13:45") << qint64(utcMs(2016, 7, 1, 13, 45));
        QTest::newRow("date only") << QByteArray("2016-07-01") << qint64(utcMs(2016, 7, 1));
        QTest::newRow("slashes") << QByteArray("2016/07/01 06:30:15")
                                 << qint64(utcMs(2016, 7, 1, 6, 30, 15));
        QTest::newRow("slashes short")
            << QByteArray("2016/7/1 6:30") << qint64(utcMs(2016, 7, 1, 6, 30));
        QTest::newRow("UTC Z") << QByteArray("2016-07-01T12:00:00Z")
                               << qint64(utcMs(2016, 7, 1, 12));
        QTest::newRow("offset") << QByteArray("2016-07-01T12:00:00+02:00")
                                << qint64(utcMs(2016, 7, 1, 10));
        QTest::newRow("milliseconds")
            << QByteArray("2016-07-01 00:00:01.250") << qint64(utcMs(2016, 7, 1, 0, 0, 1) + 250);
        QTest::newRow("before 1970") << QByteArray("1958-03-29") << qint64(utcMs(1958, 3, 29));
        QTest::newRow("leap day") << QByteArray("2016-02-29") << qint64(utcMs(2016, 2, 29));
    }

    void dateForms()
    {
        QFETCH(QByteArray, cell);
        QFETCH(qint64, expected);
        const QByteArray bytes = "value,when\n1.5," + cell + "\n";
        const auto data = loadCsv(write(QStringLiteral("dates.csv"), bytes));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->timeColumn, QStringLiteral("when"));
        QCOMPARE(data->channelNames, QStringList{QStringLiteral("value")});
        QCOMPARE(data->timestamps.at(0), expected);
    }

    void numbersAreNotDates()
    {
        const auto data = loadCsv(write(QStringLiteral("numbers.csv"), "20160701,x\n20160702,1\n"));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QVERIFY(data->timeColumn.isEmpty());
        QCOMPARE(data->channels(), 2);
        QCOMPARE(data->at(0, 0), 20160702.0f);
    }

    void compactDatesInDateNamedColumn()
    {
        // statsmodels' co2.csv writes its dates as YYYYMMDD under a column named "date".
        const auto data =
            loadCsv(write(QStringLiteral("compact.csv"), "date,co2\n19580329,316.1\n19580405,\n"));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->timeColumn, QStringLiteral("date"));
        QCOMPARE(data->channelNames, QStringList{QStringLiteral("co2")});
        QCOMPARE(data->timestamps,
                 std::vector<std::int64_t>({utcMs(1958, 3, 29), utcMs(1958, 4, 5)}));
        QCOMPARE(data->missing.total(), 1);
    }

    void namedTimeColumn()
    {
        CsvOptions options;
        options.timeColumn = QStringLiteral("stamp");
        const auto data = loadCsv(
            write(QStringLiteral("named.csv"), "a,stamp\n1,2020-01-01 01:00\n2,2020-01-01 02:00\n"),
            options);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->timeColumn, QStringLiteral("stamp"));
        QCOMPARE(data->timestamps.back(), utcMs(2020, 1, 1, 2));

        options.timeColumn = QStringLiteral("nope");
        const auto missing = loadCsv(write(QStringLiteral("named.csv"), "a,b\n1,2\n"), options);
        QVERIFY(!missing);
        QVERIFY(missing.error().reason.contains(QStringLiteral("'nope'")));
        QCOMPARE(missing.error().line, 1);
    }

    void missingCells()
    {
        const QByteArray bytes = "date,a,b,c\n"             // line 1
                                 "2020-01-01,1,,NA\n"       // line 2
                                 "\n"                       // line 3 (blank)
                                 "2020-01-02,NaN,2,null\n"  // line 4
                                 "2020-01-03,?,3,nan\n"     // line 5
                                 "2020-01-04,4,\"\",N/A\n"; // line 6
        const auto data = loadCsv(write(QStringLiteral("missing.csv"), bytes));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->rows(), 4);
        QCOMPARE(data->missing.perChannel, std::vector<std::int64_t>({2, 2, 4}));
        QCOMPARE(data->missing.total(), 8);
        QVERIFY(std::isnan(data->at(0, 1)));
        QCOMPARE(data->at(3, 0), 4.0f);
        const auto &cells = data->missing.firstCells;
        QCOMPARE(cells.size(), std::size_t(8));
        QCOMPARE(cells[0].row, 0);
        QCOMPARE(cells[0].line, 2);
        QCOMPARE(cells[0].channel, 1);
        QCOMPARE(cells[2].row, 1);
        QCOMPARE(cells[2].line, 4);
        QCOMPARE(cells[2].channel, 0);
        QCOMPARE(cells[7].line, 6);
        QCOMPARE(cells[7].channel, 2);
    }

    void missingReportKeepsFirstTwenty()
    {
        QByteArray bytes = "a,b\n";
        for (int i = 0; i < 30; ++i)
            bytes += "1,\n";
        const auto data = loadCsv(write(QStringLiteral("many.csv"), bytes));
        QVERIFY(data);
        QCOMPARE(data->missing.perChannel, std::vector<std::int64_t>({0, 30}));
        QCOMPARE(data->missing.firstCells.size(), std::size_t(20));
        QCOMPARE(data->missing.firstCells.back().line, 21);
    }

    void multiLineRecordKeepsLineNumbers()
    {
        // The header spans lines 1-2 (a line break inside quotes): rows are lines 3 and 4.
        const auto data =
            loadCsv(write(QStringLiteral("lines.csv"), "\"v\nv\",w\r\n1,1\r\n2,\r\n"));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->channelNames.at(0), QStringLiteral("v\nv"));
        QCOMPARE(data->missing.firstCells.at(0).line, 4);

        const auto bad = loadCsv(write(QStringLiteral("lines2.csv"), "\"v\nv\",w\n1,1\n2,abc\n"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().line, 4);
    }

    void unicodeNames()
    {
        const auto data =
            loadCsv(write(QStringLiteral("unicode.csv"), "Temperatur °C,Druck hPa,μ\n1,2,3\n"));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->channelNames.at(0), QStringLiteral("Temperatur °C"));
        QCOMPARE(data->channelNames.at(2), QStringLiteral("μ"));
    }

    void ett()
    {
        const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
        if (!QFileInfo::exists(path))
            QSKIP(qPrintable(QStringLiteral("real data not found: %1").arg(path)));
        // Its speed is measured by bench/bench_csv.cpp (twb-bench-csv), not here.
        const Expected<SeriesDataset> data = loadCsv(path);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));

        QCOMPARE(data->rows(), 17420);
        QCOMPARE(data->channelNames, QStringList({QStringLiteral("HUFL"), QStringLiteral("HULL"),
                                                  QStringLiteral("MUFL"), QStringLiteral("MULL"),
                                                  QStringLiteral("LUFL"), QStringLiteral("LULL"),
                                                  QStringLiteral("OT")}));
        QCOMPARE(data->timeColumn, QStringLiteral("date"));
        QCOMPARE(data->timestamps.size(), std::size_t(17420));
        QCOMPARE(data->timestamps.front(), utcMs(2016, 7, 1));
        QCOMPARE(data->timestamps.back(), utcMs(2018, 6, 26, 19));
        QCOMPARE(data->missing.total(), 0);
        QCOMPARE(data->at(0, 0), 5.827000141143799f);
        QCOMPARE(data->at(0, 6), 30.5310001373291f);
        QCOMPARE(data->at(1, 2), 1.4919999837875366f);
        QCOMPARE(data->at(17419, 0), 10.11400032043457f);
        QCOMPARE(data->at(17419, 6), 9.56700038909912f);
        QCOMPARE(data->at(17418, 3), 2.0969998836517334f);
    }
};

QTEST_GUILESS_MAIN(TestCsvLoader)
#include "tst_csvloader.moc"
