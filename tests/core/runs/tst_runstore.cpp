#include "runs/RunStore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

class tst_RunStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createOpenAndRefuseTwice();
    void configAndStatus();
    void metricsFiles();
    void resumeTruncatesMetrics();
    void logAppends();
    void runningWithADeadProcessReadsInterrupted();
    void runningElsewhereIsTakenAtItsWord();
    void staleTemporariesAreRemoved();
    void clearMetricsForgetsEveryRow();
};

void tst_RunStore::createOpenAndRefuseTwice()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("runs/a"));
    QVERIFY(!RunStore::open(dir)); // nothing there yet
    Expected<RunStore> store = RunStore::create(dir);
    QVERIFY(store);
    QVERIFY(QDir(store->checkpointDir()).exists());
    QCOMPARE(store->checkpointPath(QStringLiteral("best.pt")),
             QDir(dir).absoluteFilePath(QStringLiteral("checkpoints/best.pt")));
    Expected<RunStore> opened = RunStore::open(dir);
    QVERIFY(!opened); // no config.json yet: not a run
    QVERIFY(opened.error().reason.contains("config.json"));

    QVERIFY(store->writeConfig({{"model", "dlinear"}}));
    Expected<RunStore> again = RunStore::create(dir);
    QVERIFY(!again);
    QVERIFY(again.error().reason.contains("--resume"));
    QCOMPARE(again.error().file, dir);
    QVERIFY(RunStore::open(dir));

    // Opening a run only reads it: a run whose checkpoints/ folder is gone stays that way.
    QVERIFY(QDir(store->checkpointDir()).removeRecursively());
    QVERIFY(RunStore::open(dir));
    QVERIFY(!QDir(store->checkpointDir()).exists());
}

void tst_RunStore::configAndStatus()
{
    QTemporaryDir tmp;
    Expected<RunStore> store = RunStore::create(tmp.path());
    QVERIFY(store);
    const QJsonObject config{{"model", "patchtst"}, {"lookback", 336}};
    QVERIFY(store->writeConfig(config));
    QCOMPARE(*store->readConfig(), config);

    QVERIFY(store->writeStatus(RunState::Interrupted, "stopped", {{"epoch", 2}}));
    Expected<QJsonObject> status = store->readStatus();
    QVERIFY(status);
    QCOMPARE(status->value("state").toString(), QStringLiteral("interrupted"));
    QCOMPARE(status->value("message").toString(), QStringLiteral("stopped"));
    QCOMPARE(status->value("epoch").toInt(), 2);
    QVERIFY(!status->value("updated").toString().isEmpty());
    for (RunState s : {RunState::Running, RunState::Finished, RunState::Failed}) {
        QVERIFY(store->writeStatus(s, {}));
        QCOMPARE(store->readStatus()->value("state").toString(), runStateName(s));
    }
    // Atomic writes leave no temporary files behind.
    const QStringList files = QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden);
    QCOMPARE(files, (QStringList{"config.json", "status.json"}));
}

