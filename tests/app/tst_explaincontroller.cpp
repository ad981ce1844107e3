// The Explain and Forward pass tabs wired by their controller to scripted stand-ins for
// twb-cli: the panels' requests reach the child, files written come back as what the views
// show, failures are reported with the child's last lines or the broken file's name, the
// latest request wins, and the timeline computes one child per checkpoint.
#include "../core/client/AttentionFixtures.h"
#include "../core/client/FakeCli.h"
#include "ExplainController.h"
#include "attention/AttentionFile.h"
#include "client/AttentionJob.h"
#include "client/AttentionSequence.h"
#include "client/ForwardJob.h"
#include "client/RunCheckpoints.h"
#include "client/WhatIfSession.h"
#include "widgets/explain/AttentionExplorer.h"
#include "widgets/explain/AttentionMapView.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/explain/AttentionTimeline.h"
#include "widgets/explain/ForwardPassPanel.h"
#include "widgets/explain/ForwardPassView.h"
#include "widgets/explain/SaliencyView.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

class tst_ExplainController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void programAndCheckpointsReachTheViews();
    void attentionPanelShowsTheChildsFile();
    void attentionPanelReportsAFailingChild();
    void attentionPanelReportsAMissingProgram();
    void attentionPanelNamesABrokenFile();
    void theLatestAttentionRequestWins();
    void timelineComputesEveryCheckpoint();
    void timelineReportsAFailingCheckpointAndGoesOn();
    void timelineReportsAMissingProgram();
    void forwardPanelShowsTheChildsTrace();
    void forwardPanelReportsAFailingChild();
    void forwardPanelNamesABrokenFile();
};

void tst_ExplainController::programAndCheckpointsReachTheViews()
{
    QTemporaryDir plain, epochs;
    QVERIFY(test::makeRun(plain.path(), {"best.pt", "last.pt"}));
    QVERIFY(test::makeRun(epochs.path(), {"best.pt", "epoch_001.pt", "epoch_002.pt"}));
    AttentionPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(QStringLiteral("/opt/twb/twb-cli"));
    QCOMPARE(controller.program(), QStringLiteral("/opt/twb/twb-cli"));
    QCOMPARE(controller.attentionJob()->program(), QStringLiteral("/opt/twb/twb-cli"));
    QCOMPARE(controller.attentionSequence()->program(), QStringLiteral("/opt/twb/twb-cli"));
    QCOMPARE(controller.forwardJob()->program(), QStringLiteral("/opt/twb/twb-cli"));
    QCOMPARE(controller.whatIfSession()->program(), QStringLiteral("/opt/twb/twb-cli"));

    panel.setRun(plain.path(), 20, 7);
    QVERIFY(panel.acrossTrainingButton()->isHidden());
    QCOMPARE(panel.timeline()->checkpoints(), QStringList({"best.pt", "last.pt"}));
    panel.setRun(epochs.path(), 20, 7);
    QVERIFY(!panel.acrossTrainingButton()->isHidden());
    QCOMPARE(panel.timeline()->checkpoints(),
             QStringList({"epoch_001.pt", "epoch_002.pt", "best.pt"}));
}

void tst_ExplainController::attentionPanelShowsTheChildsFile()
{
    QTemporaryDir dir;
    const QString files = test::filesFolder(dir.path());
    const std::vector<float> saliency(12, 0.25f);
    QVERIFY(explain::writeAttentionFile(QDir(files).filePath(QStringLiteral("sample-4.h5")),
                                        test::smallSet(), &saliency, 6, 2,
                                        QStringLiteral("sum of the forecast of OT"))
                .isOk());
    const QString log = dir.filePath(QStringLiteral("log"));
    AttentionPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(test::copyingCli(dir.path(), files, log));
    panel.setRun(dir.path(), 10, 2);
    panel.sampleBox()->setValue(4);
    panel.channelBox()->setValue(1);
    QSignalSpy shown(&panel, &AttentionPanel::attentionShown);
    QVERIFY(panel.compute());
    QVERIFY(panel.isComputing());
    QVERIFY(shown.wait(10000));
    QVERIFY(!panel.isComputing());
    const QString file = shown.first().first().toString();
    QCOMPARE(file, controller.attentionJob()->arguments().at(5));
    QVERIFY(panel.statusText().contains(QStringLiteral("test window 4")));
    QVERIFY(panel.statusText().contains(QStringLiteral("2 layers, 3 tokens")));
    QVERIFY(panel.statusText().contains(file));
    QVERIFY(panel.saliencyView()->hasSaliency());
    QCOMPARE(panel.explorer()->model()->layerCount(), 2);
    // One attention child; then the what-if panel under the explorer asks for the sample's
    // prediction, which starts `twb-cli whatif RUN --serve`.
    QTRY_COMPARE(test::lineCount(log), 2);
    QFile logFile(log);
    QVERIFY(logFile.open(QIODevice::ReadOnly));
    const QString line = QString::fromUtf8(logFile.readLine()).trimmed();
    QVERIFY2(line.startsWith(QStringLiteral("attention ") + dir.path() +
                             QStringLiteral(" --index 4 --out ")),
             qPrintable(line));
    QVERIFY2(line.endsWith(QStringLiteral(" --saliency --channel 1")), qPrintable(line));
    QCOMPARE(QString::fromUtf8(logFile.readLine()).trimmed(),
             QStringLiteral("whatif ") + dir.path() + QStringLiteral(" --serve"));
}

