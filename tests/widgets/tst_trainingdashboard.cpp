#include "widgets/training/TrainingCurves.h"
#include "widgets/training/TrainingDashboard.h"

#include <QChart>
#include <QCheckBox>
#include <QLabel>
#include <QLineSeries>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QValueAxis>

using namespace twb;

/// The training dashboard as a view, fed plain events (the runs of the real twb-cli through its
/// controller are in tests/app/tst_trainingcontroller).
class tst_TrainingDashboard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void idle();
    void queueAndItsButton();
    void controlsEmitRequests();
    void forecastRunFromStartToFinish();
    void classificationRun();
    void separationRun();
    void pausedStoppingAndInterrupted();
    void failureShowsTheLastLines();

private:
    QPushButton *button(const char *name) const;
    QString progressText() const;
    static TrainRequest request(const QString &runDir);

    TrainingDashboard *m_dashboard = nullptr;
};

void tst_TrainingDashboard::init()
{
    m_dashboard = new TrainingDashboard;
    m_dashboard->resize(1000, 700);
    m_dashboard->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_dashboard));
}

void tst_TrainingDashboard::cleanup()
{
    delete m_dashboard;
    m_dashboard = nullptr;
}

QPushButton *tst_TrainingDashboard::button(const char *name) const
{
    return m_dashboard->findChild<QPushButton *>(QLatin1String(name));
}

QString tst_TrainingDashboard::progressText() const
{
    return m_dashboard->findChild<QProgressBar *>(QStringLiteral("progressBar"))->text();
}

TrainRequest tst_TrainingDashboard::request(const QString &runDir)
{
    TrainRequest r;
    r.dataPath = QStringLiteral("/data/ETTh1.csv");
    r.modelId = QStringLiteral("dlinear");
    r.epochs = 2;
    r.runDir = runDir;
    return r;
}

void tst_TrainingDashboard::idle()
{
    QCOMPARE(m_dashboard->statusText(),
             QStringLiteral("No run yet. Choose a model and press Train (Ctrl+T)."));
    QCOMPARE(progressText(), QStringLiteral("idle"));
    for (const char *name :
         {"pauseButton", "resumeButton", "stepButton", "stopButton", "clearQueueButton"})
        QVERIFY2(!button(name)->isEnabled(), name);
    QCOMPARE(m_dashboard->findChild<QListWidget *>(QStringLiteral("queueList"))->count(), 0);
}

void tst_TrainingDashboard::queueAndItsButton()
{
    QSignalSpy clear(m_dashboard, &TrainingDashboard::clearQueueRequested);
    m_dashboard->setQueue({request(QStringLiteral("/runs/a")), request(QStringLiteral("/runs/b"))});
    auto *list = m_dashboard->findChild<QListWidget *>(QStringLiteral("queueList"));
    QCOMPARE(list->count(), 2);
    QCOMPARE(list->item(0)->text(), request(QStringLiteral("/runs/a")).displayName());
    // The tooltip is the command that runs.
    QVERIFY2(list->item(1)->toolTip().startsWith(QLatin1String("twb-cli train ")),
             qPrintable(list->item(1)->toolTip()));
    QVERIFY(list->item(1)->toolTip().contains(QLatin1String("/runs/b")));
    QVERIFY(button("clearQueueButton")->isEnabled());
    button("clearQueueButton")->click();
    QCOMPARE(clear.size(), 1);
    QCOMPARE(list->count(), 2); // the view shows what it is given, nothing more
    m_dashboard->setQueue({});
    QCOMPARE(list->count(), 0);
    QVERIFY(!button("clearQueueButton")->isEnabled());
}

void tst_TrainingDashboard::controlsEmitRequests()
{
    QSignalSpy pause(m_dashboard, &TrainingDashboard::pauseRequested);
    QSignalSpy resume(m_dashboard, &TrainingDashboard::resumeRequested);
    QSignalSpy step(m_dashboard, &TrainingDashboard::stepRequested);
    QSignalSpy stop(m_dashboard, &TrainingDashboard::stopRequested);
    m_dashboard->setControlState(true, false);
    QVERIFY(button("pauseButton")->isEnabled());
    QVERIFY(!button("resumeButton")->isEnabled());
    QVERIFY(!button("stepButton")->isEnabled());
    QVERIFY(button("stopButton")->isEnabled());
    button("pauseButton")->click();
    m_dashboard->setControlState(true, true);
    QVERIFY(!button("pauseButton")->isEnabled());
    QVERIFY(button("resumeButton")->isEnabled());
    QVERIFY(button("stepButton")->isEnabled());
    button("stepButton")->click();
    button("resumeButton")->click();
    button("stopButton")->click();
    QCOMPARE(pause.size(), 1);
    QCOMPARE(step.size(), 1);
    QCOMPARE(resume.size(), 1);
    QCOMPARE(stop.size(), 1);
    m_dashboard->setControlState(false, true); // stopping: nothing applies
    for (const char *name : {"pauseButton", "resumeButton", "stepButton", "stopButton"})
        QVERIFY2(!button(name)->isEnabled(), name);
}

