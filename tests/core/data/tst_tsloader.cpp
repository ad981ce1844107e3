#include "data/TsLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace twb;

namespace {

const QString ucr = QStringLiteral(TWB_SHARED_DATA_DIR "/ucr");

} // namespace

class TestTsLoader : public QObject
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

    static QByteArray header(const QByteArray &extra = {})
    {
        return "# a comment\n@problemName Tiny\n@timeStamps false\n@missing true\n"
               "@univariate false\n@dimensions 2\n@equalLength false\n" +
               extra + "@classLabel true a b c\n@data\n";
    }

    void expectError(const QString &path, int line, const QString &fragment)
    {
        const auto loaded = loadTs(path);
        QVERIFY2(!loaded, "the file should have been refused");
        QCOMPARE(loaded.error().file, path);
        QCOMPARE(loaded.error().line, line);
        QVERIFY2(loaded.error().reason.contains(fragment), qPrintable(loaded.error().toString()));
    }

    Expected<LabelledDataset> loadReal(const QString &name)
    {
        const QString path = ucr + QLatin1Char('/') + name;
        if (!QFile::exists(path))
            return Error{QStringLiteral("missing"), path};
        return loadTs(path);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void gunPoint()
    {
        if (!QFile::exists(ucr + QStringLiteral("/GunPoint/GunPoint_TRAIN.ts")))
            QSKIP(qPrintable(QStringLiteral("needs %1/GunPoint").arg(ucr)));
        const auto train = loadReal(QStringLiteral("GunPoint/GunPoint_TRAIN.ts"));
        QVERIFY2(train, qPrintable(train ? QString() : train.error().toString()));
        QCOMPARE(train->size(), 50);
        QCOMPARE(train->channels(), 1);
        QCOMPARE(train->channelNames, QStringList{QStringLiteral("dim_0")});
        QCOMPARE(train->classNames, QStringList({QStringLiteral("1"), QStringLiteral("2")}));
        QCOMPARE(train->classCounts(), std::vector<std::int64_t>({24, 26}));
        QCOMPARE(train->minLength(), 150);
        QCOMPARE(train->maxLength(), 150);
        QVERIFY(train->equalLength());
        QCOMPARE(train->missingValues, 0);
        QCOMPARE(train->sampleRate, 0.0);
        // First case: line 20, values -0.6478854 ... -0.63865722.
        const LabelledCase &first = train->cases.front();
        QCOMPARE(first.source, QStringLiteral("GunPoint_TRAIN.ts:20"));
        QCOMPARE(first.values.front(), -0.6478854f);
        QCOMPARE(first.values.back(), -0.63865722f);

        const auto test = loadReal(QStringLiteral("GunPoint/GunPoint_TEST.ts"));
        QVERIFY(test);
        QCOMPARE(test->size(), 150);
        QCOMPARE(test->classCounts(), std::vector<std::int64_t>({76, 74}));
        QCOMPARE(test->maxLength(), 150);
    }

    void basicMotions()
    {
        if (!QFile::exists(ucr + QStringLiteral("/BasicMotions/BasicMotions_TRAIN.ts")))
            QSKIP(qPrintable(QStringLiteral("needs %1/BasicMotions").arg(ucr)));
        const auto train = loadReal(QStringLiteral("BasicMotions/BasicMotions_TRAIN.ts"));
        QVERIFY2(train, qPrintable(train ? QString() : train.error().toString()));
        QCOMPARE(train->size(), 40);
        QCOMPARE(train->channels(), 6);
        QCOMPARE(train->classNames,
                 QStringList({QStringLiteral("Standing"), QStringLiteral("Running"),
                              QStringLiteral("Walking"), QStringLiteral("Badminton")}));
        QCOMPARE(train->classCounts(), std::vector<std::int64_t>({10, 10, 10, 10}));
        QCOMPARE(train->maxLength(), 100);
        QCOMPARE(train->minLength(), 100);
        // Row-major [time, channels]: channel 5 (the sixth) of the first case, first and last.
        const LabelledCase &first = train->cases.front();
        QCOMPARE(first.label, 0);
        QCOMPARE(first.values.size(), std::size_t(600));
        QCOMPARE(first.values[5], 0.633883f);
        QCOMPARE(first.values[99 * 6 + 5], -0.03196f);

        const auto test = loadTs(ucr + QStringLiteral("/BasicMotions/BasicMotions_TEST.ts"),
                                 TsLoadOptions{train->classNames});
        QVERIFY(test);
        QCOMPARE(test->size(), 40);
        QCOMPARE(test->classCounts(), std::vector<std::int64_t>({10, 10, 10, 10}));
    }

    void italyPowerDemand()
    {
        if (!QFile::exists(ucr + QStringLiteral("/ItalyPowerDemand/ItalyPowerDemand_TRAIN.ts")))
            QSKIP(qPrintable(QStringLiteral("needs %1/ItalyPowerDemand").arg(ucr)));
        const auto train = loadReal(QStringLiteral("ItalyPowerDemand/ItalyPowerDemand_TRAIN.ts"));
        const auto test = loadReal(QStringLiteral("ItalyPowerDemand/ItalyPowerDemand_TEST.ts"));
        QVERIFY(train && test);
        QCOMPARE(train->size(), 67);
        QCOMPARE(test->size(), 1029);
        QCOMPARE(train->maxLength(), 24);
        QCOMPARE(test->minLength(), 24);
        QCOMPARE(train->classCounts(), std::vector<std::int64_t>({34, 33}));
        QCOMPARE(test->classCounts(), std::vector<std::int64_t>({513, 516}));
    }

    void missingAndUnequalLengths()
    {
        const QString path =
            write(QStringLiteral("unequal.ts"),
                  header() + "1,2,3:4,5,6:b\n\n# comment in the data\n1,?,3,4:?,6,7,8:a\r\n"
                             "0.5:1e2:c\n");
        const auto data = loadTs(path);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        QCOMPARE(data->size(), 3);
        QCOMPARE(data->channels(), 2);
        QCOMPARE(data->missingValues, 2);
        QCOMPARE(data->minLength(), 1);
        QCOMPARE(data->maxLength(), 4);
        QVERIFY(!data->equalLength());
        QCOMPARE(data->cases[0].label, 1);
        QCOMPARE(data->cases[1].label, 0);
        QCOMPARE(data->cases[2].label, 2);
        QCOMPARE(data->cases[1].source, QStringLiteral("unequal.ts:13"));
        // [time, channels]: t0 = (1, NaN), t1 = (NaN, 6)
        const std::vector<float> &v = data->cases[1].values;
        QCOMPARE(v[0], 1.0f);
        QVERIFY(std::isnan(v[1]));
        QVERIFY(std::isnan(v[2]));
        QCOMPARE(v[3], 6.0f);
        QCOMPARE(data->cases[2].values, std::vector<float>({0.5f, 100.0f}));
    }

    void trainClassesForTest()
    {
        const QString path = write(QStringLiteral("test.ts"),
                                   "@univariate true\n@classLabel true x y\n@data\n1,2:y\n3,4:x\n");
        const auto data = loadTs(path, TsLoadOptions{{QStringLiteral("y"), QStringLiteral("x")}});
        QVERIFY(data);
        QCOMPARE(data->classNames, QStringList({QStringLiteral("y"), QStringLiteral("x")}));
        QCOMPARE(data->cases[0].label, 0);
        QCOMPARE(data->cases[1].label, 1);
        const auto refused = loadTs(path, TsLoadOptions{{QStringLiteral("x")}});
        QVERIFY(!refused);
        QCOMPARE(refused.error().line, 4);
    }

    void brokenFiles_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("fragment");
        QTest::newRow("wrong channel count")
            << header() + "1,2:3,4:a\n1,2:3,4:5,6:b\n"
            << 11 << QStringLiteral("3 channel(s), expected 2 (@dimensions 2)");
        QTest::newRow("one channel too few") << header() + "1,2:a\n"
                                             << 10 << QStringLiteral("1 channel(s), expected 2");
        QTest::newRow("undeclared label") << header() + "1:2:a\n1:2:zebra\n"
                                          << 11 << QStringLiteral("'zebra' is not one of");
        QTest::newRow("not a number") << header() + "1,x7:2,3:a\n"
                                      << 10 << QStringLiteral("'x7' (channel 1, position 2)");
        QTest::newRow("empty value") << header() + "1,,2:2,3,4:a\n"
                                     << 10 << QStringLiteral("empty value");
        QTest::newRow("channels of unequal length")
            << header() + "1,2:3:a\n"
            << 10 << QStringLiteral("channel 2 has 1 values but channel 1 has 2");
        QTest::newRow("series length")
            << header("@seriesLength 3\n").replace("@equalLength false", "@equalLength true") +
                   "1,2,3:1,2,3:a\n1,2:1,2:b\n"
            << 12 << QStringLiteral("@seriesLength 3");
        QTest::newRow("no @data") << QByteArray("@classLabel true a\n") << 0
                                  << QStringLiteral("no @data");
        QTest::newRow("no cases") << QByteArray("@classLabel true a\n@data\n\n") << 2
                                  << QStringLiteral("no cases");
        QTest::newRow("no labels") << QByteArray("@classLabel false\n@data\n1:2.5\n") << 1
                                   << QStringLiteral("--unlabelled");
        QTest::newRow("target label")
            << QByteArray("@targetLabel true\n@data\n1:2.5\n") << 1 << QStringLiteral("regression");
        QTest::newRow("time stamps") << QByteArray("@timeStamps true\n@classLabel true a\n") << 1
                                     << QStringLiteral("@timeStamps true");
        QTest::newRow("no class label")
            << QByteArray("@univariate true\n@data\n1:a\n") << 2 << QStringLiteral("@classLabel");
        QTest::newRow("data before @data")
            << QByteArray("@classLabel true a\n1,2:a\n") << 2 << QStringLiteral("before the data");
        QTest::newRow("bad dimensions")
            << QByteArray("@dimensions zero\n") << 1 << QStringLiteral("positive integer");
        QTest::newRow("duplicate label")
            << QByteArray("@classLabel true a a\n") << 1 << QStringLiteral("declared twice");
    }

    void brokenFiles()
    {
        QFETCH(QByteArray, content);
        QFETCH(int, line);
        QFETCH(QString, fragment);
        const QString path = write(QStringLiteral("broken.ts"), content);
        expectError(path, line, fragment);
    }

    void emptyAndMissingFiles()
    {
        const QString empty = write(QStringLiteral("empty.ts"), {});
        expectError(empty, 0, QStringLiteral("the file is empty"));
        const QString missing = m_dir.filePath(QStringLiteral("nope.ts"));
        expectError(missing, 0, QStringLiteral("the file does not exist"));
    }

    // Hostile sizes (issue 16): a header that claims 10^12 channels and time steps is refused at
    // the first case, which does not match it; nothing is allocated from the claim.
    void headerClaimingAbsurdSizes()
    {
        const QString path =
            write(QStringLiteral("absurd.ts"),
                  "@problemName Huge\n@timeStamps false\n@univariate false\n"
                  "@dimensions 1000000000000\n@equalLength true\n"
                  "@seriesLength 1000000000000\n@classLabel true a b\n@data\n1,2,3:a\n");
        expectError(path, 9,
                    QStringLiteral("the line has 1 channel(s), expected 1000000000000 "
                                   "(@dimensions 1000000000000)"));
        const QString longSeries =
            write(QStringLiteral("absurdlength.ts"),
                  "@problemName Huge\n@univariate true\n@equalLength true\n"
                  "@seriesLength 1000000000000\n@classLabel true a b\n@data\n1,2,3:a\n");
        expectError(longSeries, 7,
                    QStringLiteral("the case has 3 time steps, but the header says "
                                   "@equalLength true and @seriesLength 1000000000000"));
    }
};

QTEST_GUILESS_MAIN(TestTsLoader)
#include "tst_tsloader.moc"