void tst_ExplainController::attentionPanelReportsAFailingChild()
{
    QTemporaryDir dir;
    AttentionPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(test::failingCli(dir.path(), 2, {"twb-cli: the run has no checkpoint"}));
    panel.setRun(dir.path());
    QSignalSpy failed(&panel, &AttentionPanel::failed);
    QVERIFY(panel.compute());
    QVERIFY(failed.wait(10000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("exit 2")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("the run has no checkpoint")), qPrintable(message));
    QCOMPARE(panel.statusText(), message);
    QVERIFY(!panel.isComputing());
}

void tst_ExplainController::attentionPanelReportsAMissingProgram()
{
    AttentionPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(QStringLiteral("/nonexistent/twb-cli"));
    panel.setRun(QStringLiteral("/runs/x"));
    QSignalSpy failed(&panel, &AttentionPanel::failed);
    QVERIFY(panel.compute());
    QVERIFY(failed.count() > 0 || failed.wait(5000));
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("/nonexistent/twb-cli")));
    QVERIFY(!panel.isComputing());
}

void tst_ExplainController::attentionPanelNamesABrokenFile()
{
    QTemporaryDir dir;
    AttentionPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(test::brokenFileCli(dir.path()));
    panel.setRun(dir.path());
    QSignalSpy failed(&panel, &AttentionPanel::failed);
    QVERIFY(panel.compute());
    QVERIFY(failed.wait(10000));
    const QString error = failed.first().first().toString();
    QVERIFY2(error.contains(controller.attentionJob()->arguments().at(5)), qPrintable(error));
    QCOMPARE(panel.statusText(), error);
}

void tst_ExplainController::theLatestAttentionRequestWins()
{
    QTemporaryDir dir;
    const QString files = test::filesFolder(dir.path());
    QVERIFY(test::writeSlowAndQuickSamples(files));
    AttentionPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(test::copyingCli(dir.path(), files, dir.filePath(QStringLiteral("log"))));
    panel.setRun(dir.path());
    QSignalSpy shown(&panel, &AttentionPanel::attentionShown);
    panel.sampleBox()->setValue(1);
    QVERIFY(panel.compute()); // 30 s: replaced by the next one
    panel.sampleBox()->setValue(2);
    QVERIFY(panel.compute());
    QVERIFY(shown.wait(10000));
    QTest::qWait(200);
    QCOMPARE(shown.count(), 1);
    QVERIFY(panel.statusText().startsWith(QStringLiteral("test window 2")));
    QCOMPARE(panel.sampleBox()->value(), 2);
}

void tst_ExplainController::timelineComputesEveryCheckpoint()
{
    QTemporaryDir dir;
    const QString run = dir.filePath(QStringLiteral("run"));
    const QString files = test::filesFolder(dir.path());
    const QString log = dir.filePath(QStringLiteral("log.txt"));
    QVERIFY(test::writeEpochRun(run, files));

    AttentionPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(test::copyingCli(dir.path(), files, log));
    panel.setRun(run);
    panel.sampleBox()->setValue(4);
    AttentionTimeline &timeline = *panel.timeline();
    QCOMPARE(timeline.sample(), 4);
    QSignalSpy finished(&timeline, &AttentionTimeline::finished);
    QSignalSpy computed(&timeline, &AttentionTimeline::checkpointComputed);
    QSignalSpy failed(&timeline, &AttentionTimeline::failed);
    QVERIFY(timeline.compute());
    QVERIFY(timeline.isComputing());
    QVERIFY(!timeline.compute()); // one computation at a time
    QVERIFY(finished.wait(20000));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(computed.count(), 4);
    QVERIFY(!timeline.isComputing());
    QCOMPARE(timeline.statusText(), QStringLiteral("4 of 4 checkpoints computed"));
    QCOMPARE(test::lineCount(log), 4);
    QFile logFile(log);
    QVERIFY(logFile.open(QIODevice::ReadOnly));
    const QString first = QString::fromUtf8(logFile.readLine()).trimmed();
    QVERIFY2(first.startsWith(QStringLiteral("attention ") + run +
                              QStringLiteral(" --index 4 --checkpoint epoch_002.pt --out ")),
             qPrintable(first));
    // Epoch 10's map: the peak of query 0 on key 2.
    timeline.setCheckpointIndex(2);
    QCOMPARE(timeline.mapView()->map().at(0, 2), 0.5f);

    // Kept: computing again starts no child.
    QVERIFY(timeline.compute());
    QCOMPARE(finished.count(), 2);
    QCOMPARE(test::lineCount(log), 4);
    // Another sample is computed afresh.
    panel.sampleBox()->setValue(5);
    QCOMPARE(timeline.computedCount(), 0);
    QVERIFY(!timeline.mapView()->map().isValid());
    QVERIFY(timeline.compute());
    QVERIFY(finished.wait(20000));
    QCOMPARE(test::lineCount(log), 8);
    QCOMPARE(timeline.computedCount(), 4);
}

