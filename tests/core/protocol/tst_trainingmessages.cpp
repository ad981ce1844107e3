// The messages of a training run (protocol/TrainingMessages.h): lines as twb-cli writes them
// decode to the right fields, every message survives encoding and decoding, and anything that
// is not a message is told apart.

#include "protocol/Duration.h"
#include "protocol/TrainingMessages.h"

#include <QJsonArray>
#include <QTest>

#include <cmath>
#include <limits>

using namespace twb;

class tst_TrainingMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesProgressLines();
    void otherLinesAreNotEvents();
    void startRoundTrip();
    void batchRoundTrip();
    void epochRoundTrip();
    void earlyStopRoundTrip();
    void doneRoundTrip();
    void endMessagesRoundTrip();
    void resumedStartDefaults();
    void durations_data();
    void durations();
};

namespace {

template<typename T>
T roundTrip(const T &message)
{
    const QByteArray line = encodeTrainingLine(message.toJson());
    if (line.contains('\n'))
        qFatal("a message spans more than one line: %s", line.constData());
    const TrainingEvent decoded = parseTrainingEvent(line);
    const T *back = std::get_if<T>(&decoded);
    if (!back)
        qFatal("decoded as another kind: %s", line.constData());
    return *back;
}

} // namespace

void tst_TrainingMessages::parsesProgressLines()
{
    // Lines as `twb-cli train --progress jsonl` writes them.
    const TrainingEvent start = parseTrainingEvent(
        R"({"event":"start","model":"dlinear","epochs":2,"batches_per_epoch":267,)"
        R"("train_windows":8521,"val_windows":2857,"start_epoch":1,"start_batch":0,)"
        R"("trainable_parameters":4656,"frozen_parameters":0})");
    const auto *s = std::get_if<TrainStartEvent>(&start);
    QVERIFY(s);
    QCOMPARE(s->epochs, 2);
    QCOMPARE(s->batchesPerEpoch, 267);
    QCOMPARE(s->trainWindows, 8521);
    QCOMPARE(s->valWindows, 2857);
    QCOMPARE(s->startEpoch, 1);
    QCOMPARE(s->trainableParameters, 4656);
    QCOMPARE(s->summary.value(QStringLiteral("model")).toString(), QStringLiteral("dlinear"));

    const TrainingEvent batch = parseTrainingEvent(
        R"({"event":"batch","epoch":1,"batch":30,"batches":267,"loss":0.5,"lr":0.001,)"
        R"("samples_per_sec":3000.5,"eta_sec":12.25})");
    const auto *b = std::get_if<BatchEvent>(&batch);
    QVERIFY(b);
    QCOMPARE(b->epoch, 1);
    QCOMPARE(b->batch, 30);
    QCOMPARE(b->batches, 267);
    QCOMPARE(b->loss, 0.5);
    QCOMPARE(b->lr, 0.001);
    QCOMPARE(b->samplesPerSec, 3000.5);
    QCOMPARE(b->etaSec, 12.25);

    const TrainingEvent epoch = parseTrainingEvent(
        R"({"event":"epoch","epoch":2,"train_loss":0.4,"val_loss":0.7,"lr":0.0005,)"
        R"("seconds":2.5,"best":true})");
    const auto *e = std::get_if<EpochEvent>(&epoch);
    QVERIFY(e);
    QCOMPARE(e->epoch, 2);
    QCOMPARE(e->trainLoss, 0.4);
    QCOMPARE(e->valLoss, 0.7);
    QCOMPARE(e->lr, 0.0005);
    QCOMPARE(e->seconds, 2.5);
    QVERIFY(e->best);

    const TrainingEvent early = parseTrainingEvent(
        R"({"event":"early_stop","epoch":5,"best_epoch":2,"best_val_loss":0.69,"patience":3})");
    const auto *es = std::get_if<EarlyStopEvent>(&early);
    QVERIFY(es);
    QCOMPARE(es->epoch, 5);
    QCOMPARE(es->bestEpoch, 2);
    QCOMPARE(es->bestValLoss, 0.69);
    QCOMPARE(es->patience, 3);

    const TrainingEvent done = parseTrainingEvent(
        R"({"event":"done","best_epoch":2,"test":{"mse":0.4,"mae":0.42,"mse_original":7.5,)"
        R"("mae_original":1.5,"windows":2857}})");
    const auto *d = std::get_if<TrainDoneEvent>(&done);
    QVERIFY(d);
    QCOMPARE(d->bestEpoch, 2);
    QCOMPARE(d->mse, 0.4);
    QCOMPARE(d->mae, 0.42);
    QCOMPARE(d->mseOriginal, 7.5);
    QCOMPARE(d->maeOriginal, 1.5);
    QCOMPARE(d->windows, 2857);
    QVERIFY(!d->classification);

    const TrainingEvent classified = parseTrainingEvent(
        R"({"event":"done","best_epoch":9,"test":{"accuracy":0.96,"macro_f1":0.955,)"
        R"("log_loss":0.12,"examples":150,"confusion":[[70,5],[1,74]]}})");
    const auto *c = std::get_if<TrainDoneEvent>(&classified);
    QVERIFY(c);
    QVERIFY(c->classification);
    QCOMPARE(c->bestEpoch, 9);
    QCOMPARE(c->accuracy, 0.96);
    QCOMPARE(c->macroF1, 0.955);
    QCOMPARE(c->logLoss, 0.12);
    QCOMPARE(c->examples, 150);

    const TrainingEvent error =
        parseTrainingEvent(R"({"event":"error","message":"x.csv: no such file"})");
    const auto *m = std::get_if<TrainEndMessage>(&error);
    QVERIFY(m);
    QCOMPARE(m->kind, TrainEndMessage::Kind::Error);
    QCOMPARE(m->message, QStringLiteral("x.csv: no such file"));
    const TrainingEvent stop = parseTrainingEvent(R"({"event":"interrupted","message":"stop"})");
    QCOMPARE(std::get<TrainEndMessage>(stop).kind, TrainEndMessage::Kind::Interrupted);
}

