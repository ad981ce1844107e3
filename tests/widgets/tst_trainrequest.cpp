#include "widgets/TrainRequest.h"
#include "widgets/TrainingEvents.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

class tst_TrainRequest : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void argumentsInFixedOrder();
    void classificationArguments();
    void valuesAsTyped();
    void shellQuote_data();
    void shellQuote();
    void commandRoundTripsThroughAShell();
    void runFolderNames();
    void parsesProgressLines();
    void otherLinesAreNotEvents();
};

namespace {

TrainRequest sampleRequest()
{
    TrainRequest r;
    r.dataPath = QStringLiteral("/data/ETTh1.csv");
    r.modelId = QStringLiteral("dlinear");
    r.lookback = 96;
    r.horizon = 24;
    r.epochs = 2;
    r.batchSize = 64;
    r.lr = 1e-4;
    r.seed = 7;
    r.patience = 0;
    r.hyperparameters = {{QStringLiteral("variant"), QStringLiteral("nlinear")},
                         {QStringLiteral("kernel_size"), QVariant::fromValue<qint64>(25)},
                         {QStringLiteral("individual"), true}};
    r.runDir = QStringLiteral("/runs/a");
    return r;
}

} // namespace

void tst_TrainRequest::argumentsInFixedOrder()
{
    TrainRequest r = sampleRequest();
    const QStringList expected =
        QStringLiteral("train --data /data/ETTh1.csv --model dlinear --task forecast "
                       "--lookback 96 --horizon 24 --epochs 2 --batch-size 64 --lr 1e-04 "
                       "--seed 7 --patience 0 --set individual=true --set kernel_size=25 "
                       "--set variant=nlinear --run-dir /runs/a")
            .split(QLatin1Char(' '));
    QCOMPARE(r.arguments(), expected);

    r.split = QStringLiteral("ratio");
    r.threads = 1;
    const QStringList args = r.arguments();
    QCOMPARE(args.mid(7, 2), QStringList({"--split", "ratio"}));
    const qsizetype t = args.indexOf(QStringLiteral("--threads"));
    QVERIFY(t > 0);
    QCOMPARE(args.at(t + 1), QStringLiteral("1"));
    QCOMPARE(r.displayName(), QStringLiteral("dlinear on ETTh1.csv (L 96, H 24)"));

    // The MS setting: channels, then the scored one.
    r.channels = QStringList{QStringLiteral("HUFL"), QStringLiteral("OT")};
    r.target = QStringLiteral("OT");
    QCOMPARE(r.arguments().mid(9, 4), QStringList({"--channels", "HUFL,OT", "--target", "OT"}));
}

void tst_TrainRequest::classificationArguments()
{
    // Only the classification settings go on the line; the forecast ones (lookback, horizon,
    // split, channels) stay off even when set.
    TrainRequest r = sampleRequest();
    r.task = QStringLiteral("classify");
    r.dataPath = QStringLiteral("/data/GunPoint_TRAIN.ts");
    r.modelId = QStringLiteral("tst");
    r.hyperparameters.clear();
    r.split = QStringLiteral("ratio");
    r.channels = QStringList{QStringLiteral("OT")};
    r.target = QStringLiteral("OT");
    r.testData = QStringLiteral("/data/GunPoint_TEST.ts");
    r.valFraction = 0.25;
    QCOMPARE(r.arguments(),
             QStringLiteral("train --data /data/GunPoint_TRAIN.ts --model tst --task classify "
                            "--test-data /data/GunPoint_TEST.ts --val-fraction 0.25 --epochs 2 "
                            "--batch-size 64 --lr 1e-04 --seed 7 --patience 0 --run-dir /runs/a")
                 .split(QLatin1Char(' ')));
    QCOMPARE(r.displayName(), QStringLiteral("tst on GunPoint_TRAIN.ts (classify)"));

    // An audio folder with a test pattern, fbank features and a fixed length; without test
    // data or pattern the stratified test share is given instead.
    r.dataPath = QStringLiteral("/data/fsdd");
    r.testData.clear();
    r.testGlob = QStringLiteral("*_[0-4].wav");
    r.features = QStringLiteral("fbank");
    r.frames = 100;
    QStringList args = r.arguments();
    QCOMPARE(args.mid(7, 8), QStringList({"--test-glob", "*_[0-4].wav", "--features", "fbank",
                                          "--val-fraction", "0.25", "--frames", "100"}));
    QVERIFY(!args.contains(QStringLiteral("--test-fraction")));
    r.testGlob.clear();
    args = r.arguments();
    const qsizetype t = args.indexOf(QStringLiteral("--test-fraction"));
    QVERIFY(t > 0);
    QCOMPARE(args.at(t + 1), QStringLiteral("0.2"));
    QVERIFY(!args.contains(QStringLiteral("--lookback")));
    QVERIFY(!args.contains(QStringLiteral("--split")));

    // Audio settings: given ones after the features and the length, in the CLI's order.
    r.sampleRate = 16000;
    r.melBins = 128;
    r.freqMask = 8;
    r.timeMask = 12;
    args = r.arguments();
    const qsizetype f = args.indexOf(QStringLiteral("--features"));
    QCOMPARE(args.mid(f, 6),
             QStringList({"--features", "fbank", "--sample-rate", "16000", "--mel-bins", "128"}));
    const qsizetype n = args.indexOf(QStringLiteral("--frames"));
    QCOMPARE(args.mid(n, 6),
             QStringList({"--frames", "100", "--freq-mask", "8", "--time-mask", "12"}));
}

