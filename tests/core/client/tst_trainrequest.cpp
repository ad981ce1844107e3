#include "client/TrainRequest.h"

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
    void resumeArguments();
    void pretrainAndFineTuneArguments();
    void separationArguments();
    void scheduleArguments();
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

    // Groups, normalisation and augmentation after the masks; test groups replace the share.
    r.groupBy = QStringLiteral("speaker");
    r.testGroups = QStringLiteral("theo");
    r.featureNorm = QStringLiteral("cmvn");
    r.levelNorm = QStringLiteral("rms");
    r.augment = QStringLiteral("shift,gain:3");
    args = r.arguments();
    const qsizetype g = args.indexOf(QStringLiteral("--time-mask")) + 2;
    QCOMPARE(args.mid(g, 10),
             QStringList({"--group-by", "speaker", "--test-groups", "theo", "--feature-norm",
                          "cmvn", "--level-norm", "rms", "--augment", "shift,gain:3"}));
    QVERIFY(!args.contains(QStringLiteral("--test-fraction")));
    QVERIFY(!args.contains(QStringLiteral("--val-groups")));
    QVERIFY(!args.contains(QStringLiteral("--cv")) && !args.contains(QStringLiteral("--swa")));
    QVERIFY(!args.contains(QStringLiteral("--scale"))); // not given: the CLI's channel scaling
    r.scale = QStringLiteral("none");
    args = r.arguments();
    QCOMPARE(args.mid(args.indexOf(QStringLiteral("--level-norm")), 4),
             QStringList({"--level-norm", "rms", "--scale", "none"}));
    r.scale.clear();

    // Cross-validation after the augmentation, weight averaging after the patience.
    r.testGroups.clear();
    r.cv = QStringLiteral("groups");
    r.swa = 12;
    args = r.arguments();
    QCOMPARE(args.mid(args.indexOf(QStringLiteral("--augment")), 4),
             QStringList({"--augment", "shift,gain:3", "--cv", "groups"}));
    QCOMPARE(args.mid(args.indexOf(QStringLiteral("--patience")) + 2, 2),
             QStringList({"--swa", "12"}));
    QVERIFY(r.displayName().endsWith(QStringLiteral("(classify, cv groups)")));

    // Extra training data right after the test settings.
    QVERIFY(!args.contains(QStringLiteral("--extra-train")));
    r.extraTrain = QStringLiteral("/data/synthetic voices");
    args = r.arguments();
    QCOMPARE(args.mid(7, 2), QStringList({"--extra-train", "/data/synthetic voices"}));
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

void tst_TrainRequest::resumeArguments()
{
    TrainRequest request = sampleRequest();
    request.resume = true;
    request.runDir = QStringLiteral("/runs/a b");
    QCOMPARE(request.arguments(),
             QStringList({"train", "--run-dir", "/runs/a b", "--resume"})); // the saved settings
    QVERIFY2(request.displayName().endsWith(QLatin1String("(resumed)")),
             qPrintable(request.displayName()));
}

void tst_TrainRequest::pretrainAndFineTuneArguments()
{
    TrainRequest pretrain = sampleRequest();
    pretrain.task = QStringLiteral("pretrain");
    QStringList args = pretrain.arguments();
    QCOMPARE(args.at(args.indexOf(QStringLiteral("--task")) + 1), QStringLiteral("pretrain"));
    QVERIFY(args.contains(QStringLiteral("--lookback"))); // a series task: its window settings
    QVERIFY(!args.contains(QStringLiteral("--val-fraction")));
    QVERIFY(!args.contains(QStringLiteral("--init-from")));
    QVERIFY(!args.contains(QStringLiteral("--train-fraction")));
    QVERIFY2(pretrain.displayName().contains(QLatin1String("pretrain")),
             qPrintable(pretrain.displayName()));

    TrainRequest fineTune = sampleRequest();
    fineTune.trainFraction = 0.1;
    fineTune.initFrom = QStringLiteral("/runs/pre");
    fineTune.finetune = QStringLiteral("head-first:10");
    fineTune.freeze = {QStringLiteral("encoder.layers.0."), QStringLiteral("embedding.")};
    args = fineTune.arguments();
    const QStringList tail = args.mid(args.indexOf(QStringLiteral("--train-fraction")), 10);
    QCOMPARE(tail, QStringList({"--train-fraction", "0.1", "--init-from", "/runs/pre", "--finetune",
                                "head-first:10", "--freeze", "encoder.layers.0.", "--freeze",
                                "embedding."}));
    // Without a source, recipe and freeze mean nothing and are left out.
    fineTune.initFrom.clear();
    QVERIFY(!fineTune.arguments().contains(QStringLiteral("--finetune")));
    QVERIFY(!fineTune.arguments().contains(QStringLiteral("--freeze")));
}

