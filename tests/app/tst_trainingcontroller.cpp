#include "TrainingController.h"
#include "client/RunQueue.h"
#include "client/TrainingProcess.h"
#include "widgets/training/TrainingCurves.h"
#include "widgets/training/TrainingDashboard.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace twb;

/// Real `twb-cli train` runs of the dlinear plugin on ETTh1: the controller runs its queue and
/// feeds the dashboard, driven from the dashboard's buttons (the view alone is tested with plain
/// events in tests/widgets/tst_trainingdashboard).
class tst_TrainingController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void queuedRunsFinishStopAndFail();
    void programThatDoesNotStart();
    void dashboardGoneFirst();
    void faultyPluginsAreReportedAndTrainingGoesOn();

private:
    void setUp(TrainingController &controller) const;
    TrainRequest request(const QString &data, const QString &runDir) const;

    QString m_cli;
    QString m_etth1;
    QTemporaryDir m_dir;
};

void tst_TrainingController::initTestCase()
{
    m_cli = QDir(QStringLiteral(TWB_TEST_BIN_DIR)).filePath(QStringLiteral("twb-cli"));
    QVERIFY2(QFileInfo(m_cli).isExecutable(), qPrintable(m_cli + " is not built"));
    m_etth1 = QDir(QStringLiteral(TWB_SHARED_DATA_DIR)).filePath(QStringLiteral("ett/ETTh1.csv"));
    if (!QFileInfo::exists(m_etth1))
        QSKIP(qPrintable(QStringLiteral("real data missing: ") + m_etth1));
    QVERIFY(m_dir.isValid());
}

void tst_TrainingController::setUp(TrainingController &controller) const
{
    controller.setCliProgram(m_cli);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TWB_PLUGIN_PATH"), QStringLiteral(TWB_PLUGIN_BUILD_DIR));
    controller.setProcessEnvironment(env);
}

TrainRequest tst_TrainingController::request(const QString &data, const QString &runDir) const
{
    TrainRequest r;
    r.dataPath = data;
    r.modelId = QStringLiteral("dlinear");
    r.lookback = 96;
    r.horizon = 24;
    r.epochs = 2;
    r.batchSize = 32;
    r.patience = 0;
    r.threads = 1;
    r.runDir = runDir;
    return r;
}