void tst_TrainRequest::valuesAsTyped()
{
    QCOMPARE(commandLineValue(0.1), QStringLiteral("0.1"));
    QCOMPARE(commandLineValue(1e-5), QStringLiteral("1e-05"));
    QCOMPARE(commandLineValue(0.30000000000000004), QStringLiteral("0.30000000000000004"));
    QCOMPARE(commandLineValue(QVariant::fromValue<qint64>(-3)), QStringLiteral("-3"));
    QCOMPARE(commandLineValue(false), QStringLiteral("false"));
    QCOMPARE(commandLineValue(QStringLiteral("a b")), QStringLiteral("a b"));
}

void tst_TrainRequest::shellQuote_data()
{
    QTest::addColumn<QString>("argument");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << "--batch-size"
                           << "--batch-size";
    QTest::newRow("path") << "/a/b_c/ETTh1.csv"
                          << "/a/b_c/ETTh1.csv";
    QTest::newRow("assignment") << "kernel_size=25"
                                << "kernel_size=25";
    QTest::newRow("h5 spec") << "f.h5:/g/ds"
                             << "f.h5:/g/ds";
    QTest::newRow("empty") << ""
                           << "''";
    QTest::newRow("space") << "my data.csv"
                           << "'my data.csv'";
    QTest::newRow("quote") << "it's"
                           << "'it'\\''s'";
    QTest::newRow("dollar") << "$HOME"
                            << "'$HOME'";
    QTest::newRow("glob") << "*.csv"
                          << "'*.csv'";
    QTest::newRow("non-ascii") << QString::fromUtf8("d\u00e9j\u00e0.csv")
                               << QString::fromUtf8("'d\u00e9j\u00e0.csv'");
}

void tst_TrainRequest::shellQuote()
{
    QFETCH(QString, argument);
    QFETCH(QString, quoted);
    QCOMPARE(twb::shellQuote(argument), quoted);
}

void tst_TrainRequest::commandRoundTripsThroughAShell()
{
    // A real shell must see exactly the arguments we quoted.
    const QString sh = QStandardPaths::findExecutable(QStringLiteral("sh"));
    if (sh.isEmpty())
        QSKIP("no sh in PATH");
    TrainRequest r = sampleRequest();
    r.dataPath = QStringLiteral("/tmp/my data/it's $HOME *.csv");
    r.hyperparameters.insert(QStringLiteral("note"), QStringLiteral("a \"b\" \\c"));
    const QString command =
        shellCommand(QStringLiteral("printf"), QStringList{"%s\\n"} + r.arguments());
    QProcess p;
    p.start(sh, {QStringLiteral("-c"), command});
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitCode(), 0);
    QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'));
    QCOMPARE(lines.takeLast(), QString());
    QCOMPARE(lines, r.arguments());
}