void tst_ExplainController::timelineReportsAFailingCheckpointAndGoesOn()
{
    QTemporaryDir dir;
    const QString run = dir.filePath(QStringLiteral("run"));
    const QString files = test::filesFolder(dir.path());
    QVERIFY(test::makeRun(run, {"epoch_001.pt", "epoch_002.pt", "epoch_003.pt"}));
    for (const QString &name : {QStringLiteral("epoch_001"), QStringLiteral("epoch_003")})
        QVERIFY(
            explain::writeAttentionFile(QDir(files).filePath(name + ".h5"), test::setWithPeak(0))
                .isOk());
    AttentionTimeline timeline;
    ExplainController controller;
    controller.attach(&timeline);
    controller.setProgram(test::copyingCli(dir.path(), files, dir.filePath(QStringLiteral("log"))));
    timeline.setRun(run, listCheckpoints(run));
    QSignalSpy finished(&timeline, &AttentionTimeline::finished);
    QSignalSpy failed(&timeline, &AttentionTimeline::failed);
    QVERIFY(timeline.compute());
    QVERIFY(finished.wait(20000));
    QCOMPARE(failed.count(), 1);
    const QString message = failed.first().first().toString();
    QVERIFY2(message.startsWith(QStringLiteral("epoch_002.pt")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("exit 3")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("cannot read checkpoint epoch_002.pt")),
             qPrintable(message));
    // The others were computed (what the view makes of it: tst_attentiontimeline).
    QVERIFY(timeline.attentionAt(QStringLiteral("epoch_001.pt")));
    QVERIFY(timeline.attentionAt(QStringLiteral("epoch_003.pt")));
}

void tst_ExplainController::timelineReportsAMissingProgram()
{
    QTemporaryDir dir;
    QVERIFY(test::makeRun(dir.path(), {"epoch_001.pt"}));
    AttentionTimeline timeline;
    ExplainController controller;
    controller.attach(&timeline);
    controller.setProgram(QStringLiteral("/nonexistent/twb-cli"));
    timeline.setRun(dir.path(), {QStringLiteral("epoch_001.pt")});
    QSignalSpy failed(&timeline, &AttentionTimeline::failed);
    QVERIFY(timeline.compute());
    QVERIFY(failed.count() > 0 || failed.wait(5000));
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("/nonexistent/twb-cli")));
    QTRY_VERIFY(!timeline.isComputing());
}

void tst_ExplainController::forwardPanelShowsTheChildsTrace()
{
    QTemporaryDir dir;
    const QString files = test::filesFolder(dir.path());
    QVERIFY(explain::writeForwardFile(QDir(files).filePath(QStringLiteral("sample-3.h5")),
                                      test::smallTrace(3))
                .isOk());
    ForwardPassPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(test::copyingCli(dir.path(), files, dir.filePath(QStringLiteral("log"))));
    panel.setRun(dir.path(), 5);
    panel.sampleBox()->setValue(3);
    QSignalSpy shown(&panel, &ForwardPassPanel::traceShown);
    QVERIFY(panel.compute());
    QVERIFY(panel.isComputing());
    QVERIFY(shown.wait(10000));
    QCOMPARE(panel.view()->stageCount(), 2);
    QCOMPARE(shown.first().first().toString(), controller.forwardJob()->arguments().at(5));
    QCOMPARE(controller.forwardJob()->arguments().mid(0, 4),
             QStringList({"forward", dir.path(), "--index", "3"}));
}

void tst_ExplainController::forwardPanelReportsAFailingChild()
{
    QTemporaryDir dir;
    ForwardPassPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(test::failingCli(dir.path(), 2, {"first line", "no checkpoint best.pt"}));
    panel.setRun(dir.path());
    QSignalSpy failed(&panel, &ForwardPassPanel::failed);
    QVERIFY(panel.compute());
    QVERIFY(failed.wait(10000));
    QVERIFY2(failed.first().first().toString().contains(QStringLiteral("no checkpoint")),
             qPrintable(failed.first().first().toString()));
    QCOMPARE(panel.statusText(), failed.first().first().toString());
    QVERIFY(!panel.isComputing());
}

void tst_ExplainController::forwardPanelNamesABrokenFile()
{
    QTemporaryDir dir;
    ForwardPassPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    controller.setProgram(test::brokenFileCli(dir.path()));
    panel.setRun(dir.path());
    QSignalSpy failed(&panel, &ForwardPassPanel::failed);
    QVERIFY(panel.compute());
    QVERIFY(failed.wait(10000));
    const QString error = failed.first().first().toString();
    QVERIFY2(error.contains(controller.forwardJob()->arguments().at(5)), qPrintable(error));
}

QTEST_MAIN(tst_ExplainController)
#include "tst_explaincontroller.moc"