void tst_RunStore::metricsFiles()
{
    QTemporaryDir tmp;
    Expected<RunStore> store = RunStore::create(tmp.path());
    QVERIFY(store);
    QVERIFY(store->appendEpoch({1, 0.5, 0.75, 1e-3, 1.25, true}));
    QVERIFY(store->appendEpoch({2, 0.25, 0.8, 5e-4, 1.5, false}));
    QFile csv(store->filePath(QStringLiteral("metrics.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(csv.readAll()),
             QStringLiteral("epoch,train_loss,val_loss,lr,seconds,best\n"
                            "1,0.5,0.75,0.001,1.250,true\n"
                            "2,0.25,0.8,0.0005,1.500,false\n"));
    QFile jsonl(store->filePath(QStringLiteral("metrics.jsonl")));
    QVERIFY(jsonl.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = jsonl.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const EpochRecord second = EpochRecord::fromJson(QJsonDocument::fromJson(lines[1]).object());
    QCOMPARE(second.epoch, std::int64_t(2));
    QCOMPARE(second.valLoss, 0.8);
    QCOMPARE(second.best, false);
}

void tst_RunStore::resumeTruncatesMetrics()
{
    QTemporaryDir tmp;
    Expected<RunStore> store = RunStore::create(tmp.path());
    QVERIFY(store);
    for (int e = 1; e <= 4; ++e)
        QVERIFY(store->appendEpoch({e, 1.0 / e, 1.0 / e, 1e-3, 1.0, true}));
    // The checkpoint was taken after epoch 2: epochs 3 and 4 are trained again.
    QVERIFY(store->loadMetrics(3));
    QCOMPARE(store->epochs().size(), std::size_t(2));
    QVERIFY(store->appendEpoch({3, 0.1, 0.1, 1e-3, 1.0, true}));
    QCOMPARE(store->epochs().back().epoch, std::int64_t(3));
    QVERIFY(store->loadMetrics(100));
    QCOMPARE(store->epochs().size(), std::size_t(3));
}

void tst_RunStore::logAppends()
{
    QTemporaryDir tmp;
    Expected<RunStore> store = RunStore::create(tmp.path());
    QVERIFY(store);
    store->log(QStringLiteral("first"));
    store->log(QStringLiteral("second"));
    QFile log(store->filePath(QStringLiteral("log.txt")));
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = log.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QVERIFY(lines[0].endsWith(" first"));
    QVERIFY(lines[1].endsWith(" second"));
}

/// A pid that no longer exists: a child that has exited and been reaped.
static qint64 deadPid()
{
    QProcess child;
    child.start(QStringLiteral("/bin/true"), {});
    if (!child.waitForStarted())
        return -1;
    const qint64 pid = child.processId();
    child.waitForFinished(10000);
    return pid;
}

void tst_RunStore::runningWithADeadProcessReadsInterrupted()
{
    QTemporaryDir tmp;
    Expected<RunStore> store = RunStore::create(tmp.path());
    QVERIFY(store);
    QVERIFY(store->writeRunningStatus({{"epoch", 2}}));
    Expected<QJsonObject> live = store->readStatus();
    QVERIFY(live);
    QCOMPARE(live->value("state").toString(), QStringLiteral("running")); // this process
    QCOMPARE(live->value("pid").toInteger(), QCoreApplication::applicationPid());
    QCOMPARE(store->livePid(), QCoreApplication::applicationPid());

    // The process that wrote "running" was killed (its pid exited, nothing else has it yet).
    const qint64 pid = deadPid();
    QVERIFY(pid > 0);
    QJsonObject raw = *store->readStatus();
    raw["pid"] = pid;
    QFile file(store->filePath("status.json"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(raw).toJson());
    file.close();
    Expected<QJsonObject> gone = store->readStatus();
    QVERIFY(gone);
    QCOMPARE(gone->value("state").toString(), QStringLiteral("interrupted"));
    QVERIFY(gone->value("process_gone").toBool());
    QVERIFY2(gone->value("message").toString().contains(QString::number(pid)),
             qPrintable(gone->value("message").toString()));
    QCOMPARE(gone->value("epoch").toInt(), 2); // the rest as written
    QCOMPARE(store->livePid(), qint64(0));
}

void tst_RunStore::runningElsewhereIsTakenAtItsWord()
{
    QTemporaryDir tmp;
    Expected<RunStore> store = RunStore::create(tmp.path());
    QVERIFY(store);
    // Another machine's pid cannot be checked from here; nor can a status without a pid.
    QVERIFY(store->writeStatus(RunState::Running, QString(),
                               {{"pid", deadPid()}, {"host", "some-other-host"}}));
    QCOMPARE(store->readStatus()->value("state").toString(), QStringLiteral("running"));
    QVERIFY(store->writeStatus(RunState::Running, QString()));
    QCOMPARE(store->readStatus()->value("state").toString(), QStringLiteral("running"));
    // A finished run stays finished whatever its pid.
    QVERIFY(store->writeStatus(RunState::Finished, QString(), {{"pid", deadPid()}}));
    QCOMPARE(store->readStatus()->value("state").toString(), QStringLiteral("finished"));
}

void tst_RunStore::staleTemporariesAreRemoved()
{
    QTemporaryDir tmp;
    Expected<RunStore> store = RunStore::create(tmp.path());
    QVERIFY(store);
    auto touch = [](const QString &path) {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write("torn") == 4;
    };
    QVERIFY(touch(store->filePath("metrics.csv.tmp-a1B2c3")));
    QVERIFY(touch(store->checkpointPath("last.pt.tmp-ZZzz99")));
    QVERIFY(touch(store->filePath("notes.tmp-keep"))); // not writeFileAtomically's pattern
    QVERIFY(touch(store->checkpointPath("last.pt")));
    QStringList removed = store->removeStaleTemporaries();
    removed.sort();
    QCOMPARE(removed, QStringList({"checkpoints/last.pt.tmp-ZZzz99", "metrics.csv.tmp-a1B2c3"}));
    QVERIFY(QFile::exists(store->filePath("notes.tmp-keep")));
    QVERIFY(QFile::exists(store->checkpointPath("last.pt")));
    QVERIFY(!QFile::exists(store->checkpointPath("last.pt.tmp-ZZzz99")));
}

void tst_RunStore::clearMetricsForgetsEveryRow()
{
    QTemporaryDir tmp;
    Expected<RunStore> store = RunStore::create(tmp.path());
    QVERIFY(store);
    QVERIFY(store->appendEpoch({1, 1.0, 1.0, 1e-3, 1.0, true}));
    QVERIFY(QFile::exists(store->filePath("metrics.csv")));
    store->clearMetrics();
    QVERIFY(store->epochs().empty());
    QVERIFY(!QFile::exists(store->filePath("metrics.csv")));
    QVERIFY(!QFile::exists(store->filePath("metrics.jsonl")));
    QVERIFY(store->loadMetrics(100));
    QVERIFY(store->epochs().empty());
}

QTEST_GUILESS_MAIN(tst_RunStore)
#include "tst_runstore.moc"
