#include "train/TrainConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

using namespace twb;

class tst_TrainConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip();
    void snakeAndKebabCase();
    void badJson_data();
    void badJson();
    void fileErrorsNameLine();
    void validateNamesTheSetting_data();
    void validateNamesTheSetting();
    void defaultSplit_data();
    void defaultSplit();
    void differences();
    void groupSettingsAreChecked();
};

namespace {

TrainConfig sample()
{
    TrainConfig c;
    c.dataPath = QStringLiteral("/data/ETTh1.csv");
    c.modelId = QStringLiteral("patchtst");
    c.lookback = 336;
    c.horizon = 96;
    c.epochs = 7;
    c.batchSize = 128;
    c.lr = 1e-4;
    c.optimizer = OptimizerKind::AdamW;
    c.weightDecay = 0.01;
    c.schedule = ScheduleKind::Exponential;
    c.gamma = 0.9;
    c.hold = 3;
    c.clipGrad = 1.5;
    c.patience = 5;
    c.checkpointEvery = 2;
    c.swa = 4;
    c.seed = 12345678901234ULL;
    c.threads = 2;
    c.hyperparameters = {{QStringLiteral("d_model"), 16}, {QStringLiteral("revin"), true}};
    c.initFrom = QStringLiteral("/runs/pre");
    c.freeze = {QStringLiteral("encoder."), QStringLiteral("embedding.")};
    c.channels = {QStringLiteral("HUFL"), QStringLiteral("OT")};
    c.target = QStringLiteral("OT");
    c.freq = QStringLiteral("15min");
    return c;
}

} // namespace

void tst_TrainConfig::roundTrip()
{
    const TrainConfig c = sample();
    Expected<TrainConfig> back = TrainConfig::fromJson(c.toJson(), QStringLiteral("x.json"));
    QVERIFY(back);
    QCOMPARE(back->toJson(), c.toJson());
    QVERIFY(back->differences(c).isEmpty());
    QCOMPARE(back->seed, c.seed);
    QCOMPARE(back->checkpointEvery, std::int64_t(2));
    QCOMPARE(c.toJson().value(QStringLiteral("checkpoint-every")).toInt(), 2);
    QCOMPARE(back->swa, std::int64_t(4));
    QCOMPARE(back->freeze, c.freeze);
    QCOMPARE(back->channels, c.channels);
    QCOMPARE(back->target, QStringLiteral("OT"));
    QCOMPARE(back->freq, QStringLiteral("15min"));
    QCOMPARE(back->schedule, ScheduleKind::Exponential);
    QCOMPARE(back->scheduleOptions().hold, std::int64_t(3));
    QCOMPARE(back->optimizerOptions().weightDecay, 0.01);
    // A seed beyond 2^53 survives as a string.
    TrainConfig big = c;
    big.seed = 18446744073709551615ULL;
    QCOMPARE(TrainConfig::fromJson(big.toJson(), {})->seed, big.seed);
    // Numbers that are no seed are refused by name, before any conversion (the trainconfig
    // fuzzer found 2.022e73 cast to an unsigned integer: undefined behaviour).
    for (const double bad : {2.022e73, -1.0, 0.5, 9.1e15}) {
        QJsonObject json = c.toJson();
        json[QStringLiteral("seed")] = bad;
        const Expected<TrainConfig> refused = TrainConfig::fromJson(json, {});
        QVERIFY2(!refused, qPrintable(QString::number(bad)));
        QVERIFY2(refused.error().reason.contains(QLatin1String("seed")),
                 qPrintable(refused.error().reason));
    }
}

void tst_TrainConfig::snakeAndKebabCase()
{
    const QJsonObject json{{"batch_size", 8},
                           {"batch-size", 8},
                           {"weight_decay", 0.5},
                           {"model", "dlinear"},
                           {"drop_last", true}};
    Expected<TrainConfig> c = TrainConfig::fromJson(json, {});
    QVERIFY(c);
    QCOMPARE(c->batchSize, std::int64_t(8));
    QCOMPARE(c->weightDecay, 0.5);
    QVERIFY(c->dropLast);
    QCOMPARE(c->epochs, std::int64_t(10)); // untouched keys keep their defaults
    // Over a base: only the keys present change.
    TrainConfig base = sample();
    Expected<TrainConfig> over = TrainConfig::fromJson(QJsonObject{{"lr", 0.5}}, {}, base, {});
    QVERIFY(over);
    QCOMPARE(over->lr, 0.5);
    QCOMPARE(over->modelId, base.modelId);
}

