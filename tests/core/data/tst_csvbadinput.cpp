#include "data/CsvLoader.h"
#include "data/LoadLimits.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace twb;

// Every kind of bad CSV gives an Error naming the file, the line (where there is one) and
// the reason; nothing crashes and nothing takes long.
class TestCsvBadInput : public QObject
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

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<qint64>("line");
        QTest::addColumn<QString>("reason");

        const QByteArray megabyte(1 << 20, '7');
        QByteArray manyFields = "a,b\n";
        for (int i = 0; i < (1 << 20) / 2; ++i)
            manyFields += "1,";
        manyFields += "1\n";

        QTest::newRow("ragged row, too few")
            << QByteArray("a,b,c\n1,2,3\n4,5\n") << qint64(3)
            << QStringLiteral("line 3 has 2 fields, the header has 3");
        QTest::newRow("ragged row, too many")
            << QByteArray("date,HUFL,HULL,MUFL,MULL,LUFL,LULL,OT\n"
                          "2016-07-01 00:00:00,1,2,3,4,5,6,7\n"
                          "2016-07-01 01:00:00,1,2,3,4,5,6,7,8\n")
            << qint64(3) << QStringLiteral("line 3 has 9 fields, the header has 8");
        QTest::newRow("text in a numeric column")
            << QByteArray("date,OT\n2016-07-01,1\n2016-07-02,abc\n") << qint64(3)
            << QStringLiteral("line 3, column 'OT': 'abc' is not a number");
        QTest::newRow("empty file")
            << QByteArray() << qint64(0) << QStringLiteral("the file is empty");
        QTest::newRow("only a BOM and blank lines")
            << QByteArray("\xEF\xBB\xBF\r\n\r\n") << qint64(0)
            << QStringLiteral("the file is empty");
        QTest::newRow("header only")
            << QByteArray("a,b,c\r\n") << qint64(1) << QStringLiteral("header but no data rows");
        QTest::newRow("1 MB single line, no newline")
            << QByteArray(megabyte) << qint64(1) << QStringLiteral("header but no data rows");
        QTest::newRow("1 MB cell in a numeric column")
            << QByteArray("a\n" + megabyte + "x\n") << qint64(2)
            << QStringLiteral("is not a number");
        QTest::newRow("1 MB line of 500k fields")
            << manyFields << qint64(2)
            << QStringLiteral("line 2 has 524289 fields, the header has 2");
        QByteArray wideHeader;
        for (int i = 0; i < 150000; ++i)
            wideHeader += "c" + QByteArray::number(i) + ",";
        wideHeader += "last\n1,2\n";
        QTest::newRow("1 MB header of 150k columns")
            << wideHeader << qint64(2)
            << QStringLiteral("line 2 has 2 fields, the header has 150001");
        QTest::newRow("1 MB header with a late duplicate")
            << QByteArray(wideHeader).replace("last\n", "c7\n") << qint64(1)
            << QStringLiteral("the column name 'c7' appears twice in the header (columns 8 and "
                              "150001)");
        QTest::newRow("100k empty header names")
            << QByteArray(QByteArray(100000, ',') + "\n1\n") << qint64(2)
            << QStringLiteral("line 2 has 1 fields, the header has 100001");
        QTest::newRow("empty name clashing with a generated one")
            << QByteArray("column 2,\n1,2\n") << qint64(1)
            << QStringLiteral("the column name 'column 2' appears twice in the header (columns 1 "
                              "and 2)");
        QTest::newRow("three equal names")
            << QByteArray("x,a,b,a,b,a\n1,2,3,4,5,6\n") << qint64(1)
            << QStringLiteral("the column name 'a' appears twice in the header (columns 2 and 4)");
        QTest::newRow("Latin-1 after a literal U+FFFD")
            << QByteArray("a,b\n\xEF\xBF\xBD\xC3\xA9,\xE9\n") << qint64(2)
            << QStringLiteral("byte 0xe9 at character 4");
        QTest::newRow("Latin-1 in the header") << QByteArray("Temp\xE9rature,b\n1,2\n") << qint64(1)
                                               << QStringLiteral("byte 0xe9 at character 5");
        QTest::newRow("Latin-1 in a data row") << QByteArray("a,b\n1,2\r\n3,\xB0\r\n") << qint64(3)
                                               << QStringLiteral("line 3 is not valid UTF-8");
        QTest::newRow("truncated UTF-8 at the end")
            << QByteArray("a,b\n1,\xC3") << qint64(2) << QStringLiteral("not valid UTF-8");
        QTest::newRow("unterminated quote")
            << QByteArray("a,b\n1,2\n3,\"4\n5,6\n") << qint64(3)
            << QStringLiteral("the quoted field that starts on line 3 is never closed");
        QTest::newRow("text after a closing quote")
            << QByteArray("a,b\n\"1\"x,2\n") << qint64(2)
            << QStringLiteral(
                   "unexpected character 'x' on line 2 after the closing quote of field 1");
        QTest::newRow("duplicate column names")
            << QByteArray("a,b,a\n1,2,3\n") << qint64(1)
            << QStringLiteral("the column name 'a' appears twice in the header (columns 1 and 3)");
        QTest::newRow("bad date after good ones")
            << QByteArray("date,a\n2020-01-01,1\n2020-01-02,2\n2020-13-01,3\n") << qint64(4)
            << QStringLiteral("line 4, column 'date': '2020-13-01' is not a date/time");
        QTest::newRow("empty time cell") << QByteArray("date,a\n2020-01-01,1\n,2\n") << qint64(3)
                                         << QStringLiteral("line 3, column 'date' is empty");
        QTest::newRow("infinity") << QByteArray("a\n1\n-inf\n") << qint64(3)
                                  << QStringLiteral("'-inf' is not a finite float32 number");
        QTest::newRow("beyond float32") << QByteArray("a\n1e39\n") << qint64(2)
                                        << QStringLiteral("'1e39' is not a finite float32 number");
        QTest::newRow("only a time column")
            << QByteArray("date\n2020-01-01\n") << qint64(1)
            << QStringLiteral("no numeric column, only the time column 'date'");
    }

    void badInput()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(qint64, line);
        QFETCH(QString, reason);
        const QString path = write(QStringLiteral("bad.csv"), bytes);
        QElapsedTimer timer;
        timer.start();
        const auto data = loadCsv(path);
        QVERIFY2(timer.elapsed() < 2000, "bad input must not be slow");
        QVERIFY(!data);
        const Error &error = data.error();
        const QString text = error.toString();
        QCOMPARE(error.file, path);
        QCOMPARE(error.line, line);
        QVERIFY2(error.reason.contains(reason), qPrintable(text));
        QVERIFY2(text.startsWith(line > 0 ? path + QLatin1Char(':') + QString::number(line) + ": "
                                          : path + QStringLiteral(": ")),
                 qPrintable(text));
        QVERIFY2(error.reason.size() < 300, "the reason must stay readable");
        qInfo("%s", qPrintable(text));
    }

    void missingFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("does-not-exist.csv"));
        const auto data = loadCsv(path);
        QVERIFY(!data);
        QCOMPARE(data.error().file, path);
        QCOMPARE(data.error().line, 0);
        QCOMPARE(data.error().toString(), path + QStringLiteral(": the file does not exist"));
    }

    void folderInsteadOfFile()
    {
        const auto data = loadCsv(m_dir.path());
        QVERIFY(!data);
        QVERIFY(data.error().reason.contains(QStringLiteral("folder")));
    }

    void badDelimiterOption()
    {
        CsvOptions options;
        options.delimiter = QChar(0x00E9);
        const auto data = loadCsv(write(QStringLiteral("ok.csv"), "a,b\n1,2\n"), options);
        QVERIFY(!data);
        QVERIFY(data.error().reason.contains(QStringLiteral("delimiter")));
    }

    void entirelyMissingColumnIsKept()
    {
        const auto data = loadCsv(write(QStringLiteral("nancolumn.csv"),
                                        "date,a,empty\n2020-01-01,1,\n2020-01-02,2,NaN\n"));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->channels(), 2);
        QCOMPARE(data->missing.perChannel, std::vector<std::int64_t>({0, 2}));
        QVERIFY(std::isnan(data->at(0, 1)) && std::isnan(data->at(1, 1)));
        QCOMPARE(data->missing.firstCells.at(1).line, 3);
    }

    // Hostile sizes (issue 16): a line longer than the limit is refused while reading, before
    // the rest of the file is read; the limit is configurable, here 1000 bytes.
    void lineLongerThanTheLimit()
    {
        const LoadLimits saved = loadLimits();
        LoadLimits limits = saved;
        limits.maxLineBytes = 1000;
        setLoadLimits(limits);
        const QString path = write(QStringLiteral("longline.csv"),
                                   "a,b\r\n1,2\r\n" + QByteArray(5000, '7') + ",3\n");
        const auto data = loadCsv(path);
        const QString shorter =
            write(QStringLiteral("justfits.csv"), "a,b\n1,0." + QByteArray(996, '0') + "\n");
        const auto fits = loadCsv(shorter);
        setLoadLimits(saved);
        QVERIFY(!data);
        QCOMPARE(data.error().file, path);
        QCOMPARE(data.error().line, 3);
        QCOMPARE(data.error().reason,
                 QStringLiteral("line 3 is longer than 1000 bytes, the limit for one line; is "
                                "this really a CSV file?"));
        QVERIFY2(fits, qPrintable(fits ? QString() : fits.error().toString()));
    }

    void fileLargerThanTheLimit()
    {
        const LoadLimits saved = loadLimits();
        LoadLimits limits = saved;
        limits.maxArrayBytes = 4096;
        setLoadLimits(limits);
        QByteArray bytes = "a,b\n";
        while (bytes.size() <= 4096)
            bytes += "1,2\n";
        const QString path = write(QStringLiteral("large.csv"), bytes);
        const auto data = loadCsv(path);
        setLoadLimits(saved);
        QVERIFY(!data);
        QCOMPARE(data.error().file, path);
        QVERIFY2(data.error().reason.startsWith(QStringLiteral("the file has 4100 bytes, more "
                                                               "than the 4096 bytes a loader "
                                                               "reads whole")),
                 qPrintable(data.error().toString()));
    }

    // A real 2 GB file that is a single line, made sparse (no disk space, no 2 GB write): refused
    // with the default limits after reading at most 64 MB of it.
    void twoGigabyteSingleLine()
    {
        const QString path = m_dir.filePath(QStringLiteral("oneline.csv"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write("a,b\n1,") == 6);
        if (!file.resize(qint64(2) << 30))
            QSKIP("the temporary folder cannot hold a sparse 2 GB file");
        file.close();
        QElapsedTimer timer;
        timer.start();
        const auto data = loadCsv(path);
        QFile::remove(path);
        QVERIFY(!data);
        QCOMPARE(data.error().line, 2);
        QCOMPARE(data.error().reason,
                 QStringLiteral("line 2 is longer than 64.0 MB, the limit for one line; is this "
                                "really a CSV file?"));
        QVERIFY2(timer.elapsed() < 20000, "refused after reading 64 MB, not 2 GB");
    }
};

QTEST_GUILESS_MAIN(TestCsvBadInput)
#include "tst_csvbadinput.moc"
