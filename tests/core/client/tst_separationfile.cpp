// The reader of a separation run's predictions.h5 (issue 24): a file written with the layout of
// core/train/SeparatePipeline.h round-trips; malformed ones are refused with a message naming
// the file and the problem.

#include "client/SeparationFile.h"
#include "data/Hdf5File.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace twb;

namespace {

constexpr int kMixtures = 3;   // n
constexpr int kSources = 2;    // S
constexpr int kListenable = 2; // m
constexpr int kSamples = 600;  // T
constexpr double kRate = 8000.0;

/// What to break in the file written by writeFile.
enum class Damage {
    None,
    NoSdr,            // /sdr missing
    EstimatesShape,   // /estimates [m, S + 1, T]
    SourcesCount,     // /sources with n - 1 strings
    NoSampleRate,     // no "sample_rate" attribute
    MoreListenable,   // /mixture holds n + 1 mixtures
    ReferencesLength, // /references with T - 1 samples
};

/// Metric k of mixture i, source s: a value that tells them all apart.
double metricValue(int k, int i, int s)
{
    return 10.0 * k + i + 0.25 * s;
}

/// Sample t of waveform `which` (0 mixture, 1 reference, 2 estimate) of mixture i, source s.
float sampleValue(int which, int i, int s, int t)
{
    return float(0.5 * std::sin(0.01 * (t + 1) * (1 + which + 3 * i + 7 * s)));
}

Status writeFile(const QString &path, Damage damage)
{
    Expected<Hdf5Writer> writer = Hdf5Writer::create(path);
    if (!writer)
        return writer.error();
    const char *names[] = {"/si_snr", "/si_snri", "/sdr", "/sdri", "/levels_db"};
    for (int k = 0; k < 5; ++k) {
        if (damage == Damage::NoSdr && k == 2)
            continue;
        std::vector<double> v;
        for (int i = 0; i < kMixtures; ++i)
            for (int s = 0; s < kSources; ++s)
                v.push_back(k == 2 && i == 2 ? NAN : metricValue(k, i, s));
        if (Status st =
                writer->writeDoubles(QLatin1String(names[k]), v.data(), {kMixtures, kSources});
            !st)
            return st;
    }
    QStringList sources{"0_george_1.wav + 5_jackson_2.wav", "sub/1_theo_0.wav + 2_nicolas_4.wav",
                        "3_yweweler_3.wav + 4_lucas_1.wav"};
    if (damage == Damage::SourcesCount)
        sources.removeLast();
    if (Status st = writer->writeStrings(QStringLiteral("/sources"), sources); !st)
        return st;
    const int m = damage == Damage::MoreListenable ? kMixtures + 1 : kListenable;
    std::vector<float> mixture;
    for (int i = 0; i < m; ++i)
        for (int t = 0; t < kSamples; ++t)
            mixture.push_back(sampleValue(0, i, 0, t));
    if (Status st = writer->writeFloats(QStringLiteral("/mixture"), mixture.data(), {m, kSamples});
        !st)
        return st;
    for (int which = 1; which <= 2; ++which) {
        const int s = which == 2 && damage == Damage::EstimatesShape ? kSources + 1 : kSources;
        const int t = which == 1 && damage == Damage::ReferencesLength ? kSamples - 1 : kSamples;
        std::vector<float> v;
        for (int i = 0; i < m; ++i)
            for (int k = 0; k < s; ++k)
                for (int j = 0; j < t; ++j)
                    v.push_back(sampleValue(which, i, k, j));
        const QString name =
            which == 1 ? QStringLiteral("/references") : QStringLiteral("/estimates");
        if (Status st = writer->writeFloats(name, v.data(), {m, s, t}); !st)
            return st;
    }
    if (damage != Damage::NoSampleRate)
        if (Status st = writer->setAttribute(QStringLiteral("/si_snri"),
                                             QStringLiteral("sample_rate"), kRate);
            !st)
            return st;
    return writer->commit();
}

} // namespace

class tst_SeparationFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goodFileIsRead();
    void meansAndNames();
    void badFilesAreRefusedByName_data();
    void badFilesAreRefusedByName();
    void missingAndForeignFiles();
};

