// Result files carry checksums that are verified on load (issue 16, integrity): bytes changed
// inside predictions.h5 after it was written are refused by name instead of read as numbers.

#include "runs/PredictionsFile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace twb;

class tst_CorruptResults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void intactFileReadsBack();
    void changedBytesAreRefused();

private:
    static PredictionsRecord record();
    static QString write(const QTemporaryDir &dir);
};

/// 8 windows x 24 steps x 2 channels; the normalised predictions all 1234.5 (easy to find).
PredictionsRecord tst_CorruptResults::record()
{
    PredictionsRecord r;
    ForecastPredictions &v = r.values;
    v.windows = 8;
    v.horizon = 24;
    v.channels = 2;
    const std::size_t n = std::size_t(v.windows * v.horizon * v.channels);
    v.prediction.assign(n, 1234.5f);
    v.truth.assign(n, 1.0f);
    v.predictionOriginal.assign(n, 2.0f);
    v.truthOriginal.assign(n, 3.0f);
    for (std::int64_t w = 0; w < v.windows; ++w)
        r.windowStartRows.push_back(w * 24);
    r.channelNames = {QStringLiteral("a"), QStringLiteral("b")};
    return r;
}

QString tst_CorruptResults::write(const QTemporaryDir &dir)
{
    const QString path = QDir(dir.path()).filePath(QStringLiteral("predictions.h5"));
    const Status s = writePredictionsFile(path, record());
    if (!s)
        qWarning("%s", qPrintable(s.error().toString()));
    return s ? path : QString();
}

void tst_CorruptResults::intactFileReadsBack()
{
    QTemporaryDir dir;
    const QString path = write(dir);
    QVERIFY(!path.isEmpty());
    Expected<Hdf5Reader> reader = Hdf5Reader::open(path);
    QVERIFY(reader);
    Expected<PredictionsRecord> read = readPredictions(*reader);
    QVERIFY2(read, qPrintable(read ? QString() : read.error().toString()));
    QCOMPARE(read->values.prediction, record().values.prediction);
    QCOMPARE(read->channelNames, record().channelNames);
}

void tst_CorruptResults::changedBytesAreRefused()
{
    QTemporaryDir dir;
    const QString path = write(dir);
    QVERIFY(!path.isEmpty());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray bytes = file.readAll();
    const float value = 1234.5f;
    const QByteArray pattern = QByteArray(reinterpret_cast<const char *>(&value), 4).repeated(32);
    const qsizetype at = bytes.indexOf(pattern);
    QVERIFY(at > 0);
    const float other = 1.0f; // a plausible number: nothing but the checksum can tell
    std::memcpy(bytes.data() + at + 40, &other, 4);
    QVERIFY(file.seek(0));
    QCOMPARE(file.write(bytes), bytes.size());
    file.close();

    Expected<Hdf5Reader> reader = Hdf5Reader::open(path);
    QVERIFY(reader); // the file's structure is intact
    Expected<PredictionsRecord> read = readPredictions(*reader);
    QVERIFY(!read);
    QCOMPARE(read.error().file, path);
    QVERIFY2(read.error().reason.contains(QStringLiteral("predictions/normalised")),
             qPrintable(read.error().toString()));
    QVERIFY2(read.error().reason.contains(QStringLiteral("checksum"), Qt::CaseInsensitive),
             qPrintable(read.error().toString()));
}

QTEST_GUILESS_MAIN(tst_CorruptResults)
#include "tst_corruptresults.moc"
