#include "data/DatasetLoader.h"
#include "data/Hdf5File.h"
#include "data/LabelledHdf5.h"
#include "data/TsLoader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>
#include <limits>

using namespace twb;

namespace {

LabelledDataset unequalSet()
{
    LabelledDataset data;
    data.sourcePath = QStringLiteral("made-up");
    data.classNames = {QStringLiteral("low"), QStringLiteral("high")};
    data.channelNames = {QStringLiteral("x"), QStringLiteral("y")};
    data.sampleRate = 100.0;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    data.cases.push_back({{1, 2, 3, 4, 5, 6}, 3, 1, QStringLiteral("a.wav"), {}});
    data.cases.push_back({{7, nan}, 1, 0, QStringLiteral("b.wav"), {}});
    data.cases.push_back({{8, 9, 10, 11}, 2, 1, QString::fromUtf8("ü.wav"), {}});
    data.missingValues = 1;
    data.skipped = {QStringLiteral("c.wav: the file is empty (0 bytes)")};
    return data;
}

// Bitwise, so that NaN == NaN.
bool sameValues(const std::vector<float> &a, const std::vector<float> &b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

} // namespace

class TestLabelledHdf5 : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void summaries()
    {
        const LabelledDataset data = unequalSet();
        QCOMPARE(data.maxLength(), 3);
        QCOMPARE(data.minLength(), 1);
        QVERIFY(!data.equalLength());
        QCOMPARE(data.classCounts(), std::vector<std::int64_t>({1, 2}));
        QCOMPARE(LabelledDataset().maxLength(), 0);
        QCOMPARE(LabelledDataset().minLength(), 0);
        const QString print = data.fingerprint();
        QCOMPARE(print.size(), 64);
        LabelledDataset other = data;
        other.cases[2].source = QStringLiteral("renamed.wav"); // sources are not content
        QCOMPARE(other.fingerprint(), print);
        other.cases[2].label = 0;
        QVERIFY(other.fingerprint() != print);
        other = data;
        other.cases[0].values[5] = 6.5f;
        QVERIFY(other.fingerprint() != print);
        other = data;
        other.classNames.swapItemsAt(0, 1);
        QVERIFY(other.fingerprint() != print);
    }