void tst_SeparationFile::goodFileIsRead()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("predictions.h5"));
    const Status written = writeFile(path, Damage::None);
    QVERIFY2(written, qPrintable(written ? QString() : written.error().toString()));

    // The run folder and the file itself are both accepted.
    for (const QString &given : {dir.path(), path}) {
        Expected<SeparationResults> read = readSeparationResults(given);
        QVERIFY2(read, qPrintable(read ? QString() : read.error().toString()));
        const SeparationResults &r = *read;
        QCOMPARE(r.path, QFileInfo(path).absoluteFilePath());
        QCOMPARE(r.sampleRate, kRate);
        QCOMPARE(r.sourceCount, kSources);
        QCOMPARE(r.samples, std::int64_t(kSamples));
        QCOMPARE(r.seconds(), kSamples / kRate);
        QCOMPARE(r.mixtureCount(), kMixtures);
        QCOMPARE(r.listenableCount(), kListenable);
        QCOMPARE(r.mixtureSources.at(1), QStringLiteral("sub/1_theo_0.wav + 2_nicolas_4.wav"));
        for (int i = 0; i < kMixtures; ++i)
            for (int s = 0; s < kSources; ++s) {
                QCOMPARE(r.value(SeparationMetric::SiSnr, i, s), metricValue(0, i, s));
                QCOMPARE(r.value(SeparationMetric::SiSnri, i, s), metricValue(1, i, s));
                QCOMPARE(r.value(SeparationMetric::Sdri, i, s), metricValue(3, i, s));
                QCOMPARE(r.levelDb(i, s), metricValue(4, i, s));
                if (i == 2)
                    QVERIFY(std::isnan(r.value(SeparationMetric::Sdr, i, s)));
                else
                    QCOMPARE(r.value(SeparationMetric::Sdr, i, s), metricValue(2, i, s));
            }
        for (int i = 0; i < kListenable; ++i) {
            const SeparationWaveforms &w = r.listenable[std::size_t(i)];
            QCOMPARE(int(w.mixture.size()), kSamples);
            QCOMPARE(int(w.references.size()), kSources);
            QCOMPARE(int(w.estimates.size()), kSources);
            for (int t : {0, 1, 299, kSamples - 1})
                QCOMPARE(w.mixture[std::size_t(t)], sampleValue(0, i, 0, t));
            for (int s = 0; s < kSources; ++s) {
                QCOMPARE(int(w.references[std::size_t(s)].size()), kSamples);
                QCOMPARE(int(w.estimates[std::size_t(s)].size()), kSamples);
                for (int t : {0, 123, kSamples - 1}) {
                    QCOMPARE(w.references[std::size_t(s)][std::size_t(t)], sampleValue(1, i, s, t));
                    QCOMPARE(w.estimates[std::size_t(s)][std::size_t(t)], sampleValue(2, i, s, t));
                }
            }
        }
    }
}

void tst_SeparationFile::meansAndNames()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("predictions.h5"));
    QVERIFY(writeFile(path, Damage::None));
    Expected<SeparationResults> read = readSeparationResults(path);
    QVERIFY(read);
    const SeparationResults &r = *read;
    // SI-SNRi (k = 1) of mixture 1: 11.0 and 11.25.
    QCOMPARE(r.mixtureMean(SeparationMetric::SiSnri, 1), 11.125);
    // Over every mixture and source: 10 + mean(i) + 0.25 * mean(s) = 10 + 1 + 0.125.
    QCOMPARE(r.testMean(SeparationMetric::SiSnri), 11.125);
    QCOMPARE(r.sourceMean(SeparationMetric::SiSnri, 1), 11.25);
    // The SDR of mixture 3 was not computed: its means are NaN, the others are not.
    QVERIFY(std::isnan(r.testMean(SeparationMetric::Sdr)));
    QVERIFY(std::isnan(r.mixtureMean(SeparationMetric::Sdr, 2)));
    QCOMPARE(r.mixtureMean(SeparationMetric::Sdr, 0), 20.125);
    // Out of range: NaN, never a crash.
    QVERIFY(std::isnan(r.value(SeparationMetric::SiSnr, kMixtures, 0)));
    QVERIFY(std::isnan(r.value(SeparationMetric::SiSnr, 0, kSources)));
    QVERIFY(std::isnan(r.mixtureMean(SeparationMetric::SiSnr, -1)));
    // Names are the utterances' file names; a string without S parts gives "source k".
    QCOMPARE(r.sourceNames(1), (QStringList{"1_theo_0.wav", "2_nicolas_4.wav"}));
    SeparationResults odd = r;
    odd.mixtureSources[0] = QStringLiteral("just-one.wav");
    QCOMPARE(odd.sourceNames(0), (QStringList{"source 1", "source 2"}));
}

