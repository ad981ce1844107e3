#include "data/DatasetLoader.h"
#include "train/ForecastData.h"
#include "train/TrainConfig.h"

#include <QFile>
#include <QJsonArray>
#include <QtTest>

#include <cmath>

using namespace twb;

class tst_ForecastData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scaledWithTrainStatisticsOnly();
    void windowsOfEachPart();
    void nanWindowsAreExcludedAndCounted();
    void trainStride();
    void shuffledSplitLeaksOnPurpose();
    void fixedScaler();
    void tooShortIsAnError();
    void ettProtocol();
    void calendarMarksOfHourlyData();
    void noDatesNoMarks();
    void badFrequencyIsAnError();
};

namespace {

// 100 rows: channel "up" = row number, channel "wave" = sin(row).
SeriesDataset ramp(std::int64_t rows = 100)
{
    SeriesDataset d;
    d.sourcePath = QStringLiteral("ramp.csv");
    d.channelNames = {QStringLiteral("up"), QStringLiteral("wave")};
    for (std::int64_t r = 0; r < rows; ++r) {
        d.values.push_back(float(r));
        d.values.push_back(float(std::sin(double(r))));
    }
    d.recountMissing();
    return d;
}

} // namespace

void tst_ForecastData::scaledWithTrainStatisticsOnly()
{
    Expected<ForecastData> d = prepareForecastData(ramp(), QStringLiteral("ratio"), 10, 5);
    QVERIFY(d);
    // ratio: train = rows [0, 70): mean 34.5, population std sqrt((70^2 - 1) / 12).
    const double mean = 34.5, std = std::sqrt((70.0 * 70.0 - 1.0) / 12.0);
    QVERIFY(std::abs(d->scaler.mean()[0] - mean) < 1e-9);
    QVERIFY(std::abs(d->scaler.scale()[0] - std) < 1e-9);
    // A test-part row is scaled with the train statistics, not its own.
    const torch::Tensor &series = d->test.series();
    QVERIFY(std::abs(series[90][0].item<double>() - (90.0 - mean) / std) < 1e-5);
    // The data set itself stays in original units.
    QCOMPARE(d->dataset.at(90, 0), 90.0f);
}

void tst_ForecastData::windowsOfEachPart()
{
    Expected<ForecastData> d = prepareForecastData(ramp(), QStringLiteral("ratio"), 10, 5);
    QVERIFY(d);
    QCOMPARE(d->splitName, QStringLiteral("ratio"));
    // Train: starts 0..55 (70 - 15). Val [70, 80): starts 60..65. Test [80, 100): starts 70..85.
    QCOMPARE(d->train.size(), std::int64_t(56));
    QCOMPARE(d->validation.size(), std::int64_t(6));
    QCOMPARE(d->validation.starts().front(), std::int64_t(60));
    QCOMPARE(d->test.size(), std::int64_t(16));
    QCOMPARE(d->test.starts().back(), std::int64_t(85));
    QCOMPARE(&d->windows(SplitPart::Test), &d->test);
    // The first test target is the first row of the test part.
    const ForecastBatch first = d->test.range(0, 1);
    const double std = d->scaler.scale()[0], mean = d->scaler.mean()[0];
    QVERIFY(std::abs(first.y[0][0][0].item<double>() * std + mean - 80.0) < 1e-4);
    QCOMPARE(d->excludedTrain + d->excludedValidation + d->excludedTest, std::int64_t(0));
}

void tst_ForecastData::nanWindowsAreExcludedAndCounted()
{
    SeriesDataset data = ramp();
    data.values[30 * 2 + 1] = std::nanf(""); // row 30, channel "wave"
    data.recountMissing();
    Expected<ForecastData> d = prepareForecastData(std::move(data), QStringLiteral("ratio"), 10, 5);
    QVERIFY(d);
    QCOMPARE(d->excludedTrain, std::int64_t(15)); // starts 16..30 cover row 30
    QCOMPARE(d->excluded(SplitPart::Train), std::int64_t(15));
    QCOMPARE(d->train.size(), std::int64_t(56 - 15));
    for (std::int64_t s : d->train.starts())
        QVERIFY(s > 30 || s + 15 <= 30);
    QVERIFY(!torch::isnan(d->train.range(0, d->train.size()).x).any().item<bool>());
}

void tst_ForecastData::trainStride()
{
    Expected<ForecastData> d = prepareForecastData(ramp(), QStringLiteral("ratio"), 10, 5, 4);
    QVERIFY(d);
    QCOMPARE(d->train.size(), std::int64_t(14));     // 0, 4, ..., 52
    QCOMPARE(d->validation.size(), std::int64_t(6)); // evaluation keeps every window
    QCOMPARE(d->test.size(), std::int64_t(16));
}

