#include "data/DatasetLoader.h"
#include "widgets/data/Autocorrelation.h"
#include "widgets/data/AutocorrelationView.h"

#include <QDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <numbers>

using namespace twb;

namespace {

const float missingValue = std::numeric_limits<float>::quiet_NaN();

} // namespace

class tst_Autocorrelation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shortSeriesByHand();
    void missingValuesContributeNothing();
    void sineGivesCosine();
    void undefinedCases();
    void maxLagIsClamped();
    void etth1OilTemperature();
    void viewAndCsv();
};

void tst_Autocorrelation::shortSeriesByHand()
{
    // mean 2.5, d = -1.5 -0.5 0.5 1.5, sum d^2 = 5.
    const std::vector<float> x{1, 2, 3, 4};
    const Autocorrelation acf = computeAutocorrelation(x.data(), 4, 1, 10);
    QCOMPARE(acf.maxLag(), 3);
    QCOMPARE(acf.r[0], 1.0);
    QCOMPARE(acf.r[1], 0.25);  // (0.75 - 0.25 + 0.75) / 5
    QCOMPARE(acf.r[2], -0.3);  // (-0.75 - 0.75) / 5
    QCOMPARE(acf.r[3], -0.45); // -2.25 / 5
    QCOMPARE(acf.values, 4);
    QCOMPARE(acf.band, 1.96 / 2.0);
}

void tst_Autocorrelation::missingValuesContributeNothing()
{
    // mean 2 over the two values, d = -1 0 1, sum d^2 = 2.
    const std::vector<float> x{1, missingValue, 3};
    const Autocorrelation acf = computeAutocorrelation(x.data(), 3, 1, 5);
    QCOMPARE(acf.values, 2);
    QCOMPARE(acf.r, (std::vector<double>{1.0, 0.0, -0.5}));
}

void tst_Autocorrelation::sineGivesCosine()
{
    // Whole periods of a sine: r[k] = (n - k) / n cos(2 pi k / P) up to a boundary term
    // bounded by 1 / (n sin(2 pi / P)) < 0.004.
    const int period = 24;
    const int n = 2400;
    std::vector<float> x(n);
    for (int t = 0; t < n; ++t)
        x[std::size_t(t)] = float(std::sin(2.0 * std::numbers::pi * t / period));
    const Autocorrelation acf = computeAutocorrelation(x.data(), n, 1, 72);
    QCOMPARE(acf.maxLag(), 72);
    for (int k = 0; k <= 72; ++k) {
        const double expected = double(n - k) / n * std::cos(2.0 * std::numbers::pi * k / period);
        QVERIFY2(std::abs(acf.r[std::size_t(k)] - expected) < 0.005,
                 qPrintable(QStringLiteral("lag %1: %2 vs %3")
                                .arg(k)
                                .arg(acf.r[std::size_t(k)])
                                .arg(expected)));
    }
    QVERIFY(acf.r[12] < -0.99 * (n - 12.0) / n); // half a period: anti-correlated
    QVERIFY(acf.r[24] > 0.98);
}

void tst_Autocorrelation::undefinedCases()
{
    const std::vector<float> constant{3, 3, 3, 3};
    QVERIFY(computeAutocorrelation(constant.data(), 4).r.empty());
    const std::vector<float> one{1, missingValue, missingValue};
    QVERIFY(computeAutocorrelation(one.data(), 3).r.empty());
    QVERIFY(computeAutocorrelation(nullptr, 0).r.empty());
}

void tst_Autocorrelation::maxLagIsClamped()
{
    const std::vector<float> x{1, 5, 2, 8, 3};
    QCOMPARE(computeAutocorrelation(x.data(), 5, 1, 100).maxLag(), 4);
    QCOMPARE(computeAutocorrelation(x.data(), 5, 1, 2).maxLag(), 2);
    QCOMPARE(computeAutocorrelation(x.data(), 5, 1, 0).r, std::vector<double>{1.0});
}

void tst_Autocorrelation::etth1OilTemperature()
{
    const QString path = QDir(QStringLiteral(TWB_SHARED_DATA_DIR)).filePath("ett/ETTh1.csv");
    if (!QFile::exists(path))
        QSKIP(qPrintable(QStringLiteral("%1 not found").arg(path)));
    Expected<SeriesDataset> data = loadSeries(path);
    QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
    const int ot = int(data->channelNames.indexOf(QStringLiteral("OT")));
    QVERIFY(ot >= 0);
    const Autocorrelation acf = computeAutocorrelation(data->values.data() + ot, data->rows(),
                                                       std::ptrdiff_t(data->channels()), 200);
    QCOMPARE(acf.maxLag(), 200);
    QCOMPARE(acf.values, data->rows());
    QCOMPARE(acf.r[0], 1.0);
    for (double r : acf.r)
        QVERIFY(std::abs(r) <= 1.0);
    // Reference values: the same estimator in double precision over the CSV's decimal values
    // (a plain Python loop, equal to statsmodels' acf(adjusted=False)).
    const std::pair<int, double> reference[] = {{1, 0.9941351565},
                                                {12, 0.9422722095},
                                                {24, 0.9398920879},
                                                {48, 0.9000053492},
                                                {168, 0.8563497314}};
    for (const auto &[lag, value] : reference)
        QVERIFY2(
            std::abs(acf.r[std::size_t(lag)] - value) < 1e-6,
            qPrintable(
                QStringLiteral("lag %1: %2").arg(lag).arg(acf.r[std::size_t(lag)], 0, 'g', 12)));
    QCOMPARE(acf.band, 1.96 / std::sqrt(double(data->rows())));
}

void tst_Autocorrelation::viewAndCsv()
{
    auto data = std::make_shared<SeriesDataset>();
    data->channelNames = {QStringLiteral("x")};
    data->values = {1, 2, 3, 4};
    AutocorrelationView view;
    view.resize(500, 300);
    view.setDataset(data, 0);
    QCOMPARE(view.autocorrelation().maxLag(), 3);
    const CsvTable table = view.csvTable();
    QCOMPARE(table.header, (QStringList{"lag", "acf", "band_low", "band_high"}));
    QCOMPARE(table.rows.size(), 4);
    QCOMPARE(table.rows[1], (QStringList{"1", "0.25", "-0.98", "0.98"}));
    view.setMaxLag(2);
    QCOMPARE(view.csvTable().rows.size(), 3);
    view.setChannel(3); // invalid: cleared
    QVERIFY(view.autocorrelation().r.empty());
    QVERIFY(view.csvTable().rows.isEmpty());
}

QTEST_MAIN(tst_Autocorrelation)
#include "tst_autocorrelation.moc"
