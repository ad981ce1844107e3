// Attention across training, the client side: the checkpoints of a run in epoch order, one
// child per checkpoint, failures named without stopping the others. twb-cli is played by a
// shell script that copies prepared attention files.
#include "AttentionFixtures.h"
#include "FakeCli.h"
#include "attention/AttentionFile.h"
#include "client/AttentionJob.h"
#include "client/AttentionSequence.h"
#include "client/RunCheckpoints.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

class tst_AttentionSequence : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsCheckpointsInEpochOrder()
    {
        QTemporaryDir dir;
        QVERIFY(test::makeRun(dir.path(),
                              {"last.pt", "epoch_010.pt", "best.pt", "epoch_002.pt",
                               "epoch_1000.pt", "epoch_x.pt", "notes.txt", "epoch_001.pt"}));
        QCOMPARE(listCheckpoints(dir.path()),
                 QStringList({"epoch_001.pt", "epoch_002.pt", "epoch_010.pt", "epoch_1000.pt",
                              "best.pt", "last.pt"}));
        QCOMPARE(checkpointEpoch(QStringLiteral("epoch_010.pt")), 10);
        QCOMPARE(checkpointEpoch(QStringLiteral("best.pt")), -1);
        QCOMPARE(checkpointEpoch(QStringLiteral("epoch_x.pt")), -1);
        QVERIFY(hasEpochCheckpoint(listCheckpoints(dir.path())));

        QTemporaryDir plain;
        QVERIFY(test::makeRun(plain.path(), {"best.pt", "last.pt"}));
        QVERIFY(!hasEpochCheckpoint(listCheckpoints(plain.path())));
        QCOMPARE(listCheckpoints(plain.path()), QStringList({"best.pt", "last.pt"}));
        QVERIFY(listCheckpoints(dir.filePath("missing")).isEmpty());
        QVERIFY(listCheckpoints(QString()).isEmpty());
    }

    void computesEveryCheckpointInOrder()
    {
        QTemporaryDir dir;
        const QString run = dir.filePath(QStringLiteral("run"));
        const QString files = test::filesFolder(dir.path());
        const QString log = dir.filePath(QStringLiteral("log.txt"));
        QVERIFY(test::writeEpochRun(run, files));
        const QList<std::pair<QString, int>> &peaks = test::epochPeaks();

        AttentionSequence sequence;
        sequence.setProgram(test::copyingCli(dir.path(), files, log));
        QCOMPARE(sequence.job()->program(), sequence.program());
        QSignalSpy started(&sequence, &AttentionSequence::checkpointStarted);
        QSignalSpy computed(&sequence, &AttentionSequence::checkpointComputed);
        QSignalSpy failed(&sequence, &AttentionSequence::checkpointFailed);
        QSignalSpy finished(&sequence, &AttentionSequence::finished);
        AttentionRequest base{run, 4};
        sequence.start(base, listCheckpoints(run));
        QVERIFY(sequence.isRunning());
        QCOMPARE(started.count(), 1);
        QVERIFY(finished.wait(20000));
        QVERIFY(!sequence.isRunning());
        QCOMPARE(failed.count(), 0);
        QCOMPARE(started.count(), 4);
        QCOMPARE(computed.count(), 4);
        const auto first = computed.at(0).at(0).value<AttentionRequest>();
        QCOMPARE(first.checkpoint, QStringLiteral("epoch_002.pt"));
        QCOMPARE(first.index, 4);
        QCOMPARE(computed.at(2).at(0).value<AttentionRequest>().checkpoint,
                 QStringLiteral("epoch_010.pt"));
        // Each checkpoint's own map: the peak of head 0, query 0 moves with the epoch.
        for (int i = 0; i < peaks.size(); ++i) {
            const auto set =
                computed.at(i).at(1).value<std::shared_ptr<const explain::AttentionSet>>();
            QVERIFY(set);
            QCOMPARE(set->layers[0].at(0, 0, peaks[i].second), 0.5f);
        }
        QCOMPARE(test::lineCount(log), 4);
        QFile logFile(log);
        QVERIFY(logFile.open(QIODevice::ReadOnly));
        const QString line = QString::fromUtf8(logFile.readLine()).trimmed();
        QVERIFY2(line.startsWith(QStringLiteral("attention ") + run +
                                 QStringLiteral(" --index 4 --checkpoint epoch_002.pt --out ")),
                 qPrintable(line));
    }

    void aFailingCheckpointIsReportedAndTheOthersGoOn()
    {
        QTemporaryDir dir;
        const QString run = dir.filePath(QStringLiteral("run"));
        const QString files = test::filesFolder(dir.path());
        QVERIFY(test::makeRun(run, {"epoch_001.pt", "epoch_002.pt", "epoch_003.pt"}));
        for (const QString &name : {QStringLiteral("epoch_001"), QStringLiteral("epoch_003")})
            QVERIFY(explain::writeAttentionFile(QDir(files).filePath(name + ".h5"),
                                                test::setWithPeak(0))
                        .isOk());
        AttentionSequence sequence;
        sequence.setProgram(
            test::copyingCli(dir.path(), files, dir.filePath(QStringLiteral("log"))));
        QSignalSpy computed(&sequence, &AttentionSequence::checkpointComputed);
        QSignalSpy failed(&sequence, &AttentionSequence::checkpointFailed);
        QSignalSpy finished(&sequence, &AttentionSequence::finished);
        sequence.start({run, 0}, listCheckpoints(run));
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().at(0).toString(), QStringLiteral("epoch_002.pt"));
        const QString message = failed.first().at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("exit 3")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("cannot read checkpoint epoch_002.pt")),
                 qPrintable(message));
        QCOMPARE(computed.count(), 2);
        QCOMPARE(computed.at(1).at(0).value<AttentionRequest>().checkpoint,
                 QStringLiteral("epoch_003.pt"));
    }

    void aMissingProgramEndsTheSequence()
    {
        QTemporaryDir dir;
        QVERIFY(test::makeRun(dir.path(), {"epoch_001.pt", "epoch_002.pt"}));
        AttentionSequence sequence;
        sequence.setProgram(QStringLiteral("/nonexistent/twb-cli"));
        QSignalSpy failed(&sequence, &AttentionSequence::checkpointFailed);
        QSignalSpy finished(&sequence, &AttentionSequence::finished);
        sequence.start({dir.path(), 0}, listCheckpoints(dir.path()));
        QVERIFY(finished.count() > 0 || finished.wait(5000));
        QCOMPARE(failed.count(), 1); // not once per checkpoint
        QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("/nonexistent/twb-cli")));
        QVERIFY(!sequence.isRunning());
    }

    void cancelledSequencesSayNothingMore()
    {
        QTemporaryDir dir;
        const QString files = test::filesFolder(dir.path());
        QVERIFY(test::writeFile(QDir(files).filePath(QStringLiteral("sleep-0")), "30"));
        AttentionSequence sequence;
        sequence.setProgram(
            test::copyingCli(dir.path(), files, dir.filePath(QStringLiteral("log"))));
        QSignalSpy finished(&sequence, &AttentionSequence::finished);
        QSignalSpy failed(&sequence, &AttentionSequence::checkpointFailed);
        sequence.start({dir.path(), 0}, {QStringLiteral("epoch_001.pt")});
        QVERIFY(sequence.isRunning());
        sequence.cancel();
        QVERIFY(!sequence.isRunning());
        QVERIFY(!sequence.job()->isBusy());
        QTest::qWait(500);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(failed.count(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_AttentionSequence)
#include "tst_attentionsequence.moc"