void tst_TrainConfig::badJson_data()
{
    QTest::addColumn<QJsonObject>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown key") << QJsonObject{{"epochz", 3}} << "unknown setting \"epochz\"";
    QTest::newRow("text for a number") << QJsonObject{{"lr", "fast"}} << "\"lr\" must be a number";
    QTest::newRow("fraction for an integer")
        << QJsonObject{{"epochs", 2.5}} << "\"epochs\" must be an integer";
    QTest::newRow("unknown optimizer") << QJsonObject{{"optimizer", "sgd"}} << "\"optimizer\"";
    QTest::newRow("unknown schedule") << QJsonObject{{"schedule", "linear"}} << "\"schedule\"";
    QTest::newRow("negative seed") << QJsonObject{{"seed", -1}} << "\"seed\"";
    QTest::newRow("freeze not a list") << QJsonObject{{"freeze", "encoder."}} << "\"freeze\"";
    QTest::newRow("channels not a list") << QJsonObject{{"channels", "OT"}} << "\"channels\"";
    QTest::newRow("empty channel name")
        << QJsonObject{{"channels", QJsonArray{"OT", ""}}} << "\"channels\"";
    QTest::newRow("hyperparameters not an object")
        << QJsonObject{{"hyperparameters", QJsonArray{1}}} << "\"hyperparameters\"";
}

void tst_TrainConfig::badJson()
{
    QFETCH(QJsonObject, json);
    QFETCH(QString, expected);
    Expected<TrainConfig> c = TrainConfig::fromJson(json, QStringLiteral("run.json"));
    QVERIFY(!c);
    QCOMPARE(c.error().file, QStringLiteral("run.json"));
    QVERIFY2(c.error().reason.contains(expected), qPrintable(c.error().reason));
}

void tst_TrainConfig::fileErrorsNameLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("run.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\n  \"epochs\": 3,\n  \"lr\": ,\n}\n");
    file.close();
    Expected<TrainConfig> c = TrainConfig::fromFile(path);
    QVERIFY(!c);
    QCOMPARE(c.error().file, path);
    QCOMPARE(c.error().line, qint64(3));
    QVERIFY(!TrainConfig::fromFile(dir.filePath(QStringLiteral("none.json"))));

    // A saved config.json: its "provenance" is not a setting.
    QJsonObject saved = sample().toJson();
    saved[QStringLiteral("provenance")] = QJsonObject{{"data_fingerprint", "abc"}};
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(QJsonDocument(saved).toJson());
    file.close();
    Expected<TrainConfig> replay = TrainConfig::fromFile(path);
    QVERIFY(replay);
    QVERIFY(replay->differences(sample()).isEmpty());
}

void tst_TrainConfig::validateNamesTheSetting_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no data") << "data"
                             << "--data";
    QTest::newRow("no model") << "model"
                              << "--model";
    QTest::newRow("lookback") << "lookback"
                              << "lookback";
    QTest::newRow("horizon") << "horizon"
                             << "horizon";
    QTest::newRow("epochs") << "epochs"
                            << "epochs";
    QTest::newRow("batch size") << "batch-size"
                                << "batch-size";
    QTest::newRow("lr") << "lr"
                        << "lr";
    QTest::newRow("task") << "task"
                          << "reconstruct";
    QTest::newRow("checkpoint every") << "checkpoint-every"
                                      << "checkpoint-every";
    QTest::newRow("swa after the last epoch") << "swa"
                                              << "swa must be an epoch from 1 to epochs";
    QTest::newRow("target not read") << "target"
                                     << "target HULL is not one of the channels (HUFL, OT)";
    QTest::newRow("freq") << "freq"
                          << "freq: frequency \"fortnight\" is not one of";
}

void tst_TrainConfig::validateNamesTheSetting()
{
    QFETCH(QString, key);
    QFETCH(QString, expected);
    TrainConfig c = sample();
    QVERIFY(c.validate());
    if (key == QLatin1String("data"))
        c.dataPath.clear();
    else if (key == QLatin1String("model"))
        c.modelId.clear();
    else if (key == QLatin1String("lookback"))
        c.lookback = 0;
    else if (key == QLatin1String("horizon"))
        c.horizon = -1;
    else if (key == QLatin1String("epochs"))
        c.epochs = 0;
    else if (key == QLatin1String("batch-size"))
        c.batchSize = 0;
    else if (key == QLatin1String("lr"))
        c.lr = -1.0;
    else if (key == QLatin1String("task"))
        c.task = QStringLiteral("reconstruct");
    else if (key == QLatin1String("checkpoint-every"))
        c.checkpointEvery = -1;
    else if (key == QLatin1String("swa"))
        c.swa = c.epochs + 1;
    else if (key == QLatin1String("target"))
        c.target = QStringLiteral("HULL");
    else if (key == QLatin1String("freq"))
        c.freq = QStringLiteral("fortnight");
    const Status s = c.validate(QStringLiteral("cfg.json"));
    QVERIFY(!s);
    QCOMPARE(s.error().file, QStringLiteral("cfg.json"));
    QVERIFY2(s.error().reason.contains(expected), qPrintable(s.error().reason));
}

void tst_TrainConfig::defaultSplit_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("split");
    QTest::newRow("ETTh1") << "/work/shared/data/ett/ETTh1.csv"
                           << "ett-hour";
    QTest::newRow("ETTh2 in HDF5") << "data/ETTh2.h5:/series"
                                   << "ett-hour";
    QTest::newRow("ETTm1") << "ETTm1.csv"
                           << "ett-minute";
    QTest::newRow("other") << "weather.csv"
                           << "ratio";
    QTest::newRow("ETT only in the folder name") << "ETTh1/other.csv"
                                                 << "ratio";
}

