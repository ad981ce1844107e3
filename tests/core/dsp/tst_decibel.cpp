#include "dsp/Decibel.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace twb::dsp;

namespace {

void compareAll(const std::vector<float> &actual, const std::vector<float> &expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i)
        QVERIFY2(std::abs(actual[i] - expected[i]) < 1e-5f,
                 qPrintable(QStringLiteral("value %1: %2 != %3")
                                .arg(i)
                                .arg(double(actual[i]))
                                .arg(double(expected[i]))));
}

} // namespace

class TestDecibel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void powerWithFloorAndNoTop()
    {
        std::vector<float> v{1.0f, 10.0f, 100.0f, 1e-12f, 0.0f, 0.5f};
        DbOptions o;
        o.topDb.reset();
        powerToDb(v, o);
        compareAll(v, {0.0f, 10.0f, 20.0f, -100.0f, -100.0f, -3.0103f});
    }

    void powerClipsToTopDb()
    {
        // librosa.power_to_db([1, 10, 100, 1e-12, 0], top_db=80) -> max 20, floor -60.
        std::vector<float> v{1.0f, 10.0f, 100.0f, 1e-12f, 0.0f};
        powerToDb(v);
        compareAll(v, {0.0f, 10.0f, 20.0f, -60.0f, -60.0f});
    }

    void powerRelativeToMax()
    {
        std::vector<float> v{1.0f, 10.0f, 100.0f, 1e-3f};
        DbOptions o;
        o.refIsMax = true;
        o.topDb = 25.0;
        powerToDb(v, o);
        compareAll(v, {-20.0f, -10.0f, 0.0f, -25.0f});

        std::vector<float> w{4.0f};
        DbOptions r;
        r.ref = 2.0;
        r.amin = 1e-5;
        powerToDb(w, r);
        compareAll(w, {3.0103f});
    }

    void amplitude()
    {
        // librosa.amplitude_to_db(S, amin=1e-5, top_db=None): 20 log10(max(1e-5, |S|)).
        std::vector<float> v{1.0f, 10.0f, -0.1f, 1e-6f, 0.0f};
        DbOptions o;
        o.topDb.reset();
        amplitudeToDb(v, o);
        compareAll(v, {0.0f, 20.0f, -20.0f, -100.0f, -100.0f});

        std::vector<float> w{1.0f, 10.0f, 1e-6f};
        DbOptions m; // top 80
        m.refIsMax = true;
        amplitudeToDb(w, m);
        compareAll(w, {-20.0f, 0.0f, -80.0f});
    }

    void nanStaysNan()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        std::vector<float> v{nan, 100.0f, 0.0f};
        powerToDb(v);
        QVERIFY(std::isnan(v[0]));
        QCOMPARE(v[1], 20.0f);
        QCOMPARE(v[2], -60.0f);
    }
};

QTEST_GUILESS_MAIN(TestDecibel)
#include "tst_decibel.moc"
