// A plugin that misbehaves (issue 16): one that throws in create() or forward() fails the run
// with its message and a "failed" status; one that aborts takes down only its twb-cli process,
// and the run then reads as interrupted. The window's side is in tst_trainingcontroller.

#include "CliTestSupport.h"
#include "runs/RunStore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

class tst_CliPluginFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void theFaultyPluginIsListed();
    void throwingPluginFailsTheRun_data();
    void throwingPluginFailsTheRun();
    void abortingPluginLeavesAnInterruptedRun();

private:
    test::Result run(const QStringList &args) const;
    QStringList trainArgs(const QString &runDir, const QString &fault, int after) const;

    QTemporaryDir m_tmp;
    QString m_cli;
    QString m_csv;
};

test::Result tst_CliPluginFaults::run(const QStringList &args) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TWB_PLUGIN_PATH"), QStringLiteral(TWB_FAULTY_PLUGIN_DIR));
    return test::runCli(m_cli, m_tmp.path(), args, 120000, -1, env);
}

QStringList tst_CliPluginFaults::trainArgs(const QString &runDir, const QString &fault,
                                           int after) const
{
    return {"train",
            "--data",
            m_csv,
            "--model",
            "faulty",
            "--lookback",
            "24",
            "--horizon",
            "6",
            "--epochs",
            "1",
            "--batch-size",
            "8",
            "--threads",
            "1",
            "--set",
            "fault=" + fault,
            "--set",
            QStringLiteral("fault_after=%1").arg(after),
            "--run-dir",
            runDir,
            "--progress",
            "none"};
}

void tst_CliPluginFaults::initTestCase()
{
    m_cli = QStringLiteral(TWB_TEST_BIN_DIR "/twb-cli");
    QVERIFY2(QFile::exists(m_cli), qPrintable(m_cli + " is not built"));
    QVERIFY(m_tmp.isValid());
    m_csv = m_tmp.filePath(QStringLiteral("waves.csv"));
    QVERIFY(test::writeHourlyWaves(m_csv, 300));
}

void tst_CliPluginFaults::theFaultyPluginIsListed()
{
    const test::Result r = run({"models"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("faulty"), r.out.constData());
}

void tst_CliPluginFaults::throwingPluginFailsTheRun_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<int>("after");
    QTest::addColumn<QByteArray>("says");
    QTest::newRow("create throws") << "create_throws" << 0 << QByteArray("create threw on purpose");
    // The first forward is the memory estimate's, before training.
    QTest::newRow("first forward throws")
        << "forward_throws" << 0 << QByteArray("forward threw on purpose");
    QTest::newRow("forward throws while training")
        << "forward_throws" << 4 << QByteArray("forward threw on purpose");
}

void tst_CliPluginFaults::throwingPluginFailsTheRun()
{
    QFETCH(QString, fault);
    QFETCH(int, after);
    QFETCH(QByteArray, says);
    const QString dir = m_tmp.filePath(QStringLiteral("throw-%1-%2").arg(fault).arg(after));
    const test::Result r = run(trainArgs(dir, fault, after));
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains(says), r.err.constData());
    // status.json says so (a run that failed in create() has no config.json: nothing ran).
    QFile status(QDir(dir).filePath("status.json"));
    QVERIFY(status.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(status.readAll()).object().value("state").toString(),
             QStringLiteral("failed"));
}

void tst_CliPluginFaults::abortingPluginLeavesAnInterruptedRun()
{
    const QString dir = m_tmp.filePath(QStringLiteral("aborts"));
    const test::Result r = run(trainArgs(dir, QStringLiteral("forward_aborts"), 3));
    QCOMPARE(r.exitCode, -1); // SIGABRT: only this process goes
    Expected<RunStore> store = RunStore::open(dir);
    QVERIFY(store);
    const QJsonObject status = *store->readStatus();
    QCOMPARE(status.value("state").toString(), QStringLiteral("interrupted"));
    QVERIFY(status.value("process_gone").toBool());
}

QTEST_GUILESS_MAIN(tst_CliPluginFaults)
#include "tst_cli_pluginfaults.moc"
