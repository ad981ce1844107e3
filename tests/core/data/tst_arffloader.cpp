#include "data/ArffLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace twb;

class TestArffLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(bytes);
        return path;
    }

    static QByteArray univariateHeader()
    {
        return "% GunPoint-like\n@relation Tiny\n\n@attribute att1 numeric\n"
               "@ATTRIBUTE att2 REAL\n@attribute 'att 3' numeric\n"
               "@attribute target {1,2,'three'}\n\n@data\n";
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void univariate()
    {
        const QString path =
            write(QStringLiteral("uni.arff"),
                  univariateHeader() + "1,2,3,2\n-0.5,?,1e-3,1\r\n4,5,6,'three'\n");
        const auto data = loadArff(path);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->classNames,
                 QStringList({QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("three")}));
        QCOMPARE(data->channels(), 1);
        QCOMPARE(data->size(), 3);
        QCOMPARE(data->maxLength(), 3);
        QCOMPARE(data->minLength(), 3);
        QCOMPARE(data->missingValues, 1);
        QCOMPARE(data->cases[0].values, std::vector<float>({1, 2, 3}));
        QCOMPARE(data->cases[0].label, 1);
        QCOMPARE(data->cases[1].label, 0);
        QCOMPARE(data->cases[1].values[0], -0.5f);
        QVERIFY(std::isnan(data->cases[1].values[1]));
        QCOMPARE(data->cases[1].values[2], 1e-3f);
        QCOMPARE(data->cases[2].label, 2);
        QCOMPARE(data->cases[2].source, QStringLiteral("uni.arff:12"));
    }

    void multivariateRelational()
    {
        const QByteArray text =
            "@relation Motions\n"
            "@attribute relationalAtt relational\n"
            "  @attribute t1 numeric\n  @attribute t2 numeric\n  @attribute t3 numeric\n"
            "@end relationalAtt\n"
            "@attribute activity {Standing,Running}\n"
            "@data\n"
            "'1,2,3\\n4,5,6',Running\n"
            "\"7,8,9\\n?,11,12\",Standing\n";
        const auto data = loadArff(write(QStringLiteral("multi.arff"), text));
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->channels(), 2);
        QCOMPARE(data->size(), 2);
        QCOMPARE(data->maxLength(), 3);
        QCOMPARE(data->missingValues, 1);
        QCOMPARE(data->cases[0].label, 1);
        // [time, channels]
        QCOMPARE(data->cases[0].values, std::vector<float>({1, 4, 2, 5, 3, 6}));
        QCOMPARE(data->cases[1].label, 0);
        QVERIFY(std::isnan(data->cases[1].values[1]));
    }

    void givenClasses()
    {
        const QString path =
            write(QStringLiteral("classes.arff"), univariateHeader() + "1,2,3,2\n");
        const auto data =
            loadArff(path, ArffLoadOptions{{QStringLiteral("2"), QStringLiteral("1")}});
        QVERIFY(data);
        QCOMPARE(data->cases[0].label, 0);
    }

    void brokenFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("too few values") << univariateHeader() + "1,2,2\n"
                                        << 10 << QStringLiteral("2 values, the header declares 3");
        QTest::newRow("undeclared label") << univariateHeader() + "1,2,3,4\n"
                                          << 10 << QStringLiteral("'4' is not one of");
        QTest::newRow("not a number") << univariateHeader() + "1,abc,3,1\n"
                                      << 10 << QStringLiteral("'abc'");
        QTest::newRow("string attribute")
            << QByteArray("@relation r\n@attribute s string\n") << 2 << QStringLiteral("string");
        QTest::newRow("class not last")
            << QByteArray("@relation r\n@attribute c {a}\n@attribute x numeric\n@data\n") << 4
            << QStringLiteral("nominal class");
        QTest::newRow("sparse") << univariateHeader() + "{0 1, 3 2}\n"
                                << 10 << QStringLiteral("sparse");
        QTest::newRow("no data") << univariateHeader().replace("@data\n", "") << 0
                                 << QStringLiteral("no @data");
        QTest::newRow("unknown keyword")
            << QByteArray("@relation r\nhello\n") << 2 << QStringLiteral("found 'hello'");
    }

    void brokenFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, line);
        QFETCH(QString, fragment);
        const QString path = write(QStringLiteral("broken.arff"), content);
        const auto loaded = loadArff(path);
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().file, path);
        QCOMPARE(loaded.error().line, line);
        QVERIFY2(loaded.error().reason.contains(fragment), qPrintable(loaded.error().toString()));
    }

    void emptyFile()
    {
        const auto loaded = loadArff(write(QStringLiteral("empty.arff"), {}));
        QVERIFY(!loaded);
        QVERIFY(loaded.error().reason.contains(QStringLiteral("empty")));
    }
};

QTEST_GUILESS_MAIN(TestArffLoader)
#include "tst_arffloader.moc"
