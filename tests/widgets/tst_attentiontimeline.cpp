// Attention across training as a view: checkpoints given in order, the request for the ones it
// lacks, the map per epoch, failures named. (The timeline with its controller and a scripted
// twb-cli: tests/app/tst_explaincontroller.)
#include "../core/client/AttentionFixtures.h"
#include "client/AttentionJob.h"
#include "tst_attentionsets.h"
#include "widgets/explain/AttentionMapView.h"
#include "widgets/explain/AttentionTimeline.h"

#include <QSignalSpy>
#include <QSlider>
#include <QtTest>

using namespace twb;

namespace {

/// What the controller does for each requested checkpoint: the set whose peak is `peaks[name]`.
void answer(AttentionTimeline &timeline, const AttentionRequest &base, const QStringList &names,
            const std::map<QString, int> &peaks)
{
    for (const QString &name : names) {
        timeline.showComputing(name);
        AttentionRequest request = base;
        request.checkpoint = name;
        timeline.showCheckpointAttention(request, std::make_shared<const explain::AttentionSet>(
                                                      test::setWithPeak(peaks.at(name))));
    }
    timeline.showFinished();
}

} // namespace

class tst_AttentionTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsTheCheckpointsGiven()
    {
        AttentionTimeline timeline;
        timeline.setRun(QStringLiteral("/runs/p"), {"epoch_001.pt", "epoch_002.pt", "epoch_010.pt",
                                                    "epoch_1000.pt", "best.pt", "last.pt"});
        QCOMPARE(timeline.checkpoints().size(), 6);
        QCOMPARE(timeline.slider()->maximum(), 5);
        QCOMPARE(timeline.epochText(), QStringLiteral("epoch 1 (1 of 6)"));
        timeline.setCheckpointIndex(4);
        QVERIFY(timeline.epochText().startsWith(QStringLiteral("best epoch")));
        timeline.setRun(QStringLiteral("/runs/p"), {});
        QVERIFY(timeline.statusText().contains(QStringLiteral("no checkpoints")));
    }

    void requestNamesTheSampleChannelAndCheckpoints()
    {
        AttentionTimeline timeline;
        timeline.setRun(QStringLiteral("/runs/p"), {"epoch_004.pt", "best.pt"});
        timeline.setSample(7, 2);
        QSignalSpy requested(&timeline, &AttentionTimeline::checkpointsRequested);
        QVERIFY(timeline.compute());
        QCOMPARE(requested.count(), 1);
        AttentionRequest base = requested.first().at(0).value<AttentionRequest>();
        QCOMPARE(requested.first().at(1).toStringList(), QStringList({"epoch_004.pt", "best.pt"}));
        base.checkpoint = QStringLiteral("epoch_004.pt");
        QCOMPARE(AttentionJob::arguments(base, QStringLiteral("/t/a.h5")),
                 QStringList({"attention", "/runs/p", "--index", "7", "--checkpoint",
                              "epoch_004.pt", "--out", "/t/a.h5", "--channel", "2"}));
        timeline.showFinished();
        timeline.setSample(7, -1);
        QVERIFY(timeline.compute());
        base = requested.at(1).at(0).value<AttentionRequest>();
        base.checkpoint = QStringLiteral("best.pt");
        QCOMPARE(AttentionJob::arguments(base, QStringLiteral("/t/a.h5")).size(), 8);
    }

    void eachLayerWithItsOwnTokens()
    {
        AttentionTimeline timeline;
        timeline.resize(900, 700);
        timeline.setRun(QStringLiteral("/runs/informer"), {"epoch_001.pt"});
        timeline.setSample(0);
        QSignalSpy requested(&timeline, &AttentionTimeline::checkpointsRequested);
        QVERIFY(timeline.compute());
        AttentionRequest request = requested.first().at(0).value<AttentionRequest>();
        request.checkpoint = QStringLiteral("epoch_001.pt");
        timeline.showComputing(request.checkpoint);
        timeline.showCheckpointAttention(
            request, std::make_shared<const explain::AttentionSet>(test::informerSet()));
        timeline.showFinished();
        timeline.setCheckpointIndex(0);
        AttentionMapView *view = timeline.mapView();
        QCOMPARE(view->map().queries(), 8);
        QCOMPARE(view->keyLabels().front(), QStringLiteral("t0"));
        // The cross-attention map: decoder tokens down, distilled encoder tokens across.
        timeline.setLayer(2);
        timeline.setHead(1);
        QCOMPARE(view->map().queries(), 6);
        QCOMPARE(view->map().keys(), 4);
        QCOMPARE(view->map().head, 1);
        QCOMPARE(view->queryLabels().at(2), QStringLiteral("decoder step t+1"));
        QCOMPARE(view->keyLabels().at(3), QStringLiteral("steps [6,8)"));
        QCOMPARE(view->csvTable().rows.size(), 6);
        QCOMPARE(view->csvTable().header.size(), 5);
    }

    void showsEveryCheckpointsMap()
    {
        AttentionTimeline timeline;
        const QStringList names{"epoch_002.pt", "epoch_004.pt", "epoch_010.pt", "best.pt"};
        // The peak of head 0, query 0 moves with the epoch: key 0, 1, 2, then best = epoch 4.
        const std::map<QString, int> peaks{
            {"epoch_002.pt", 0}, {"epoch_004.pt", 1}, {"epoch_010.pt", 2}, {"best.pt", 1}};
        timeline.setRun(QStringLiteral("/runs/p"), names);
        timeline.setSample(4);
        QSignalSpy requested(&timeline, &AttentionTimeline::checkpointsRequested);
        QSignalSpy finished(&timeline, &AttentionTimeline::finished);
        QSignalSpy computed(&timeline, &AttentionTimeline::checkpointComputed);
        QSignalSpy failed(&timeline, &AttentionTimeline::failed);
        QVERIFY(timeline.compute());
        QCOMPARE(requested.count(), 1);
        const auto base = requested.first().at(0).value<AttentionRequest>();
        QCOMPARE(base.index, 4);
        timeline.showComputing(names[0]);
        QVERIFY(timeline.isComputing());
        QVERIFY(timeline.statusText().contains(QStringLiteral("computing epoch_002.pt")));
        QVERIFY(!timeline.compute()); // one computation at a time
        answer(timeline, base, names, peaks);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(computed.count(), 4);
        QCOMPARE(computed.at(0).at(0).toString(), QStringLiteral("epoch_002.pt"));
        QCOMPARE(computed.at(2).at(0).toString(), QStringLiteral("epoch_010.pt"));
        QCOMPARE(timeline.computedCount(), 4);
        QVERIFY(!timeline.isComputing());
        QCOMPARE(timeline.statusText(), QStringLiteral("4 of 4 checkpoints computed"));

        // The slider shows each checkpoint's map: the peak of query 0 per epoch.
        const QList<std::pair<QString, int>> expected{
            {"epoch 2", 0}, {"epoch 4", 1}, {"epoch 10", 2}, {"best epoch", 1}};
        for (int i = 0; i < expected.size(); ++i) {
            timeline.setCheckpointIndex(i);
            QVERIFY2(timeline.epochText().startsWith(expected[i].first),
                     qPrintable(timeline.epochText()));
            const AttentionMapRef map = timeline.mapView()->map();
            QVERIFY(map.isValid());
            QCOMPARE(map.head, 0);
            for (int k = 0; k < 3; ++k)
                QCOMPARE(map.at(0, k), k == expected[i].second ? 0.5f : 0.25f);
        }
        // Head 1 of epoch 10: the peak one key further (wrapping).
        timeline.setCheckpointIndex(2);
        timeline.setHead(1);
        QCOMPARE(timeline.mapView()->map().head, 1);
        QCOMPARE(timeline.mapView()->map().at(0, 0), 0.5f);
        QCOMPARE(timeline.mapView()->tokens(), QStringList({"patch 0", "patch 1", "patch 2"}));

        // Kept: computing again asks for nothing.
        QVERIFY(timeline.compute());
        QCOMPARE(finished.count(), 2);
        QCOMPARE(requested.count(), 1);
        // Another sample is computed afresh.
        timeline.setSample(5);
        QCOMPARE(timeline.computedCount(), 0);
        QVERIFY(!timeline.mapView()->map().isValid());
        QVERIFY(timeline.compute());
        QCOMPARE(requested.count(), 2);
        QCOMPARE(requested.at(1).at(1).toStringList(), names);
        // Back to sample 4: its maps were kept.
        timeline.showFinished();
        timeline.setSample(4);
        QCOMPARE(timeline.computedCount(), 4);
    }

    void aFailingCheckpointIsNamedAndTheOthersShown()
    {
        AttentionTimeline timeline;
        timeline.setRun(QStringLiteral("/runs/p"),
                        {"epoch_001.pt", "epoch_002.pt", "epoch_003.pt"});
        QSignalSpy failed(&timeline, &AttentionTimeline::failed);
        QSignalSpy requested(&timeline, &AttentionTimeline::checkpointsRequested);
        QVERIFY(timeline.compute());
        const auto base = requested.first().at(0).value<AttentionRequest>();
        answer(timeline, base, {"epoch_001.pt"}, {{"epoch_001.pt", 0}});
        timeline.showCheckpointFailure(
            QStringLiteral("epoch_002.pt"),
            QStringLiteral("twb-cli attention failed (exit 3): loading the model twb-cli: cannot "
                           "read checkpoint epoch_002.pt"));
        answer(timeline, base, {"epoch_003.pt"}, {{"epoch_003.pt", 0}});
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.startsWith(QStringLiteral("epoch_002.pt")), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("exit 3")), qPrintable(message));
        QCOMPARE(timeline.computedCount(), 2);
        QVERIFY(timeline.attentionAt(QStringLiteral("epoch_003.pt")));
        QVERIFY(!timeline.attentionAt(QStringLiteral("epoch_002.pt")));
        QVERIFY(timeline.statusText().startsWith(QStringLiteral("2 of 3 checkpoints computed")));
        QVERIFY(timeline.statusText().contains(message));
        timeline.setCheckpointIndex(1);
        QVERIFY(!timeline.mapView()->map().isValid());
    }

    void anotherSampleOrRunAbandonsTheComputation()
    {
        AttentionTimeline timeline;
        timeline.setRun(QStringLiteral("/runs/p"), {"epoch_001.pt"});
        QSignalSpy abandoned(&timeline, &AttentionTimeline::computationAbandoned);
        QVERIFY(timeline.compute());
        timeline.showComputing(QStringLiteral("epoch_001.pt"));
        timeline.setSample(3);
        QCOMPARE(abandoned.count(), 1);
        QVERIFY(!timeline.isComputing());
        QVERIFY(timeline.compute());
        timeline.showComputing(QStringLiteral("epoch_001.pt"));
        timeline.setRun(QStringLiteral("/runs/q"), {"epoch_001.pt"});
        QCOMPARE(abandoned.count(), 2);
        timeline.setSample(4); // nothing under way: nothing to abandon
        QCOMPARE(abandoned.count(), 2);
    }

    void noRunNoComputation()
    {
        AttentionTimeline timeline;
        QSignalSpy requested(&timeline, &AttentionTimeline::checkpointsRequested);
        QVERIFY(!timeline.compute());
        QVERIFY(timeline.statusText().contains(QStringLiteral("No run")));
        QCOMPARE(requested.count(), 0);
    }
};

QTEST_MAIN(tst_AttentionTimeline)
#include "tst_attentiontimeline.moc"