void tst_ForecastData::shuffledSplitLeaksOnPurpose()
{
    // The teaching mistake: windows at random (shuffledPart), the scaler fitted on all rows.
    Expected<ForecastData> d = prepareForecastData(ramp(), QStringLiteral("shuffled"), 10, 5);
    QVERIFY2(d, qPrintable(d ? QString() : d.error().reason));
    QVERIFY(d->borders.shuffled);
    // All 100 rows: mean 49.5, population std sqrt((100^2 - 1) / 12).
    QVERIFY(std::abs(d->scaler.mean()[0] - 49.5) < 1e-9);
    QVERIFY(std::abs(d->scaler.scale()[0] - std::sqrt((100.0 * 100.0 - 1.0) / 12.0)) < 1e-9);
    // The 86 windows (starts 0..85) are each in the part drawn for them, once.
    QCOMPARE(d->train.size() + d->validation.size() + d->test.size(), std::int64_t(86));
    const ForecastWindows *parts[] = {&d->train, &d->validation, &d->test};
    for (int part = 0; part < 3; ++part)
        for (std::int64_t s : parts[part]->starts())
            QCOMPARE(shuffledPart(s, 0.7, 0.2), SplitPart(part));
    // Test windows lie among training windows: some test target rows are training inputs.
    bool overlaps = false;
    for (std::int64_t t : d->test.starts())
        for (std::int64_t s : d->train.starts())
            overlaps = overlaps || (s > t && s < t + 15);
    QVERIFY(overlaps);
    // A stride thins the training windows only.
    Expected<ForecastData> strided =
        prepareForecastData(ramp(), QStringLiteral("shuffled"), 10, 5, 4);
    QVERIFY(strided);
    QVERIFY(strided->train.size() < d->train.size());
    QCOMPARE(strided->test.starts(), d->test.starts());
    // Too short for any window of a part: said with the split's name.
    Expected<ForecastData> tiny = prepareForecastData(ramp(16), QStringLiteral("shuffled"), 10, 5);
    QVERIFY(!tiny);
    QVERIFY2(tiny.error().reason.contains("shuffled split drew no"),
             qPrintable(tiny.error().reason));
}

void tst_ForecastData::fixedScaler()
{
    Expected<StandardScaler> scaler =
        StandardScaler::fromJson({{"mean", QJsonArray{1.0, 0.0}}, {"scale", QJsonArray{2.0, 1.0}}});
    QVERIFY(scaler);
    Expected<ForecastData> d =
        prepareForecastData(ramp(), QStringLiteral("ratio"), 10, 5, 1, *scaler);
    QVERIFY(d);
    QCOMPARE(d->test.series()[9][0].item<float>(), 4.0f); // (9 - 1) / 2
    Expected<StandardScaler> three = StandardScaler::fromJson(
        {{"mean", QJsonArray{1.0, 0.0, 0.0}}, {"scale", QJsonArray{2.0, 1.0, 1.0}}});
    QVERIFY(three);
    Expected<ForecastData> bad =
        prepareForecastData(ramp(), QStringLiteral("ratio"), 10, 5, 1, *three);
    QVERIFY(!bad);
    QVERIFY(bad.error().reason.contains("3 channels"));
}

void tst_ForecastData::tooShortIsAnError()
{
    Expected<ForecastData> d = prepareForecastData(ramp(), QStringLiteral("ratio"), 60, 20);
    QVERIFY(!d);
    QCOMPARE(d.error().file, QStringLiteral("ramp.csv"));
    QVERIFY2(d.error().reason.contains("lookback 60"), qPrintable(d.error().reason));
    Expected<ForecastData> badSplit = prepareForecastData(ramp(), QStringLiteral("halves"), 10, 5);
    QVERIFY(!badSplit);
}

void tst_ForecastData::ettProtocol()
{
    const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(path))
        QSKIP(qPrintable(QStringLiteral("%1 is missing").arg(path)));
    Expected<SeriesDataset> data = loadSeries(path);
    QVERIFY(data);
    QCOMPARE(defaultSplitFor(path), QStringLiteral("ett-hour"));
    Expected<ForecastData> d =
        prepareForecastData(std::move(*data), defaultSplitFor(path), 336, 96);
    QVERIFY(d);
    // 12/4/4 months: train rows [0, 8640), val [8640, 11520), test [11520, 14400); val and test
    // windows start up to 336 rows before their border; every test window is kept.
    QCOMPARE(d->train.size(), std::int64_t(8640 - 336 - 96 + 1));
    QCOMPARE(d->validation.size(), std::int64_t(2880 - 96 + 1));
    QCOMPARE(d->test.size(), std::int64_t(2880 - 96 + 1));
    QCOMPARE(d->test.starts().front(), std::int64_t(11520 - 336));
    QCOMPARE(d->excludedTest, std::int64_t(0));
}

