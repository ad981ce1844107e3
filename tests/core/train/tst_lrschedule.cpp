#include "train/LrSchedule.h"

#include <QtTest>

using namespace twb;

// Expected rates are computed by hand from the definitions in LrSchedule.h (and, for onecycle,
// from PyTorch's OneCycleLR formulas: initial = max / 25, min = initial / 1e4, cosine phases
// ending at step pct_start * total - 1 and total - 1).
class tst_LrSchedule : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rates_data();
    void rates();
    void names();
    void badOptions_data();
    void badOptions();
    void plateauHalvesAfterEpochsWithoutImprovement();
};

void tst_LrSchedule::rates_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("gamma");
    QTest::addColumn<int>("stepSize");
    QTest::addColumn<int>("hold");
    QTest::addColumn<int>("tMax");
    QTest::addColumn<double>("etaMin");
    QTest::addColumn<int>("epochs");
    QTest::addColumn<int>("batches");
    QTest::addColumn<int>("epoch");
    QTest::addColumn<int>("batch");
    QTest::addColumn<double>("expected");

    const int c = int(ScheduleKind::Constant), s = int(ScheduleKind::Step),
              cos = int(ScheduleKind::Cosine), one = int(ScheduleKind::OneCycle),
              ex = int(ScheduleKind::Exponential);
    QTest::newRow("constant e0") << c << 0.01 << 0.5 << 1 << 0 << 0 << 0.0 << 5 << 3 << 0 << 0
                                 << 0.01;
    QTest::newRow("constant e4 b2")
        << c << 0.01 << 0.5 << 1 << 0 << 0 << 0.0 << 5 << 3 << 4 << 2 << 0.01;
    QTest::newRow("step e1") << s << 0.1 << 0.5 << 2 << 0 << 0 << 0.0 << 9 << 1 << 1 << 0 << 0.1;
    QTest::newRow("step e2") << s << 0.1 << 0.5 << 2 << 0 << 0 << 0.0 << 9 << 1 << 2 << 0 << 0.05;
    QTest::newRow("step e5") << s << 0.1 << 0.5 << 2 << 0 << 0 << 0.0 << 9 << 1 << 5 << 0 << 0.025;
    QTest::newRow("cosine e0") << cos << 1.0 << 0.0 << 1 << 0 << 4 << 0.0 << 8 << 1 << 0 << 0
                               << 1.0;
    QTest::newRow("cosine e1") << cos << 1.0 << 0.0 << 1 << 0 << 4 << 0.0 << 8 << 1 << 1 << 0
                               << 0.8535533905932737;
    QTest::newRow("cosine e2") << cos << 1.0 << 0.0 << 1 << 0 << 4 << 0.0 << 8 << 1 << 2 << 0
                               << 0.5;
    QTest::newRow("cosine e4") << cos << 1.0 << 0.0 << 1 << 0 << 4 << 0.0 << 8 << 1 << 4 << 0
                               << 0.0;
    QTest::newRow("cosine eta_min, T_max = epochs")
        << cos << 1.1 << 0.0 << 1 << 0 << 0 << 0.1 << 10 << 1 << 5 << 0 << 0.6;
    // LTSF "type1": the first two epochs at lr0, then halved each epoch (hold 1).
    QTest::newRow("type1 e0") << ex << 1e-3 << 0.5 << 1 << 1 << 0 << 0.0 << 10 << 1 << 0 << 0
                              << 1e-3;
    QTest::newRow("type1 e1") << ex << 1e-3 << 0.5 << 1 << 1 << 0 << 0.0 << 10 << 1 << 1 << 0
                              << 1e-3;
    QTest::newRow("type1 e2") << ex << 1e-3 << 0.5 << 1 << 1 << 0 << 0.0 << 10 << 1 << 2 << 0
                              << 5e-4;
    QTest::newRow("type1 e4") << ex << 1e-3 << 0.5 << 1 << 1 << 0 << 0.0 << 10 << 1 << 4 << 0
                              << 1.25e-4;
    QTest::newRow("no hold e1") << ex << 1e-3 << 0.5 << 1 << 0 << 0 << 0.0 << 10 << 1 << 1 << 0
                                << 5e-4;
    QTest::newRow("type3 e3") << ex << 1e-4 << 0.9 << 1 << 3 << 0 << 0.0 << 10 << 1 << 3 << 0
                              << 1e-4;
    QTest::newRow("type3 e4") << ex << 1e-4 << 0.9 << 1 << 3 << 0 << 0.0 << 10 << 1 << 4 << 0
                              << 9e-5;
    QTest::newRow("type3 e5") << ex << 1e-4 << 0.9 << 1 << 3 << 0 << 0.0 << 10 << 1 << 5 << 0
                              << 8.1e-5;
    QTest::newRow("onecycle start")
        << one << 0.1 << 0.0 << 1 << 0 << 0 << 0.0 << 1 << 10 << 0 << 0 << 0.004;
    QTest::newRow("onecycle warm-up middle")
        << one << 0.1 << 0.0 << 1 << 0 << 0 << 0.0 << 1 << 10 << 0 << 1 << 0.052;
    QTest::newRow("onecycle peak")
        << one << 0.1 << 0.0 << 1 << 0 << 0 << 0.0 << 1 << 10 << 0 << 2 << 0.1;
    QTest::newRow("onecycle annealing")
        << one << 0.1 << 0.0 << 1 << 0 << 0 << 0.0 << 1 << 10 << 0 << 5 << 0.06112620219362893;
    QTest::newRow("onecycle end") << one << 0.1 << 0.0 << 1 << 0 << 0 << 0.0 << 1 << 10 << 0 << 9
                                  << 4e-7;
    QTest::newRow("onecycle counts batches across epochs")
        << one << 0.1 << 0.0 << 1 << 0 << 0 << 0.0 << 2 << 5 << 1 << 0 << 0.06112620219362893;
}

