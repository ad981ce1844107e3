// Attention across training: checkpoint order, one child per checkpoint, the map per epoch,
// failures named.
#include "explain/AttentionFile.h"
#include "widgets/AttentionMapView.h"
#include "widgets/AttentionTimeline.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

namespace {

/// One layer, two heads, three tokens. Head `head`, query 0 puts 0.5 on key `peak`; every
/// other weight is 0.25.
explain::AttentionSet setWithPeak(int peak)
{
    explain::AttentionSet set;
    set.modelId = "patchtst";
    set.sampleLabel = "test window 4";
    set.sampleIndex = 4;
    explain::AttentionLayer layer{2, 3, 3, {}};
    for (int h = 0; h < 2; ++h)
        for (int q = 0; q < 3; ++q)
            for (int k = 0; k < 3; ++k)
                layer.weights.push_back(k == (q + peak + h) % 3 ? 0.5f : 0.25f);
    set.layers.push_back(layer);
    for (int t = 0; t < 3; ++t) {
        TokenInfo token;
        token.kind = TokenInfo::Kind::TimeRange;
        token.begin = 2 * t;
        token.end = 2 * t + 2;
        token.label = "patch " + std::to_string(t);
        set.tokens.push_back(token);
    }
    return set;
}

void touch(const QString &path)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("fake");
}

/// A run folder with empty checkpoint files of these names.
void makeRun(const QString &runDir, const QStringList &names)
{
    QVERIFY(QDir().mkpath(QDir(runDir).filePath(QStringLiteral("checkpoints"))));
    for (const QString &name : names)
        touch(QDir(runDir).filePath(QStringLiteral("checkpoints/") + name));
}

/// A stand-in for twb-cli: logs its arguments to `log`, copies FILES/<checkpoint>.h5 (".pt"
/// dropped) to --out, or fails with exit 3 and a message on stderr when there is no such file.
QString fakeCli(const QString &dir, const QString &files, const QString &log)
{
    const QString path = QDir(dir).filePath(QStringLiteral("fake-cli"));
    QFile script(path);
    if (!script.open(QIODevice::WriteOnly))
        return {};
    script.write(QStringLiteral("#!/bin/sh\n"
                                "echo \"$@\" >> '%1'\n"
                                "out=''; ck=''\n"
                                "while [ $# -gt 0 ]; do\n"
                                "  case \"$1\" in\n"
                                "    --out) out=\"$2\"; shift;;\n"
                                "    --checkpoint) ck=\"$2\"; shift;;\n"
                                "  esac\n"
                                "  shift\n"
                                "done\n"
                                "src='%2'/\"${ck%.pt}.h5\"\n"
                                "if [ ! -f \"$src\" ]; then\n"
                                "  echo 'loading the model' >&2\n"
                                "  echo \"twb-cli: cannot read checkpoint $ck\" >&2\n"
                                "  exit 3\n"
                                "fi\n"
                                "cp \"$src\" \"$out\"\n")
                     .arg(log, files)
                     .toUtf8());
    script.close();
    script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    return path;
}

int lineCount(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return int(file.readAll().count('\n'));
}

} // namespace

