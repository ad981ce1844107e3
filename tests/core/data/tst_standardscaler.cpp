#include "data/CsvLoader.h"
#include "data/StandardScaler.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <limits>

using namespace twb;

namespace {

constexpr float missingValue = std::numeric_limits<float>::quiet_NaN();

// Channel 0: 1, 2, 3, NaN in the train rows; channel 1 constant; channel 2 all missing there.
SeriesDataset smallData()
{
    SeriesDataset d;
    d.channelNames = {QStringLiteral("a"), QStringLiteral("flat"), QStringLiteral("gap")};
    d.values = {1,
                10,
                missingValue, //
                2,
                10,
                missingValue, //
                3,
                10,
                missingValue, //
                missingValue,
                10,
                missingValue, //
                100,
                50,
                7}; // row 4: outside the fitted rows
    d.recountMissing();
    return d;
}

} // namespace

class TestStandardScaler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handComputed()
    {
        StandardScaler scaler;
        QVERIFY(!scaler.isFitted());
        scaler.fit(smallData(), 0, 4);
        QVERIFY(scaler.isFitted());
        QCOMPARE(scaler.channelCount(), 3);
        // mean(1, 2, 3) = 2, population variance (1 + 0 + 1) / 3 = 2/3.
        QCOMPARE(scaler.mean()[0], 2.0);
        QCOMPARE(scaler.scale()[0], std::sqrt(2.0 / 3.0));
        QCOMPARE(scaler.mean()[1], 10.0); // std 0 -> scale 1
        QCOMPARE(scaler.scale()[1], 1.0);
        QCOMPARE(scaler.mean()[2], 0.0); // no value -> identity
        QCOMPARE(scaler.scale()[2], 1.0);

        std::vector<float> rows = {3, 12, 7, missingValue, 10, 1};
        scaler.transform(rows, 3);
        QCOMPARE(rows[0], float(1.0 / std::sqrt(2.0 / 3.0))); // 1.2247449
        QCOMPARE(rows[1], 2.0f);
        QCOMPARE(rows[2], 7.0f);
        QVERIFY(std::isnan(rows[3]));
        QCOMPARE(rows[4], 0.0f);

        scaler.inverseTransform(rows.data(), 2, 3);
        QCOMPARE(rows[0], 3.0f);
        QCOMPARE(rows[1], 12.0f);
        QVERIFY(std::isnan(rows[3]));
        QCOMPARE(scaler.inverse(float(1.0 / std::sqrt(2.0 / 3.0)), 0), 3.0f);
        QCOMPARE(scaler.inverse(5.0f, 7), 5.0f); // unknown channel: unchanged
    }

    void rangeIsClampedAndExclusive()
    {
        StandardScaler all;
        all.fit(smallData(), -5, 99);   // all five rows
        QCOMPARE(all.mean()[1], 18.0);  // (4 * 10 + 50) / 5
        QCOMPARE(all.scale()[1], 16.0); // sqrt((4 * 64 + 1024) / 5)
        QCOMPARE(all.mean()[2], 7.0);

        StandardScaler none;
        none.fit(smallData(), 3, 3);
        QCOMPARE(none.mean(), std::vector<double>({0, 0, 0}));
        QCOMPARE(none.scale(), std::vector<double>({1, 1, 1}));
    }

    void wrongShapeChangesNothing()
    {
        StandardScaler scaler;
        scaler.fit(smallData(), 0, 4);
        std::vector<float> twoChannels = {1, 2, 3, 4};
        scaler.transform(twoChannels, 2);
        QCOMPARE(twoChannels, std::vector<float>({1, 2, 3, 4}));
        std::vector<float> ragged = {1, 2, 3, 4};
        scaler.transform(ragged, 3);
        QCOMPARE(ragged, std::vector<float>({1, 2, 3, 4}));
        scaler.inverseTransform(twoChannels.data(), 2, 2);
        QCOMPARE(twoChannels, std::vector<float>({1, 2, 3, 4}));
    }

    void json()
    {
        StandardScaler scaler;
        scaler.fit(smallData(), 0, 4);
        const QByteArray text = QJsonDocument(scaler.toJson()).toJson();
        const auto back = StandardScaler::fromJson(QJsonDocument::fromJson(text).object());
        QVERIFY(back);
        QCOMPARE(back->mean(), scaler.mean());
        QCOMPARE(back->scale(), scaler.scale()); // full double precision

        const auto missing = StandardScaler::fromJson(QJsonObject());
        QVERIFY(!missing);
        QVERIFY(missing.error().reason.contains(QStringLiteral("arrays")));
        const auto unequal = StandardScaler::fromJson(QJsonObject{
            {QStringLiteral("mean"), QJsonArray{1, 2}}, {QStringLiteral("scale"), QJsonArray{1}}});
        QVERIFY(!unequal);
        QVERIFY(unequal.error().reason.contains(QStringLiteral("2 means for 1 scales")));
        const auto zero = StandardScaler::fromJson(QJsonObject{
            {QStringLiteral("mean"), QJsonArray{1}}, {QStringLiteral("scale"), QJsonArray{0}}});
        QVERIFY(!zero);
        QVERIFY(zero.error().reason.contains(QStringLiteral("positive")));
        const auto text2 = StandardScaler::fromJson(
            QJsonObject{{QStringLiteral("mean"), QJsonArray{QStringLiteral("x")}},
                        {QStringLiteral("scale"), QJsonArray{1}}});
        QVERIFY(!text2);
    }

    void ettTrainPart()
    {
        const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/ett/ETTh1.csv");
        if (!QFileInfo::exists(path))
            QSKIP(qPrintable(QStringLiteral("real data not found: %1").arg(path)));
        const auto data = loadCsv(path);
        QVERIFY2(data, qPrintable(data ? QString() : data.error().toString()));
        StandardScaler scaler;
        scaler.fit(*data, 0, 8640);
        // numpy: a[:8640].mean(0) and .std(0) (ddof 0) on the float32 values, in float64.
        const std::vector<double> mean = {
            7.937742245659508, 2.0210386567335163, 5.079770601157927, 0.7461858799957015,
            2.781762386375555, 0.7884531235540096, 17.1282616982271};
        const std::vector<double> std = {5.812749409143761,  2.0901046504075986, 5.518793579036249,
                                         1.9263792741329897, 1.0235226594952223, 0.6302366362251974,
                                         9.176491024944383};
        for (std::size_t c = 0; c < 7; ++c) {
            QVERIFY2(std::abs(scaler.mean()[c] - mean[c]) < 1e-9 * std::abs(mean[c]),
                     qPrintable(QString::number(scaler.mean()[c], 'g', 17)));
            QVERIFY2(std::abs(scaler.scale()[c] - std[c]) < 1e-9 * std[c],
                     qPrintable(QString::number(scaler.scale()[c], 'g', 17)));
        }
        // The train part has mean 0 and std 1 after scaling.
        std::vector<float> train(data->values.begin(), data->values.begin() + 8640 * 7);
        scaler.transform(train, 7);
        double sum = 0, squares = 0;
        for (std::size_t r = 0; r < 8640; ++r) {
            sum += train[r * 7 + 6];
            squares += double(train[r * 7 + 6]) * train[r * 7 + 6];
        }
        QVERIFY(std::abs(sum / 8640) < 1e-5);
        QVERIFY(std::abs(squares / 8640 - 1.0) < 1e-5);
    }
};

QTEST_GUILESS_MAIN(TestStandardScaler)
#include "tst_standardscaler.moc"