void tst_TrainRequest::runFolderNames()
{
    TrainRequest r = sampleRequest();
    r.dataPath = QStringLiteral("/x/my data.h5:/group/ds");
    const QDateTime when(QDate(2026, 11, 28), QTime(5, 7, 9));
    QCOMPARE(runFolderName(r, when), QStringLiteral("dlinear-my_data-20261128-050709"));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString first = uniqueRunDir(dir.path(), r, when);
    QCOMPARE(first, dir.filePath(QStringLiteral("dlinear-my_data-20261128-050709")));
    QVERIFY(QDir().mkpath(first));
    const QString second = uniqueRunDir(dir.path(), r, when);
    QCOMPARE(second, first + QStringLiteral("-2"));
    QVERIFY(QDir().mkpath(second));
    QCOMPARE(uniqueRunDir(dir.path(), r, when), first + QStringLiteral("-3"));
}

void tst_TrainRequest::parsesProgressLines()
{
    // Lines as core/train/ProgressReporter writes them.
    const TrainingEvent start = parseTrainingEvent(
        R"({"event":"start","model":"dlinear","epochs":2,"batches_per_epoch":267,)"
        R"("train_windows":8521,"val_windows":2857,"start_epoch":1,"start_batch":0,)"
        R"("trainable_parameters":4656,"frozen_parameters":0})");
    const auto *s = std::get_if<TrainingStarted>(&start);
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
    const auto *b = std::get_if<TrainingBatch>(&batch);
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
    const auto *e = std::get_if<TrainingEpoch>(&epoch);
    QVERIFY(e);
    QCOMPARE(e->epoch, 2);
    QCOMPARE(e->trainLoss, 0.4);
    QCOMPARE(e->valLoss, 0.7);
    QCOMPARE(e->lr, 0.0005);
    QCOMPARE(e->seconds, 2.5);
    QVERIFY(e->best);

    const TrainingEvent early = parseTrainingEvent(
        R"({"event":"early_stop","epoch":5,"best_epoch":2,"best_val_loss":0.69,"patience":3})");
    const auto *es = std::get_if<TrainingEarlyStop>(&early);
    QVERIFY(es);
    QCOMPARE(es->epoch, 5);
    QCOMPARE(es->bestEpoch, 2);
    QCOMPARE(es->bestValLoss, 0.69);
    QCOMPARE(es->patience, 3);

    const TrainingEvent done = parseTrainingEvent(
        R"({"event":"done","best_epoch":2,"test":{"mse":0.4,"mae":0.42,"mse_original":7.5,)"
        R"("mae_original":1.5,"windows":2857}})");
    const auto *d = std::get_if<TrainingDone>(&done);
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
    const auto *c = std::get_if<TrainingDone>(&classified);
    QVERIFY(c);
    QVERIFY(c->classification);
    QCOMPARE(c->bestEpoch, 9);
    QCOMPARE(c->accuracy, 0.96);
    QCOMPARE(c->macroF1, 0.955);
    QCOMPARE(c->logLoss, 0.12);
    QCOMPARE(c->examples, 150);

    const TrainingEvent error =
        parseTrainingEvent(R"({"event":"error","message":"x.csv: no such file"})");
    const auto *m = std::get_if<TrainingMessage>(&error);
    QVERIFY(m);
    QCOMPARE(m->kind, TrainingMessage::Kind::Error);
    QCOMPARE(m->message, QStringLiteral("x.csv: no such file"));
    const TrainingEvent stop = parseTrainingEvent(R"({"event":"interrupted","message":"stop"})");
    QCOMPARE(std::get<TrainingMessage>(stop).kind, TrainingMessage::Kind::Interrupted);
}

void tst_TrainRequest::otherLinesAreNotEvents()
{
    for (const char *line : {"", "twb-cli train: error", "{not json", "[1,2]",
                             R"({"event":"unknown"})", R"({"no_event":1})"})
        QVERIFY2(std::holds_alternative<TrainingOtherLine>(parseTrainingEvent(line)), line);
}

QTEST_GUILESS_MAIN(tst_TrainRequest)
#include "tst_trainrequest.moc"