void tst_ForecastData::calendarMarksOfHourlyData()
{
    const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
    if (!QFile::exists(path))
        QSKIP(qPrintable(QStringLiteral("%1 is missing").arg(path)));
    Expected<SeriesDataset> data = loadSeries(path);
    QVERIFY(data);
    Expected<ForecastData> d =
        prepareForecastData(std::move(*data), QStringLiteral("ett-hour"), 96, 24);
    QVERIFY(d);
    // ETTh1 is hourly: the frequency comes from the median step.
    QCOMPARE(d->frequency, QStringLiteral("h"));
    QCOMPARE(d->markNames,
             (QStringList{QStringLiteral("hour_of_day"), QStringLiteral("day_of_week"),
                          QStringLiteral("day_of_month"), QStringLiteral("day_of_year")}));
    // The first test window starts at row 11520 - 96 = 11424: 2016-07-01 00:00 + 11424 h =
    // 2017-10-20 00:00, a Friday, day 293 of the year. Its forecast starts 96 h later:
    // 2017-10-24 00:00, a Tuesday, day 297.
    const ForecastBatch first = d->test.range(0, 1);
    QVERIFY(first.historyMarks.defined() && first.futureMarks.defined());
    QCOMPARE(first.historyMarks.sizes().vec(), (std::vector<std::int64_t>{1, 96, 4}));
    QCOMPARE(first.futureMarks.sizes().vec(), (std::vector<std::int64_t>{1, 24, 4}));
    const auto expect = [](const torch::Tensor &row, double hour, double weekday, double mday,
                           double yday) {
        const std::vector<double> want{hour / 23.0 - 0.5, weekday / 6.0 - 0.5,
                                       (mday - 1) / 30.0 - 0.5, (yday - 1) / 365.0 - 0.5};
        for (int f = 0; f < 4; ++f)
            if (std::abs(row[f].item<double>() - want[std::size_t(f)]) > 1e-6)
                return false;
        return true;
    };
    QVERIFY(expect(first.historyMarks[0][0], 0, 4, 20, 293));
    QVERIFY(expect(first.historyMarks[0][13], 13, 4, 20, 293));
    QVERIFY(expect(first.futureMarks[0][0], 0, 1, 24, 297));
    QVERIFY(expect(first.futureMarks[0][23], 23, 1, 24, 297));
    // A daily frequency given by hand keeps the last three.
    Expected<SeriesDataset> again = loadSeries(path);
    QVERIFY(again);
    Expected<ForecastData> daily =
        prepareForecastData(std::move(*again), QStringLiteral("ett-hour"), 96, 24, 1, std::nullopt,
                            QStringLiteral("d"));
    QVERIFY(daily);
    QCOMPARE(daily->markNames.size(), 3);
    QCOMPARE(daily->test.range(0, 2).futureMarks.size(2), std::int64_t(3));
}

void tst_ForecastData::noDatesNoMarks()
{
    Expected<ForecastData> d = prepareForecastData(ramp(), QStringLiteral("ratio"), 10, 5);
    QVERIFY(d);
    QVERIFY(d->frequency.isEmpty());
    QVERIFY(d->markNames.isEmpty());
    const ForecastBatch batch = d->train.range(0, 3);
    QVERIFY(!batch.historyMarks.defined());
    QVERIFY(!batch.futureMarks.defined());
}

void tst_ForecastData::badFrequencyIsAnError()
{
    SeriesDataset data = ramp();
    for (std::int64_t r = 0; r < data.rows(); ++r)
        data.timestamps.push_back(r * 3'600'000);
    Expected<ForecastData> d = prepareForecastData(std::move(data), QStringLiteral("ratio"), 10, 5,
                                                   1, std::nullopt, QStringLiteral("fortnight"));
    QVERIFY(!d);
    QVERIFY2(d.error().reason.contains(QLatin1String("freq")), qPrintable(d.error().reason));
    QCOMPARE(d.error().file, QStringLiteral("ramp.csv"));
}

QTEST_GUILESS_MAIN(tst_ForecastData)
#include "tst_forecastdata.moc"