void tst_LrSchedule::rates()
{
    QFETCH(int, kind);
    QFETCH(double, lr);
    QFETCH(double, gamma);
    QFETCH(int, stepSize);
    QFETCH(int, hold);
    QFETCH(int, tMax);
    QFETCH(double, etaMin);
    QFETCH(int, epochs);
    QFETCH(int, batches);
    QFETCH(int, epoch);
    QFETCH(int, batch);
    QFETCH(double, expected);

    ScheduleOptions o;
    o.kind = ScheduleKind(kind);
    o.baseLr = lr;
    o.gamma = gamma;
    o.stepSize = stepSize;
    o.hold = hold;
    o.tMax = tMax;
    o.etaMin = etaMin;
    Expected<LrSchedule> schedule = LrSchedule::create(o, epochs, batches);
    QVERIFY2(schedule, qPrintable(schedule ? QString() : schedule.error().toString()));
    const double got = schedule->lr(epoch, batch);
    QVERIFY2(std::abs(got - expected) <= 1e-12 + 1e-9 * std::abs(expected),
             qPrintable(QStringLiteral("got %1, expected %2").arg(got, 0, 'g', 17).arg(expected)));
    QCOMPARE(schedule->perBatch(), o.kind == ScheduleKind::OneCycle);
}

void tst_LrSchedule::names()
{
    for (auto kind : {ScheduleKind::Constant, ScheduleKind::Step, ScheduleKind::Cosine,
                      ScheduleKind::OneCycle, ScheduleKind::Exponential, ScheduleKind::Plateau})
        QCOMPARE(scheduleFromName(scheduleName(kind)), std::optional<ScheduleKind>(kind));
    QCOMPARE(scheduleName(ScheduleKind::OneCycle), QStringLiteral("onecycle"));
    QVERIFY(!scheduleFromName(QStringLiteral("linear")));
}

void tst_LrSchedule::badOptions_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("gamma");
    QTest::addColumn<int>("stepSize");
    QTest::addColumn<QString>("expectedWord");
    QTest::newRow("zero lr") << int(ScheduleKind::Constant) << 0.0 << 0.5 << 1 << "learning rate";
    QTest::newRow("NaN lr") << int(ScheduleKind::Constant) << std::nan("") << 0.5 << 1
                            << "learning rate";
    QTest::newRow("gamma above 1") << int(ScheduleKind::Exponential) << 0.1 << 1.5 << 1 << "gamma";
    QTest::newRow("gamma zero") << int(ScheduleKind::Step) << 0.1 << 0.0 << 1 << "gamma";
    QTest::newRow("step size zero") << int(ScheduleKind::Step) << 0.1 << 0.5 << 0 << "step size";
    QTest::newRow("plateau step size zero")
        << int(ScheduleKind::Plateau) << 0.1 << 0.5 << 0 << "step size";
    QTest::newRow("plateau gamma above 1")
        << int(ScheduleKind::Plateau) << 0.1 << 2.0 << 3 << "gamma";
}

void tst_LrSchedule::badOptions()
{
    QFETCH(int, kind);
    QFETCH(double, lr);
    QFETCH(double, gamma);
    QFETCH(int, stepSize);
    QFETCH(QString, expectedWord);
    ScheduleOptions o;
    o.kind = ScheduleKind(kind);
    o.baseLr = lr;
    o.gamma = gamma;
    o.stepSize = stepSize;
    Expected<LrSchedule> schedule = LrSchedule::create(o, 3, 3);
    QVERIFY(!schedule);
    QVERIFY2(schedule.error().reason.contains(expectedWord), qPrintable(schedule.error().reason));
}

void tst_LrSchedule::plateauHalvesAfterEpochsWithoutImprovement()
{
    ScheduleOptions o;
    o.kind = ScheduleKind::Plateau;
    o.baseLr = 1e-3;
    o.gamma = 0.5;
    o.stepSize = 3; // Conv-TasNet: halved after 3 epochs without a better validation loss
    const Expected<LrSchedule> plateau = LrSchedule::create(o, 100, 10);
    QVERIFY(plateau);
    QVERIFY(plateau->followsValidation());
    QCOMPARE(plateau->lr(50, 4), 1e-3); // the start; later rates come from afterEpoch
    // Validation: better, worse x3 (halved), worse x3 (halved again), better, worse x2.
    const std::vector<qint64> badEpochs{0, 1, 2, 3, 4, 5, 6, 0, 1, 2};
    const std::vector<double> expected{1e-3, 1e-3,   1e-3,   5e-4,   5e-4,
                                       5e-4, 2.5e-4, 2.5e-4, 2.5e-4, 2.5e-4};
    double lr = o.baseLr;
    for (std::size_t e = 0; e < badEpochs.size(); ++e) {
        lr = plateau->afterEpoch(lr, badEpochs[e]);
        QCOMPARE(lr, expected[e]);
    }
    // Every other schedule ignores it.
    o.kind = ScheduleKind::Step;
    const Expected<LrSchedule> step = LrSchedule::create(o, 100, 10);
    QVERIFY(step && !step->followsValidation());
    QCOMPARE(step->afterEpoch(1e-3, 3), 1e-3);
}

QTEST_GUILESS_MAIN(tst_LrSchedule)
#include "tst_lrschedule.moc"