    void roundTrip()
    {
        const LabelledDataset data = unequalSet();
        const QString path = m_dir.filePath(QStringLiteral("set.h5"));
        const Status saved = saveLabelledHdf5(data, path);
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
        QVERIFY(isLabelledHdf5(path));
        // No temporary file is left behind.
        QCOMPARE(QDir(m_dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("set.h5")});

        const auto loaded = loadLabelledHdf5(path);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->sourcePath, path);
        QCOMPARE(loaded->classNames, data.classNames);
        QCOMPARE(loaded->channelNames, data.channelNames);
        QCOMPARE(loaded->sampleRate, 100.0);
        QCOMPARE(loaded->missingValues, 1);
        QCOMPARE(loaded->skipped, data.skipped);
        QCOMPARE(loaded->size(), 3);
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(loaded->cases[i].length, data.cases[i].length);
            QCOMPARE(loaded->cases[i].label, data.cases[i].label);
            QCOMPARE(loaded->cases[i].source, data.cases[i].source);
            QVERIFY(sameValues(loaded->cases[i].values, data.cases[i].values));
        }
        QCOMPARE(loaded->fingerprint(), data.fingerprint());

        // The documented layout, as h5py sees it.
        auto reader = Hdf5Reader::open(path);
        QVERIFY(reader);
        QCOMPARE(reader->datasetDims(QStringLiteral("/values")).value(),
                 std::vector<std::int64_t>({6, 2}));
        QCOMPARE(reader->readArray(QStringLiteral("/offsets"))->values,
                 std::vector<double>({0, 3, 4, 6}));
        QCOMPARE(reader->readArray(QStringLiteral("/labels"))->values,
                 std::vector<double>({1, 0, 1}));
        QCOMPARE(reader->stringAttribute(QStringLiteral("/"), QStringLiteral("format")).value(),
                 QStringLiteral("twb-labelled-1"));

        // Through the table dispatcher, with the classes in another order.
        const auto mapped = loadLabelledTable(
            path, LabelledLoadOptions{{QStringLiteral("high"), QStringLiteral("low")}, 0.0});
        QVERIFY(mapped);
        QCOMPARE(mapped->cases[0].label, 0);
        QCOMPARE(mapped->cases[1].label, 1);
    }

    void realRoundTrip()
    {
        const QString ts =
            QStringLiteral(TWB_SHARED_DATA_DIR "/ucr/BasicMotions/BasicMotions_TRAIN.ts");
        if (!QFile::exists(ts))
            QSKIP(qPrintable(QStringLiteral("needs %1").arg(ts)));
        const auto data = loadLabelledTable(ts);
        QVERIFY(data);
        const QString path = m_dir.filePath(QStringLiteral("basic.hdf5"));
        QVERIFY(saveLabelledHdf5(*data, path));
        const auto loaded = loadLabelledTable(path);
        QVERIFY(loaded);
        QCOMPARE(loaded->fingerprint(), data->fingerprint());
        QCOMPARE(loaded->size(), 40);
        QCOMPARE(loaded->channels(), 6);
        QCOMPARE(loaded->cases[7].source, data->cases[7].source);
    }

    void dispatchesByExtension()
    {
        const QString arff = m_dir.filePath(QStringLiteral("d.ARFF"));
        QFile file(arff);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("@relation r\n@attribute t1 numeric\n@attribute c {u,v}\n@data\n1,v\n");
        file.close();
        const auto loaded = loadLabelledTable(arff);
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().toString()));
        QCOMPARE(loaded->size(), 1);
        QCOMPARE(loaded->cases[0].label, 1);
        const auto mapped = loadLabelledTable(
            arff, LabelledLoadOptions{{QStringLiteral("v"), QStringLiteral("u")}, 0.0});
        QVERIFY(mapped);
        QCOMPARE(mapped->cases[0].label, 0);
    }

    void refused()
    {
        const QString path = m_dir.filePath(QStringLiteral("bad.h5"));
        LabelledDataset empty = unequalSet();
        empty.cases.clear();
        QVERIFY(!saveLabelledHdf5(empty, path));
        LabelledDataset wrongSize = unequalSet();
        wrongSize.cases[1].values.push_back(1.0f);
        const Status s = saveLabelledHdf5(wrongSize, path);
        QVERIFY(!s);
        QVERIFY2(s.error().reason.contains(QStringLiteral("case 1 has 3 values")),
                 qPrintable(s.error().toString()));
        LabelledDataset badLabel = unequalSet();
        badLabel.cases[2].label = 2;
        QVERIFY(!saveLabelledHdf5(badLabel, path));
        QVERIFY(!QFile::exists(path));

        // Another HDF5 layout is not a labelled data set.
        {
            auto writer = Hdf5Writer::create(path);
            const float v[] = {1, 2};
            QVERIFY(writer && writer->writeFloats(QStringLiteral("/values"), v, {2, 1}) &&
                    writer->commit());
        }
        QVERIFY(!isLabelledHdf5(path));
        const auto loaded = loadLabelledHdf5(path);
        QVERIFY(!loaded);
        QVERIFY(loaded.error().reason.contains(QStringLiteral("twb-labelled-1")));

        const QString csv = m_dir.filePath(QStringLiteral("table.csv"));
        QFile text(csv);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("a,b\n1,2\n");
        text.close();
        const auto wrongKind = loadLabelledTable(csv);
        QVERIFY(!wrongKind);
        QVERIFY(
            wrongKind.error().reason.contains(QStringLiteral("unknown labelled format '.csv'")));

        const auto unknown = loadLabelledTable(m_dir.filePath(QStringLiteral("none.ts")));
        QVERIFY(!unknown);
        QVERIFY(unknown.error().reason.contains(QStringLiteral("does not exist")));
    }

    // Found by fuzz_labelledhdf5 (issue 16): an offset past the rows of '/values' made the
    // loader copy from outside the array (heap-buffer-overflow) before it saw that the offsets
    // decrease; an offset of 2^63 was converted to int64 (undefined). The inputs are the seed
    // with one offset patched, kept in fuzz/regressions/labelledhdf5/.
    void offsetsOutsideTheValues()
    {
        const QString regressions = QStringLiteral(TWB_FUZZ_DIR "/regressions/labelledhdf5/");
        const QString beyondPath = regressions + QStringLiteral("offsets-beyond-values.h5");
        const auto beyond = loadLabelledHdf5(beyondPath);
        QVERIFY(!beyond);
        QCOMPARE(beyond.error().file, beyondPath);
        QCOMPARE(beyond.error().reason,
                 QStringLiteral("'/offsets' holds 100 at case 1: offsets must be whole numbers "
                                "that never decrease, from 0 to 15"));
        const auto huge = loadLabelledHdf5(regressions + QStringLiteral("offsets-int64-max.h5"));
        QVERIFY(!huge);
        QVERIFY2(huge.error().reason.startsWith(QStringLiteral("'/offsets' holds 9.22337e+18 at "
                                                               "case 1: offsets must be whole")),
                 qPrintable(huge.error().toString()));
    }
};

QTEST_GUILESS_MAIN(TestLabelledHdf5)
#include "tst_labelledhdf5.moc"
