// The Explain tab's panel as a view: the request it emits, attention sets and failures shown,
// "Across training" offered for runs with epoch checkpoints. (The panel with its controller and
// a scripted twb-cli: tests/app/tst_explaincontroller.)
#include "../core/client/AttentionFixtures.h"
#include "client/AttentionJob.h"
#include "widgets/explain/AttentionExplorer.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/explain/AttentionTimeline.h"
#include "widgets/explain/SaliencyView.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

using namespace twb;

class tst_AttentionPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestNamesTheRunSampleAndChannel()
    {
        AttentionPanel panel;
        QSignalSpy requested(&panel, &AttentionPanel::attentionRequested);
        QVERIFY(!panel.compute()); // no run yet
        QVERIFY(panel.statusText().contains(QStringLiteral("No run")));
        QCOMPARE(requested.count(), 0);
        panel.setRun(QStringLiteral("/runs/patchtst-1"), 10, 7);
        panel.sampleBox()->setValue(25); // clamped to the 10 test samples
        QCOMPARE(panel.sampleBox()->value(), 9);
        QVERIFY(panel.compute());
        QCOMPARE(requested.count(), 1);
        const auto request = requested.first().first().value<AttentionRequest>();
        QCOMPARE(request, panel.request());
        QCOMPARE(AttentionJob::arguments(request, QStringLiteral("/tmp/a.h5")),
                 QStringList({"attention", "/runs/patchtst-1", "--index", "9", "--out", "/tmp/a.h5",
                              "--saliency"}));
        panel.channelBox()->setValue(6);
        QCOMPARE(AttentionJob::arguments(panel.request(), QStringLiteral("/tmp/a.h5")).mid(7),
                 QStringList({"--channel", "6"}));
        // The mean over 32 samples from the chosen one: no saliency.
        panel.averageBox()->setValue(32);
        QCOMPARE(AttentionJob::arguments(panel.request(), QStringLiteral("/tmp/a.h5")).mid(6),
                 QStringList({"--count", "32", "--channel", "6"}));
        // Asking again while computing replaces the request (the latest wins).
        panel.showComputing(panel.request());
        QVERIFY(panel.isComputing());
        QVERIFY(panel.statusText().contains(QStringLiteral("sample 9")));
        QVERIFY(panel.compute());
        QCOMPARE(requested.count(), 2);
    }

    void showsAnAttentionSet()
    {
        const QString path = QStringLiteral("/tmp/files/attn.h5");
        AttentionPanel panel;
        QSignalSpy shown(&panel, &AttentionPanel::attentionShown);
        panel.showComputing(panel.request());
        explain::AttentionSaliency saliency{6, 2, std::vector<float>(12, 0.5f), "sum of OT"};
        panel.showAttention(test::smallSet(), saliency, path);
        QVERIFY(!panel.isComputing());
        QCOMPARE(shown.count(), 1);
        QCOMPARE(shown.first().first().toString(), path);
        QVERIFY(panel.statusText().contains(QStringLiteral("test window 4")));
        QVERIFY(panel.statusText().contains(QStringLiteral("2 layers, 3 tokens")));
        QVERIFY(panel.statusText().contains(path));
        QCOMPARE(panel.sampleBox()->value(), 4); // the sample shown
        QVERIFY(panel.saliencyView()->hasSaliency());
        panel.explorer()->waitForDerived();
        const CsvTable table = panel.csvTable();
        QVERIFY(!table.rows.empty());
    }

    void aFailureIsShownAndEmitted()
    {
        const QString message = QStringLiteral("/tmp/not-attention.h5: not an HDF5 file");
        AttentionPanel panel;
        QSignalSpy failed(&panel, &AttentionPanel::failed);
        panel.showComputing(panel.request());
        panel.showFailure(message);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed.first().first().toString(), message);
        QCOMPARE(panel.statusText(), message);
        QVERIFY(!panel.isComputing());
    }

    void acrossTrainingOnlyWithEpochCheckpoints()
    {
        AttentionPanel panel;
        QSignalSpy runChanged(&panel, &AttentionPanel::runChanged);
        panel.setRun(QStringLiteral("/runs/plain"), 20, 7);
        QCOMPARE(runChanged.count(), 1);
        QCOMPARE(runChanged.first().first().toString(), QStringLiteral("/runs/plain"));
        panel.setCheckpoints({"best.pt", "last.pt"});
        QVERIFY(panel.acrossTrainingButton()->isHidden());
        panel.showAcrossTraining(true); // not available: the explorer stays
        QVERIFY(panel.timeline()->isHidden());
        QVERIFY(!panel.explorer()->isHidden());

        panel.setRun(QStringLiteral("/runs/epochs"), 20, 7);
        QVERIFY(panel.acrossTrainingButton()->isHidden()); // until the checkpoints are given
        panel.setCheckpoints({"epoch_001.pt", "epoch_002.pt", "best.pt"});
        QVERIFY(!panel.acrossTrainingButton()->isHidden());
        QCOMPARE(panel.timeline()->checkpoints(),
                 QStringList({"epoch_001.pt", "epoch_002.pt", "best.pt"}));
        QCOMPARE(panel.timeline()->runDir(), QStringLiteral("/runs/epochs"));
        panel.acrossTrainingButton()->click();
        QVERIFY(!panel.timeline()->isHidden());
        QVERIFY(panel.explorer()->isHidden());
        panel.sampleBox()->setValue(12);
        panel.channelBox()->setValue(3);
        QCOMPARE(panel.timeline()->sample(), 12);
        QCOMPARE(panel.timeline()->channel(), 3);
        panel.acrossTrainingButton()->click();
        QVERIFY(panel.timeline()->isHidden());
        QVERIFY(!panel.explorer()->isHidden());
    }
};

QTEST_MAIN(tst_AttentionPanel)
#include "tst_attentionpanel.moc"
