#include "data/Hdf5File.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace twb;

class TestHdf5File : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QStringList filesInDir() const
    {
        return QDir(m_dir.path()).entryList(QDir::Files | QDir::Hidden, QDir::Name);
    }

    void clearDir()
    {
        for (const QString &name : filesInDir())
            QFile::remove(m_dir.filePath(name));
    }

    // Writes a small file with every kind of content.
    QString writeSample(const QString &name)
    {
        const QString path = m_dir.filePath(name);
        auto writer = Hdf5Writer::create(path);
        if (!writer)
            qFatal("%s", qPrintable(writer.error().toString()));
        const float floats[] = {1.5f, -2.0f, 3.25f, 4.0f, 5.0f, 6.0f};
        const double doubles[] = {0.1, 1e300, -7.0};
        const std::int64_t ints[] = {-3, 1467331200000, 9007199254740993};
        const bool ok =
            writer->writeFloats(QStringLiteral("/group/sub/floats"), floats, {2, 3}) &&
            writer->writeDoubles(QStringLiteral("/doubles"), doubles, {3}) &&
            writer->writeInt64s(QStringLiteral("/ints"), ints, {3}) &&
            writer->writeStrings(QStringLiteral("/group/names"),
                                 {QStringLiteral("HUFL"), QStringLiteral("Temp °C"), QString()}) &&
            writer->setAttribute(QStringLiteral("/"), QStringLiteral("title"),
                                 QStringLiteral("Prüfung")) &&
            writer->setAttribute(QStringLiteral("/group/sub/floats"), QStringLiteral("scale"),
                                 0.5) &&
            writer->setAttribute(QStringLiteral("/group"), QStringLiteral("epochs"),
                                 std::int64_t(12)) &&
            writer->setAttribute(QStringLiteral("/ints"), QStringLiteral("labels"),
                                 QStringList{QStringLiteral("a"), QStringLiteral("b")}) &&
            writer->commit();
        if (!ok)
            qFatal("writing the sample failed");
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { clearDir(); }

    void roundTrip()
    {
        const QString path = writeSample(QStringLiteral("sample.h5"));
        auto reader = Hdf5Reader::open(path);
        QVERIFY2(reader, qPrintable(reader ? QString() : reader.error().toString()));

        QCOMPARE(reader->datasetPaths(),
                 QStringList({QStringLiteral("/doubles"), QStringLiteral("/group/names"),
                              QStringLiteral("/group/sub/floats"), QStringLiteral("/ints")}));

        const auto floats = reader->readArray(QStringLiteral("/group/sub/floats"));
        QVERIFY(floats);
        QCOMPARE(floats->dims, std::vector<std::int64_t>({2, 3}));
        QCOMPARE(floats->values, std::vector<double>({1.5, -2.0, 3.25, 4.0, 5.0, 6.0}));

        const auto doubles = reader->readArray(QStringLiteral("doubles"));
        QVERIFY(doubles);
        QCOMPARE(doubles->values, std::vector<double>({0.1, 1e300, -7.0}));

        const auto ints = reader->readArray(QStringLiteral("/ints"));
        QVERIFY(ints);
        QCOMPARE(ints->dims, std::vector<std::int64_t>({3}));
        QCOMPARE(ints->values[0], -3.0);
        QCOMPARE(ints->values[1], 1467331200000.0);

        const auto asFloat = reader->readFloatArray(QStringLiteral("/doubles"));
        QVERIFY(asFloat);
        QCOMPARE(asFloat->values[0], 0.1f);
        QVERIFY(std::isinf(asFloat->values[1])); // HDF5 converts out-of-range to inf

        const auto names = reader->readStrings(QStringLiteral("/group/names"));
        QVERIFY(names);
        QCOMPARE(*names,
                 QStringList({QStringLiteral("HUFL"), QStringLiteral("Temp °C"), QString()}));

        QCOMPARE(*reader->stringAttribute(QStringLiteral("/"), QStringLiteral("title")),
                 QStringLiteral("Prüfung"));
        QCOMPARE(
            *reader->numberAttribute(QStringLiteral("/group/sub/floats"), QStringLiteral("scale")),
            0.5);
        QCOMPARE(*reader->numberAttribute(QStringLiteral("/group"), QStringLiteral("epochs")),
                 12.0);
        QCOMPARE(*reader->stringListAttribute(QStringLiteral("/ints"), QStringLiteral("labels")),
                 QStringList({QStringLiteral("a"), QStringLiteral("b")}));
        QVERIFY(reader->hasAttribute(QStringLiteral("/"), QStringLiteral("title")));
        QVERIFY(!reader->hasAttribute(QStringLiteral("/"), QStringLiteral("nope")));
        QVERIFY(!reader->hasAttribute(QStringLiteral("/missing"), QStringLiteral("title")));
        QVERIFY(reader->isNumericDataset(QStringLiteral("/ints")));
        QVERIFY(!reader->isNumericDataset(QStringLiteral("/group/names")));
        QCOMPARE(*reader->datasetDims(QStringLiteral("/group/names")),
                 std::vector<std::int64_t>({3}));
    }

    void scalarsEmptyAndReplaced()
    {
        const QString path = m_dir.filePath(QStringLiteral("shapes.h5"));
        auto writer = Hdf5Writer::create(path);
        QVERIFY(writer);
        const double pi = 3.14159;
        QVERIFY(writer->writeDoubles(QStringLiteral("/scalar"), &pi, {}));
        QVERIFY(writer->writeFloats(QStringLiteral("/empty"), nullptr, {0, 4}));
        const float first[] = {1, 2};
        const float second[] = {7, 8, 9};
        QVERIFY(writer->writeFloats(QStringLiteral("/replaced"), first, {2}));
        QVERIFY(writer->writeFloats(QStringLiteral("/replaced"), second, {3}));
        QVERIFY(writer->setAttribute(QStringLiteral("/replaced"), QStringLiteral("v"), 1.0));
        QVERIFY(writer->setAttribute(QStringLiteral("/replaced"), QStringLiteral("v"), 2.0));
        QVERIFY(writer->writeStrings(QStringLiteral("/nostrings"), {}));
        QVERIFY(writer->commit());

        auto reader = Hdf5Reader::open(path);
        QVERIFY(reader);
        const auto scalar = reader->readArray(QStringLiteral("/scalar"));
        QVERIFY(scalar);
        QVERIFY(scalar->dims.empty());
        QCOMPARE(scalar->values, std::vector<double>{pi});
        const auto empty = reader->readArray(QStringLiteral("/empty"));
        QVERIFY(empty);
        QCOMPARE(empty->dims, std::vector<std::int64_t>({0, 4}));
        QVERIFY(empty->values.empty());
        QCOMPARE(reader->readArray(QStringLiteral("/replaced"))->values,
                 std::vector<double>({7, 8, 9}));
        QCOMPARE(*reader->numberAttribute(QStringLiteral("/replaced"), QStringLiteral("v")), 2.0);
        QVERIFY(reader->readStrings(QStringLiteral("/nostrings"))->isEmpty());
    }

    void writerErrors()
    {
        const QString path = m_dir.filePath(QStringLiteral("errors.h5"));
        auto writer = Hdf5Writer::create(path);
        QVERIFY(writer);
        const float value = 1;
        QVERIFY(writer->writeFloats(QStringLiteral("/x"), &value, {1}));

        // A dataset cannot hold a child: HDF5's explanation ends up in the reason.
        const Status child = writer->writeFloats(QStringLiteral("/x/y"), &value, {1});
        QVERIFY(!child);
        QCOMPARE(child.error().file, path);
        QVERIFY2(child.error().reason.contains(QStringLiteral("'/x/y'")),
                 qPrintable(child.error().toString()));

        const Status negative = writer->writeFloats(QStringLiteral("/n"), &value, {-1});
        QVERIFY(!negative);
        QVERIFY(negative.error().reason.contains(QStringLiteral("negative")));

        const Status noData = writer->writeFloats(QStringLiteral("/d"), nullptr, {2});
        QVERIFY(!noData);

        const Status noObject =
            writer->setAttribute(QStringLiteral("/nowhere"), QStringLiteral("a"), 1.0);
        QVERIFY(!noObject);
        QVERIFY(noObject.error().reason.contains(QStringLiteral("no object '/nowhere'")));

        QVERIFY(writer->commit());
        const Status again = writer->commit();
        QVERIFY(!again);
        QVERIFY(again.error().reason.contains(QStringLiteral("closed")));
        QVERIFY(!writer->writeFloats(QStringLiteral("/late"), &value, {1}));

        const auto noFolder = Hdf5Writer::create(m_dir.filePath(QStringLiteral("no/such/x.h5")));
        QVERIFY(!noFolder);
        QVERIFY(noFolder.error().reason.contains(QStringLiteral("does not exist")));
    }

    void readerErrors()
    {
        const QString path = writeSample(QStringLiteral("sample.h5"));
        auto reader = Hdf5Reader::open(path);
        QVERIFY(reader);

        const auto missing = reader->readArray(QStringLiteral("/nope/deeper"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().toString(),
                 path + QStringLiteral(": no dataset '/nope/deeper' in the file"));

        const auto group = reader->readArray(QStringLiteral("/group"));
        QVERIFY(!group);
        QVERIFY(group.error().reason.contains(QStringLiteral("not a dataset")));

        const auto strings = reader->readArray(QStringLiteral("/group/names"));
        QVERIFY(!strings);
        QVERIFY2(strings.error().reason.contains(QStringLiteral("holds strings, not numbers")),
                 qPrintable(strings.error().toString()));

        const auto numbers = reader->readStrings(QStringLiteral("/ints"));
        QVERIFY(!numbers);
        QVERIFY2(numbers.error().reason.contains(QStringLiteral("64-bit integers, not strings")),
                 qPrintable(numbers.error().toString()));
        QCOMPARE(numbers.error().file, path);

        const auto notNumber =
            reader->numberAttribute(QStringLiteral("/"), QStringLiteral("title"));
        QVERIFY(!notNumber);
        QVERIFY(notNumber.error().reason.contains(QStringLiteral("not a number")));
        const auto noAttribute = reader->stringAttribute(QStringLiteral("/"), QStringLiteral("x"));
        QVERIFY(!noAttribute);
        QVERIFY(noAttribute.error().reason.contains(QStringLiteral("no attribute 'x'")));
    }

    void openErrors()
    {
        const QString missing = m_dir.filePath(QStringLiteral("missing.h5"));
        const auto a = Hdf5Reader::open(missing);
        QVERIFY(!a);
        QCOMPARE(a.error().toString(), missing + QStringLiteral(": the file does not exist"));

        const QString text = m_dir.filePath(QStringLiteral("text.h5"));
        QFile file(text);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("date,value\n2020-01-01,1\n");
        file.close();
        const auto b = Hdf5Reader::open(text);
        QVERIFY(!b);
        QVERIFY(b.error().reason.contains(QStringLiteral("not an HDF5 file")));
        QVERIFY(!isHdf5File(text));

        QVERIFY(!Hdf5Reader::open(m_dir.path()));
        QVERIFY(isHdf5File(writeSample(QStringLiteral("real.h5"))));
    }

    void atomicWrite()
    {
        const QString path = m_dir.filePath(QStringLiteral("atomic.h5"));
        {
            auto writer = Hdf5Writer::create(path);
            QVERIFY(writer);
            const float value = 1;
            QVERIFY(writer->writeFloats(QStringLiteral("/v"), &value, {1}));
            // Nothing is on disk until commit(): the file is built in memory.
            const QStringList during = filesInDir();
            QVERIFY2(during.isEmpty(), qPrintable(during.join(QStringLiteral(", "))));
            QVERIFY(!QFile::exists(path));
        }
        QVERIFY2(filesInDir().isEmpty(), "an uncommitted writer must leave nothing");

        const QString committed = writeSample(QStringLiteral("atomic.h5"));
        QCOMPARE(filesInDir(), QStringList{QStringLiteral("atomic.h5")});

        // Replacing: the old file stays intact until the new one is committed.
        auto writer = Hdf5Writer::create(committed);
        QVERIFY(writer);
        const double v = 42;
        QVERIFY(writer->writeDoubles(QStringLiteral("/answer"), &v, {1}));
        QVERIFY(Hdf5Reader::open(committed)->readArray(QStringLiteral("/ints")));
        Hdf5Writer moved = std::move(*writer);
        QVERIFY(!writer->commit()); // moved from: empty
        QVERIFY(moved.commit());
        QCOMPARE(filesInDir(), QStringList{QStringLiteral("atomic.h5")});
        auto reader = Hdf5Reader::open(committed);
        QCOMPARE(reader->datasetPaths(), QStringList{QStringLiteral("/answer")});
    }

    void readableByH5py()
    {
        const QString python = QStringLiteral("/usr/bin/python3");
        if (!QFile::exists(python))
            QSKIP("/usr/bin/python3 not found: h5py check skipped");
        QProcess probe;
        probe.start(python, {QStringLiteral("-c"), QStringLiteral("import h5py")});
        if (!probe.waitForFinished(30000) || probe.exitCode() != 0)
            QSKIP("h5py is not installed for /usr/bin/python3 (python3-h5py): check skipped");

        const QString path = writeSample(QStringLiteral("h5py.h5"));
        const QString script = QStringLiteral(
            "import h5py, sys\n"
            "f = h5py.File(sys.argv[1], 'r')\n"
            "print(f['/group/sub/floats'].dtype, f['/group/sub/floats'].shape)\n"
            "print(list(f['/group/sub/floats'][1]))\n"
            "print(int(f['/ints'][2]))\n"
            "print(f['/group/names'].asstr()[1])\n"
            "print(f.attrs['title'])\n"
            "print(f['/group'].attrs['epochs'], f['/group/sub/floats'].attrs['scale'])\n"
            "print(list(f['/ints'].attrs['labels']))\n");
        QProcess process;
        process.start(python, {QStringLiteral("-c"), script, path});
        QVERIFY(process.waitForFinished(30000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QStringList lines = QString::fromUtf8(process.readAllStandardOutput())
                                      .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 7);
        QCOMPARE(lines[0], QStringLiteral("float32 (2, 3)"));
        QCOMPARE(lines[1], QStringLiteral("[4.0, 5.0, 6.0]"));
        QCOMPARE(lines[2], QStringLiteral("9007199254740993"));
        QCOMPARE(lines[3], QStringLiteral("Temp °C"));
        QCOMPARE(lines[4], QStringLiteral("Prüfung"));
        QCOMPARE(lines[5], QStringLiteral("12 0.5"));
        QCOMPARE(lines[6], QStringLiteral("['a', 'b']"));
    }
};

QTEST_GUILESS_MAIN(TestHdf5File)
#include "tst_hdf5file.moc"