void tst_TrainConfig::defaultSplit()
{
    QFETCH(QString, path);
    QFETCH(QString, split);
    QCOMPARE(defaultSplitFor(path), split);
}

void tst_TrainConfig::differences()
{
    TrainConfig a = sample(), b = sample();
    b.threads = 7; // not a difference: results do not depend on it
    QVERIFY(a.differences(b).isEmpty());
    b.batchSize = 3;
    b.hyperparameters[QStringLiteral("d_model")] = 32;
    QCOMPARE(a.differences(b), (QStringList{"batch-size", "hyperparameters"}));
    // A key one side leaves out (no target) is a difference both ways round.
    TrainConfig c = sample();
    c.target.clear();
    QCOMPARE(c.differences(sample()), QStringList{"target"});
    QCOMPARE(sample().differences(c), QStringList{"target"});
}

void tst_TrainConfig::groupSettingsAreChecked()
{
    TrainConfig c;
    c.task = QStringLiteral("classify");
    c.dataPath = QStringLiteral("recordings");
    c.modelId = QStringLiteral("tst");
    QVERIFY(c.validate());
    const auto refused = [](TrainConfig config, const char *expected) {
        const Status s = config.validate(QStringLiteral("cfg.json"));
        QVERIFY2(!s, expected);
        QVERIFY2(s.error().reason.contains(QLatin1String(expected)), qPrintable(s.error().reason));
    };
    TrainConfig g = c;
    g.testGroups = {QStringLiteral("theo")};
    refused(g, "need group-by");
    g.groupBy = QStringLiteral("speaker");
    QVERIFY(g.validate());
    g.testGlob = QStringLiteral("*_[0-4].wav");
    refused(g, "one of test-data, test-glob and test-groups");
    g = c;
    g.groupBy = QStringLiteral("speakers");
    refused(g, "group-by \"speakers\" is not one of");
    g = c;
    g.cv = QStringLiteral("groups");
    refused(g, "cv groups needs group-by");
    g.groupBy = QStringLiteral("field:2");
    QVERIFY(g.validate());
    g.testGroups = {QStringLiteral("theo")};
    refused(g, "cv makes the test part");
    g = c;
    g.cv = QStringLiteral("1");
    refused(g, "number of folds from 2 to 100");
    g.cv = QStringLiteral("5");
    QVERIFY(g.validate());
    g.groupBy = QStringLiteral("speaker"); // a K-fold by cases would split a speaker
    refused(g, "with group-by use cv groups");
    g = c;
    g.fold = 3;
    refused(g, "fold must lie in 1..folds");
    g.folds = 2;
    refused(g, "fold must lie in 1..folds");
    g.folds = 5;
    QVERIFY(g.validate());
    g = c;
    g.valBy = QStringLiteral("speakers");
    refused(g, "val-by must be groups or cases");
    g = c;
    g.featureNorm = QStringLiteral("zscore");
    refused(g, "feature-norm must be none, cmvn or pcen");
    g = c;
    g.levelNorm = QStringLiteral("loud");
    refused(g, "level-norm must be none, peak or rms");
    g = c;
    g.augment = QStringLiteral("shift,wobble");
    refused(g, "\"wobble\" is unknown");
    g = c;
    g.features = QStringLiteral("mfcc");
    g.mfcc = 80;
    refused(g, "mfcc must lie in 1..mel-bins (64)");

    // The new settings survive config.json.
    g = c;
    g.groupBy = QStringLiteral("speaker");
    g.valGroups = {QStringLiteral("nicolas"), QStringLiteral("theo")};
    g.valBy = QStringLiteral("cases");
    g.featureNorm = QStringLiteral("cmvn");
    g.levelNorm = QStringLiteral("rms");
    g.augment = QStringLiteral("shift:0.05,speed");
    g.features = QStringLiteral("mfcc");
    g.mfcc = 13;
    const auto back = TrainConfig::fromJson(g.toJson(), QStringLiteral("cfg.json"));
    QVERIFY(back);
    QVERIFY2(back->differences(g).isEmpty(), qPrintable(back->differences(g).join(',')));
    QCOMPARE(back->valGroups, g.valGroups);
    // A saved configuration from before these settings reads as none of them.
    QJsonObject old = c.toJson();
    for (const char *key : {"group-by", "test-groups", "val-groups", "val-by", "cv", "fold",
                            "folds", "feature-norm", "level-norm", "augment", "mfcc"})
        old.remove(QLatin1String(key));
    const auto oldBack = TrainConfig::fromJson(old, QStringLiteral("old.json"));
    QVERIFY(oldBack);
    QVERIFY(oldBack->differences(c).isEmpty());
}

QTEST_GUILESS_MAIN(tst_TrainConfig)
#include "tst_trainconfig.moc"
