#include "dsp/Window.h"

#include <QTest>

#include <cmath>

using namespace twb::dsp;

using Values = std::vector<double>;
Q_DECLARE_METATYPE(Values)
Q_DECLARE_METATYPE(WindowType)
Q_DECLARE_METATYPE(WindowSymmetry)

class TestWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesScipy_data()
    {
        QTest::addColumn<WindowType>("type");
        QTest::addColumn<WindowSymmetry>("symmetry");
        QTest::addColumn<Values>("expected");
        // scipy 1.10 scipy.signal.get_window(name, 8, fftbins=periodic), printed with %.9g.
        const auto P = WindowSymmetry::Periodic;
        const auto S = WindowSymmetry::Symmetric;
        QTest::newRow("hann periodic")
            << WindowType::Hann << P
            << Values{0, 0.146446609, 0.5, 0.853553391, 1, 0.853553391, 0.5, 0.146446609};
        QTest::newRow("hann symmetric")
            << WindowType::Hann << S << Values{0,           0.188255099, 0.611260467, 0.950484434,
                                               0.950484434, 0.611260467, 0.188255099, 0};
        QTest::newRow("hamming periodic")
            << WindowType::Hamming << P
            << Values{0.08, 0.214730881, 0.54, 0.865269119, 1, 0.865269119, 0.54, 0.214730881};
        QTest::newRow("hamming symmetric")
            << WindowType::Hamming << S
            << Values{0.08,        0.253194691, 0.64235963,  0.954445679,
                      0.954445679, 0.64235963,  0.253194691, 0.08};
        QTest::newRow("blackman periodic")
            << WindowType::Blackman << P
            << Values{0, 0.0664466094, 0.34, 0.773553391, 1, 0.773553391, 0.34, 0.0664466094};
        QTest::newRow("blackman symmetric")
            << WindowType::Blackman << S
            << Values{0,           0.0904534244, 0.459182958,  0.920363618,
                      0.920363618, 0.459182958,  0.0904534244, 0};
        QTest::newRow("blackman-harris periodic")
            << WindowType::BlackmanHarris << P << Values{6e-05, 0.021735837, 0.21747, 0.695764163,
                                                         1,     0.695764163, 0.21747, 0.021735837};
        QTest::newRow("blackman-harris symmetric")
            << WindowType::BlackmanHarris << S
            << Values{6e-05,       0.0333917235, 0.332833504,  0.889369772,
                      0.889369772, 0.332833504,  0.0333917235, 6e-05};
        QTest::newRow("kaiser 8.6 periodic")
            << WindowType::Kaiser << P
            << Values{0.001332514, 0.0674720792, 0.340393622, 0.773829381,
                      1,           0.773829381,  0.340393622, 0.0674720792};
        QTest::newRow("kaiser 8.6 symmetric")
            << WindowType::Kaiser << S
            << Values{0.001332514, 0.0911365129, 0.459643775,  0.920461583,
                      0.920461583, 0.459643775,  0.0911365129, 0.001332514};
        QTest::newRow("rect") << WindowType::Rectangular << P << Values(8, 1.0);
    }
    void matchesScipy()
    {
        QFETCH(WindowType, type);
        QFETCH(WindowSymmetry, symmetry);
        QFETCH(Values, expected);
        const std::vector<float> w = makeWindow({type, symmetry, 8.6}, 8);
        QCOMPARE(w.size(), expected.size());
        for (std::size_t i = 0; i < w.size(); ++i)
            QVERIFY2(std::abs(w[i] - expected[i]) < 2e-7,
                     qPrintable(QStringLiteral("sample %1: %2 != %3")
                                    .arg(i)
                                    .arg(double(w[i]), 0, 'g', 9)
                                    .arg(expected[i], 0, 'g', 9)));
    }

    void poveyIsHannToThePower085()
    {
        const std::vector<float> povey =
            makeWindow({WindowType::Povey, WindowSymmetry::Symmetric}, 400);
        const std::vector<float> hann =
            makeWindow({WindowType::Hann, WindowSymmetry::Symmetric}, 400);
        QCOMPARE(povey.front(), 0.0f);
        QCOMPARE(povey.back(), 0.0f);
        for (std::size_t i = 0; i < povey.size(); ++i)
            QVERIFY(std::abs(povey[i] - std::pow(hann[i], 0.85f)) < 1e-6f);
    }

    void periodicIsSymmetricOfOneMoreWithoutTheLastPoint()
    {
        for (WindowType type : {WindowType::Hann, WindowType::Blackman, WindowType::Kaiser}) {
            const auto periodic = makeWindow({type, WindowSymmetry::Periodic, 5.0}, 31);
            auto symmetric = makeWindow({type, WindowSymmetry::Symmetric, 5.0}, 32);
            symmetric.pop_back();
            QCOMPARE(periodic, symmetric);
        }
    }

    void hannPeriodicIsColaAtHalfOverlap()
    {
        // w[n] + w[n + N/2] = 1 exactly for the periodic Hann window: overlap-add is constant.
        const int n = 512;
        const auto w = makeWindow({WindowType::Hann, WindowSymmetry::Periodic}, n);
        for (int i = 0; i < n / 2; ++i)
            QVERIFY(std::abs(w[i] + w[i + n / 2] - 1.0f) < 1e-6f);
        // Quarter hop: the squared windows sum to 3/2 (the iSTFT normaliser is constant).
        for (int i = 0; i < n / 4; ++i) {
            double s = 0.0;
            for (int j = 0; j < 4; ++j)
                s += double(w[i + j * n / 4]) * w[i + j * n / 4];
            QVERIFY(std::abs(s - 1.5) < 1e-6);
        }
        // The symmetric window is not COLA: the sum dips below one.
        const auto sym = makeWindow({WindowType::Hann, WindowSymmetry::Symmetric}, n);
        float worst = 0.0f;
        for (int i = 0; i < n / 2; ++i)
            worst = std::max(worst, std::abs(sym[i] + sym[i + n / 2] - 1.0f));
        QVERIFY(worst > 1e-3f);
    }

    void degenerateLengths()
    {
        QVERIFY(makeWindow({}, 0).empty());
        QCOMPARE(makeWindow({WindowType::Hann, WindowSymmetry::Symmetric}, 1),
                 std::vector<float>{1.0f});
    }

    void names()
    {
        for (WindowType t :
             {WindowType::Rectangular, WindowType::Hann, WindowType::Hamming, WindowType::Blackman,
              WindowType::BlackmanHarris, WindowType::Kaiser, WindowType::Povey})
            QCOMPARE(*windowTypeFromName(windowName(t)), t);
        QCOMPARE(*windowTypeFromName(QStringLiteral(" Hanning")), WindowType::Hann);
        QCOMPARE(*windowTypeFromName(QStringLiteral("boxcar")), WindowType::Rectangular);
        const auto bad = windowTypeFromName(QStringLiteral("gauss"));
        QVERIFY(!bad);
        QVERIFY(bad.error().reason.contains(QLatin1String("unknown window 'gauss'")));
    }
};

QTEST_GUILESS_MAIN(TestWindow)
#include "tst_window.moc"