class tst_AttentionTimeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void listsCheckpointsInEpochOrder()
    {
        QTemporaryDir dir;
        makeRun(dir.path(), {"last.pt", "epoch_010.pt", "best.pt", "epoch_002.pt", "epoch_1000.pt",
                             "epoch_x.pt", "notes.txt", "epoch_001.pt"});
        QCOMPARE(AttentionTimeline::checkpointNames(dir.path()),
                 QStringList({"epoch_001.pt", "epoch_002.pt", "epoch_010.pt", "epoch_1000.pt",
                              "best.pt", "last.pt"}));
        QCOMPARE(AttentionTimeline::epochOf(QStringLiteral("epoch_010.pt")), 10);
        QCOMPARE(AttentionTimeline::epochOf(QStringLiteral("best.pt")), -1);
        QCOMPARE(AttentionTimeline::epochOf(QStringLiteral("epoch_x.pt")), -1);
        QVERIFY(AttentionTimeline::hasEpochCheckpoints(dir.path()));

        QTemporaryDir plain;
        makeRun(plain.path(), {"best.pt", "last.pt"});
        QVERIFY(!AttentionTimeline::hasEpochCheckpoints(plain.path()));
        QCOMPARE(AttentionTimeline::checkpointNames(plain.path()),
                 QStringList({"best.pt", "last.pt"}));
        QVERIFY(AttentionTimeline::checkpointNames(dir.filePath("missing")).isEmpty());

        AttentionTimeline timeline;
        timeline.setRun(dir.path());
        QCOMPARE(timeline.checkpoints().size(), 6);
        QCOMPARE(timeline.slider()->maximum(), 5);
        QCOMPARE(timeline.epochText(), QStringLiteral("epoch 1 (1 of 6)"));
    }

    void argumentsNameTheCheckpoint()
    {
        AttentionTimeline timeline;
        timeline.setRun(QStringLiteral("/runs/p"));
        timeline.setSample(7, 2);
        QCOMPARE(timeline.arguments(QStringLiteral("epoch_004.pt"), QStringLiteral("/t/a.h5")),
                 QStringList({"attention", "/runs/p", "--index", "7", "--checkpoint",
                              "epoch_004.pt", "--out", "/t/a.h5", "--channel", "2"}));
        timeline.setSample(7, -1);
        QCOMPARE(timeline.arguments(QStringLiteral("best.pt"), QStringLiteral("/t/a.h5")).size(),
                 8);
    }

    void computesEveryCheckpointAndShowsItsMap()
    {
        QTemporaryDir dir;
        const QString run = dir.filePath(QStringLiteral("run"));
        const QString files = dir.filePath(QStringLiteral("files"));
        const QString log = dir.filePath(QStringLiteral("log.txt"));
        makeRun(run, {"epoch_002.pt", "epoch_010.pt", "epoch_004.pt", "best.pt"});
        QVERIFY(QDir().mkpath(files));
        // The peak of head 0, query 0 moves with the epoch: key 0, 1, 2, then best = epoch 4.
        const QList<std::pair<QString, int>> peaks{
            {"epoch_002", 0}, {"epoch_004", 1}, {"epoch_010", 2}, {"best", 1}};
        for (const auto &[name, peak] : peaks)
            QVERIFY(
                explain::writeAttentionFile(QDir(files).filePath(name + ".h5"), setWithPeak(peak))
                    .isOk());

        AttentionTimeline timeline;
        timeline.setProgram(fakeCli(dir.path(), files, log));
        timeline.setRun(run);
        timeline.setSample(4);
        QSignalSpy finished(&timeline, &AttentionTimeline::finished);
        QSignalSpy computed(&timeline, &AttentionTimeline::checkpointComputed);
        QSignalSpy failed(&timeline, &AttentionTimeline::failed);
        QVERIFY(timeline.compute());
        QVERIFY(timeline.isComputing());
        QVERIFY(!timeline.compute()); // one computation at a time
        QVERIFY(finished.wait(20000));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(computed.count(), 4);
        QCOMPARE(computed.at(0).at(0).toString(), QStringLiteral("epoch_002.pt"));
        QCOMPARE(computed.at(2).at(0).toString(), QStringLiteral("epoch_010.pt"));
        QCOMPARE(timeline.computedCount(), 4);
        QVERIFY(!timeline.isComputing());
        QCOMPARE(timeline.statusText(), QStringLiteral("4 of 4 checkpoints computed"));
        QCOMPARE(lineCount(log), 4);
        QFile logFile(log);
        QVERIFY(logFile.open(QIODevice::ReadOnly));
        const QString first = QString::fromUtf8(logFile.readLine()).trimmed();
        QVERIFY2(first.startsWith(QStringLiteral("attention ") + run +
                                  QStringLiteral(" --index 4 --checkpoint epoch_002.pt --out ")),
                 qPrintable(first));

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

        // Cached: computing again starts no child.
        QVERIFY(timeline.compute());
        QCOMPARE(finished.count(), 2);
        QCOMPARE(lineCount(log), 4);
        // Another sample is computed afresh.
        timeline.setSample(5);
        QCOMPARE(timeline.computedCount(), 0);
        QVERIFY(!timeline.mapView()->map().isValid());
        QVERIFY(timeline.compute());
        QVERIFY(finished.wait(20000));
        QCOMPARE(lineCount(log), 8);
        QCOMPARE(timeline.computedCount(), 4);
    }

    void aFailingCheckpointIsReportedAndTheOthersGoOn()
    {
        QTemporaryDir dir;
        const QString run = dir.filePath(QStringLiteral("run"));
        const QString files = dir.filePath(QStringLiteral("files"));
        makeRun(run, {"epoch_001.pt", "epoch_002.pt", "epoch_003.pt"});
        QVERIFY(QDir().mkpath(files));
        for (const QString &name : {QStringLiteral("epoch_001"), QStringLiteral("epoch_003")})
            QVERIFY(explain::writeAttentionFile(QDir(files).filePath(name + ".h5"), setWithPeak(0))
                        .isOk());
        AttentionTimeline timeline;
        timeline.setProgram(fakeCli(dir.path(), files, dir.filePath(QStringLiteral("log"))));
        timeline.setRun(run);
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
        QCOMPARE(timeline.computedCount(), 2);
        QVERIFY(timeline.attentionAt(QStringLiteral("epoch_003.pt")));
        QVERIFY(!timeline.attentionAt(QStringLiteral("epoch_002.pt")));
        QVERIFY(timeline.statusText().startsWith(QStringLiteral("2 of 3 checkpoints computed")));
        QVERIFY(timeline.statusText().contains(message));
        timeline.setCheckpointIndex(1);
        QVERIFY(!timeline.mapView()->map().isValid());
    }

    void aMissingProgramIsReported()
    {
        QTemporaryDir dir;
        makeRun(dir.path(), {"epoch_001.pt"});
        AttentionTimeline timeline;
        timeline.setProgram(QStringLiteral("/nonexistent/twb-cli"));
        timeline.setRun(dir.path());
        QSignalSpy failed(&timeline, &AttentionTimeline::failed);
        QVERIFY(timeline.compute());
        QVERIFY(failed.count() > 0 || failed.wait(5000));
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("/nonexistent/twb-cli")));
        QVERIFY(!timeline.isComputing());
    }

    void noRunNoComputation()
    {
        AttentionTimeline timeline;
        QVERIFY(!timeline.compute());
        QVERIFY(timeline.statusText().contains(QStringLiteral("No run")));
    }
};

QTEST_MAIN(tst_AttentionTimeline)
#include "tst_attentiontimeline.moc"