void tst_TrainingDashboard::forecastRunFromStartToFinish()
{
    const TrainRequest r = request(QStringLiteral("/runs/a"));
    TrainingCurves *curves = m_dashboard->curves();
    m_dashboard->appendLog(QStringLiteral("a line of the last run"));
    m_dashboard->showRunStarting(r);
    QCOMPARE(m_dashboard->statusText(), QStringLiteral("Running ") + r.displayName());
    QCOMPARE(progressText(), QStringLiteral("starting\u2026"));
    QCOMPARE(m_dashboard->logText(), QString()); // a new run, a new log
    m_dashboard->appendLog(QStringLiteral("$ twb-cli train --data /data/ETTh1.csv"));

    TrainStartEvent start;
    start.epochs = 2;
    start.batchesPerEpoch = 4;
    start.trainWindows = 128;
    start.valWindows = 16;
    start.trainableParameters = 1000;
    m_dashboard->showTrainStart(start);
    auto *progress = m_dashboard->findChild<QProgressBar *>(QStringLiteral("progressBar"));
    QCOMPARE(progress->maximum(), 8);
    QCOMPARE(progressText(), QStringLiteral("epoch 1/2"));
    QVERIFY2(m_dashboard->logText().contains(QLatin1String(
                 "128 train windows, 16 validation windows, 4 batches per epoch, 1000 trainable "
                 "parameters")),
             qPrintable(m_dashboard->logText()));

    for (int epoch = 1; epoch <= 2; ++epoch) {
        for (int batch = 2; batch <= 4; batch += 2) {
            BatchEvent b;
            b.epoch = epoch;
            b.batch = batch;
            b.batches = 4;
            b.loss = 1.0 / (epoch * batch);
            b.lr = 1e-3;
            b.samplesPerSec = 250;
            b.etaSec = 65;
            m_dashboard->showBatch(b);
        }
        EpochEvent e;
        e.epoch = epoch;
        e.trainLoss = 0.5 / epoch;
        e.valLoss = 0.6 / epoch;
        e.best = true;
        e.seconds = 1.5;
        m_dashboard->showEpoch(e);
    }
    QCOMPARE(curves->batchLossSeries()->count(), 4);
    QCOMPARE(curves->batchLossSeries()->points().last().x(), 2.0);
    QCOMPARE(curves->learningRateSeries()->count(), 4);
    QCOMPARE(curves->trainLossSeries()->count(), 2);
    QCOMPARE(curves->valLossSeries()->points().at(1), QPointF(2.0, 0.3));
    QCOMPARE(progress->value(), 8);
    QVERIFY2(progressText().startsWith(QStringLiteral("epoch 2/2 \u00b7 batch 4/4 \u00b7 ETA ")),
             qPrintable(progressText()));
    QCOMPARE(m_dashboard->findChild<QLabel *>(QStringLiteral("speedLabel"))->text(),
             QStringLiteral("250 samples/s"));
    QCOMPARE(m_dashboard->findChild<QLabel *>(QStringLiteral("lossLabel"))->text(),
             QStringLiteral("loss 0.125 \u00b7 lr 0.001"));
    QVERIFY(m_dashboard->logText().contains(QLatin1String("epoch 2: train 0.25, validation 0.3, "
                                                          "best")));

    EarlyStopEvent early;
    early.epoch = 2;
    early.bestEpoch = 1;
    early.bestValLoss = 0.3;
    m_dashboard->showEarlyStop(early);
    QVERIFY(m_dashboard->logText().contains(
        QLatin1String("Early stop after epoch 2: best epoch 1 (validation 0.3)")));

    TrainDoneEvent done;
    done.bestEpoch = 2;
    done.mse = 0.25;
    done.mae = 0.375;
    done.mseOriginal = 2.5;
    done.maeOriginal = 1.25;
    done.windows = 32;
    m_dashboard->showDone(done);
    const QString result = TrainingDashboard::resultText(done);
    QCOMPARE(result, QStringLiteral("best epoch 2, test MSE 0.25, MAE 0.375 (original units: MSE "
                                    "2.5, MAE 1.25) over 32 windows"));
    QVERIFY(m_dashboard->logText().contains(QStringLiteral("Done: ") + result));

    progress->setValue(5); // the last batch may not be reported: finished fills the bar
    m_dashboard->showRunEnded(r, TrainingDashboard::Outcome::Finished, result, {});
    QCOMPARE(progress->value(), progress->maximum());
    QCOMPARE(progressText(), QStringLiteral("finished"));
    QCOMPARE(m_dashboard->statusText(),
             QStringLiteral("Finished %1: %2").arg(r.displayName(), result));
    QVERIFY(m_dashboard->logText().startsWith(QLatin1String("$ twb-cli train")));
    QCOMPARE(m_dashboard->csvTable().rows.isEmpty(), false); // the curves' data
}

