#include "audio/Resampler.h"

#include "SoundFiles.h"

#include <QTest>

#include <cmath>
#include <numbers>

using namespace twb;

namespace {

// Largest |x[n] - amplitude sin(2 pi f n / rate)| and RMS over n in [begin, end).
struct Deviation
{
    double maxError = 0.0;
    double rms = 0.0;
};

Deviation compareToSine(const std::vector<float> &x, double frequency, double rate,
                        double amplitude, std::size_t begin, std::size_t end, int stride = 1,
                        int offset = 0)
{
    Deviation d;
    double squares = 0.0;
    for (std::size_t n = begin; n < end; ++n) {
        const double want =
            amplitude * std::sin(2.0 * std::numbers::pi * frequency * double(n) / rate);
        const double got = x[n * std::size_t(stride) + std::size_t(offset)];
        d.maxError = std::max(d.maxError, std::abs(got - want));
        squares += got * got;
    }
    d.rms = std::sqrt(squares / double(end - begin));
    return d;
}

} // namespace

class TestResampler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sineUp8kTo16k()
    {
        // 1 s of a 1 kHz sine at 8 kHz, amplitude 0.5 -> 16 kHz keeps frequency, amplitude and
        // phase (soxr compensates its filter delay).
        const std::vector<float> in = test::sine(1000.0, 8000.0, 8000, 0.5);
        const Resampler resampler(8000.0, 16000.0);
        QCOMPARE(resampler.outputFrames(8000), 16000);
        const auto out = resampler.resample(in);
        QVERIFY2(out, qPrintable(out ? QString() : out.error().toString()));
        QCOMPARE(out->size(), std::size_t(16000));
        // Away from the edges (the signal starts and stops abruptly there).
        const Deviation d = compareToSine(*out, 1000.0, 16000.0, 0.5, 800, 15200);
        qInfo("8k -> 16k, 1 kHz sine: max deviation %.2e, RMS %.6f (ideal %.6f)", d.maxError, d.rms,
              0.5 / std::sqrt(2.0));
        QVERIFY(d.maxError < 1e-3);
        QVERIFY(std::abs(d.rms - 0.5 / std::sqrt(2.0)) < 1e-4);
    }

    void downsamplingRemovesAliases()
    {
        // A 5 kHz tone at 16 kHz is above the Nyquist frequency of 8 kHz: it must be filtered
        // out, not folded to 3 kHz. A 1 kHz tone passes unchanged.
        const std::vector<float> high = test::sine(5000.0, 16000.0, 16000, 0.5);
        const auto removed = Resampler(16000.0, 8000.0).resample(high);
        QVERIFY(removed);
        QCOMPARE(removed->size(), std::size_t(8000));
        const Deviation silent = compareToSine(*removed, 0.0, 8000.0, 0.0, 400, 7600);
        QVERIFY2(silent.rms < 1e-3, qPrintable(QString::number(silent.rms)));

        const std::vector<float> low = test::sine(1000.0, 16000.0, 16000, 0.25);
        const auto kept = Resampler(16000.0, 8000.0).resample(low);
        QVERIFY(kept);
        QVERIFY(compareToSine(*kept, 1000.0, 8000.0, 0.25, 400, 7600).maxError < 1e-3);
    }

    void interleavedChannels()
    {
        // Two channels, 44.1 kHz -> 48 kHz (a non-integer ratio), each keeps its own tone.
        const int frames = 44100;
        const std::vector<float> a = test::sine(440.0, 44100.0, frames, 0.5);
        const std::vector<float> b = test::sine(3000.0, 44100.0, frames, 0.125);
        std::vector<float> in(std::size_t(frames) * 2);
        for (int n = 0; n < frames; ++n) {
            in[std::size_t(2 * n)] = a[std::size_t(n)];
            in[std::size_t(2 * n + 1)] = b[std::size_t(n)];
        }
        const Resampler resampler(44100.0, 48000.0, 2);
        const auto out = resampler.resample(in);
        QVERIFY(out);
        QCOMPARE(out->size(), std::size_t(2 * 48000));
        QVERIFY(compareToSine(*out, 440.0, 48000.0, 0.5, 2400, 45600, 2, 0).maxError < 1e-3);
        QVERIFY(compareToSine(*out, 3000.0, 48000.0, 0.125, 2400, 45600, 2, 1).maxError < 1e-3);
    }

    void sameRateCopies()
    {
        const std::vector<float> in = {1, 2, 3};
        const auto out = Resampler(8000.0, 8000.0).resample(in);
        QVERIFY(out);
        QCOMPARE(*out, in);
        const auto none = Resampler(8000.0, 16000.0).resample(std::vector<float>());
        QVERIFY(none);
        QVERIFY(none->empty());
    }

    void refusesBadArguments()
    {
        const std::vector<float> in = {1, 2, 3};
        auto bad = Resampler(0.0, 8000.0).resample(in);
        QVERIFY(!bad);
        QVERIFY(bad.error().reason.contains(QStringLiteral("positive sample rates")));
        QVERIFY(!Resampler(8000.0, -1.0).resample(in));
        QVERIFY(!Resampler(8000.0, std::nan("")).resample(in));
        QVERIFY(!Resampler(8000.0, 16000.0, 0).resample(in));
        bad = Resampler(8000.0, 16000.0, 2).resample(in);
        QVERIFY(!bad);
        QVERIFY(bad.error().reason.contains(QStringLiteral("not a multiple of 2")));
    }
};

QTEST_GUILESS_MAIN(TestResampler)
#include "tst_resampler.moc"
