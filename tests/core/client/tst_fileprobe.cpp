// probeFileInChild: an HDF5 file is read once by a `twb-cli inspect` child before the window
// reads it in its own process. Files that crash or hang Debian's HDF5 1.10.8
// (fuzz/known-library-issues) are refused by name; readable and cleanly refused files are left
// to the in-process reader; a file that passed is not read again.

#include "FakeCli.h"
#include "client/FileProbe.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

namespace {

const QString kCli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
const QString kFuzz = QStringLiteral(TWB_FUZZ_DIR);

QString knownIssue(const QString &name)
{
    return kFuzz + QStringLiteral("/known-library-issues/") + name;
}

ProbeOptions withCli(const QString &program, int timeoutMs = 0)
{
    ProbeOptions options;
    options.program = program;
    options.timeoutMs = timeoutMs;
    return options;
}

/// The child died of `signal` reading the file. In the sanitizer build (scripts/run-sanitizers.sh)
/// AddressSanitizer catches the fault first and ends the child with exit code 1 and its report.
bool diedOf(const Error &error, const char *signal)
{
    const QString &r = error.reason;
    const bool died =
        r.contains(QStringLiteral("crashed the HDF5 library (%1)").arg(QLatin1String(signal))) ||
        (r.contains(QLatin1String("with exit code 1 and no message of its own")) &&
         r.contains(QLatin1String("AddressSanitizer")));
    return died && r.contains(QLatin1String("was not opened"));
}

/// A stand-in for twb-cli that dies of SIGSEGV: the probe must not be asked to run it.
QString segfaultingCli(const QString &dir)
{
    return test::writeScript(dir, QStringLiteral("segv-cli"), "kill -SEGV $$\n");
}

} // namespace

class tst_FileProbe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void crashingFilesAreRefusedByName_data();
    void crashingFilesAreRefusedByName();
    void aFileThatHangsTheReaderIsStopped();
    void readableFilesAreReadInProcessAndRemembered();
    void cleanlyRefusedFilesAreLeftToTheReader();
    void filesOtherThanHdf5AreNotProbed();
    void aChildThatDiesWithoutItsMessageIsNotTrusted();
    void withoutTwbCliTheFileIsReadInProcess();
    void resultFilesAreProbedAsResults();

private:
    QTemporaryDir m_dir;
};

void tst_FileProbe::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFile::exists(kCli), qPrintable(kCli));
}

void tst_FileProbe::crashingFilesAreRefusedByName_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("kind");
    QTest::newRow("series: SEGV in H5F__accum_read")
        << knownIssue(QStringLiteral("hdf5series/segv-h5f-accum-read.h5"))
        << int(ProbeKind::Series);
    QTest::newRow("series: invalid free in H5Ovisit2")
        << knownIssue(QStringLiteral("hdf5series/segv-h5mm-xfree-in-h5ovisit.h5"))
        << int(ProbeKind::Series);
    QTest::newRow("labelled: SEGV in H5HG_read")
        << knownIssue(QStringLiteral("labelledhdf5/segv-h5hg-read.h5")) << int(ProbeKind::Labelled);
}

void tst_FileProbe::crashingFilesAreRefusedByName()
{
    QFETCH(QString, file);
    QFETCH(int, kind);
    const std::optional<Error> error = probeFileInChild(file, ProbeKind(kind), withCli(kCli));
    QVERIFY2(error, "a file that crashes HDF5 must not be left to the window");
    QCOMPARE(error->file, file);
    QVERIFY2(diedOf(*error, "Segmentation fault"), qPrintable(error->reason));
    // Not remembered as readable: asked again, the answer is the same.
    QVERIFY(probeFileInChild(file, ProbeKind(kind), withCli(kCli)));
}

