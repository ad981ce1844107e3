// Low-label training (--train-fraction, issue 19): the first windows in time order for series,
// a stratified seeded share for classes, recorded in the run's provenance.

#include "train/ForecastPipeline.h"
#include "train/PretrainPipeline.h"
#include "train/TrainConfig.h"
#include "train/TrainFraction.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <map>
#include <random>

using namespace twb;

namespace {

/// The first `rows` data rows of ETTh1 (with its header) in `dir`; never kept in the repo.
QString etthSlice(const QTemporaryDir &dir, int rows)
{
    QFile in(QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv"));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    const QString path = dir.filePath(QStringLiteral("etth1_slice.csv"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    for (int i = 0; i <= rows && !in.atEnd(); ++i)
        out.write(in.readLine());
    return path;
}

TrainConfig seriesConfig(const QString &csv, const QString &task, double fraction)
{
    TrainConfig c;
    c.dataPath = csv;
    c.task = task;
    c.split = QStringLiteral("ratio");
    c.lookback = 48;
    c.horizon = 24;
    c.modelId = QStringLiteral("patchtst");
    c.trainFraction = fraction;
    return c;
}

} // namespace

class tst_TrainFraction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstWindows_data();
    void firstWindows();
    void stratifiedAndSeeded();
    void subsetMapsIndices();
    void forecastRunKeepsTheFirstWindows();
    void pretrainingKeepsTheFirstWindows();
    void configRoundTripsAndValidates();
};

void tst_TrainFraction::firstWindows_data()
{
    QTest::addColumn<qint64>("count");
    QTest::addColumn<double>("fraction");
    QTest::addColumn<qint64>("kept");
    QTest::newRow("10 % of 8000") << qint64(8000) << 0.1 << qint64(800);
    QTest::newRow("25 % of 8545") << qint64(8545) << 0.25 << qint64(2136);
    QTest::newRow("all") << qint64(37) << 1.0 << qint64(37);
    QTest::newRow("at least one") << qint64(5) << 0.01 << qint64(1);
}

void tst_TrainFraction::firstWindows()
{
    QFETCH(qint64, count);
    QFETCH(double, fraction);
    QFETCH(qint64, kept);
    const std::vector<std::int64_t> idx = firstFraction(count, fraction);
    QCOMPARE(qint64(idx.size()), kept);
    for (std::size_t i = 0; i < idx.size(); ++i)
        QCOMPARE(idx[i], std::int64_t(i)); // the first ones, in time order
}

void tst_TrainFraction::stratifiedAndSeeded()
{
    std::vector<std::int64_t> labels;
    for (int c = 0; c < 3; ++c)
        for (int i = 0; i < 40 / (c + 1); ++i) // 40, 20, 13 cases
            labels.push_back(c);
    std::shuffle(labels.begin(), labels.end(), std::mt19937_64(4));
    const torch::Tensor t = torch::tensor(labels, torch::kLong);
    const std::vector<std::int64_t> a = stratifiedFraction(t, 0.25, 7);
    std::map<std::int64_t, int> perClass;
    for (std::int64_t i : a)
        ++perClass[labels[std::size_t(i)]];
    QCOMPARE(perClass[0], 10);
    QCOMPARE(perClass[1], 5);
    QCOMPARE(perClass[2], 3); // round(3.25)
    QVERIFY(std::is_sorted(a.begin(), a.end()));
    QVERIFY(stratifiedFraction(t, 0.25, 7) == a);
    QVERIFY(stratifiedFraction(t, 0.25, 8) != a);
    // A tiny fraction keeps one case of every class.
    QCOMPARE(stratifiedFraction(t, 0.001, 7).size(), std::size_t(3));
}

void tst_TrainFraction::subsetMapsIndices()
{
    const torch::Tensor series = torch::arange(100, torch::kFloat).unsqueeze(1);
    std::vector<std::int64_t> starts;
    for (std::int64_t s = 0; s < 80; ++s)
        starts.push_back(s);
    auto all = std::make_shared<ForecastWindows>(series, starts, 10, 5);
    const SubsetExamples subset(all, {3, 4, 70});
    QCOMPARE(subset.size(), std::int64_t(3));
    const ExampleBatch b = subset.range(0, 3);
    QCOMPARE(b.x[2][0][0].item<float>(), 70.0f);
    QVERIFY(torch::equal(b.x, all->batch(torch::tensor({3, 4, 70}, torch::kLong)).x));
}