void tst_SeparationFile::badFilesAreRefusedByName_data()
{
    QTest::addColumn<int>("damage");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no /sdr") << int(Damage::NoSdr) << "no dataset /sdr";
    QTest::newRow("estimates of 3 sources") << int(Damage::EstimatesShape)
                                            << "/estimates has the shape [2, 3, 600], expected [2 "
                                               "mixtures, 2 sources, 600 samples]";
    QTest::newRow("sources of 2 mixtures")
        << int(Damage::SourcesCount) << "/sources has the shape [2], expected [3 mixtures]";
    QTest::newRow("no sample rate") << int(Damage::NoSampleRate) << "no \"sample_rate\" attribute";
    QTest::newRow("more mixtures kept than scored")
        << int(Damage::MoreListenable) << "/mixture holds 4 mixtures, more than the 3 scored";
    QTest::newRow("references shorter")
        << int(Damage::ReferencesLength) << "/references has the shape [2, 2, 599]";
}

void tst_SeparationFile::badFilesAreRefusedByName()
{
    QFETCH(int, damage);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("predictions.h5"));
    QVERIFY(writeFile(path, Damage(damage)));
    Expected<SeparationResults> read = readSeparationResults(dir.path());
    QVERIFY(!read);
    QCOMPARE(read.error().file, path);
    QVERIFY2(read.error().reason.contains(expected), qPrintable(read.error().toString()));
    QVERIFY(read.error().toString().startsWith(path + QStringLiteral(": ")));
}

void tst_SeparationFile::missingAndForeignFiles()
{
    QTemporaryDir dir;
    // A run folder without predictions.h5 (a run still training, say).
    Expected<SeparationResults> missing = readSeparationResults(dir.path());
    QVERIFY(!missing);
    QCOMPARE(missing.error().file, dir.filePath(QStringLiteral("predictions.h5")));
    QVERIFY(missing.error().reason.contains(QStringLiteral("no predictions.h5")));
    // Not HDF5 at all.
    const QString text = dir.filePath(QStringLiteral("predictions.h5"));
    QFile file(text);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("mixture,estimate\n0.1,0.2\n");
    file.close();
    Expected<SeparationResults> foreign = readSeparationResults(text);
    QVERIFY(!foreign);
    QCOMPARE(foreign.error().file, text);
    QVERIFY2(foreign.error().reason.contains(QStringLiteral("not an HDF5 file")),
             qPrintable(foreign.error().toString()));
    // An HDF5 file of another kind (a forecast run's predictions): no /si_snri.
    QVERIFY(QFile::remove(text));
    {
        Expected<Hdf5Writer> writer = Hdf5Writer::create(text);
        QVERIFY(writer);
        const std::vector<float> values{1.0f, 2.0f};
        QVERIFY(writer->writeFloats(QStringLiteral("/predictions"), values.data(), {2}));
        QVERIFY(writer->commit());
    }
    Expected<SeparationResults> other = readSeparationResults(text);
    QVERIFY(!other);
    QCOMPARE(other.error().file, text);
    QVERIFY2(other.error().reason.contains(QStringLiteral("no dataset /si_snri")),
             qPrintable(other.error().toString()));
}

QTEST_GUILESS_MAIN(tst_SeparationFile)
#include "tst_separationfile.moc"