void tst_TrainingController::queuedRunsFinishStopAndFail()
{
    TrainingDashboard dashboard;
    TrainingController controller(&dashboard);
    setUp(controller);
    dashboard.resize(1000, 700);
    dashboard.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dashboard));

    TrainingCurves *curves = dashboard.curves();
    QSignalSpy batchPoints(curves->batchLossSeries(), &QXYSeries::pointAdded);
    QSignalSpy trainPoints(curves->trainLossSeries(), &QXYSeries::pointAdded);
    QSignalSpy valPoints(curves->valLossSeries(), &QXYSeries::pointAdded);
    QSignalSpy lrPoints(curves->learningRateSeries(), &QXYSeries::pointAdded);
    QSignalSpy batches(controller.process(), &TrainingProcess::batch);
    QSignalSpy started(&controller, &TrainingController::runStarted);
    QSignalSpy ended(&controller, &TrainingController::runEnded);
    // The status line as each run ends (the next queued run replaces it right after).
    QStringList statuses;
    QList<QPointF> trainA, valA, batchA;
    bool progressFullA = false;
    auto *progress = dashboard.findChild<QProgressBar *>(QStringLiteral("progressBar"));
    connect(&controller, &TrainingController::runEnded, this, [&] {
        if (statuses.isEmpty()) {
            trainA = curves->trainLossSeries()->points();
            valA = curves->valLossSeries()->points();
            batchA = curves->batchLossSeries()->points();
            progressFullA = progress->value() == progress->maximum();
        }
        statuses << dashboard.statusText();
    });

    const QString runA = m_dir.filePath(QStringLiteral("a"));
    const QString runB = m_dir.filePath(QStringLiteral("b"));
    const QString runC = m_dir.filePath(QStringLiteral("c"));
    const QString missing = m_dir.filePath(QStringLiteral("nope.csv"));
    controller.enqueue(request(m_etth1, runA));
    controller.enqueue(request(m_etth1, runB));
    controller.enqueue(request(missing, runC));
    QCOMPARE(started.size(), 1);
    QVERIFY(controller.isRunning());
    QCOMPARE(controller.queuedCount(), 2);
    // The dashboard lists the runs that wait.
    auto *queueList = dashboard.findChild<QListWidget *>(QStringLiteral("queueList"));
    QCOMPARE(queueList->count(), 2);
    QCOMPARE(queueList->item(0)->text(), controller.queue()->requests().at(0).displayName());

    // Run A: two full epochs; the curves receive their points while it runs.
    QVERIFY(batchPoints.wait(120000));
    QTRY_VERIFY_WITH_TIMEOUT(ended.size() >= 1, 240000);
    QCOMPARE(ended.at(0).at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Finished);
    QCOMPARE(trainPoints.size(), 2);
    QCOMPARE(valPoints.size(), 2);
    QCOMPARE(trainA.size(), 2);
    QCOMPARE(trainA.at(0).x(), 1.0);
    QCOMPARE(valA.at(1).x(), 2.0);
    QVERIFY(valA.at(1).y() > 0.0);
    QVERIFY2(batchA.size() >= 2, "the last batch of each epoch is always reported");
    QCOMPARE(lrPoints.size(), batchPoints.size());
    QCOMPARE(batchA.last().x(), 2.0); // the last batch of epoch 2
    QVERIFY2(statuses.value(0).startsWith(QLatin1String("Finished dlinear on ETTh1.csv")) &&
                 statuses.value(0).contains(QLatin1String("test MSE")),
             qPrintable(statuses.value(0)));
    QVERIFY(progressFullA);
    QVERIFY(QFileInfo::exists(runA + QStringLiteral("/config.json")));
    QVERIFY(QFileInfo::exists(runA + QStringLiteral("/checkpoints/best.pt")));
    QVERIFY(QFileInfo::exists(runA + QStringLiteral("/predictions.h5")));

    // Run B starts by itself from the queue: pause, two single steps, stop while paused.
    QTRY_COMPARE_WITH_TIMEOUT(started.size(), 2, 10000);
    QCOMPARE(controller.queuedCount(), 1);
    QCOMPARE(queueList->count(), 1);
    batches.clear();
    QVERIFY(batches.wait(120000));
    QVERIFY(curves->batchLossSeries()->count() >= 1); // the curves were cleared for run B
    QVERIFY(curves->batchLossSeries()->count() < batchPoints.size());
    dashboard.findChild<QPushButton *>(QStringLiteral("pauseButton"))->click();
    QVERIFY(controller.process()->isPaused());
    QVERIFY(dashboard.findChild<QPushButton *>(QStringLiteral("stepButton"))->isEnabled());
    QTest::qWait(500); // events still in the pipe
    batches.clear();
    QTest::qWait(700);
    QCOMPARE(batches.size(), 0); // paused: no batch runs

    // A step trains exactly one batch; it is reported because > 100 ms passed since the last.
    controller.step();
    QVERIFY(batches.wait(20000));
    const auto first = batches.last().first().value<BatchEvent>();
    QTest::qWait(300);
    QCOMPARE(batches.size(), 1);
    dashboard.findChild<QPushButton *>(QStringLiteral("stepButton"))->click();
    QVERIFY(batches.wait(20000));
    const auto second = batches.last().first().value<BatchEvent>();
    if (first.batch < first.batches)
        QCOMPARE(second.batch, first.batch + 1);
    QTest::qWait(300);
    QCOMPARE(batches.size(), 2);

    dashboard.findChild<QPushButton *>(QStringLiteral("stopButton"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(ended.size() >= 2, 60000);
    QCOMPARE(ended.at(1).at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Interrupted);
    QCOMPARE(ended.at(1).at(0).value<TrainRequest>().runDir, runB);
    QVERIFY(QFileInfo::exists(runB + QStringLiteral("/checkpoints/last.pt")));
    QFile statusFile(runB + QStringLiteral("/status.json"));
    QVERIFY(statusFile.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(statusFile.readAll()).object().value("state").toString(),
             QStringLiteral("interrupted"));
    QVERIFY2(statuses.value(1).startsWith(QLatin1String("Stopped dlinear on ETTh1.csv")),
             qPrintable(statuses.value(1)));

    // Run C: a data file that does not exist. The dashboard says so with the log lines.
    QTRY_VERIFY_WITH_TIMEOUT(ended.size() >= 3, 60000);
    QCOMPARE(ended.at(2).at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Failed);
    const QString status = dashboard.statusText();
    QVERIFY2(status.startsWith(QLatin1String("Failed: dlinear on nope.csv")), qPrintable(status));
    QVERIFY2(status.contains(QLatin1String("exited with code 1")), qPrintable(status));
    const QString log = dashboard.logText();
    QVERIFY2(log.contains(QLatin1String("last log lines:")), qPrintable(log));
    // The log view holds words, not the JSON progress stream.
    QVERIFY2(!log.contains(QLatin1String("{\"event\"")), qPrintable(log));
    QVERIFY2(log.contains(missing), qPrintable(log));
    bool named = false;
    for (const QString &line : controller.process()->lastLines())
        named |= line.contains(missing) && !line.startsWith(QLatin1String("$ "));
    QVERIFY2(named, qPrintable(controller.process()->lastLines().join('\n')));

    // The dashboard keeps working: nothing runs, the controls are off, a new run can start.
    QVERIFY(!controller.isRunning());
    QCOMPARE(controller.queuedCount(), 0);
    QCOMPARE(queueList->count(), 0);
    QVERIFY(!dashboard.findChild<QPushButton *>(QStringLiteral("stopButton"))->isEnabled());
    QVERIFY(!dashboard.findChild<QPushButton *>(QStringLiteral("pauseButton"))->isEnabled());
}

void tst_TrainingController::programThatDoesNotStart()
{
    TrainingDashboard dashboard;
    TrainingController controller(&dashboard);
    controller.setCliProgram(m_dir.filePath(QStringLiteral("no-such-twb-cli")));
    QSignalSpy failed(controller.process(), &TrainingProcess::failed);
    QSignalSpy ended(&controller, &TrainingController::runEnded);
    controller.enqueue(request(m_etth1, m_dir.filePath(QStringLiteral("d"))));
    QVERIFY(failed.wait(10000));
    QCOMPARE(ended.size(), 1);
    QVERIFY2(failed.first().first().toString().startsWith(QLatin1String("cannot start ")),
             qPrintable(failed.first().first().toString()));
    QVERIFY(dashboard.statusText().startsWith(QLatin1String("Failed:")));
    QVERIFY(!controller.isRunning());
}

void tst_TrainingController::dashboardGoneFirst()
{
    // The window's tabs are destroyed before the controller: a run still goes on, unseen.
    auto dashboard = std::make_unique<TrainingDashboard>();
    TrainingController controller(dashboard.get());
    controller.setCliProgram(m_dir.filePath(QStringLiteral("no-such-twb-cli")));
    QSignalSpy ended(&controller, &TrainingController::runEnded);
    controller.enqueue(request(m_etth1, m_dir.filePath(QStringLiteral("e"))));
    controller.enqueue(request(m_etth1, m_dir.filePath(QStringLiteral("f"))));
    dashboard.reset();
    QVERIFY(!controller.dashboard());
    QTRY_COMPARE_WITH_TIMEOUT(ended.size(), 2, 10000);
    controller.clearQueue();
    controller.stop();
}

void tst_TrainingController::faultyPluginsAreReportedAndTrainingGoesOn()
{
    // A plugin that throws in create(), one whose forward() aborts the process (issue 16): each
    // run fails with its reason in the dashboard, and the next run trains as if nothing happened.
    TrainingDashboard dashboard;
    TrainingController controller(&dashboard);
    setUp(controller);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TWB_PLUGIN_PATH"),
               QStringLiteral(TWB_PLUGIN_BUILD_DIR ":" TWB_FAULTY_PLUGIN_DIR));
    controller.setProcessEnvironment(env);
    QSignalSpy ended(&controller, &TrainingController::runEnded);
    QStringList statuses;
    connect(&controller, &TrainingController::runEnded, this,
            [&] { statuses << dashboard.statusText(); });

    TrainRequest throws = request(m_etth1, m_dir.filePath(QStringLiteral("throws")));
    throws.modelId = QStringLiteral("faulty");
    throws.hyperparameters = {{"fault", "create_throws"}};
    TrainRequest aborts = throws;
    aborts.runDir = m_dir.filePath(QStringLiteral("aborts"));
    aborts.hyperparameters = {{"fault", "forward_aborts"}, {"fault_after", 3}};
    TrainRequest good = request(m_etth1, m_dir.filePath(QStringLiteral("after-faults")));
    good.epochs = 1;
    controller.enqueue(throws);
    controller.enqueue(aborts);
    controller.enqueue(good);
    QTRY_VERIFY_WITH_TIMEOUT(ended.size() >= 3, 120000);

    QCOMPARE(ended.at(0).at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Failed);
    QVERIFY2(statuses.at(0).contains(QLatin1String("create threw on purpose")),
             qPrintable(statuses.at(0)));
    QCOMPARE(ended.at(1).at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Failed);
    QVERIFY2(statuses.at(1).contains(QLatin1String("twb-cli crashed")), qPrintable(statuses.at(1)));
    QCOMPARE(ended.at(2).at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Finished);
    QVERIFY(QFileInfo::exists(m_dir.filePath(QStringLiteral("after-faults/predictions.h5"))));
}

QTEST_MAIN(tst_TrainingController)
#include "tst_trainingcontroller.moc"
