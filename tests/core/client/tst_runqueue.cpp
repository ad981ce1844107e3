#include "client/RunQueue.h"

#include <QSignalSpy>
#include <QTest>

using namespace twb;

/// The queue of training runs: first in, first out; changed() after every change.
class tst_RunQueue : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstInFirstOut();
    void clearEmptiesTheQueue();
    void emptyQueue();
};

namespace {

TrainRequest request(const QString &runDir)
{
    TrainRequest r;
    r.modelId = QStringLiteral("dlinear");
    r.dataPath = QStringLiteral("/data/ETTh1.csv");
    r.runDir = runDir;
    return r;
}

QStringList runDirs(const RunQueue &queue)
{
    QStringList dirs;
    for (const TrainRequest &r : queue.requests())
        dirs << r.runDir;
    return dirs;
}

} // namespace

void tst_RunQueue::firstInFirstOut()
{
    RunQueue queue;
    QSignalSpy changed(&queue, &RunQueue::changed);
    queue.enqueue(request(QStringLiteral("a")));
    queue.enqueue(request(QStringLiteral("b")));
    queue.enqueue(request(QStringLiteral("c")));
    QCOMPARE(changed.size(), 3);
    QCOMPARE(queue.size(), 3);
    QVERIFY(!queue.isEmpty());
    QCOMPARE(runDirs(queue), QStringList({"a", "b", "c"}));

    const std::optional<TrainRequest> first = queue.takeNext();
    QVERIFY(first);
    QCOMPARE(first->runDir, QStringLiteral("a"));
    QCOMPARE(first->modelId, QStringLiteral("dlinear")); // the whole request comes back
    QCOMPARE(changed.size(), 4);
    QCOMPARE(runDirs(queue), QStringList({"b", "c"}));

    queue.enqueue(request(QStringLiteral("d"))); // behind the ones waiting
    QCOMPARE(queue.takeNext()->runDir, QStringLiteral("b"));
    QCOMPARE(queue.takeNext()->runDir, QStringLiteral("c"));
    QCOMPARE(queue.takeNext()->runDir, QStringLiteral("d"));
    QVERIFY(queue.isEmpty());
    QCOMPARE(changed.size(), 8);
}

void tst_RunQueue::clearEmptiesTheQueue()
{
    RunQueue queue;
    queue.enqueue(request(QStringLiteral("a")));
    queue.enqueue(request(QStringLiteral("b")));
    QSignalSpy changed(&queue, &RunQueue::changed);
    queue.clear();
    QCOMPARE(changed.size(), 1);
    QVERIFY(queue.isEmpty());
    QCOMPARE(queue.size(), 0);
    QVERIFY(!queue.takeNext());
}

void tst_RunQueue::emptyQueue()
{
    RunQueue queue;
    QSignalSpy changed(&queue, &RunQueue::changed);
    QVERIFY(queue.isEmpty());
    QVERIFY(queue.requests().isEmpty());
    QVERIFY(!queue.takeNext()); // nothing to take, nothing changed
    queue.clear();
    QCOMPARE(changed.size(), 0);
}

QTEST_GUILESS_MAIN(tst_RunQueue)
#include "tst_runqueue.moc"