void tst_TrainingMessages::otherLinesAreNotEvents()
{
    for (const char *line : {"", "twb-cli train: error", "{not json", "[1,2]",
                             R"({"event":"unknown"})", R"({"no_event":1})"})
        QVERIFY2(std::holds_alternative<OtherLine>(parseTrainingEvent(line)), line);
}

void tst_TrainingMessages::startRoundTrip()
{
    TrainStartEvent s;
    s.epochs = 100;
    s.batchesPerEpoch = 67;
    s.trainWindows = 8521;
    s.valWindows = 2785;
    s.startEpoch = 4;
    s.startBatch = 12;
    s.trainableParameters = 4656;
    s.frozenParameters = 128;
    s.summary = {{"model", "patchtst"}, {"lookback", 336}, {"channels", QJsonArray{"OT", "HUFL"}}};
    const TrainStartEvent back = roundTrip(s);
    QCOMPARE(back.epochs, s.epochs);
    QCOMPARE(back.batchesPerEpoch, s.batchesPerEpoch);
    QCOMPARE(back.trainWindows, s.trainWindows);
    QCOMPARE(back.valWindows, s.valWindows);
    QCOMPARE(back.startEpoch, s.startEpoch);
    QCOMPARE(back.startBatch, s.startBatch);
    QCOMPARE(back.trainableParameters, s.trainableParameters);
    QCOMPARE(back.frozenParameters, s.frozenParameters);
    QCOMPARE(back.summary, s.summary); // the protocol's own keys are not part of the summary
}

void tst_TrainingMessages::batchRoundTrip()
{
    const BatchEvent b{3, 67, 67, 0.4375, 2.5e-5, 1234.5, 5400.25};
    const BatchEvent back = roundTrip(b);
    QCOMPARE(back.epoch, b.epoch);
    QCOMPARE(back.batch, b.batch);
    QCOMPARE(back.batches, b.batches);
    QCOMPARE(back.loss, b.loss);
    QCOMPARE(back.lr, b.lr);
    QCOMPARE(back.samplesPerSec, b.samplesPerSec);
    QCOMPARE(back.etaSec, b.etaSec);
}

