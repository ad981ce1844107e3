#include "ChartLabels.h"
#include "widgets/training/TrainingCurves.h"

#include <QChart>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QSignalSpy>
#include <QTest>
#include <QValueAxis>

using namespace twb;

class tst_TrainingCurves : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void appendsPointByPoint();
    void smoothingIsADebiasedEma();
    void logScaleSwapsTheAxis();
    void epochTicksAreWholeNumbers();
    void tickLabelsOnlyWithData();
    void fewerEpochTicksWhenNarrow();
};

namespace {

QAbstractAxis *lossAxis(const TrainingCurves &c)
{
    const QList<QAbstractAxis *> axes = c.lossChart()->axes(Qt::Vertical);
    return axes.isEmpty() ? nullptr : axes.first();
}

} // namespace

void tst_TrainingCurves::appendsPointByPoint()
{
    TrainingCurves curves;
    curves.clear(4);
    QSignalSpy added(curves.batchLossSeries(), &QXYSeries::pointAdded);
    QSignalSpy replaced(curves.batchLossSeries(), &QXYSeries::pointsReplaced);
    curves.addBatch(0.5, 2.0, 1e-3);
    curves.addBatch(1.0, 1.0, 5e-4);
    curves.addEpoch(1, 1.5, 1.8);
    QCOMPARE(added.size(), 2);
    QCOMPARE(replaced.size(), 0);
    QCOMPARE(curves.batchLossSeries()->at(1), QPointF(1.0, 1.0));
    QCOMPARE(curves.trainLossSeries()->at(0), QPointF(1.0, 1.5));
    QCOMPARE(curves.valLossSeries()->at(0), QPointF(1.0, 1.8));
    QCOMPARE(curves.learningRateSeries()->at(1), QPointF(1.0, 5e-4));

    auto *x = qobject_cast<QValueAxis *>(curves.lossChart()->axes(Qt::Horizontal).first());
    QCOMPARE(x->min(), 0.0);
    QCOMPARE(x->max(), 4.0); // fixed by the epoch count
    auto *y = qobject_cast<QValueAxis *>(lossAxis(curves));
    QVERIFY(y);
    QVERIFY(y->min() <= 1.0 && y->max() >= 2.0);

    curves.addBatch(5.5, 0.5, 1e-4); // beyond the planned epochs: the axis grows
    QCOMPARE(x->max(), 6.0);
    curves.addBatch(6.0, qQNaN(), 1e-4); // a NaN loss is not drawn
    QCOMPARE(curves.batchLossSeries()->count(), 3);

    // The CSV holds every point in long form, the batch losses unsmoothed.
    curves.setSmoothing(0.5);
    const CsvTable table = curves.csvTable();
    QCOMPARE(table.header, (QStringList{"curve", "epoch", "value"}));
    QCOMPARE(table.rows.first(), (QStringList{"train_batch", "0.5", "2"}));
    QCOMPARE(table.rows[1], (QStringList{"train_batch", "1", "1"}));
    QVERIFY(table.rows.contains(QStringList{"train_epoch", "1", "1.5"}));
    QVERIFY(table.rows.contains(QStringList{"validation", "1", "1.8"}));
    QVERIFY2(table.rows.contains(QStringList{"learning_rate", "1", "5e-04"}),
             qPrintable(table.rows.last().join(",")));

    curves.clear(2);
    QVERIFY(curves.csvTable().header.isEmpty());
    QCOMPARE(curves.batchLossSeries()->count(), 0);
    QCOMPARE(curves.trainLossSeries()->count(), 0);
    QCOMPARE(x->max(), 2.0);
}

void tst_TrainingCurves::smoothingIsADebiasedEma()
{
    TrainingCurves curves;
    curves.clear(1);
    const double losses[] = {4.0, 2.0, 1.0};
    for (int i = 0; i < 3; ++i)
        curves.addBatch(0.25 * (i + 1), losses[i], 1e-3);
    curves.setSmoothing(0.5);
    // ema_n = 0.5 ema_{n-1} + 0.5 x_n, shown as ema_n / (1 - 0.5^n).
    QCOMPARE(curves.batchLossSeries()->count(), 3);
    QCOMPARE(curves.batchLossSeries()->at(0).y(), 4.0);
    QCOMPARE(curves.batchLossSeries()->at(1).y(), (0.5 * 2.0 + 0.5 * 2.0) / 0.75);
    QCOMPARE(curves.batchLossSeries()->at(2).y(), (0.5 * 2.0 + 0.5 * 1.0) / 0.875);
    // New points continue the same average.
    curves.addBatch(1.0, 1.0, 1e-3);
    QCOMPARE(curves.batchLossSeries()->at(3).y(), (0.5 * 1.5 + 0.5 * 1.0) / 0.9375);
    curves.setSmoothing(0.0);
    QCOMPARE(curves.batchLossSeries()->at(1).y(), 2.0);
    QCOMPARE(curves.batchLossSeries()->at(3).y(), 1.0);
}