void tst_TrainingDashboard::classificationRun()
{
    TrainStartEvent start;
    start.epochs = 1;
    start.batchesPerEpoch = 2;
    start.trainWindows = 40;
    start.valWindows = 10;
    start.summary.insert(QStringLiteral("task"), QStringLiteral("classify"));
    m_dashboard->showTrainStart(start);
    QVERIFY(m_dashboard->logText().contains(QLatin1String("40 training cases, 10 validation "
                                                          "cases, 2 batches per epoch")));
    TrainDoneEvent done;
    done.classification = true;
    done.bestEpoch = 1;
    done.accuracy = 0.875;
    done.macroF1 = 0.8;
    done.logLoss = 0.25;
    done.examples = 10;
    QCOMPARE(TrainingDashboard::resultText(done),
             QStringLiteral("best epoch 1, test accuracy 87.5 %, macro-F1 0.800, log-loss 0.25 "
                            "over 10 cases"));
}

void tst_TrainingDashboard::separationRun()
{
    // A forecast with the log scale on first: the separation run after it turns it off.
    auto *logScale = m_dashboard->findChild<QCheckBox *>(QStringLiteral("logScaleCheck"));
    QVERIFY(logScale);
    m_dashboard->showRunStarting(request(QStringLiteral("/runs/f")));
    logScale->setChecked(true);
    QVERIFY(m_dashboard->curves()->logScale());

    TrainRequest r = request(QStringLiteral("/runs/s"));
    r.task = QStringLiteral("separate");
    r.modelId = QStringLiteral("convtasnet");
    r.dataPath = QStringLiteral("/data/fsdd/recordings");
    m_dashboard->showRunStarting(r);
    QCOMPARE(m_dashboard->statusText(),
             QStringLiteral("Running convtasnet on recordings (separate, 2 sources)"));
    TrainingCurves *curves = m_dashboard->curves();
    QCOMPARE(curves->lossName(), QStringLiteral("\u2212SI-SNR (dB)"));
    QVERIFY(!curves->logScale());
    QVERIFY(!logScale->isChecked() && !logScale->isEnabled());

    TrainStartEvent start;
    start.epochs = 2;
    start.batchesPerEpoch = 13;
    start.trainWindows = 100;
    start.valWindows = 20;
    start.trainableParameters = 5000;
    start.summary = {{QStringLiteral("task"), QStringLiteral("separate")},
                     {QStringLiteral("sources"), 2},
                     {QStringLiteral("samples"), 8000},
                     {QStringLiteral("sample_rate"), 8000.0}};
    m_dashboard->showTrainStart(start);
    QVERIFY2(m_dashboard->logText().contains(QLatin1String(
                 "100 training mixtures per epoch, 20 validation mixtures, 13 batches per epoch, "
                 "5000 trainable parameters; 2 speakers per mixture, 8000 samples at 8000 Hz")),
             qPrintable(m_dashboard->logText()));

    // The loss is minus the SI-SNR: the curves go below 0, the words give the SI-SNR.
    BatchEvent b;
    b.epoch = 1;
    b.batch = 13;
    b.batches = 13;
    b.loss = -3.25;
    b.lr = 1e-3;
    m_dashboard->showBatch(b);
    QCOMPARE(m_dashboard->findChild<QLabel *>(QStringLiteral("lossLabel"))->text(),
             QStringLiteral("SI-SNR 3.25 dB \u00b7 lr 0.001"));
    EpochEvent e;
    e.epoch = 1;
    e.trainLoss = -2.5;
    e.valLoss = -4.0;
    e.best = true;
    e.seconds = 2;
    m_dashboard->showEpoch(e);
    QVERIFY2(m_dashboard->logText().contains(
                 QLatin1String("epoch 1: SI-SNR train 2.50 dB, validation 4.00 dB, best")),
             qPrintable(m_dashboard->logText()));
    QCOMPARE(curves->valLossSeries()->points().at(0), QPointF(1.0, -4.0));
    auto *axis = qobject_cast<QValueAxis *>(curves->lossChart()->axes(Qt::Vertical).first());
    QVERIFY(axis);
    QVERIFY2(axis->min() < -4.0 && axis->max() > -2.5,
             qPrintable(QStringLiteral("%1 .. %2").arg(axis->min()).arg(axis->max())));
    QCOMPARE(axis->titleText(), QStringLiteral("\u2212SI-SNR (dB)"));

    EarlyStopEvent early;
    early.epoch = 2;
    early.bestEpoch = 1;
    early.bestValLoss = -4.0;
    m_dashboard->showEarlyStop(early);
    QVERIFY(
        m_dashboard->logText().contains(QLatin1String("best epoch 1 (validation SI-SNR 4.00 dB)")));

    // status.json's "test" of a separation run, as the done event carries it.
    TrainDoneEvent done;
    done.bestEpoch = 1;
    done.test = {{QStringLiteral("si_snri"), 6.5},
                 {QStringLiteral("si_snr"), 6.25},
                 {QStringLiteral("sdri"), 7.0},
                 {QStringLiteral("sdr"), 7.5},
                 {QStringLiteral("mixtures"), 500}};
    QCOMPARE(TrainingDashboard::resultText(done),
             QStringLiteral("best epoch 1, test SI-SNRi 6.50 dB (SI-SNR 6.25 dB), SDRi 7.00 dB "
                            "over 500 mixtures"));

    // The next forecast has its loss back, and may use the log scale again.
    m_dashboard->showRunStarting(request(QStringLiteral("/runs/g")));
    QCOMPARE(curves->lossName(), QStringLiteral("loss"));
    QVERIFY(logScale->isEnabled());
}

