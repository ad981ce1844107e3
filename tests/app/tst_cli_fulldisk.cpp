// twb-cli on a full disk and with absurd count flags (issue 16): the child runs with a file-size
// limit (RLIMIT_FSIZE, SIGXFSZ ignored, so a write fails with EFBIG as on a full disk). Every
// output must leave an existing file untouched and no temporary behind, name the path and the
// reason, exit 1 (never crash in HDF5's clean-up), and never say "written".

#include "CliTestSupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using twb::test::Result;

class tst_CliFullDisk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void outputKeepsItsBytes_data();
    void outputKeepsItsBytes();
    void attentionPngKeepsItsBytes();
    void trainOnAFullDiskExitsOne();
    void absurdCounts_data();
    void absurdCounts();

private:
    /// Runs twb-cli with at most `limitBytes` per written file (-1: no limit).
    Result run(const QStringList &args, qint64 limitBytes = -1);
    QString existingFile(const QString &name) const;
    void checkFailedWrite(const Result &r, const QString &out, const QByteArray &before);

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_csv;
    QString m_runDir;
    QString m_outDir;
};

Result tst_CliFullDisk::run(const QStringList &args, qint64 limitBytes)
{
    return twb::test::runCli(m_cli, m_tmp.path(), args, 120000, limitBytes);
}

QString tst_CliFullDisk::existingFile(const QString &name) const
{
    const QString path = QDir(m_outDir).filePath(name);
    QFile f(path);
    if (f.open(QIODevice::WriteOnly))
        f.write("the user's earlier results, which must survive\n");
    return path;
}

void tst_CliFullDisk::checkFailedWrite(const Result &r, const QString &out,
                                       const QByteArray &before)
{
    QVERIFY2(
        r.exitCode == 1,
        qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
    QVERIFY2(r.err.contains(QFile::encodeName(out)), r.err.constData());
    QVERIFY2(r.err.contains("File too large"), r.err.constData());
    QVERIFY2(!r.err.contains("written") && !r.out.contains("written"), r.err.constData());
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
    const QStringList left = QDir(m_outDir).entryList(QDir::Files);
    QVERIFY2(left == QStringList{QFileInfo(out).fileName()}, qPrintable(left.join(", ")));
}

void tst_CliFullDisk::initTestCase()
{
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    QVERIFY(m_tmp.isValid());
    m_csv = m_tmp.filePath(QStringLiteral("waves.csv"));
    QVERIFY(twb::test::writeHourlyWaves(m_csv, 400));
    m_runDir = m_tmp.filePath(QStringLiteral("run"));
    const Result r =
        run({"train",    "--data",       m_csv,    "--model",    "dlinear", "--task",
             "forecast", "--lookback",   "48",     "--horizon",  "12",      "--epochs",
             "2",        "--batch-size", "16",     "--seed",     "7",       "--threads",
             "1",        "--run-dir",    m_runDir, "--progress", "none"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
}

void tst_CliFullDisk::outputKeepsItsBytes_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("limit");
    const QString wav = QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings/0_george_0.wav");
    QTest::newRow("predict csv, limit 0")
        << QStringList{"predict", "RUN", "--data", "DATA", "--out"} << "p.csv" << qint64(0);
    QTest::newRow("predict csv, limit 100")
        << QStringList{"predict", "RUN", "--data", "DATA", "--out"} << "p.csv" << qint64(100);
    QTest::newRow("predict all windows h5")
        << QStringList{"predict", "RUN", "--data", "DATA", "--all-windows", "--out"} << "p.h5"
        << qint64(4096);
    QTest::newRow("export h5") << QStringList{"export", "RUN", "--out"} << "e.h5" << qint64(4096);
    QTest::newRow("spectrogram png")
        << QStringList{"spectrogram", wav, "--out"} << "s.png" << qint64(0);
    QTest::newRow("spectrogram h5")
        << QStringList{"spectrogram", wav, "--out"} << "s.h5" << qint64(4096);
}

void tst_CliFullDisk::outputKeepsItsBytes()
{
    QFETCH(QStringList, args);
    QFETCH(QString, name);
    QFETCH(qint64, limit);
    if (args.front() == "spectrogram" && !QFile::exists(args[1]))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(args[1])));
    m_outDir =
        m_tmp.filePath(QStringLiteral("out-") + QString::number(qHash(QTest::currentDataTag())));
    QVERIFY(QDir().mkpath(m_outDir));
    const QString out = existingFile(name);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray before = f.readAll();
    args.replaceInStrings(QStringLiteral("RUN"), m_runDir);
    args.replaceInStrings(QStringLiteral("DATA"), m_csv);
    checkFailedWrite(run(args << out, limit), out, before);
}

