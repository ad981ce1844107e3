#include "FakeCli.h"
#include "client/TrainingProcess.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

/// TrainingProcess against a stand-in for twb-cli (a shell script that speaks the same JSON
/// lines, chosen by its --data argument): exit codes, crashes, stdin commands, log lines.
/// The real twb-cli is driven in tests/app/tst_trainingcontroller.
class tst_TrainingProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void finishedRunEmitsEveryEvent();
    void commandsGoToStdinAndStopIsAnInterruption();
    void crashIsAFailure();
    void failureKeepsTheLastLogLines();
    void ignoredStopEndsInAKill();

private:
    TrainRequest request(const char *mode) const;
    QTemporaryDir m_dir;
    QString m_fake;
};

namespace {

const char fakeCli[] = R"(mode=""
while [ $# -gt 0 ]; do
  case "$1" in --data) mode="$2"; shift;; esac
  shift
done
echo '{"event":"start","epochs":1,"batches_per_epoch":2,"train_windows":64,"val_windows":8,"start_epoch":1,"trainable_parameters":10}'
case "$mode" in
ok)
  echo '{"event":"batch","epoch":1,"batch":2,"batches":2,"loss":0.5,"lr":0.001,"samples_per_sec":100,"eta_sec":1}'
  echo '{"event":"epoch","epoch":1,"train_loss":0.4,"val_loss":0.6,"lr":0.001,"seconds":0.1,"best":true}'
  printf '%s' '{"event":"done","best_epoch":1,"test":{"mse":0.3,"mae":0.4,"mse_original":3,"mae_original":1,"windows":8}}'
  exit 0;;
stop)
  while read -r line; do
    echo "got $line" >&2
    if [ "$line" = stop ]; then
      echo '{"event":"interrupted","message":"stopped by request"}'
      exit 3
    fi
  done
  exit 1;;
crash)
  echo "about to crash" >&2
  kill -SEGV $$;;
fail)
  i=0
  while [ $i -lt 60 ]; do echo "log line $i" >&2; i=$((i+1)); done
  echo '{"event":"error","message":"x.csv: bad"}'
  exit 1;;
ignore)
  trap '' TERM
  while true; do sleep 0.1; done;;
esac
)";

} // namespace

void tst_TrainingProcess::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_fake = test::writeScript(m_dir.path(), QStringLiteral("fake-twb-cli"), fakeCli);
    QVERIFY(!m_fake.isEmpty());
}

TrainRequest tst_TrainingProcess::request(const char *mode) const
{
    TrainRequest r;
    r.dataPath = QLatin1String(mode);
    r.modelId = QStringLiteral("dlinear");
    r.runDir = m_dir.filePath(QLatin1String(mode));
    return r;
}

void tst_TrainingProcess::finishedRunEmitsEveryEvent()
{
    TrainingProcess p;
    p.setProgram(m_fake);
    QSignalSpy started(&p, &TrainingProcess::started);
    QSignalSpy batch(&p, &TrainingProcess::batch);
    QSignalSpy epoch(&p, &TrainingProcess::epoch);
    QSignalSpy done(&p, &TrainingProcess::done);
    QSignalSpy finished(&p, &TrainingProcess::finished);
    QSignalSpy failed(&p, &TrainingProcess::failed);
    QVERIFY(p.start(request("ok")));
    QVERIFY(!p.start(request("ok"))); // one run at a time
    QCOMPARE(p.arguments().mid(p.arguments().size() - 4),
             QStringList({"--progress", "jsonl", "--control", "stdin"}));
    QVERIFY(finished.wait(10000));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(started.size(), 1);
    QCOMPARE(started.first().first().value<TrainStartEvent>().batchesPerEpoch, 2);
    QCOMPARE(batch.size(), 1);
    QCOMPARE(batch.first().first().value<BatchEvent>().loss, 0.5);
    QCOMPARE(epoch.size(), 1);
    QCOMPARE(epoch.first().first().value<EpochEvent>().valLoss, 0.6);
    // The last line had no newline: it is still read.
    QCOMPARE(done.size(), 1);
    QCOMPARE(done.first().first().value<TrainDoneEvent>().windows, 8);
    QCOMPARE(p.state(), TrainingProcess::State::Ended);
    // Batch events are not kept in the log; the command line and the other events are.
    const QStringList log = p.lastLines();
    QVERIFY(log.first().startsWith(QStringLiteral("$ ") + m_fake + QStringLiteral(" train ")));
    QCOMPARE(log.size(), 4);
    QVERIFY(!log.join('\n').contains(QLatin1String("\"batch\"")));
}