void tst_FileProbe::aFileThatHangsTheReaderIsStopped()
{
    const QString file = knownIssue(QStringLiteral("hdf5series/hang-h5hg-global-heap.h5"));
    QElapsedTimer clock;
    clock.start();
    const std::optional<Error> error =
        probeFileInChild(file, ProbeKind::Series, withCli(kCli, 3000));
    QVERIFY2(error, "an endless read must be stopped and reported");
    QVERIFY2(clock.elapsed() < 30000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(error->file, file);
    QVERIFY2(error->reason.startsWith(QLatin1String("reading it did not finish in 3 s")),
             qPrintable(error->reason));
}

void tst_FileProbe::readableFilesAreReadInProcessAndRemembered()
{
    const QString file = m_dir.filePath(QStringLiteral("series.h5"));
    QVERIFY(QFile::copy(kFuzz + QStringLiteral("/corpus/hdf5series/series.h5"), file));
    QVERIFY(!probeFileInChild(file, ProbeKind::Series, withCli(kCli)));

    // Passed once: not read again, even by a reader that would crash now.
    const QString segv = segfaultingCli(m_dir.path());
    QVERIFY(!probeFileInChild(file, ProbeKind::Series, withCli(segv)));

    // A changed file is a new file (another size): it is read again.
    {
        QFile f(file);
        QVERIFY(f.open(QIODevice::Append));
        QCOMPARE(f.write(QByteArray(512, '\0')), qint64(512));
    }
    const std::optional<Error> again = probeFileInChild(file, ProbeKind::Series, withCli(segv));
    QVERIFY2(again && again->reason.contains(QLatin1String("crashed")), "a changed file is probed");
}

void tst_FileProbe::cleanlyRefusedFilesAreLeftToTheReader()
{
    // twb-cli refuses it with a message (exit 1): the window's own read gives the same message.
    QVERIFY(!probeFileInChild(knownIssue(QStringLiteral("hdf5series/leak-h5fopen-root-group.h5")),
                              ProbeKind::Series, withCli(kCli)));
}

void tst_FileProbe::filesOtherThanHdf5AreNotProbed()
{
    const QString csv = m_dir.filePath(QStringLiteral("a.h5")); // the name does not make it HDF5
    QVERIFY(test::writeFile(csv, "date,x\n2020-01-01,1\n"));
    const QString segv = segfaultingCli(m_dir.path());
    QVERIFY(!probeFileInChild(csv, ProbeKind::Series, withCli(segv)));
    QVERIFY(!probeFileInChild(m_dir.filePath(QStringLiteral("missing.h5")), ProbeKind::Series,
                              withCli(segv)));
    QVERIFY(!probeFileInChild(m_dir.path(), ProbeKind::Labelled, withCli(segv))); // a folder
}

void tst_FileProbe::aChildThatDiesWithoutItsMessageIsNotTrusted()
{
    // A failing exit without twb-cli's own "error:" line is not a refusal of the file.
    const QString file = m_dir.filePath(QStringLiteral("quiet.h5"));
    QVERIFY(QFile::copy(kFuzz + QStringLiteral("/corpus/hdf5series/series.h5"), file));
    const QString dying = test::writeScript(
        m_dir.path(), QStringLiteral("dying-cli"),
        "echo '==1==ERROR: AddressSanitizer: SEGV on unknown address' >&2\n"
        "echo 'SUMMARY: AddressSanitizer: SEGV in H5F__accum_read' >&2\nexit 1\n");
    const std::optional<Error> error = probeFileInChild(file, ProbeKind::Series, withCli(dying));
    QVERIFY(error);
    QCOMPARE(error->reason,
             QStringLiteral("reading it ended the twb-cli that read it first with exit code 1 and "
                            "no message of its own (SUMMARY: AddressSanitizer: SEGV in "
                            "H5F__accum_read); the file was not opened"));
    // twb-cli's own refusal is left to the reader in the window, which gives the same message.
    const QString refusing =
        test::failingCli(m_dir.path(), 1, {"twb-cli inspect: error: quiet.h5: not a series"});
    QVERIFY(!probeFileInChild(file, ProbeKind::Series, withCli(refusing)));
}

void tst_FileProbe::withoutTwbCliTheFileIsReadInProcess()
{
    const QString file = m_dir.filePath(QStringLiteral("foreign.h5"));
    QVERIFY(QFile::copy(kFuzz + QStringLiteral("/corpus/hdf5series/foreign.h5"), file));
    QVERIFY(!probeFileInChild(file, ProbeKind::Series,
                              withCli(m_dir.filePath(QStringLiteral("no-such-cli")))));
}

void tst_FileProbe::resultFilesAreProbedAsResults()
{
    const QString forecast = m_dir.filePath(QStringLiteral("forecast.h5"));
    const QString classify = m_dir.filePath(QStringLiteral("classify.h5"));
    QVERIFY(QFile::copy(kFuzz + QStringLiteral("/corpus/predictions/forecast.h5"), forecast));
    QVERIFY(QFile::copy(kFuzz + QStringLiteral("/corpus/predictions/classify.h5"), classify));
    QVERIFY(!probeFileInChild(forecast, ProbeKind::Predictions, withCli(kCli)));
    QVERIFY(!probeFileInChild(classify, ProbeKind::ClassPredictions, withCli(kCli)));
    const struct
    {
        QString file;
        ProbeKind kind;
        const char *signal;
    } damaged[] = {
        {knownIssue(QStringLiteral("hdf5series/segv-h5f-accum-read.h5")), ProbeKind::Predictions,
         "Segmentation fault"},
        {knownIssue(QStringLiteral("predictions/segv-h5vm-memcpyvv.h5")),
         ProbeKind::ClassPredictions, "Segmentation fault"},
        {knownIssue(QStringLiteral("predictions/memcpy-overlap-h5hg-read.h5")),
         ProbeKind::ClassPredictions, "Aborted"},
    };
    for (const auto &d : damaged) {
        const std::optional<Error> error = probeFileInChild(d.file, d.kind, withCli(kCli));
        QVERIFY2(error, qPrintable(d.file));
        QVERIFY2(diedOf(*error, d.signal), qPrintable(error->reason));
    }
}

QTEST_GUILESS_MAIN(tst_FileProbe)
#include "tst_fileprobe.moc"