void tst_TrainFraction::forecastRunKeepsTheFirstWindows()
{
    QTemporaryDir dir;
    const QString csv = etthSlice(dir, 1200);
    QVERIFY(!csv.isEmpty());
    ForecastPipeline full, part;
    TrainConfig c1 = seriesConfig(csv, QStringLiteral("forecast"), 1.0);
    TrainConfig c2 = seriesConfig(csv, QStringLiteral("forecast"), 0.1);
    QStringList notes;
    const auto note = [&](const QString &text) {
        notes << text;
    };
    QVERIFY(full.prepare(c1, note));
    QVERIFY(part.prepare(c2, note));
    const std::int64_t n = full.trainSet()->size();
    QCOMPARE(part.trainSet()->size(), std::int64_t(std::floor(0.1 * double(n))));
    QVERIFY(torch::equal(part.trainSet()->range(0, part.trainSet()->size()).x,
                         full.trainSet()->range(0, part.trainSet()->size()).x));
    QCOMPARE(part.validationSet()->size(), full.validationSet()->size()); // validation untouched
    const QJsonObject fraction = part.dataProvenance().value("train_fraction").toObject();
    QCOMPARE(fraction.value("fraction").toDouble(), 0.1);
    QCOMPARE(fraction.value("kept").toInteger(), qint64(part.trainSet()->size()));
    QCOMPARE(fraction.value("of").toInteger(), qint64(n));
    QVERIFY(!full.dataProvenance().contains("train_fraction"));
    QVERIFY(notes.join('\n').contains("train-fraction 0.1"));
}

void tst_TrainFraction::pretrainingKeepsTheFirstWindows()
{
    QTemporaryDir dir;
    const QString csv = etthSlice(dir, 1200);
    PretrainPipeline pipeline;
    TrainConfig c = seriesConfig(csv, QStringLiteral("pretrain"), 0.25);
    c.lookback = 0; // the default
    const Status prepared = pipeline.prepare(c, [](const QString &) {});
    QVERIFY2(prepared.isOk(),
             qPrintable(prepared.isOk() ? QString() : prepared.error().toString()));
    QCOMPARE(c.lookback, PretrainPipeline::defaultLookback);
    QCOMPARE(c.horizon, std::int64_t(0));
    // 70 % of 1200 rows train: 840 - 512 + 1 windows, the first quarter of them.
    QCOMPARE(pipeline.trainSet()->size(), std::int64_t((840 - 512 + 1) / 4));
}

void tst_TrainFraction::configRoundTripsAndValidates()
{
    TrainConfig c = seriesConfig(QStringLiteral("x.csv"), QStringLiteral("forecast"), 0.25);
    c.initFrom = QStringLiteral("runs/pre");
    c.finetune = QStringLiteral("head-first:2");
    c.epochs = 5;
    QVERIFY(c.validate());
    Expected<TrainConfig> back = TrainConfig::fromJson(c.toJson(), "cfg.json");
    QVERIFY(back);
    QCOMPARE(back->trainFraction, 0.25);
    QCOMPARE(back->finetune, QStringLiteral("head-first:2"));
    QVERIFY(back->differences(c).isEmpty());
    for (double bad : {0.0, -0.5, 1.5}) {
        c.trainFraction = bad;
        QVERIFY(!c.validate());
        QVERIFY(c.validate().error().reason.contains("train-fraction"));
    }
    c.trainFraction = 1.0;
    c.epochs = 2;
    QVERIFY(c.validate().error().reason.contains("head-first:2"));
    c.initFrom.clear();
    c.finetune = QStringLiteral("linear-probe");
    QVERIFY(c.validate().error().reason.contains("finetune needs init-from"));
}

QTEST_GUILESS_MAIN(tst_TrainFraction)
#include "tst_trainfraction.moc"
