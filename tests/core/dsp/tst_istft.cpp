#include "dsp/Stft.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace twb::dsp;

Q_DECLARE_METATYPE(WindowType)

namespace {

std::vector<float> noise(std::size_t n, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(n);
    for (float &v : x)
        v = u(rng);
    return x;
}

float maxError(const std::vector<float> &a, const std::vector<float> &b)
{
    float m = 0.0f;
    for (std::size_t i = 0; i < a.size(); ++i)
        m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

} // namespace

class TestIstft : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<int>("nFft");
        QTest::addColumn<int>("hop");
        QTest::addColumn<int>("winLength");
        QTest::addColumn<WindowType>("window");
        QTest::addColumn<int>("samples");
        QTest::newRow("hann 512/128") << 512 << 128 << 512 << WindowType::Hann << 16000;
        QTest::newRow("hann 512/256 (COLA)") << 512 << 256 << 512 << WindowType::Hann << 16001;
        QTest::newRow("hann 512/160, window 400") << 512 << 160 << 400 << WindowType::Hann << 12345;
        QTest::newRow("blackman-harris 1024/256")
            << 1024 << 256 << 1024 << WindowType::BlackmanHarris << 20000;
        QTest::newRow("hamming odd 255/64") << 255 << 64 << 255 << WindowType::Hamming << 5000;
        QTest::newRow("rect 64/64") << 64 << 64 << 64 << WindowType::Rectangular << 992;
    }
    void roundTrip()
    {
        QFETCH(int, nFft);
        QFETCH(int, hop);
        QFETCH(int, winLength);
        QFETCH(WindowType, window);
        QFETCH(int, samples);
        StftOptions o;
        o.nFft = nFft;
        o.hop = hop;
        o.winLength = winLength;
        o.window.type = window;
        const std::vector<float> x = noise(std::size_t(samples), 42);
        auto s = stft(x, o);
        QVERIFY(s);
        auto y = istft(*s, o, samples);
        QVERIFY(y);
        QCOMPARE(y->size(), x.size());
        const float err = maxError(x, *y);
        QVERIFY2(err < 1e-5f, qPrintable(QStringLiteral("max error %1").arg(double(err))));
    }

    void defaultLengthIsFramesTimesHop()
    {
        StftOptions o;
        o.nFft = 64;
        o.hop = 16;
        const std::vector<float> x = noise(1000, 1);
        auto s = stft(x, o);
        QCOMPARE(s->rows, 63);
        auto y = istft(*s, o);
        QVERIFY(y);
        // torch.istft: n_fft + hop (frames - 1) - 2 (n_fft / 2) = 16 * 62 = 992 samples.
        QCOMPARE(y->size(), std::size_t(992));
        QVERIFY(maxError(std::vector<float>(x.begin(), x.begin() + 992), *y) < 1e-5f);
        // A longer requested length is zero past the last frame.
        auto longer = istft(*s, o, 1100);
        QCOMPARE(longer->size(), std::size_t(1100));
        QCOMPARE(longer->back(), 0.0f);
    }

    void errors()
    {
        StftOptions o;
        o.nFft = 64;
        o.hop = 16;
        o.center = false; // the periodic Hann window is 0 at sample 0: nothing to divide by
        const std::vector<float> x = noise(640, 2);
        auto s = stft(x, o);
        auto y = istft(*s, o);
        QVERIFY(!y);
        QVERIFY(y.error().reason.contains(QLatin1String("at sample 0")));

        ComplexMatrix wrongBins(10, 20);
        auto bad = istft(wrongBins, o);
        QVERIFY(!bad);
        QCOMPARE(bad.error().reason, QStringLiteral("the spectra have 20 bins, n_fft 64 needs 33"));
    }
};

QTEST_GUILESS_MAIN(TestIstft)
#include "tst_istft.moc"