void tst_TrainingCurves::logScaleSwapsTheAxis()
{
    TrainingCurves curves;
    curves.clear(2);
    curves.addBatch(0.5, 0.01, 1e-3);
    curves.addBatch(1.0, 10.0, 1e-3);
    curves.addEpoch(1, 1.0, 2.0);
    curves.setLogScale(true);
    auto *log = qobject_cast<QLogValueAxis *>(lossAxis(curves));
    QVERIFY(log);
    QVERIFY(log->min() > 0.0 && log->min() <= 0.01);
    QVERIFY(log->max() >= 10.0);
    // Every loss series is attached to the new axis.
    for (QAbstractSeries *s : curves.lossChart()->series())
        QVERIFY(s->attachedAxes().contains(log));
    curves.addBatch(1.5, 0.0, 1e-3); // cannot be drawn on a log axis
    QCOMPARE(curves.batchLossSeries()->count(), 2);
    curves.setLogScale(false);
    QVERIFY(qobject_cast<QValueAxis *>(lossAxis(curves)));
    QCOMPARE(curves.batchLossSeries()->count(), 3); // the raw points are all kept
}

void tst_TrainingCurves::epochTicksAreWholeNumbers()
{
    // With 3 epochs, Qt's default 5 ticks (0, 0.75, 1.5, 2.25, 3) read "0 1 2 2 3" with the
    // "%.0f" labels and the epoch points seemed to sit between labels.
    TrainingCurves curves;
    curves.clear(3);
    for (QChart *chart : {curves.lossChart(), curves.learningRateChart()}) {
        auto *x = qobject_cast<QValueAxis *>(chart->axes(Qt::Horizontal).first());
        QVERIFY(x);
        QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
        QCOMPARE(x->tickAnchor(), 0.0);
        QCOMPARE(x->tickInterval(), 1.0);
        QCOMPARE(x->max(), 3.0);
    }
    curves.clear(40); // many epochs: whole, round steps
    auto *x = qobject_cast<QValueAxis *>(curves.lossChart()->axes(Qt::Horizontal).first());
    QCOMPARE(x->tickInterval(), 5.0);
}

void tst_TrainingCurves::tickLabelsOnlyWithData()
{
    using twb::test::visibleTickLabels;
    TrainingCurves curves;
    curves.resize(700, 600);
    curves.show();
    QVERIFY(QTest::qWaitForWindowExposed(&curves));
    QChart *loss = curves.lossChart();
    QChart *lr = curves.learningRateChart();
    // Empty: the placeholder ranges (0..1) are not labelled.
    QTRY_COMPARE(visibleTickLabels(loss), QStringList());
    QCOMPARE(visibleTickLabels(lr), QStringList());

    // The epochs are known before the first batch: x is labelled 0..4, the values are not yet.
    curves.clear(4);
    QTRY_VERIFY(visibleTickLabels(loss, Qt::Horizontal).contains(QStringLiteral("4")));
    QVERIFY(visibleTickLabels(lr, Qt::Horizontal).contains(QStringLiteral("4")));
    QCOMPARE(visibleTickLabels(loss, Qt::Vertical), QStringList());
    QCOMPARE(visibleTickLabels(lr, Qt::Vertical), QStringList());

    // The first batch labels the loss and learning-rate axes.
    curves.addBatch(0.5, 2.0, 1e-3);
    curves.addBatch(1.0, 1.0, 1e-3);
    QTRY_VERIFY(visibleTickLabels(loss, Qt::Vertical).size() >= 2);
    QTRY_VERIFY(visibleTickLabels(lr, Qt::Vertical).size() >= 2);
    // Laid out again for the labels on the next pass of the event loop: none truncated.
    QTRY_VERIFY(
        twb::test::elidedOrBlank(visibleTickLabels(loss) + visibleTickLabels(lr)).isEmpty());

    // Cleared without epochs: nothing is labelled again.
    curves.clear();
    QTRY_COMPARE(visibleTickLabels(loss), QStringList());
    QCOMPARE(visibleTickLabels(lr), QStringList());
}

void tst_TrainingCurves::fewerEpochTicksWhenNarrow()
{
    // 100 epochs at 8 ticks want ~40 px per "100"; a narrow chart gets fewer, rounder steps.
    TrainingCurves curves;
    curves.resize(900, 500);
    curves.show();
    QVERIFY(QTest::qWaitForWindowExposed(&curves));
    curves.clear(100);
    auto *x = qobject_cast<QValueAxis *>(curves.lossChart()->axes(Qt::Horizontal).first());
    QCOMPARE(x->tickInterval(), 20.0); // 100 / 8 -> 12.5 -> 20: five intervals
    curves.resize(240, 500);
    QTRY_VERIFY(x->tickInterval() >= 50.0);
    QCOMPARE(x->max(), 100.0);
    QVERIFY(twb::test::elidedOrBlank(twb::test::visibleTickLabels(curves.lossChart())).isEmpty());
    curves.resize(900, 500);
    QTRY_COMPARE(x->tickInterval(), 20.0);
}

QTEST_MAIN(tst_TrainingCurves)
#include "tst_trainingcurves.moc"
