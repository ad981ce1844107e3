#include "data/Hdf5File.h"
#include "data/Hdf5Series.h"

#include <hdf5.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>

using namespace twb;

class TestHdf5Series : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static SeriesDataset sample()
    {
        SeriesDataset data;
        data.channelNames = {QStringLiteral("HUFL"), QStringLiteral("Temp °C")};
        data.values = {1.0f, 2.0f, std::numeric_limits<float>::quiet_NaN(), 4.0f, 5.5f, -6.0f};
        data.timeColumn = QStringLiteral("date");
        data.timestamps = {1467331200000, 1467334800000, 1467338400000};
        data.recountMissing();
        return data;
    }

    // A foreign file: several datasets in groups, none in the project's layout.
    QString writeForeign(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        auto writer = Hdf5Writer::create(path);
        const std::int64_t counts[] = {3, 1, 4, 1, 5};
        const double grid[] = {1, 2, 3, 4, 5, 6};
        const float cube[8] = {};
        const bool ok =
            writer && writer->writeInt64s(QStringLiteral("/raw/counts"), counts, {5}) &&
            writer->writeDoubles(QStringLiteral("/raw/grid"), grid, {3, 2}) &&
            writer->setAttribute(QStringLiteral("/raw/grid"), QStringLiteral("channel_names"),
                                 QStringList{QStringLiteral("left"), QStringLiteral("right")}) &&
            writer->writeDoubles(QStringLiteral("/plain"), grid, {2, 3}) &&
            writer->writeFloats(QStringLiteral("/cube"), cube, {2, 2, 2}) &&
            writer->writeStrings(QStringLiteral("/labels"),
                                 {QStringLiteral("a"), QStringLiteral("b")}) &&
            writer->commit();
        if (!ok)
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    QString writeText(const QString &name, const QByteArray &bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        file.write(bytes);
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void ownLayoutRoundTrip()
    {
        const SeriesDataset original = sample();
        const QString path = m_dir.filePath(QStringLiteral("own.h5"));
        const Status saved = saveHdf5Series(original, path);
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
        QCOMPARE(QDir(m_dir.path()).entryList({QStringLiteral("own.h5*")}, QDir::Files),
                 QStringList{QStringLiteral("own.h5")});

        for (const QString &datasetPath : {QString(), QStringLiteral("/values")}) {
            const auto loaded = loadHdf5Series(path, datasetPath);
            QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
            QCOMPARE(loaded->sourcePath, path);
            QCOMPARE(loaded->channelNames, original.channelNames);
            QCOMPARE(loaded->timeColumn, QStringLiteral("date"));
            QCOMPARE(loaded->timestamps, original.timestamps);
            QCOMPARE(loaded->rows(), 3);
            QVERIFY(std::isnan(loaded->at(1, 0)));
            QCOMPARE(loaded->at(2, 1), -6.0f);
            QCOMPARE(loaded->missing.perChannel, std::vector<std::int64_t>({1, 0}));
            QCOMPARE(loaded->fingerprint(), original.fingerprint());
        }

        auto reader = Hdf5Reader::open(path);
        QVERIFY(reader);
        QCOMPARE(*reader->stringAttribute(QStringLiteral("/"), QStringLiteral("format")),
                 QStringLiteral("twb-series-1"));
        QCOMPARE(reader->datasetDims(QStringLiteral("/values"))->size(), std::size_t(2));
    }

    void ownLayoutWithoutTimestamps()
    {
        SeriesDataset data = sample();
        data.timestamps.clear();
        data.timeColumn.clear();
        const QString path = m_dir.filePath(QStringLiteral("notime.h5"));
        QVERIFY(saveHdf5Series(data, path));
        const auto loaded = loadHdf5Series(path);
        QVERIFY(loaded);
        QVERIFY(!loaded->hasTimestamps());
        QVERIFY(loaded->timeColumn.isEmpty());
    }

    void saveErrors()
    {
        SeriesDataset data = sample();
        data.timestamps.pop_back();
        const QString path = m_dir.filePath(QStringLiteral("bad.h5"));
        const Status shortStamps = saveHdf5Series(data, path);
        QVERIFY(!shortStamps);
        QVERIFY(shortStamps.error().reason.contains(QStringLiteral("2 timestamps for 3 rows")));
        QVERIFY(!saveHdf5Series(SeriesDataset(), path));
        QVERIFY(!QFile::exists(path));
        const Status noFolder = saveHdf5Series(sample(), m_dir.filePath(QStringLiteral("x/y.h5")));
        QVERIFY(!noFolder);
    }

    void foreignDatasets()
    {
        const QString path = writeForeign(QStringLiteral("foreign.h5"));

        const auto oneD = loadHdf5Series(path, QStringLiteral("/raw/counts"));
        QVERIFY2(oneD, qPrintable(oneD ? QString() : oneD.error().toString()));
        QCOMPARE(oneD->channelNames, QStringList{QStringLiteral("counts")});
        QCOMPARE(oneD->values, std::vector<float>({3, 1, 4, 1, 5}));
        QVERIFY(!oneD->hasTimestamps());

        const auto named = loadHdf5Series(path, QStringLiteral("raw/grid"));
        QVERIFY2(named, qPrintable(named ? QString() : named.error().toString()));
        QCOMPARE(named->channelNames,
                 QStringList({QStringLiteral("left"), QStringLiteral("right")}));
        QCOMPARE(named->rows(), 3);
        QCOMPARE(named->at(2, 1), 6.0f);

        const auto plain = loadHdf5Series(path, QStringLiteral("/plain"));
        QVERIFY(plain);
        QCOMPARE(plain->channelNames,
                 QStringList({QStringLiteral("plain[0]"), QStringLiteral("plain[1]"),
                              QStringLiteral("plain[2]")}));
        QCOMPARE(plain->rows(), 2);
        QCOMPARE(plain->missing.total(), 0);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("dataset");
        QTest::addColumn<QString>("reason");
        QTest::newRow("several candidates")
            << QStringLiteral("foreign.h5") << QString()
            << QStringLiteral("several numeric datasets; pick one as \"file.h5:/path\": /plain, "
                              "/raw/counts, /raw/grid");
        QTest::newRow("bad path") << QStringLiteral("foreign.h5") << QStringLiteral("/raw/nope")
                                  << QStringLiteral("no dataset '/raw/nope' in the file "
                                                    "(datasets: /cube, /labels, /plain");
        QTest::newRow("group, not dataset")
            << QStringLiteral("foreign.h5") << QStringLiteral("/raw")
            << QStringLiteral("no dataset '/raw'");
        QTest::newRow("rank 3") << QStringLiteral("foreign.h5") << QStringLiteral("/cube")
                                << QStringLiteral("the dataset '/cube' has rank 3");
        QTest::newRow("strings") << QStringLiteral("foreign.h5") << QStringLiteral("/labels")
                                 << QStringLiteral("holds strings, not numbers");
        QTest::newRow("not HDF5") << QStringLiteral("text.h5") << QString()
                                  << QStringLiteral("not an HDF5 file");
        QTest::newRow("missing file") << QStringLiteral("missing.h5") << QString()
                                      << QStringLiteral("the file does not exist");
        QTest::newRow("only strings") << QStringLiteral("strings.h5") << QString()
                                      << QStringLiteral("no 1-D or 2-D numeric dataset in the "
                                                        "file (datasets: /names)");
        QTest::newRow("own layout, wrong names")
            << QStringLiteral("wrongnames.h5") << QString()
            << QStringLiteral("'/channel_names' has 1 names for 2 channels");
    }

    void errors()
    {
        QFETCH(QString, file);
        QFETCH(QString, dataset);
        QFETCH(QString, reason);
        writeForeign(QStringLiteral("foreign.h5"));
        writeText(QStringLiteral("text.h5"), "a,b\n1,2\n");
        {
            auto writer = Hdf5Writer::create(m_dir.filePath(QStringLiteral("strings.h5")));
            QVERIFY(writer &&
                    writer->writeStrings(QStringLiteral("/names"), {QStringLiteral("x")}) &&
                    writer->commit());
        }
        {
            auto writer = Hdf5Writer::create(m_dir.filePath(QStringLiteral("wrongnames.h5")));
            const float values[] = {1, 2};
            QVERIFY(
                writer && writer->writeFloats(QStringLiteral("/values"), values, {1, 2}) &&
                writer->writeStrings(QStringLiteral("/channel_names"), {QStringLiteral("only")}) &&
                writer->setAttribute(QStringLiteral("/"), QStringLiteral("format"),
                                     QStringLiteral("twb-series-1")) &&
                writer->commit());
        }
        const QString path = m_dir.filePath(file);
        const auto loaded = loadHdf5Series(path, dataset);
        QVERIFY(!loaded);
        QCOMPARE(loaded.error().file, path);
        QVERIFY2(loaded.error().reason.contains(reason), qPrintable(loaded.error().toString()));
    }

    void writtenByH5py()
    {
        const QString python = QStringLiteral("/usr/bin/python3");
        QProcess probe;
        probe.start(python, {QStringLiteral("-c"), QStringLiteral("import h5py, numpy")});
        if (!probe.waitForStarted(10000) || !probe.waitForFinished(30000) || probe.exitCode() != 0)
            QSKIP("h5py/numpy not available for /usr/bin/python3 (python3-h5py): check skipped");
        const QString path = m_dir.filePath(QStringLiteral("h5py.h5"));
        const QString script = QStringLiteral(
            "import h5py, numpy, sys\n"
            "with h5py.File(sys.argv[1], 'w') as f:\n"
            "    d = f.create_dataset('sensors/data', data=numpy.arange(12, dtype='int16')"
            ".reshape(4, 3))\n"
            "    d.attrs['channel_names'] = numpy.array([b'x', b'yy', b'z'])\n"
            "    f.create_dataset('text', data=numpy.array([b'fixed', b'len']))\n");
        QProcess process;
        process.start(python, {QStringLiteral("-c"), script, path});
        QVERIFY(process.waitForFinished(30000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());

        const auto loaded = loadHdf5Series(path);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->channelNames,
                 QStringList({QStringLiteral("x"), QStringLiteral("yy"), QStringLiteral("z")}));
        QCOMPARE(loaded->rows(), 4);
        QCOMPARE(loaded->at(3, 2), 11.0f);
        auto reader = Hdf5Reader::open(path);
        QCOMPARE(*reader->readStrings(QStringLiteral("/text")),
                 QStringList({QStringLiteral("fixed"), QStringLiteral("len")}));
    }

    // Hostile sizes (issue 16): a dataset of shape 10^6 x 10^6 stored in a few KB (chunked, no
    // chunk written, so HDF5 would hand out its fill value) is refused from its shape, before
    // anything is allocated.
    void absurdShapeIsRefusedBeforeAllocating()
    {
        const QString path = m_dir.filePath(QStringLiteral("absurd.h5"));
        const hid_t file =
            H5Fcreate(QFile::encodeName(path).constData(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        QVERIFY(file >= 0);
        const hsize_t dims[2] = {1000000, 1000000};
        const hsize_t chunk[2] = {1, 1024};
        const hid_t space = H5Screate_simple(2, dims, nullptr);
        const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
        H5Pset_chunk(dcpl, 2, chunk);
        const hid_t dataset =
            H5Dcreate2(file, "values", H5T_IEEE_F32LE, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        QVERIFY(dataset >= 0);
        H5Dclose(dataset);
        H5Pclose(dcpl);
        H5Sclose(space);
        H5Fclose(file);
        QVERIFY(QFileInfo(path).size() < 100000);

        for (const QString &dataset : {QString(), QStringLiteral("/values")}) {
            const auto data = loadHdf5Series(path, dataset);
            QVERIFY(!data);
            QCOMPARE(data.error().file, path);
            QVERIFY2(data.error().reason.startsWith(QStringLiteral(
                         "the dataset '/values' of shape 1000000 x 1000000 would need 3.6 TB "
                         "(1.0e12 values of 4 bytes), more than the ")),
                     qPrintable(data.error().toString()));
        }
    }

    // Found by fuzz_predictions: a datatype whose size field claims 1.6 GB per number made HDF5
    // allocate a conversion buffer of that size per element. Numbers are 1 to 16 bytes.
    void absurdElementSizeIsRefused()
    {
        const QString path = m_dir.filePath(QStringLiteral("wide.h5"));
        const hid_t file =
            H5Fcreate(QFile::encodeName(path).constData(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        QVERIFY(file >= 0);
        const hid_t wide = H5Tcopy(H5T_STD_I64LE);
        QVERIFY(H5Tset_size(wide, 32) >= 0);
        const hsize_t dims[1] = {4};
        const hid_t space = H5Screate_simple(1, dims, nullptr);
        const hid_t dataset =
            H5Dcreate2(file, "signal", wide, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        QVERIFY(dataset >= 0);
        H5Dclose(dataset);
        H5Sclose(space);
        H5Tclose(wide);
        H5Fclose(file);
        const auto data = loadHdf5Series(path, QStringLiteral("/signal"));
        QVERIFY(!data);
        QCOMPARE(data.error().file, path);
        QCOMPARE(data.error().reason,
                 QStringLiteral("the dataset '/signal' stores numbers of 32 bytes each; only 1 to "
                                "16 bytes are supported"));
    }
};

QTEST_GUILESS_MAIN(TestHdf5Series)
#include "tst_hdf5series.moc"
