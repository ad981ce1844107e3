#include "FakeCli.h"
#include "client/CliProcess.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

#include <cerrno>

using namespace twb;

/// CliProcess against a stand-in for twb-cli: a shell script whose first argument picks what it
/// does (lines split across writes, both streams, exit codes, a crash, SIGTERM ignored, stdin).
class tst_CliProcess : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void joinLastLines_data();
    void joinLastLines();
    void linesSplitAcrossWrites();
    void bothStreamsAndTheErrorTail();
    void exitCodes_data();
    void exitCodes();
    void environment();
    void crashOfItsOwn();
    void programThatDoesNotExist();
    void terminate();
    void ignoredTerminateEndsInAKill();
    void destructionLeavesNoOrphan_data();
    void destructionLeavesNoOrphan();
    void stdinRoundTrip();
    void nextChildFromTheEndedSlot();

private:
    /// Records every signal of `p` in order: "out:LINE", "err:LINE", "ended".
    void record(CliProcess &p, QStringList &events);
    QTemporaryDir m_dir;
    QString m_fake;
};

namespace {

const char fakeCli[] = R"(case "$1" in
split)
  printf 'hel'; sleep 0.2; printf 'lo\nwor'; sleep 0.2; printf 'ld\r\n\nsec'; sleep 0.2
  printf 'ond\nno newline at the end';;
streams)
  echo out1; echo err1 >&2; sleep 0.1; echo out2; echo '  ' >&2; echo err2 >&2
  i=0
  while [ $i -lt 60 ]; do echo "tail $i" >&2; i=$((i+1)); done
  printf 'last error' >&2
  exit 5;;
exit)
  exit "$2";;
env)
  echo "value=$TWB_TEST_VALUE";;
crash)
  echo "about to crash" >&2
  kill -9 $$;;
wait)
  echo waiting
  while true; do sleep 0.05; done;;
ignore)
  trap '' TERM
  echo ignoring
  while true; do sleep 0.05; done;;
echo)
  while read -r line; do echo "got $line"; done
  echo eof;;
esac
)";

bool processExists(qint64 pid)
{
    return ::kill(pid_t(pid), 0) == 0 || errno != ESRCH;
}

} // namespace

void tst_CliProcess::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_fake = test::writeScript(m_dir.path(), QStringLiteral("fake-twb-cli"), fakeCli);
    QVERIFY(!m_fake.isEmpty());
}

void tst_CliProcess::record(CliProcess &p, QStringList &events)
{
    p.setProgram(m_fake);
    connect(&p, &CliProcess::outputLine, this,
            [&events](const QByteArray &line) { events << "out:" + QString::fromUtf8(line); });
    connect(&p, &CliProcess::errorLine, this,
            [&events](const QByteArray &line) { events << "err:" + QString::fromUtf8(line); });
    connect(&p, &CliProcess::ended, this, [&events] { events << QStringLiteral("ended"); });
}

void tst_CliProcess::joinLastLines_data()
{
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("joined");
    QTest::newRow("none") << QStringList() << 3 << QString();
    QTest::newRow("fewer than asked") << QStringList{"a", "b"} << 3 << "a b";
    QTest::newRow("the last ones") << QStringList{"a", "b", "c", "d"} << 2 << "c d";
    QTest::newRow("blank lines skipped, lines trimmed")
        << QStringList{"a", " b ", "", "  ", "c\r"} << 2 << "b c";
}

void tst_CliProcess::joinLastLines()
{
    QFETCH(QStringList, lines);
    QFETCH(int, count);
    QFETCH(QString, joined);
    QCOMPARE(twb::joinLastLines(lines, count), joined);
}

void tst_CliProcess::linesSplitAcrossWrites()
{
    CliProcess p;
    QStringList events;
    record(p, events);
    QSignalSpy ended(&p, &CliProcess::ended);
    QVERIFY(p.start({QStringLiteral("split")}));
    QVERIFY(p.isRunning());
    QVERIFY(!p.start({QStringLiteral("split")})); // one child at a time
    QCOMPARE(p.arguments(), QStringList{QStringLiteral("split")});
    QVERIFY(ended.wait(10000));
    // Whole lines however the child wrote them; "\r\n" is a newline; the last line without a
    // newline comes before ended().
    QCOMPARE(events, QStringList({"out:hello", "out:world", "out:", "out:second",
                                  "out:no newline at the end", "ended"}));
    QVERIFY(ended.first().first().value<CliExit>().ok());
    QVERIFY(!p.isRunning());
    QCOMPARE(p.state(), CliProcess::State::NotRunning);
}

