#include "dsp/RealFft.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <random>
#include <thread>

using namespace twb::dsp;

namespace {

constexpr double pi = std::numbers::pi;

float maxAbsExcept(RealFft &fft, int skip)
{
    float m = 0.0f;
    for (int k = 0; k < fft.bins(); ++k)
        if (k != skip)
            m = std::max(m, std::abs(fft.spectrum()[k]));
    return m;
}

} // namespace

class TestRealFft : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dcGoesToBinZero()
    {
        RealFft fft(64);
        std::fill(fft.timeData(), fft.timeData() + 64, 0.5f);
        fft.forward();
        QCOMPARE(fft.spectrum()[0].real(), 32.0f);
        QCOMPARE(fft.spectrum()[0].imag(), 0.0f);
        QVERIFY(maxAbsExcept(fft, 0) < 1e-5f);
    }

    void cosineAtBinCentre()
    {
        const int n = 128;
        RealFft fft(n);
        for (int t = 0; t < n; ++t)
            fft.timeData()[t] = float(std::cos(2 * pi * 5 * t / n));
        fft.forward();
        // A cosine of amplitude 1 at bin 5 gives n / 2 there and nothing anywhere else.
        QVERIFY(std::abs(fft.spectrum()[5] - std::complex<float>(64.0f, 0.0f)) < 1e-4f);
        QVERIFY(maxAbsExcept(fft, 5) < 1e-4f);
    }

    void sineHasNegativeImaginaryPart()
    {
        const int n = 128;
        RealFft fft(n);
        for (int t = 0; t < n; ++t)
            fft.timeData()[t] = float(std::sin(2 * pi * 9 * t / n));
        fft.forward();
        QVERIFY(std::abs(fft.spectrum()[9] - std::complex<float>(0.0f, -64.0f)) < 1e-4f);
        QVERIFY(maxAbsExcept(fft, 9) < 1e-4f);
    }

    void nyquist()
    {
        const int n = 32;
        RealFft fft(n);
        for (int t = 0; t < n; ++t)
            fft.timeData()[t] = t % 2 == 0 ? 1.0f : -1.0f;
        fft.forward();
        QCOMPARE(fft.bins(), 17);
        QCOMPARE(fft.spectrum()[16].real(), 32.0f);
        QVERIFY(maxAbsExcept(fft, 16) < 1e-5f);
    }

    void diracHasFlatMagnitudeAndLinearPhase()
    {
        const int n = 50, t0 = 3;
        RealFft fft(n);
        fft.timeData()[t0] = 1.0f;
        fft.forward();
        for (int k = 0; k < fft.bins(); ++k) {
            QVERIFY(std::abs(std::abs(fft.spectrum()[k]) - 1.0f) < 1e-6f);
            const std::complex<double> expected = std::polar(1.0, -2 * pi * k * t0 / n);
            QVERIFY(std::abs(std::complex<double>(fft.spectrum()[k]) - expected) < 1e-6);
        }
    }

    void parseval_data()
    {
        QTest::addColumn<int>("n");
        QTest::newRow("even 512") << 512;
        QTest::newRow("odd 45") << 45;
        QTest::newRow("400 (25 ms at 16 kHz)") << 400;
    }
    void parseval()
    {
        QFETCH(int, n);
        RealFft fft(n);
        std::mt19937_64 rng(7);
        std::normal_distribution<float> gauss;
        double energy = 0.0;
        for (int t = 0; t < n; ++t) {
            fft.timeData()[t] = gauss(rng);
            energy += double(fft.timeData()[t]) * fft.timeData()[t];
        }
        fft.forward();
        // sum |x|^2 = (1/n) sum over the full spectrum; bins 1..ceil(n/2)-1 appear twice.
        double spectral = 0.0;
        for (int k = 0; k < fft.bins(); ++k) {
            const bool single = k == 0 || (n % 2 == 0 && k == n / 2);
            spectral += (single ? 1.0 : 2.0) * std::norm(std::complex<double>(fft.spectrum()[k]));
        }
        QVERIFY(std::abs(spectral / n - energy) < 1e-5 * energy);
    }

    void inverseIsUnnormalised()
    {
        const int n = 30;
        RealFft fft(n);
        std::vector<float> x(n);
        for (int t = 0; t < n; ++t)
            x[t] = fft.timeData()[t] = float(std::sin(0.7 * t) + 0.1 * t);
        fft.forward();
        fft.inverse();
        for (int t = 0; t < n; ++t)
            QVERIFY(std::abs(fft.timeData()[t] / n - x[t]) < 1e-5f);
    }

    void plansAreCachedAndThreadsShareThem()
    {
        const int before = FftPlanCache::cachedSizes();
        RealFft a(1000);
        RealFft b(1000);
        QCOMPARE(FftPlanCache::cachedSizes(), before + 1);
        QCOMPARE(&FftPlanCache::plans(1000), &FftPlanCache::plans(1000));

        // Four threads plan and execute sizes 200..239 concurrently: every result must be exact.
        std::vector<int> failures(4, 0);
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([i, &failures] {
                for (int n = 200; n < 240; ++n) {
                    RealFft fft(n + (i % 2));
                    std::fill(fft.timeData(), fft.timeData() + fft.size(), 1.0f);
                    fft.forward();
                    if (std::abs(fft.spectrum()[0].real() - float(fft.size())) > 1e-3f ||
                        std::abs(fft.spectrum()[1]) > 1e-3f)
                        ++failures[std::size_t(i)];
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(failures, std::vector<int>(4, 0));
        QCOMPARE(FftPlanCache::cachedSizes(), before + 1 + 41);
    }

    void moveKeepsBuffers()
    {
        RealFft a(8);
        a.timeData()[0] = 2.0f;
        RealFft b(std::move(a));
        QCOMPARE(b.size(), 8);
        b.forward();
        QCOMPARE(b.spectrum()[4].real(), 2.0f);
    }

    void pairGivesBothRealSpectra_data()
    {
        QTest::addColumn<int>("n");
        for (int n : {1, 2, 7, 8, 9, 15, 16, 255, 512})
            QTest::addRow("n=%d", n) << n;
    }

    void pairGivesBothRealSpectra()
    {
        // Two real frames through one complex FFT give the same powers as two real FFTs, at
        // every bin (k = 0, odd and even n / 2 included), to float rounding.
        QFETCH(int, n);
        std::mt19937 rng{std::uint32_t(n)};
        std::normal_distribution<float> gauss(0.0f, 1.0f);
        RealFft ra(n), rb(n);
        RealFftPair pair(n);
        QCOMPARE(pair.bins(), ra.bins());
        for (int t = 0; t < n; ++t) {
            ra.timeData()[t] = gauss(rng);
            rb.timeData()[t] = 3.0f * gauss(rng) + 0.5f;
            pair.input()[t] = {ra.timeData()[t], rb.timeData()[t]};
        }
        ra.forward();
        rb.forward();
        pair.forward();
        std::vector<float> pa(std::size_t(pair.bins())), pb(std::size_t(pair.bins()));
        pair.powerOfPair(pa.data(), pb.data());
        float scale = 1.0f;
        for (int k = 0; k < ra.bins(); ++k)
            scale = std::max({scale, std::norm(ra.spectrum()[k]), std::norm(rb.spectrum()[k])});
        for (int k = 0; k < ra.bins(); ++k) {
            QVERIFY2(std::abs(pa[std::size_t(k)] - std::norm(ra.spectrum()[k])) < 1e-5f * scale,
                     qPrintable(QStringLiteral("frame a, bin %1").arg(k)));
            QVERIFY2(std::abs(pb[std::size_t(k)] - std::norm(rb.spectrum()[k])) < 1e-5f * scale,
                     qPrintable(QStringLiteral("frame b, bin %1").arg(k)));
        }
    }

    void pairOfCosineAndSilence()
    {
        // A cosine at bin 3 in frame a and silence in frame b: b stays (near) zero and a has
        // (n/2)^2 at bin 3 only.
        const int n = 64;
        RealFftPair pair(n);
        for (int t = 0; t < n; ++t)
            pair.input()[t] = {float(std::cos(2 * pi * 3 * t / n)), 0.0f};
        pair.forward();
        std::vector<float> pa(33), pb(33);
        pair.powerOfPair(pa.data(), pb.data());
        for (int k = 0; k < 33; ++k) {
            QVERIFY(std::abs(pa[std::size_t(k)] - (k == 3 ? 1024.0f : 0.0f)) < 1e-2f);
            QVERIFY(pb[std::size_t(k)] < 1e-6f);
        }
    }
};

QTEST_GUILESS_MAIN(TestRealFft)
#include "tst_realfft.moc"