void tst_CliFullDisk::attentionPngKeepsItsBytes()
{
    const QString csv = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(csv))
        QSKIP(qPrintable(QStringLiteral("missing %1").arg(csv)));
    const QString runDir = m_tmp.filePath(QStringLiteral("patchtst"));
    const Result trained = run(twb::test::tinyPatchTstTrainArgs(csv, runDir));
    QVERIFY2(trained.exitCode == 0, trained.err.constData());
    m_outDir = m_tmp.filePath(QStringLiteral("out-attention"));
    QVERIFY(QDir().mkpath(m_outDir));
    const QString out = existingFile(QStringLiteral("a.png"));
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray before = f.readAll();
    checkFailedWrite(run({"attention", runDir, "--index", "5", "--out", out}, 0), out, before);
}

void tst_CliFullDisk::trainOnAFullDiskExitsOne()
{
    // Enough for the checkpoints (24 KB), not for predictions.h5 (39 KB) written at the end.
    const QString runDir = m_tmp.filePath(QStringLiteral("full"));
    const Result r = run({"train",    "--data",       m_csv,  "--model",    "dlinear", "--task",
                          "forecast", "--lookback",   "48",   "--horizon",  "12",      "--epochs",
                          "2",        "--batch-size", "16",   "--seed",     "7",       "--threads",
                          "1",        "--run-dir",    runDir, "--progress", "none"},
                         30000);
    QVERIFY2(
        r.exitCode == 1,
        qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
    QVERIFY2(r.err.contains("File too large"), r.err.constData());
    QVERIFY2(r.err.contains(QFile::encodeName(runDir)), r.err.constData());
    QDirIterator it(runDir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        QVERIFY2(!file.contains(QStringLiteral(".tmp-")), qPrintable(file));
    }
    // The checkpoint written before the disk filled up is whole: eval loads it.
    QVERIFY2(QFile::exists(runDir + QStringLiteral("/checkpoints/best.pt")), r.err.constData());
    const Result eval = run({"eval", runDir, "--json"});
    QVERIFY2(eval.exitCode == 0, eval.err.constData());
}

void tst_CliFullDisk::absurdCounts_data()
{
    QTest::addColumn<QString>("flag");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("threads") << "--threads"
                             << "100000"
                             << "--threads";
    QTest::newRow("batch size") << "--batch-size"
                                << "100000000"
                                << "--batch-size";
    QTest::newRow("lookback") << "--lookback"
                              << "1000000000"
                              << "--lookback";
    QTest::newRow("epochs") << "--epochs"
                            << "1000000000"
                            << "--epochs";
}

void tst_CliFullDisk::absurdCounts()
{
    QFETCH(QString, flag);
    QFETCH(QString, value);
    QFETCH(QString, message);
    const QString runDir = m_tmp.filePath(QStringLiteral("absurd"));
    QStringList args{"train",  "--data",     m_csv,       "--model", "dlinear",
                     "--task", "forecast",   "--horizon", "12",      "--run-dir",
                     runDir,   "--progress", "none"};
    if (flag != QLatin1String("--lookback"))
        args << "--lookback"
             << "48";
    args << flag << value;
    const Result r = run(args);
    QVERIFY2(
        r.exitCode == 2,
        qPrintable(QStringLiteral("exit %1: %2").arg(r.exitCode).arg(QString::fromUtf8(r.err))));
    QVERIFY2(r.err.contains(message.toUtf8()) && r.err.contains("out of range"), r.err.constData());
    QVERIFY(!QFileInfo::exists(runDir));
}

QTEST_GUILESS_MAIN(tst_CliFullDisk)
#include "tst_cli_fulldisk.moc"