void tst_CliProcess::bothStreamsAndTheErrorTail()
{
    CliProcess p;
    QStringList events;
    record(p, events);
    QSignalSpy ended(&p, &CliProcess::ended);
    QVERIFY(p.start({QStringLiteral("streams")}));
    QVERIFY(ended.wait(10000));
    QStringList out, err;
    for (const QString &e : events) {
        if (e.startsWith(QLatin1String("out:")))
            out << e.mid(4);
        else if (e.startsWith(QLatin1String("err:")))
            err << e.mid(4);
    }
    QCOMPARE(events.last(), QStringLiteral("ended"));
    QCOMPARE(out, QStringList({"out1", "out2"}));
    // Each stream in its own order, blank lines included.
    QCOMPARE(err.mid(0, 3), QStringList({"err1", "  ", "err2"}));
    QCOMPARE(err.size(), 3 + 60 + 1);
    QCOMPARE(err.last(), QStringLiteral("last error"));
    // The tail keeps the last non-empty lines only.
    const QStringList tail = p.errorTail();
    QCOMPARE(tail.size(), CliProcess::ErrorTailLines);
    QCOMPARE(tail.first(), QStringLiteral("tail 11"));
    QCOMPARE(tail.last(), QStringLiteral("last error"));
    QCOMPARE(p.lastErrorLines(2), QStringLiteral("tail 59 last error"));
    const auto exit = ended.first().first().value<CliExit>();
    QCOMPARE(exit.kind, CliExit::Kind::Exited);
    QCOMPARE(exit.code, 5);
    QVERIFY(!exit.ok());
}

void tst_CliProcess::exitCodes_data()
{
    QTest::addColumn<int>("code");
    QTest::newRow("success") << 0;
    QTest::newRow("failure") << 1;
    QTest::newRow("interrupted") << 3;
    QTest::newRow("diverged") << 4;
}

void tst_CliProcess::exitCodes()
{
    QFETCH(int, code);
    CliProcess p;
    p.setProgram(m_fake);
    QSignalSpy ended(&p, &CliProcess::ended);
    QVERIFY(p.start({QStringLiteral("exit"), QString::number(code)}));
    QVERIFY(ended.wait(10000));
    QCOMPARE(ended.size(), 1);
    const auto exit = ended.first().first().value<CliExit>();
    QCOMPARE(exit.kind, CliExit::Kind::Exited);
    QCOMPARE(exit.code, code);
    QCOMPARE(exit.ok(), code == 0);
    QVERIFY(!exit.killed);
}

void tst_CliProcess::environment()
{
    CliProcess p;
    QStringList events;
    record(p, events);
    QSignalSpy ended(&p, &CliProcess::ended);
    // By default the child inherits this process's environment as it is when it starts.
    qputenv("TWB_TEST_VALUE", "7");
    QCOMPARE(p.environment().value(QStringLiteral("TWB_TEST_VALUE")), QStringLiteral("7"));
    QVERIFY(p.start({QStringLiteral("env")}));
    qunsetenv("TWB_TEST_VALUE");
    QVERIFY(ended.wait(10000));
    QCOMPARE(events, QStringList({"out:value=7", "ended"}));

    events.clear();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TWB_TEST_VALUE"), QStringLiteral("42"));
    p.setEnvironment(env);
    QVERIFY(p.start({QStringLiteral("env")}));
    QVERIFY(ended.wait(10000));
    QCOMPARE(events, QStringList({"out:value=42", "ended"}));
}

void tst_CliProcess::crashOfItsOwn()
{
    CliProcess p;
    QStringList events;
    record(p, events);
    QSignalSpy ended(&p, &CliProcess::ended);
    QVERIFY(p.start({QStringLiteral("crash")}));
    QVERIFY(ended.wait(10000));
    QCOMPARE(events, QStringList({"err:about to crash", "ended"}));
    const auto exit = ended.first().first().value<CliExit>();
    QCOMPARE(exit.kind, CliExit::Kind::Crashed);
    QVERIFY(!exit.reason.isEmpty());
    QVERIFY(!exit.killed); // not by us
    QCOMPARE(p.lastErrorLines(3), QStringLiteral("about to crash"));
}

void tst_CliProcess::programThatDoesNotExist()
{
    CliProcess p;
    p.setProgram(m_dir.filePath(QStringLiteral("no-such-twb-cli")));
    QSignalSpy ended(&p, &CliProcess::ended);
    QVERIFY(p.start({QStringLiteral("train")}));
    QCOMPARE(ended.size(), 0); // never from inside start()
    QVERIFY(p.isRunning());
    QVERIFY(ended.wait(10000));
    QCOMPARE(ended.size(), 1);
    const auto exit = ended.first().first().value<CliExit>();
    QCOMPARE(exit.kind, CliExit::Kind::NotStarted);
    QVERIFY2(!exit.reason.isEmpty(), "the system's reason");
    QVERIFY(!p.isRunning());
    QTest::qWait(100);
    QCOMPARE(ended.size(), 1); // exactly one
}