void tst_TrainingMessages::epochRoundTrip()
{
    for (const bool best : {true, false}) {
        const EpochEvent e{7, 0.3125, 0.6875, 1e-4, 63.75, best};
        const EpochEvent back = roundTrip(e);
        QCOMPARE(back.epoch, e.epoch);
        QCOMPARE(back.trainLoss, e.trainLoss);
        QCOMPARE(back.valLoss, e.valLoss);
        QCOMPARE(back.lr, e.lr);
        QCOMPARE(back.seconds, e.seconds);
        QCOMPARE(back.best, best);
    }
}

void tst_TrainingMessages::earlyStopRoundTrip()
{
    const EarlyStopEvent e{23, 18, 0.6953125, 5};
    const EarlyStopEvent back = roundTrip(e);
    QCOMPARE(back.epoch, e.epoch);
    QCOMPARE(back.bestEpoch, e.bestEpoch);
    QCOMPARE(back.bestValLoss, e.bestValLoss);
    QCOMPARE(back.patience, e.patience);
}

void tst_TrainingMessages::doneRoundTrip()
{
    TrainDoneEvent forecast;
    forecast.bestEpoch = 18;
    forecast.test = {{"mse", 0.379},
                     {"mae", 0.401},
                     {"mse_original", 7.25},
                     {"mae_original", 1.5},
                     {"windows", 2785}};
    const TrainDoneEvent f = roundTrip(forecast);
    QCOMPARE(f.bestEpoch, 18);
    QCOMPARE(f.test, forecast.test);
    QVERIFY(!f.classification);
    QCOMPARE(f.mse, 0.379);
    QCOMPARE(f.maeOriginal, 1.5);
    QCOMPARE(f.windows, 2785);

    TrainDoneEvent classify;
    classify.bestEpoch = 40;
    classify.test = {{"accuracy", 0.972}, {"macro_f1", 0.97}, {"log_loss", 0.1}, {"examples", 300}};
    const TrainDoneEvent c = roundTrip(classify);
    QVERIFY(c.classification);
    QCOMPARE(c.accuracy, 0.972);
    QCOMPARE(c.macroF1, 0.97);
    QCOMPARE(c.logLoss, 0.1);
    QCOMPARE(c.examples, 300);
}

void tst_TrainingMessages::endMessagesRoundTrip()
{
    for (const auto kind : {TrainEndMessage::Kind::Error, TrainEndMessage::Kind::Interrupted}) {
        const TrainEndMessage m{kind, QStringLiteral("ETTh1.csv, line 12: \"x\" is not a number")};
        const TrainEndMessage back = roundTrip(m);
        QCOMPARE(back.kind, kind);
        QCOMPARE(back.message, m.message);
    }
}

void tst_TrainingMessages::resumedStartDefaults()
{
    // A start line without start_epoch (written before resumes existed) starts at epoch 1.
    const TrainingEvent e = parseTrainingEvent(R"({"event":"start","epochs":3})");
    QCOMPARE(std::get<TrainStartEvent>(e).startEpoch, 1);
    QCOMPARE(std::get<TrainStartEvent>(e).startBatch, 0);
}

void tst_TrainingMessages::durations_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << 0.0 << "0s";
    QTest::newRow("rounds to the second") << 41.6 << "42s";
    QTest::newRow("a minute") << 60.0 << "1m00s";
    QTest::newRow("minutes and seconds") << 187.0 << "3m07s";
    QTest::newRow("hours") << 7500.0 << "2h05m";
    QTest::newRow("negative") << -1.0 << "?";
    QTest::newRow("not a number") << std::nan("") << "?";
    QTest::newRow("infinite") << std::numeric_limits<double>::infinity() << "?";
}

void tst_TrainingMessages::durations()
{
    QFETCH(double, seconds);
    QFETCH(QString, text);
    QCOMPARE(formatDuration(seconds), text);
}

QTEST_GUILESS_MAIN(tst_TrainingMessages)
#include "tst_trainingmessages.moc"