void tst_TrainingDashboard::pausedStoppingAndInterrupted()
{
    const TrainRequest r = request(QStringLiteral("/runs/b"));
    m_dashboard->showRunStarting(r);
    m_dashboard->showPaused(r, true);
    QCOMPARE(m_dashboard->statusText(), QStringLiteral("Paused: ") + r.displayName());
    m_dashboard->showPaused(r, false);
    QCOMPARE(m_dashboard->statusText(), QStringLiteral("Running ") + r.displayName());
    m_dashboard->showStopping(r);
    QCOMPARE(m_dashboard->statusText(),
             QStringLiteral("Stopping %1 after the current batch\u2026").arg(r.displayName()));
    m_dashboard->showRunEnded(r, TrainingDashboard::Outcome::Interrupted,
                              QStringLiteral("stopped by request"), {});
    QCOMPARE(progressText(), QStringLiteral("stopped"));
    QCOMPARE(m_dashboard->statusText(),
             QStringLiteral("Stopped %1 (checkpoint kept; resume with twb-cli train --run-dir "
                            "/runs/b --resume): stopped by request")
                 .arg(r.displayName()));
}

void tst_TrainingDashboard::failureShowsTheLastLines()
{
    const TrainRequest r = request(QStringLiteral("/runs/c"));
    m_dashboard->showRunStarting(r);
    auto *status = m_dashboard->findChild<QLabel *>(QStringLiteral("statusLabel"));
    QVERIFY(status->styleSheet().isEmpty());
    m_dashboard->showRunEnded(r, TrainingDashboard::Outcome::Failed,
                              QStringLiteral("twb-cli exited with code 1: x.csv: bad"),
                              {QStringLiteral("$ twb-cli train"), QStringLiteral("x.csv: bad")});
    QCOMPARE(progressText(), QStringLiteral("failed"));
    QCOMPARE(
        m_dashboard->statusText(),
        QStringLiteral("Failed: %1: twb-cli exited with code 1: x.csv: bad").arg(r.displayName()));
    QVERIFY(status->styleSheet().contains(QLatin1String("color"))); // in red
    const QString log = m_dashboard->logText();
    QVERIFY2(log.contains(QLatin1String("--- the run failed: twb-cli exited with code 1: x.csv: "
                                        "bad ---\nlast log lines:\n  $ twb-cli train\n  x.csv: "
                                        "bad")),
             qPrintable(log));
    // The next run clears the problem.
    m_dashboard->showRunStarting(r);
    QVERIFY(status->styleSheet().isEmpty());
}

QTEST_MAIN(tst_TrainingDashboard)
#include "tst_trainingdashboard.moc"
