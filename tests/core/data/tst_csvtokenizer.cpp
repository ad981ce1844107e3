#include "data/CsvTokenizer.h"
#include "data/CsvValues.h"

#include <QTest>

#include <cmath>

using namespace twb;

namespace {

// All records of `text` as lists of fields, plus their start lines.
struct Tokens
{
    QList<QStringList> records;
    QList<qint64> lines;
    QString error;
};

Tokens tokenize(const QByteArray &text, char delimiter = ',')
{
    Tokens out;
    CsvTokenizer tokenizer(std::string_view(text.constData(), std::size_t(text.size())), delimiter);
    CsvRecord record;
    for (;;) {
        const auto more = tokenizer.next(record);
        if (!more) {
            out.error = more.error().reason;
            return out;
        }
        if (!*more)
            return out;
        QStringList fields;
        for (std::size_t i = 0; i < record.size(); ++i)
            fields.append(
                QString::fromUtf8(record.field(i).data(), qsizetype(record.field(i).size())));
        out.records.append(fields);
        out.lines.append(record.line);
    }
}

} // namespace

class TestCsvTokenizer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void records()
    {
        const Tokens t = tokenize("a,b,c\r\n,,\n\"x\"\"y\",\"p,q\",\"1\r\n2\"\r\n\nlast,\n");
        QVERIFY2(t.error.isEmpty(), qPrintable(t.error));
        QCOMPARE(t.records.size(), 4);
        QCOMPARE(t.records[0], QStringList({"a", "b", "c"}));
        QCOMPARE(t.records[1], QStringList({"", "", ""}));
        QCOMPARE(t.records[2], QStringList({"x\"y", "p,q", "1\r\n2"}));
        QCOMPARE(t.records[3], QStringList({"last", ""}));
        QCOMPARE(t.lines, QList<qint64>({1, 2, 3, 6}));
    }

    void lineEndsAndEdges()
    {
        QCOMPARE(tokenize("a\rb\r\rc").lines, QList<qint64>({1, 2, 4}));
        QCOMPARE(tokenize("").records.size(), 0);
        QCOMPARE(tokenize("\n\n").records.size(), 0);
        QCOMPARE(tokenize("x,").records.at(0), QStringList({"x", ""}));
        QCOMPARE(tokenize("\"\"").records.at(0), QStringList({""}));
        QCOMPARE(tokenize("\"a\"  ,b").records.at(0), QStringList({"a", "b"}));
        QCOMPARE(tokenize("a;\"b;c\"", ';').records.at(0), QStringList({"a", "b;c"}));
        QCOMPARE(tokenize("in\"side,b").records.at(0), QStringList({"in\"side", "b"}));
        // Escaped fields keep their own storage: earlier views stay valid.
        const Tokens many = tokenize("\"a\"\"1\",\"b\"\"2\"\n\"c\"\"3\",d\n");
        QCOMPARE(many.records.at(0), QStringList({"a\"1", "b\"2"}));
        QCOMPARE(many.records.at(1), QStringList({"c\"3", "d"}));
    }

    void errors()
    {
        QVERIFY(tokenize("a,\"b\nc\n").error.contains("starts on line 1 is never closed"));
        QVERIFY(tokenize("a\n\"b\"c\n").error.contains("unexpected character 'c' on line 2"));
    }

    void delimiter_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<char>("expected");
        QTest::newRow("comma") << QByteArray("a,b,c\n1,2,3\n") << ',';
        QTest::newRow("semicolon with decimal commas")
            << QByteArray("a;b\n1,5;2,25\n3,0;4,75\n") << ';';
        QTest::newRow("tab") << QByteArray("a\tb\n1\t2\n") << '\t';
        QTest::newRow("pipe") << QByteArray("a|b|c\n1|2|3") << '|';
        QTest::newRow("commas inside quotes") << QByteArray("\"a,x\";b\n\"1,5\";2\n") << ';';
        QTest::newRow("single column") << QByteArray("value\n1\n2\n") << ',';
        QTest::newRow("ragged falls back to header") << QByteArray("a;b;c\n1;2\n") << ';';
        QTest::newRow("CR line ends") << QByteArray("a\tb\r1\t2\r") << '\t';
    }

    void delimiter()
    {
        QFETCH(QByteArray, text);
        QFETCH(char, expected);
        QCOMPARE(detectCsvDelimiter(std::string_view(text.constData(), std::size_t(text.size()))),
                 expected);
    }

    void numbers_data()
    {
        QTest::addColumn<QByteArray>("cell");
        QTest::addColumn<int>("kind");
        QTest::addColumn<float>("value");
        const int ok = int(NumberParse::Ok);
        const int missing = int(NumberParse::Missing);
        const int text = int(NumberParse::NotANumber);
        const int infinite = int(NumberParse::NotFinite);
        QTest::newRow("integer") << QByteArray("42") << ok << 42.0f;
        QTest::newRow("negative decimal") << QByteArray("-3.5") << ok << -3.5f;
        QTest::newRow("plus and exponent") << QByteArray("+1e-3") << ok << 1e-3f;
        QTest::newRow("spaces") << QByteArray("  7 \t") << ok << 7.0f;
        QTest::newRow("leading dot") << QByteArray(".5") << ok << 0.5f;
        QTest::newRow("tiny rounds to 0") << QByteArray("1e-60") << ok << 0.0f;
        QTest::newRow("empty") << QByteArray("") << missing << 0.0f;
        QTest::newRow("blank") << QByteArray("   ") << missing << 0.0f;
        QTest::newRow("NA") << QByteArray("NA") << missing << 0.0f;
        QTest::newRow("NaN") << QByteArray("NaN") << missing << 0.0f;
        QTest::newRow("nan") << QByteArray("nan") << missing << 0.0f;
        QTest::newRow("null") << QByteArray("null") << missing << 0.0f;
        QTest::newRow("question mark") << QByteArray("?") << missing << 0.0f;
        QTest::newRow("N/A") << QByteArray(" N/A ") << missing << 0.0f;
        QTest::newRow("word") << QByteArray("abc") << text << 0.0f;
        QTest::newRow("trailing garbage") << QByteArray("1.5x") << text << 0.0f;
        QTest::newRow("decimal comma") << QByteArray("1,5") << text << 0.0f;
        QTest::newRow("hex") << QByteArray("0x10") << text << 0.0f;
        QTest::newRow("two signs") << QByteArray("+-1") << text << 0.0f;
        QTest::newRow("inf") << QByteArray("inf") << infinite << 0.0f;
        QTest::newRow("too large") << QByteArray("3.5e38") << infinite << 0.0f;
    }

    void numbers()
    {
        QFETCH(QByteArray, cell);
        QFETCH(int, kind);
        QFETCH(float, value);
        float parsed = -1.0f;
        QCOMPARE(int(parseFloatCell(std::string_view(cell.constData(), std::size_t(cell.size())),
                                    parsed)),
                 kind);
        if (kind == int(NumberParse::Ok))
            QCOMPARE(parsed, value);
    }

    void decimalCommaNumbers_data()
    {
        QTest::addColumn<QByteArray>("cell");
        QTest::addColumn<int>("kind");
        QTest::addColumn<float>("value");
        const int ok = int(NumberParse::Ok), text = int(NumberParse::NotANumber);
        QTest::newRow("comma") << QByteArray("1,5") << ok << 1.5f;
        QTest::newRow("negative, spaces") << QByteArray(" -0,25 ") << ok << -0.25f;
        QTest::newRow("thousands") << QByteArray("1.234,5") << ok << 1234.5f;
        QTest::newRow("two groups") << QByteArray("+12.345.678") << ok << 12345678.0f;
        QTest::newRow("exponent") << QByteArray("2,5e3") << ok << 2500.0f;
        QTest::newRow("integer") << QByteArray("42") << ok << 42.0f;
        QTest::newRow("no integer part") << QByteArray(",5") << ok << 0.5f;
        QTest::newRow("missing") << QByteArray("NA") << int(NumberParse::Missing) << 0.0f;
        QTest::newRow("point as decimal") << QByteArray("2.5") << text << 0.0f;
        QTest::newRow("short group") << QByteArray("1.23,5") << text << 0.0f;
        QTest::newRow("long first group") << QByteArray("1234.567") << text << 0.0f;
        QTest::newRow("two commas") << QByteArray("1,2,3") << text << 0.0f;
        QTest::newRow("point after comma") << QByteArray("1,5.0") << text << 0.0f;
    }

    void decimalCommaNumbers()
    {
        QFETCH(QByteArray, cell);
        QFETCH(int, kind);
        QFETCH(float, value);
        float parsed = -1.0f;
        QCOMPARE(int(parseFloatCell(std::string_view(cell.constData(), std::size_t(cell.size())),
                                    parsed, DecimalMark::Comma)),
                 kind);
        if (kind == int(NumberParse::Ok))
            QCOMPARE(parsed, value);
    }

    void decimalMarkDetection()
    {
        QCOMPARE(detectDecimalMark("a;b\n1,5;2\n", ';'), DecimalMark::Comma);
        QCOMPARE(detectDecimalMark("a\tb\n1\t2,75\n", '\t'), DecimalMark::Comma);
        QCOMPARE(detectDecimalMark("a;b\n1.5;2\n", ';'), DecimalMark::Point);
        QCOMPARE(detectDecimalMark("a,b\n1,5\n", ','), DecimalMark::Point);
        // A comma inside quotes is text ("Smith, 2"), not a decimal mark.
        QCOMPARE(detectDecimalMark("a;b\n\"x 1,2\";3\n", ';'), DecimalMark::Point);
    }

    void badDates_data()
    {
        QTest::addColumn<QByteArray>("cell");
        QTest::newRow("no leap day") << QByteArray("2017-02-29");
        QTest::newRow("month 13") << QByteArray("2016-13-01");
        QTest::newRow("hour 24") << QByteArray("2016-07-01 24:00");
        QTest::newRow("minute 60") << QByteArray("2016-07-01 10:60");
        QTest::newRow("mixed separators") << QByteArray("2016-07/01");
        QTest::newRow("compact") << QByteArray("20160701");
        QTest::newRow("day first") << QByteArray("01/07/2016");
        QTest::newRow("trailing text") << QByteArray("2016-07-01 00:00 x");
        QTest::newRow("hour only") << QByteArray("2016-07-01 10");
        QTest::newRow("number") << QByteArray("1.5");
    }

    void badDates()
    {
        QFETCH(QByteArray, cell);
        QVERIFY(!parseDateTimeCell(std::string_view(cell.constData(), std::size_t(cell.size()))));
    }
};

QTEST_GUILESS_MAIN(TestCsvTokenizer)
#include "tst_csvtokenizer.moc"