void tst_CliProcess::terminate()
{
    CliProcess p;
    QStringList events;
    record(p, events);
    QSignalSpy started(&p, &CliProcess::started);
    QSignalSpy ended(&p, &CliProcess::ended);
    QVERIFY(p.start({QStringLiteral("wait")}));
    QVERIFY(started.wait(10000));
    QTRY_COMPARE(events.size(), 1); // "waiting"
    QCOMPARE(p.state(), CliProcess::State::Running);
    QVERIFY(p.processId() > 0);
    p.terminate();
    QVERIFY(ended.wait(10000));
    const auto exit = ended.first().first().value<CliExit>();
    QCOMPARE(exit.kind, CliExit::Kind::Crashed);
    QVERIFY(!exit.killed); // SIGTERM was enough
    QCOMPARE(p.processId(), 0);
}

void tst_CliProcess::ignoredTerminateEndsInAKill()
{
    CliProcess p;
    QStringList events;
    record(p, events);
    QSignalSpy ended(&p, &CliProcess::ended);
    QVERIFY(p.start({QStringLiteral("ignore")}));
    QTRY_COMPARE(events, QStringList{QStringLiteral("out:ignoring")});
    const qint64 pid = p.processId();
    QElapsedTimer clock;
    clock.start();
    p.terminateThenKill(300);
    QVERIFY(ended.wait(10000));
    QVERIFY2(clock.elapsed() >= 290, "SIGKILL waits for the grace period");
    const auto exit = ended.first().first().value<CliExit>();
    QCOMPARE(exit.kind, CliExit::Kind::Crashed);
    QVERIFY(exit.killed);
    QVERIFY(!processExists(pid));
}

void tst_CliProcess::destructionLeavesNoOrphan_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("minMs");
    QTest::newRow("ends on SIGTERM") << QStringLiteral("wait") << 0;
    QTest::newRow("ignores SIGTERM") << QStringLiteral("ignore") << CliProcess::DestroyGraceMs;
}

void tst_CliProcess::destructionLeavesNoOrphan()
{
    QFETCH(QString, mode);
    QFETCH(int, minMs);
    auto p = std::make_unique<CliProcess>();
    QStringList events;
    record(*p, events);
    int signalsAfterDelete = 0;
    QVERIFY(p->start({mode}));
    QTRY_COMPARE(events.size(), 1); // the child runs its loop
    const qint64 pid = p->processId();
    QVERIFY(pid > 0);
    QVERIFY(processExists(pid));
    events.clear();
    connect(p.get(), &CliProcess::ended, this, [&] { ++signalsAfterDelete; });
    QElapsedTimer clock;
    clock.start();
    p.reset();
    QVERIFY(clock.elapsed() >= minMs);
    QVERIFY2(!processExists(pid), "the child is gone, and reaped");
    QCOMPARE(signalsAfterDelete, 0); // never emits from its destructor
    QCOMPARE(events, QStringList());
}

void tst_CliProcess::stdinRoundTrip()
{
    CliProcess p;
    QStringList events;
    record(p, events);
    QSignalSpy lines(&p, &CliProcess::outputLine);
    QSignalSpy ended(&p, &CliProcess::ended);
    QVERIFY(p.start({QStringLiteral("echo")}));
    QTRY_COMPARE(p.state(), CliProcess::State::Running);
    QVERIFY(p.write("first\n"));
    QVERIFY(lines.wait(10000));
    QCOMPARE(events, QStringList{QStringLiteral("out:got first")});
    QVERIFY(p.write("sec"));
    QVERIFY(p.write("ond\nthird\n"));
    p.closeStdin(); // the child reads to the end of its input, then exits
    QVERIFY(ended.wait(10000));
    QCOMPARE(events,
             QStringList({"out:got first", "out:got second", "out:got third", "out:eof", "ended"}));
    QVERIFY(ended.first().first().value<CliExit>().ok());
    QVERIFY(!p.write("late\n")); // nobody listens any more
}

void tst_CliProcess::nextChildFromTheEndedSlot()
{
    CliProcess p;
    QStringList events;
    record(p, events);
    int starts = 0;
    connect(&p, &CliProcess::ended, this, [&] {
        if (++starts < 3)
            QVERIFY(p.start({QStringLiteral("env")}));
    });
    QSignalSpy ended(&p, &CliProcess::ended);
    QVERIFY(p.start({QStringLiteral("env")}));
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 3, 10000);
    QCOMPARE(events,
             QStringList({"out:value=", "ended", "out:value=", "ended", "out:value=", "ended"}));
    QVERIFY(!p.isRunning());
    // A blocking wait ends a child from here (for owners that must end it now).
    QVERIFY(p.start({QStringLiteral("exit"), QStringLiteral("2")}));
    QVERIFY(p.waitForEnded(10000));
    QCOMPARE(ended.size(), 4);
    QCOMPARE(ended.last().first().value<CliExit>().code, 2);
}

QTEST_GUILESS_MAIN(tst_CliProcess)
#include "tst_cliprocess.moc"
