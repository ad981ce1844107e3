// The Explain tab's panel as a view: the request it emits, attention sets and failures shown,
// "Across training" offered for runs with epoch checkpoints. (The panel with its controller and
// a scripted twb-cli: tests/app/tst_explaincontroller.)
#include "../core/client/AttentionFixtures.h"
#include "client/AttentionJob.h"
#include "tst_attentionsets.h"
#include "widgets/explain/AttentionExplorer.h"
#include "widgets/explain/AttentionMapView.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/explain/AttentionTimeline.h"
#include "widgets/explain/SaliencyView.h"
#include "widgets/explain/WhatIfPanel.h"

#include <QComboBox>
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

    void whatIfOffersOnlyInputTokensAndSelfAttentionHeads()
    {
        AttentionPanel panel;
        panel.setRun(QStringLiteral("/runs/informer-1"), 10, 2);
        panel.showAttention(test::informerSet(), {}, QStringLiteral("/tmp/informer.h5"));
        QVERIFY(panel.statusText().contains(QStringLiteral("3 layers, 8 tokens")));
        AttentionExplorer *explorer = panel.explorer();
        WhatIfPanel *whatIf = panel.whatIf();
        // Encoder layer 0: its queries are the input's tokens, its heads can be switched off.
        explorer->setSelection({AttentionMode::Head, 0, 1});
        explorer->setQuery(3);
        QVERIFY(whatIf->maskTokenButton()->isEnabled());
        QCOMPARE(whatIf->maskTokenButton()->text(), QStringLiteral("Mask token 3"));
        QVERIFY(whatIf->headOffButton()->isEnabled());
        // The cross-attention map: a decoder query is no input token, no encoder head.
        explorer->setSelection({AttentionMode::Head, 2, 1});
        QVERIFY(!whatIf->maskTokenButton()->isEnabled());
        QVERIFY(!whatIf->headOffButton()->isEnabled());
        // The distilled layer: a self-attention head, but its queries are distilled tokens.
        explorer->setSelection({AttentionMode::Head, 1, 0});
        QVERIFY(!whatIf->maskTokenButton()->isEnabled());
        QVERIFY(whatIf->headOffButton()->isEnabled());
        QCOMPARE(whatIf->headOffButton()->text(), QStringLiteral("Switch off head 0 of layer 1"));
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

    void aModelWithoutAttentionMapsIsNamedInTheExplorer()
    {
        // What `twb-cli attention` says of Autoformer (explain::noAttentionMapsMessage), as the
        // controller reports it: the explorer drops the maps it showed and says why.
        const QString message =
            QStringLiteral("twb-cli attention: /runs/autoformer-1: attention: autoformer has no "
                           "attention maps: its mechanism (what it computes instead of attention "
                           "weights) is shown in the forward-pass view (the Forward pass tab, or "
                           "twb-cli forward)");
        AttentionPanel panel;
        panel.resize(1000, 700);
        panel.showAttention(test::smallSet(), {}, QStringLiteral("/tmp/attn.h5"));
        QCOMPARE(panel.explorer()->model()->layerCount(), 2);
        panel.showComputing(panel.request());
        panel.showFailure(message);
        QVERIFY(panel.explorer()->model()->isEmpty());
        QVERIFY(!panel.explorer()->mapView()->map().isValid());
        QCOMPARE(panel.explorer()->mapView()->message(), message);
        QCOMPARE(panel.explorer()->queryBox()->count(), 0);
        // The next attention set replaces the message.
        panel.showAttention(test::informerSet(), {}, QStringLiteral("/tmp/informer.h5"));
        QVERIFY(panel.explorer()->mapView()->message().isEmpty());
        QCOMPARE(panel.explorer()->layerBox()->count(), 3);
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