void tst_TrainingProcess::commandsGoToStdinAndStopIsAnInterruption()
{
    TrainingProcess p;
    p.setProgram(m_fake);
    QSignalSpy started(&p, &TrainingProcess::started);
    QSignalSpy paused(&p, &TrainingProcess::pausedChanged);
    QSignalSpy interrupted(&p, &TrainingProcess::interrupted);
    QSignalSpy lines(&p, &TrainingProcess::logLine);
    QVERIFY(p.start(request("stop")));
    QVERIFY(started.wait(10000));
    p.step(); // not paused: ignored
    p.pause();
    QVERIFY(p.isPaused());
    p.step();
    p.resume();
    QVERIFY(!p.isPaused());
    QCOMPARE(paused.size(), 2);
    p.stop();
    QCOMPARE(p.state(), TrainingProcess::State::Stopping);
    QVERIFY(interrupted.wait(10000));
    QCOMPARE(interrupted.first().first().toString(), QStringLiteral("stopped by request"));
    QStringList got;
    for (const QString &line : p.lastLines())
        if (line.startsWith(QLatin1String("got ")))
            got << line;
    QCOMPARE(got, QStringList({"got pause", "got step", "got resume", "got stop"}));
}

void tst_TrainingProcess::crashIsAFailure()
{
    TrainingProcess p;
    p.setProgram(m_fake);
    QSignalSpy failed(&p, &TrainingProcess::failed);
    QVERIFY(p.start(request("crash")));
    QVERIFY(failed.wait(10000));
    const QString message = failed.first().at(0).toString();
    QVERIFY2(message.startsWith(QLatin1String("twb-cli crashed")), qPrintable(message));
    const QStringList lines = failed.first().at(1).toStringList();
    QVERIFY(lines.contains(QStringLiteral("about to crash")));
    QVERIFY(!p.isActive());
}

void tst_TrainingProcess::failureKeepsTheLastLogLines()
{
    TrainingProcess p;
    p.setProgram(m_fake);
    QSignalSpy failed(&p, &TrainingProcess::failed);
    QSignalSpy error(&p, &TrainingProcess::error);
    QVERIFY(p.start(request("fail")));
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().at(0).toString(),
             QStringLiteral("twb-cli exited with code 1: x.csv: bad"));
    QCOMPARE(error.size(), 1);
    const QStringList lines = failed.first().at(1).toStringList();
    QCOMPARE(lines.size(), TrainingProcess::LogLines);
    QVERIFY(lines.contains(QStringLiteral("log line 59")));
    QVERIFY(!lines.contains(QStringLiteral("log line 0"))); // the oldest lines are dropped
    QCOMPARE(p.lastLines(), lines);
}

void tst_TrainingProcess::ignoredStopEndsInAKill()
{
    TrainingProcess p;
    p.setProgram(m_fake);
    p.setStopGraceMs(300);
    QSignalSpy started(&p, &TrainingProcess::started);
    QSignalSpy failed(&p, &TrainingProcess::failed);
    QVERIFY(p.start(request("ignore")));
    QVERIFY(started.wait(10000));
    p.stop(); // "stop" on stdin is not read, SIGTERM is ignored, then SIGKILL
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.first().at(0).toString(),
             QStringLiteral("twb-cli was killed after it did not stop"));
    QVERIFY(p.lastLines().join('\n').contains(QLatin1String("sending SIGTERM")));
}

QTEST_GUILESS_MAIN(tst_TrainingProcess)
#include "tst_trainingprocess.moc"
