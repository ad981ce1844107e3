#include "dsp/MelSpectrogram.h"
#include "dsp/Mfcc.h"

#include <QTest>

#include <cmath>
#include <numbers>

using namespace twb::dsp;

namespace {

MfccOptions mfccOptions(double fmin)
{
    MfccOptions o;
    o.stft.nFft = 512;
    o.stft.hop = 160;
    o.mel.sampleRate = 16000;
    o.mel.nMels = 40;
    o.mel.fmin = fmin;
    o.nMfcc = 13;
    return o;
}

} // namespace

class TestMfcc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dctMatchesScipyOrtho()
    {
        // scipy.fft.dct(x, type=2, norm='ortho') for x = [3, -1, 4, 1, -5, 9, 2, -6].
        const double x[] = {3, -1, 4, 1, -5, 9, 2, -6};
        const double expected[] = {2.47487373, 2.36267473, -1.83416083, 4.81950124,
                                   -7.4246212, 5.977927,   5.73461891,  -3.30976807};
        FloatMatrix logMel(8, 1);
        for (int i = 0; i < 8; ++i)
            logMel(i, 0) = float(x[i]);
        auto c = mfccFromLogMel(logMel, 8);
        QVERIFY(c);
        for (int k = 0; k < 8; ++k)
            QVERIFY(std::abs((*c)(k, 0) - expected[k]) < 1e-5);
    }

    void dctIsOrthonormal()
    {
        const FloatMatrix d = dctOrthonormal(32, 32);
        for (int a = 0; a < 32; ++a)
            for (int b = 0; b < 32; ++b) {
                double dot = 0.0;
                for (int n = 0; n < 32; ++n)
                    dot += double(d(a, n)) * d(b, n);
                QVERIFY(std::abs(dot - (a == b ? 1.0 : 0.0)) < 1e-6);
            }
    }

    void constantLogMelHasOnlyC0()
    {
        // The DCT of a constant v over N bands is v sqrt(N) in c0 and 0 in every other
        // coefficient (each cosine row sums to zero).
        FloatMatrix logMel(40, 3, -17.5f);
        auto c = mfccFromLogMel(logMel, 20);
        QVERIFY(c);
        for (int j = 0; j < 3; ++j) {
            QVERIFY(std::abs((*c)(0, j) - (-17.5 * std::sqrt(40.0))) < 1e-4);
            for (int k = 1; k < 20; ++k)
                QVERIFY(std::abs((*c)(k, j)) < 1e-4f);
        }
    }

    void silenceAndConstantAboveTheLeakage()
    {
        // A constant signal through a periodic Hann window has power only at bins 0 and 1
        // (X0 = cN/2, X1 = -cN/4). With fmin = 100 Hz (bin 1 is at 31.25 Hz) no mel filter
        // sees it, every band is floored at amin = 1e-10 (-100 dB): the log-mel is constant
        // and only c0 = -100 sqrt(40) is nonzero. Silence gives the same.
        for (float c : {0.0f, 0.7f}) {
            const std::vector<float> x(8000, c);
            auto m = mfcc(x, mfccOptions(100.0));
            QVERIFY(m);
            QCOMPARE(m->rows, 13);
            QCOMPARE(m->cols, 51); // 1 + 8000 / 160
            for (std::int64_t j = 0; j < m->cols; ++j) {
                QVERIFY(std::abs((*m)(0, j) - (-100.0 * std::sqrt(40.0))) < 1e-3);
                for (int k = 1; k < 13; ++k)
                    QVERIFY(std::abs((*m)(k, j)) < 1e-3f);
            }
        }
    }

    void constantSignalLeaksIntoTheFirstBands()
    {
        // With fmin = 0 the bands that contain bin 1 get W[m, 1] (cN/4)^2 and the rest is
        // floored at max - 80 dB: the log-mel is not constant and c1.. are not zero. The
        // expected log-mel is built from the analytic spectrum, not from an FFT.
        const float c = 0.7f;
        const MfccOptions o = mfccOptions(0.0);
        MelOptions mo = o.mel;
        mo.nFft = 512;
        auto bank = MelFilterbank::create(mo);
        const FloatMatrix w = bank->weights();
        const double x1 = c * 512 / 4.0;
        std::vector<double> db(40);
        double top = -1e300;
        for (int m = 0; m < 40; ++m) {
            QCOMPARE(w(m, 0), 0.0f); // the first filter starts at 0 Hz with weight 0
            db[std::size_t(m)] = 10 * std::log10(std::max(1e-10, double(w(m, 1)) * x1 * x1));
            top = std::max(top, db[std::size_t(m)]);
        }
        QVERIFY(w(0, 1) > 0.0f);
        for (double &v : db)
            v = std::max(v, top - 80.0);
        auto m = mfcc(std::vector<float>(8000, c), o);
        QVERIFY(m);
        const FloatMatrix d = dctOrthonormal(13, 40);
        for (int k = 0; k < 13; ++k) {
            double expected = 0.0;
            for (int b = 0; b < 40; ++b)
                expected += double(d(k, b)) * db[std::size_t(b)];
            for (std::int64_t j = 0; j < m->cols; ++j)
                QVERIFY2(std::abs((*m)(k, j) - expected) < 1e-2,
                         qPrintable(QStringLiteral("c%1 frame %2: %3 != %4")
                                        .arg(k)
                                        .arg(j)
                                        .arg(double((*m)(k, j)))
                                        .arg(expected)));
        }
        QVERIFY(std::abs((*m)(1, 0)) > 10.0f);
    }

    void logMelOfASineLightsItsBand()
    {
        // 1 kHz at 16 kHz: the loudest band is the one whose centre is nearest 1 kHz.
        std::vector<float> x(16000);
        for (std::size_t t = 0; t < x.size(); ++t)
            x[t] = float(std::sin(2 * std::numbers::pi * 1000.0 * t / 16000.0));
        StftOptions s;
        s.nFft = 512;
        s.hop = 160;
        MelOptions mo;
        mo.sampleRate = 16000;
        mo.nMels = 40;
        auto logMel = logMelSpectrogram(x, s, mo);
        QVERIFY(logMel);
        QCOMPARE(logMel->rows, 40);
        QCOMPARE(logMel->cols, 101);
        mo.nFft = 512;
        const auto points = MelFilterbank::create(mo)->pointsHz();
        int nearest = 0;
        for (int m = 0; m < 40; ++m)
            if (std::abs(points[std::size_t(m + 1)] - 1000.0) <
                std::abs(points[std::size_t(nearest + 1)] - 1000.0))
                nearest = m;
        int loudest = 0;
        for (int m = 0; m < 40; ++m)
            if ((*logMel)(m, 50) > (*logMel)(loudest, 50))
                loudest = m;
        QCOMPARE(loudest, nearest);
    }

    void errors()
    {
        FloatMatrix logMel(10, 2);
        auto tooMany = mfccFromLogMel(logMel, 11);
        QVERIFY(!tooMany);
        QVERIFY(tooMany.error().reason.contains(QLatin1String("between 1 and the number of mel "
                                                              "bands (10), got 11")));
        QVERIFY(!mfccFromLogMel(logMel, 0));
    }
};

QTEST_GUILESS_MAIN(TestMfcc)
#include "tst_mfcc.moc"