void tst_TrainRequest::scheduleArguments()
{
    // Each schedule with the settings it reads, right after the patience; constant adds nothing.
    TrainRequest r = sampleRequest();
    const auto after = [&r] {
        const QStringList args = r.arguments();
        const qsizetype p = args.indexOf(QStringLiteral("--patience"));
        const qsizetype end = args.indexOf(QStringLiteral("--set"));
        return args.mid(p + 2, end - p - 2);
    };
    r.schedule = QStringLiteral("constant");
    QCOMPARE(after(), QStringList());
    r.schedule = QStringLiteral("plateau");
    r.stepSize = 3;
    QCOMPARE(after(), QStringList({"--schedule", "plateau", "--gamma", "0.5", "--step-size", "3"}));
    r.schedule = QStringLiteral("exponential");
    r.gamma = 0.9;
    r.hold = 3;
    QCOMPARE(after(), QStringList({"--schedule", "exponential", "--gamma", "0.9", "--hold", "3"}));
    r.hold = 0;
    QCOMPARE(after(), QStringList({"--schedule", "exponential", "--gamma", "0.9"}));
    r.schedule = QStringLiteral("step");
    QCOMPARE(after(), QStringList({"--schedule", "step", "--gamma", "0.9", "--step-size", "3"}));
    r.schedule = QStringLiteral("cosine");
    QCOMPARE(after(), QStringList({"--schedule", "cosine"}));
}

void tst_TrainRequest::separationArguments()
{
    // Held-out takes: the test glob, the validation share and every separation setting (the
    // defaults included, so that the command reproduces the run); nothing of classification's
    // features or of forecasting.
    TrainRequest r = sampleRequest();
    r.task = QStringLiteral("separate");
    r.dataPath = QStringLiteral("/data/fsdd/recordings");
    r.modelId = QStringLiteral("convtasnet");
    r.hyperparameters = {{QStringLiteral("filters"), QVariant::fromValue<qint64>(64)}};
    r.testGlob = QStringLiteral("*_[0-4].wav");
    r.features = QStringLiteral("fbank"); // classification's: never on a separation line
    r.melBins = 64;
    r.frames = 100;
    QCOMPARE(r.arguments(), QStringList({"train",
                                         "--data",
                                         "/data/fsdd/recordings",
                                         "--model",
                                         "convtasnet",
                                         "--task",
                                         "separate",
                                         "--test-glob",
                                         "*_[0-4].wav",
                                         "--val-fraction",
                                         "0.2",
                                         "--sources",
                                         "2",
                                         "--level-min",
                                         "-5",
                                         "--level-max",
                                         "5",
                                         "--mix-seconds",
                                         "1",
                                         "--train-mixtures",
                                         "2000",
                                         "--val-mixtures",
                                         "200",
                                         "--test-mixtures",
                                         "500",
                                         "--speaker-by",
                                         "speaker",
                                         "--epochs",
                                         "2",
                                         "--batch-size",
                                         "64",
                                         "--lr",
                                         "1e-04",
                                         "--seed",
                                         "7",
                                         "--patience",
                                         "0",
                                         "--set",
                                         "filters=64",
                                         "--run-dir",
                                         "/runs/a"}));
    QCOMPARE(r.displayName(), QStringLiteral("convtasnet on recordings (separate, 2 sources)"));

    // Held-out speakers: grouped by speaker, the validation part from the training speakers'
    // utterances; three sources at other levels, shorter and fewer mixtures, resampled.
    r.testGlob.clear();
    r.groupBy = QStringLiteral("speaker");
    r.testGroups = QStringLiteral("george,jackson,theo");
    r.valBy = QStringLiteral("cases");
    r.sources = 3;
    r.levelMin = -2.5;
    r.levelMax = 0;
    r.mixSeconds = 0.75;
    r.trainMixtures = 100;
    r.valMixtures = 20;
    r.testMixtures = 30;
    r.sampleRate = 16000;
    r.speakerBy = QStringLiteral("field:1");
    r.threads = 1;
    const QStringList args = r.arguments();
    QCOMPARE(args.mid(7, 28),
             QStringList({"--sample-rate",  "16000",   "--val-fraction",   "0.2",
                          "--group-by",     "speaker", "--test-groups",    "george,jackson,theo",
                          "--val-by",       "cases",   "--sources",        "3",
                          "--level-min",    "-2.5",    "--level-max",      "0",
                          "--mix-seconds",  "0.75",    "--train-mixtures", "100",
                          "--val-mixtures", "20",      "--test-mixtures",  "30",
                          "--speaker-by",   "field:1", "--epochs",         "2"}));
    QVERIFY(!args.contains(QStringLiteral("--test-fraction"))); // the test speakers are named
    QVERIFY(args.contains(QStringLiteral("--threads")));
    QCOMPARE(r.displayName(), QStringLiteral("convtasnet on recordings (separate, 3 sources)"));

    // Neither pattern nor groups: a test share of the utterances.
    r.testGroups.clear();
    const QStringList shared = r.arguments();
    QCOMPARE(shared.mid(shared.indexOf(QStringLiteral("--val-fraction")), 4),
             QStringList({"--val-fraction", "0.2", "--test-fraction", "0.2"}));

    // Classification passes --val-by through as well (after the validation groups).
    TrainRequest classify = r;
    classify.task = QStringLiteral("classify");
    const QStringList c = classify.arguments();
    QCOMPARE(c.mid(c.indexOf(QStringLiteral("--group-by")), 4),
             QStringList({"--group-by", "speaker", "--val-by", "cases"}));
    QVERIFY(!c.contains(QStringLiteral("--sources")));
    QVERIFY(!c.contains(QStringLiteral("--speaker-by")));
}

QTEST_GUILESS_MAIN(tst_TrainRequest)
#include "tst_trainrequest.moc"
