// twb-cli predict for a classification run on sound clips: new recordings without labels.

#include "../core/audio/SoundFiles.h"
#include "CliTestSupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using twb::test::Result;

class tst_CliClassify : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void predictsUnlabelledRecordings();

private:
    Result run(const QStringList &args) { return twb::test::runCli(m_cli, m_tmp.path(), args); }
    void writeTone(const QString &file, double frequency);

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_runDir;
};

void tst_CliClassify::writeTone(const QString &file, double frequency)
{
    QVERIFY(QDir().mkpath(QFileInfo(file).absolutePath()));
    QVERIFY(twb::test::writeSound(file, twb::test::sine(frequency, 8000, 2000, 0.5), 8000));
}

void tst_CliClassify::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    // Low and high tones named {label}_{take}.wav; takes 5 and 6 are the test part.
    for (int take = 1; take <= 6; ++take) {
        writeTone(m_tmp.filePath(QStringLiteral("train/lo_%1.wav").arg(take)), 300 + 10 * take);
        writeTone(m_tmp.filePath(QStringLiteral("train/hi_%1.wav").arg(take)), 2500 + 10 * take);
    }
    m_runDir = m_tmp.filePath(QStringLiteral("run"));
    const Result train =
        run(QStringList{"train", "--task", "classify", "--data",
                        m_tmp.filePath(QStringLiteral("train")), "--test-glob", "*_[56].wav",
                        "--features", "logmel", "--mel-bins", "16", "--epochs", "2", "--batch-size",
                        "4", "--run-dir", m_runDir}
            << twb::test::tinyTstArgs());
    QVERIFY2(train.exitCode == 0, train.err.constData());
}

void tst_CliClassify::predictsUnlabelledRecordings()
{
    // New recordings: any names, a sub-folder, no labels.
    writeTone(m_tmp.filePath(QStringLiteral("new/morning.wav")), 320);
    writeTone(m_tmp.filePath(QStringLiteral("new/later/evening.wav")), 2520);
    const QString folder = m_tmp.filePath(QStringLiteral("new"));
    const QString out = m_tmp.filePath(QStringLiteral("new.csv"));

    // Without --unlabelled the names are read as labels: none is one of the run's classes.
    const Result labelled = run({"predict", m_runDir, "--data", folder, "--out", out});
    QVERIFY(labelled.exitCode != 0);
    QVERIFY2(labelled.err.contains("morning.wav"), labelled.err.constData());
    QVERIFY(!QFile::exists(out));

    const Result r = run({"predict", m_runDir, "--data", folder, "--out", out, "--unlabelled"});
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QFile csv(out);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = csv.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QByteArray("source,label,predicted,p_hi,p_lo"));
    QVERIFY2(lines[1].startsWith("later/evening.wav,,"), lines[1].constData());
    QVERIFY2(lines[2].startsWith("morning.wav,,"), lines[2].constData());
    for (int i = 1; i <= 2; ++i) {
        const QList<QByteArray> cells = lines[i].split(',');
        QCOMPARE(cells.size(), 5);
        QVERIFY(cells[2] == "hi" || cells[2] == "lo");
        const double sum = cells[3].toDouble() + cells[4].toDouble();
        QVERIFY2(std::abs(sum - 1.0) < 1e-5, lines[i].constData());
        // The predicted class is the more probable one.
        QCOMPARE(cells[2] == "hi", cells[3].toDouble() >= cells[4].toDouble());
    }

    // A single sound file needs no flag: it has no label anyway.
    const QString one = m_tmp.filePath(QStringLiteral("one.csv"));
    const Result single = run({"predict", m_runDir, "--data",
                               m_tmp.filePath(QStringLiteral("new/morning.wav")), "--out", one});
    QVERIFY2(single.exitCode == 0, single.err.constData());
    QFile oneCsv(one);
    QVERIFY(oneCsv.open(QIODevice::ReadOnly));
    const QList<QByteArray> oneLines = oneCsv.readAll().trimmed().split('\n');
    QCOMPARE(oneLines.size(), 2);
    // The same class and probabilities as in the folder (up to the batch's rounding).
    const QList<QByteArray> alone = oneLines[1].split(','), inFolder = lines[2].split(',');
    QCOMPARE(alone.size(), 5);
    QCOMPARE(alone[0], inFolder[0]);
    QCOMPARE(alone[2], inFolder[2]);
    QVERIFY(std::abs(alone[3].toDouble() - inFolder[3].toDouble()) < 1e-5);

    // Labelled data still gives the labels.
    const QString test = m_tmp.filePath(QStringLiteral("test.csv"));
    const Result withLabels = run(
        {"predict", m_runDir, "--data", m_tmp.filePath(QStringLiteral("train")), "--out", test});
    QVERIFY2(withLabels.exitCode == 0, withLabels.err.constData());
    QFile testCsv(test);
    QVERIFY(testCsv.open(QIODevice::ReadOnly));
    const QList<QByteArray> testLines = testCsv.readAll().trimmed().split('\n');
    QCOMPARE(testLines.size(), 13);
    QVERIFY2(testLines[1].startsWith("hi_1.wav,hi,"), testLines[1].constData());
}

QTEST_GUILESS_MAIN(tst_CliClassify)
#include "tst_cli_classify.moc"
