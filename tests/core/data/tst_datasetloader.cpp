#include "data/DatasetLoader.h"
#include "data/Hdf5File.h"
#include "data/Hdf5Series.h"

#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

class TestDatasetLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString writeText(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(bytes);
        return path;
    }

    QString writeHdf5(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        auto writer = Hdf5Writer::create(path);
        const double a[] = {1, 2, 3};
        const double b[] = {4, 5, 6, 7};
        if (!writer || !writer->writeDoubles(QStringLiteral("/g/a"), a, {3}) ||
            !writer->writeDoubles(QStringLiteral("/g/b"), b, {2, 2}) || !writer->commit())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void pathSpecs()
    {
        const QString h5 = writeHdf5(QStringLiteral("x.h5"));
        SeriesPathSpec spec = parseSeriesPathSpec(h5 + QStringLiteral(":/g/a"));
        QCOMPARE(spec.file, h5);
        QCOMPARE(spec.dataset, QStringLiteral("/g/a"));
        spec = parseSeriesPathSpec(h5);
        QCOMPARE(spec.file, h5);
        QVERIFY(spec.dataset.isEmpty());
        // An existing file is taken whole, colons and all.
        const QString colon = writeText(QStringLiteral("a:b.csv"), "v\n1\n");
        QCOMPARE(parseSeriesPathSpec(colon).file, colon);
        spec = parseSeriesPathSpec(QStringLiteral("missing.h5:/ds"));
        QCOMPARE(spec.file, QStringLiteral("missing.h5"));
        QCOMPARE(spec.dataset, QStringLiteral("/ds"));
    }

    void byExtension()
    {
        const auto csv = loadSeries(writeText(QStringLiteral("a.csv"), "t,v\n2020-01-01,1\n"));
        QVERIFY2(csv, qPrintable(csv ? QString() : csv.error().toString()));
        QCOMPARE(csv->timeColumn, QStringLiteral("t"));

        const auto tsv = loadSeries(writeText(QStringLiteral("a.tsv"), "x\ty\n1\t2\n"));
        QVERIFY(tsv);
        QCOMPARE(tsv->channels(), 2);

        const auto txt = loadSeries(writeText(QStringLiteral("a.TXT"), "x;y\n1;2\n"));
        QVERIFY(txt);
        QCOMPARE(txt->channels(), 2);

        const QString h5 = writeHdf5(QStringLiteral("b.hdf5"));
        const auto picked = loadSeries(h5 + QStringLiteral(":/g/b"));
        QVERIFY2(picked, qPrintable(picked ? QString() : picked.error().toString()));
        QCOMPARE(picked->channelNames,
                 QStringList({QStringLiteral("b[0]"), QStringLiteral("b[1]")}));
        QCOMPARE(picked->rows(), 2);

        const auto several = loadSeries(h5);
        QVERIFY(!several);
        QVERIFY(several.error().reason.contains(QStringLiteral("/g/a, /g/b")));
    }

    void sniffing()
    {
        const QString h5 = writeHdf5(QStringLiteral("data.h5"));
        const QString renamed = m_dir.filePath(QStringLiteral("data.bin"));
        QVERIFY(QFile::copy(h5, renamed));
        const auto hdf5 = loadSeries(renamed + QStringLiteral(":/g/a"));
        QVERIFY2(hdf5, qPrintable(hdf5 ? QString() : hdf5.error().toString()));
        QCOMPARE(hdf5->values, std::vector<float>({1, 2, 3}));

        const auto csv = loadSeries(writeText(QStringLiteral("data.dat"), "a|b\n1|2\n"));
        QVERIFY2(csv, qPrintable(csv ? QString() : csv.error().toString()));
        QCOMPARE(csv->channelNames, QStringList({QStringLiteral("a"), QStringLiteral("b")}));
    }

    void errors()
    {
        const auto missing = loadSeries(m_dir.filePath(QStringLiteral("none.csv")));
        QVERIFY(!missing);
        QVERIFY(missing.error().reason.contains(QStringLiteral("does not exist")));

        const QString csv = writeText(QStringLiteral("c.csv"), "a\n1\n");
        const auto datasetOnCsv = loadSeries(csv + QStringLiteral(":/x"));
        QVERIFY(!datasetOnCsv);
        QCOMPARE(datasetOnCsv.error().file, csv);
        QVERIFY(datasetOnCsv.error().reason.contains(QStringLiteral("not an HDF5 file")));

        const QString fakeH5 = writeText(QStringLiteral("fake.h5"), "a\n1\n");
        const auto notHdf5 = loadSeries(fakeH5);
        QVERIFY(!notHdf5);
        QVERIFY(notHdf5.error().reason.contains(QStringLiteral("not an HDF5 file")));

        const auto badCsv = loadSeries(writeText(QStringLiteral("bad.csv"), "a,b\n1\n"));
        QVERIFY(!badCsv);
        QCOMPARE(badCsv.error().line, 2);
    }

    void ownLayoutThroughLoader()
    {
        SeriesDataset data;
        data.channelNames = {QStringLiteral("v")};
        data.values = {1, 2};
        const QString path = m_dir.filePath(QStringLiteral("own.he5"));
        QVERIFY(saveHdf5Series(data, path));
        const auto loaded = loadSeries(path);
        QVERIFY(loaded);
        QCOMPARE(loaded->fingerprint(), data.fingerprint());
    }
};

QTEST_GUILESS_MAIN(TestDatasetLoader)
#include "tst_datasetloader.moc"
