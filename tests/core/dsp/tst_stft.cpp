#include "dsp/SpeechFrames.h"
#include "dsp/Stft.h"

#include <QTest>

#include <cmath>
#include <numbers>
#include <thread>

using namespace twb::dsp;

namespace {

constexpr double pi = std::numbers::pi;

std::vector<float> cosine(int n, double cyclesPerSample, double amplitude = 1.0)
{
    std::vector<float> x(static_cast<std::size_t>(n));
    for (int t = 0; t < n; ++t)
        x[std::size_t(t)] = float(amplitude * std::cos(2 * pi * cyclesPerSample * t));
    return x;
}

StftOptions options(int nFft, int hop, bool center = true, int winLength = 0)
{
    StftOptions o;
    o.nFft = nFft;
    o.hop = hop;
    o.center = center;
    o.winLength = winLength;
    return o;
}

bool near(std::complex<float> a, std::complex<double> b, double tol)
{
    return std::abs(std::complex<double>(a) - b) < tol;
}

} // namespace

class TestStft : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesTorchStft()
    {
        // torch 1.13: t = arange(100, float64); x = (sin(0.05 t) + 0.5 cos(0.3 t + 0.2)).float();
        // torch.stft(x, n_fft=16, hop_length=5, win_length=12, window=hann_window(12),
        //            center=True, pad_mode='reflect', return_complex=True), printed with %.6f.
        std::vector<float> x(100);
        for (int t = 0; t < 100; ++t)
            x[std::size_t(t)] = float(std::sin(0.05 * t) + 0.5 * std::cos(0.3 * t + 0.2));
        auto s = stft(x, options(16, 5, true, 12));
        QVERIFY(s);
        QCOMPARE(s->rows, 21); // frames
        QCOMPARE(s->cols, 9);  // bins
        struct Ref
        {
            int frame, bin;
            double re, im;
        };
        const Ref refs[] = {
            {0, 0, 2.616949, 0},   {0, 3, -0.038741, 0},          {0, 8, -0.008669, 0},
            {1, 0, 1.164369, 0},   {1, 3, 0.049124, -0.122369},   {1, 8, -0.000283, 0},
            {10, 0, 1.458411, 0},  {10, 3, 0.186634, -0.089181},  {10, 8, -0.002206, 0},
            {20, 0, -7.272662, 0}, {20, 3, -0.491806, -0.332907}, {20, 8, -0.078994, 0}};
        for (const Ref &r : refs)
            QVERIFY2(near((*s)(r.frame, r.bin), {r.re, r.im}, 2e-5),
                     qPrintable(QStringLiteral("frame %1 bin %2").arg(r.frame).arg(r.bin)));

        // center=False, win_length = n_fft: torch gives 17 frames and S[2, 3] = 0.4713+0.4273j.
        auto plain = stft(x, options(16, 5, false));
        QVERIFY(plain);
        QCOMPARE(plain->rows, 17);
        QVERIFY(near((*plain)(3, 2), {0.4713, 0.4273}, 1e-4));
    }

    void frameCounts()
    {
        auto engine = Stft::create(options(512, 160));
        QVERIFY(engine);
        QCOMPARE(engine->frameCount(16000), 101); // 1 + 16000 / 160
        QCOMPARE(engine->frameCount(16001), 101);
        auto plain = Stft::create(options(512, 160, false));
        QCOMPARE(plain->frameCount(16000), 97); // 1 + (16000 - 512) / 160
        QCOMPARE(plain->frameCount(511), 0);
        QCOMPARE(plain->frameCount(512), 1);
        auto defaults = Stft::create(StftOptions{});
        QCOMPARE(defaults->options().hop, 128); // n_fft / 4
        QCOMPARE(defaults->options().winLength, 512);
    }

    void dcLeaksIntoBinOneOnly()
    {
        // Periodic Hann: sum w = N/2 and the window has a single cosine, so a constant c gives
        // X[0] = c N / 2, X[1] = -c N / 4 and exactly nothing else, in every frame (reflection
        // of a constant is the same constant).
        const std::vector<float> x(1000, 2.0f);
        auto s = stft(x, options(64, 16));
        QVERIFY(s);
        for (std::int64_t f = 0; f < s->rows; ++f) {
            QVERIFY(near((*s)(f, 0), {64.0, 0.0}, 1e-4));
            QVERIFY(near((*s)(f, 1), {-32.0, 0.0}, 1e-4));
            for (int k = 2; k < 33; ++k)
                QVERIFY(std::abs((*s)(f, k)) < 1e-4f);
        }
    }

    void cosineAtBinCentre()
    {
        // Bin 8 of n_fft 64 with amplitude 2: Hann gives A N / 4 = 32 at bin 8, A N / 8 = 16 at
        // bins 7 and 9, zero elsewhere.
        const auto x = cosine(2048, 8.0 / 64, 2.0);
        auto mag = spectrogram(x, options(64, 32), SpectrumKind::Magnitude);
        QVERIFY(mag);
        QCOMPARE(mag->rows, 33); // [bins, frames]
        QCOMPARE(mag->cols, 65);
        for (std::int64_t f = 2; f < 62; ++f) { // frames away from the reflected edges
            QVERIFY(std::abs((*mag)(8, f) - 32.0f) < 1e-4f);
            QVERIFY(std::abs((*mag)(7, f) - 16.0f) < 1e-4f);
            QVERIFY(std::abs((*mag)(9, f) - 16.0f) < 1e-4f);
            for (int k = 0; k < 33; ++k)
                if (k < 7 || k > 9)
                    QVERIFY(std::abs((*mag)(k, f)) < 1e-4f);
        }
        auto power = spectrogram(x, options(64, 32), SpectrumKind::Power);
        QVERIFY(std::abs((*power)(8, 10) - 1024.0f) < 1e-2f);
    }

    void cosineBetweenBinsHasHannScalloping()
    {
        // At 8.5 bins the two nearest bins are equal, the peak loses 1.42 dB (8/(3 pi) of the
        // on-bin value: Hann's DTFT sinc(d) / (1 - d^2) at d = 1/2) and the next bins on each
        // side hold 1/5 of it (d = 3/2). Limits for large N; n_fft 1024 is within 0.1 %.
        const int n = 1024;
        const auto x = cosine(16384, 64.5 / n);
        auto mag = spectrogram(x, options(n, 256), SpectrumKind::Magnitude);
        QVERIFY(mag);
        const std::int64_t f = 30;
        const double onBin = n / 4.0; // a unit cosine at a bin centre gives N / 4
        const double a = (*mag)(64, f), b = (*mag)(65, f);
        QVERIFY(std::abs(a - b) < 1e-3 * a);
        QVERIFY(std::abs(a / onBin - 8.0 / (3.0 * pi)) < 1e-3);
        QVERIFY(std::abs((*mag)(63, f) / a - 0.2) < 1e-3);
        QVERIFY(std::abs((*mag)(66, f) / a - 0.2) < 1e-3);
        QVERIFY(std::abs(20 * std::log10(a / onBin) + 1.4236) < 0.01);
    }

    void nyquist()
    {
        std::vector<float> x(512);
        for (std::size_t t = 0; t < x.size(); ++t)
            x[t] = t % 2 == 0 ? 1.0f : -1.0f;
        auto s = stft(x, options(32, 8, false));
        QVERIFY(s);
        for (std::int64_t f = 0; f < s->rows; ++f) {
            // Frames start on even samples: sum_t w[t] (-1)^t (-1)^t = N/2 at bin N/2.
            QVERIFY(near((*s)(f, 16), {16.0, 0.0}, 1e-4));
            QVERIFY(near((*s)(f, 15), {-8.0, 0.0}, 1e-4));
            for (int k = 0; k < 15; ++k)
                QVERIFY(std::abs((*s)(f, k)) < 1e-4f);
        }
    }

    void diracGivesFlatMagnitude()
    {
        // A unit impulse at sample 300: in the frame starting at 288 (no centre padding) it
        // sits at offset 12, so every bin has magnitude w[12] and phase -2 pi k 12 / N.
        std::vector<float> x(1024, 0.0f);
        x[300] = 1.0f;
        auto engine = Stft::create(options(64, 16, false));
        auto s = engine->complexFrames(x, 18, 19); // frame 18 starts at 288
        QVERIFY(s);
        const double w12 = engine->paddedWindow()[12];
        QVERIFY(std::abs(w12 - 0.5 * (1 - std::cos(2 * pi * 12 / 64))) < 1e-7);
        for (int k = 0; k < 33; ++k)
            QVERIFY(near((*s)(0, k), std::polar(w12, -2 * pi * k * 12 / 64), 1e-6));
    }

    void parsevalPerFrame()
    {
        std::vector<float> x(4000);
        for (std::size_t t = 0; t < x.size(); ++t)
            x[t] = float(std::sin(0.013 * t * t / 100.0) + 0.3 * std::cos(1.7 * t));
        auto engine = Stft::create(options(256, 100, false));
        auto power = engine->spectrogram(x, SpectrumKind::Power);
        QVERIFY(power);
        const auto &w = engine->paddedWindow();
        for (std::int64_t f = 0; f < power->cols; ++f) {
            double timeEnergy = 0.0;
            for (int i = 0; i < 256; ++i) {
                const double v = double(x[std::size_t(f * 100 + i)]) * w[std::size_t(i)];
                timeEnergy += v * v;
            }
            double spectral = (*power)(0, f) + (*power)(128, f);
            for (int k = 1; k < 128; ++k)
                spectral += 2.0 * (*power)(k, f);
            QVERIFY(std::abs(spectral / 256 - timeEnergy) < 1e-5 * timeEnergy);
        }
    }

    void frameRangesEqualTheWholeTransform()
    {
        std::vector<float> x(3001);
        for (std::size_t t = 0; t < x.size(); ++t)
            x[t] = float(std::sin(0.02 * t) * std::exp(-0.0005 * t) + 0.01 * (t % 13));
        StftOptions o = options(256, 64, true, 200);
        o.window.type = WindowType::Blackman;
        auto engine = Stft::create(o);
        auto whole = engine->spectrogram(x, SpectrumKind::Magnitude);
        QVERIFY(whole);
        QCOMPARE(whole->cols, 47);
        // Tiles that touch both reflected edges and the middle.
        for (auto [f0, f1] :
             {std::pair{0, 5}, std::pair{5, 30}, std::pair{30, 47}, std::pair{46, 47}}) {
            auto tile = engine->spectrogram(x, SpectrumKind::Magnitude, f0, f1);
            QVERIFY(tile);
            QCOMPARE(tile->cols, f1 - f0);
            for (std::int64_t k = 0; k < tile->rows; ++k)
                for (std::int64_t j = 0; j < tile->cols; ++j)
                    QCOMPARE((*tile)(k, j), (*whole)(k, f0 + j));
        }
        // An empty range writes nothing (a single guard value stays).
        float guard = -1.0f;
        engine->spectraOfFrames(x, 5, 5, SpectrumKind::Power, &guard);
        QCOMPARE(guard, -1.0f);
        // One frame alone (odd, even, the last of an odd count) equals its column.
        std::vector<float> one(std::size_t(engine->bins()));
        for (std::int64_t f : {0, 1, 17, 46}) {
            engine->spectrumOfFrame(x, f, SpectrumKind::Magnitude, one.data());
            for (std::int64_t k = 0; k < engine->bins(); ++k)
                QCOMPARE(one[std::size_t(k)], (*whole)(k, f));
        }
        // [bins, frames] magnitude is the transposed |complex [frames, bins]|.
        auto c = engine->complexFrames(x);
        for (std::int64_t f = 0; f < c->rows; ++f)
            for (std::int64_t k = 0; k < c->cols; ++k)
                QVERIFY(std::abs((*whole)(k, f) - std::abs((*c)(f, k))) <
                        1e-5f * (1 + (*whole)(k, f)));
        auto empty = engine->spectrogram(x, SpectrumKind::Power, 10, 10);
        QVERIFY(empty);
        QCOMPARE(empty->cols, 0);
    }

    void tilesOnWorkerThreads()
    {
        // One Stft per thread (the plan is shared): four threads computing interleaved tiles
        // give exactly the serial result.
        std::vector<float> x(48000);
        for (std::size_t t = 0; t < x.size(); ++t)
            x[t] = float(std::sin(0.001 * t * (1 + t / 48000.0)));
        const StftOptions o = options(512, 160);
        auto serial = spectrogram(x, o, SpectrumKind::Power);
        QVERIFY(serial);
        const std::int64_t frames = serial->cols, tile = 37;
        FloatMatrix parallel(serial->rows, frames);
        std::vector<std::thread> threads;
        for (int w = 0; w < 4; ++w) {
            threads.emplace_back([&, w] {
                auto engine = Stft::create(o);
                for (std::int64_t f0 = w * tile; f0 < frames; f0 += 4 * tile) {
                    const std::int64_t f1 = std::min(frames, f0 + tile);
                    auto part = engine->spectrogram(x, SpectrumKind::Power, f0, f1);
                    for (std::int64_t k = 0; k < part->rows; ++k)
                        for (std::int64_t j = 0; j < part->cols; ++j)
                            parallel(k, f0 + j) = (*part)(k, j);
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(parallel.data, serial->data);
    }

    void largeMatrixEqualsTiles()
    {
        // A minute at 16 kHz: the [257, 6001] result (6 MB) takes the huge-page allocation
        // path and must hold the same values as small tiles.
        std::vector<float> x(960000);
        for (std::size_t t = 0; t < x.size(); ++t)
            x[t] = float(std::sin(0.37 * double(t)) + 0.25 * std::cos(0.0031 * double(t)));
        auto engine = Stft::create(options(512, 160));
        auto whole = engine->spectrogram(x, SpectrumKind::Magnitude);
        QVERIFY(whole);
        QCOMPARE(whole->rows, 257);
        QCOMPARE(whole->cols, 6001);
        for (std::int64_t f0 : {0, 3000, 5990}) {
            auto tile = engine->spectrogram(x, SpectrumKind::Magnitude, f0, f0 + 11);
            for (std::int64_t k = 0; k < 257; ++k)
                for (std::int64_t j = 0; j < 11; ++j)
                    QCOMPARE((*tile)(k, j), (*whole)(k, f0 + j));
        }
        // A long range with an odd start and end (computed through the staging area).
        auto range = engine->spectrogram(x, SpectrumKind::Magnitude, 251, 4001);
        QVERIFY(range);
        for (std::int64_t k = 0; k < 257; ++k)
            for (std::int64_t j = 0; j < range->cols; ++j)
                QCOMPARE((*range)(k, j), (*whole)(k, 251 + j));
    }

    void frameCentres()
    {
        auto centred = Stft::create(options(512, 160));
        QCOMPARE(centred->frameCentre(0), 0);
        QCOMPARE(centred->frameCentre(100), 16000); // 1 s at 16 kHz
        auto plain = Stft::create(options(512, 160, false));
        QCOMPARE(plain->frameCentre(0), 256);
        QCOMPARE(plain->frameCentre(2), 576);
    }

    void speechFramesAreAbout32Milliseconds()
    {
        // The largest power of two within 32 ms, a quarter of it as the hop, never below 64.
        const StftOptions at8k = speechStftOptions(8000.0);
        QCOMPARE(at8k.nFft, 256); // 32 ms exactly
        QCOMPARE(at8k.hop, 64);
        QCOMPARE(speechStftOptions(16000.0).nFft, 512);
        QCOMPARE(speechStftOptions(44100.0).nFft, 1024); // 1411 samples -> 1024 (23 ms)
        QCOMPARE(speechStftOptions(44100.0).hop, 256);
        QCOMPARE(speechStftOptions(1000.0).nFft, 64);
        QVERIFY(Stft::create(speechStftOptions(22050.0)).hasValue());
    }

    void errors()
    {
        auto tooLong = Stft::create(options(64, 16, true, 65));
        QVERIFY(!tooLong);
        QVERIFY(tooLong.error().reason.contains(QLatin1String("between 1 and n_fft (64), got 65")));
        QVERIFY(!Stft::create(options(0, 16)));
        QVERIFY(!Stft::create(options(64, -1)));

        auto engine = Stft::create(options(64, 16));
        const std::vector<float> shortSignal(32, 1.0f);
        auto s = engine->complexFrames(shortSignal);
        QVERIFY(!s);
        QCOMPARE(s.error().reason,
                 QStringLiteral("a signal of 32 samples is too short for centre padding with "
                                "n_fft 64 (needs more than 32 samples)"));
        QVERIFY(engine->complexFrames(std::vector<float>(33, 1.0f)));
        QVERIFY(!engine->complexFrames(std::vector<float>{}));

        const std::vector<float> x(1000, 0.0f);
        auto range = engine->spectrogram(x, SpectrumKind::Power, 60, 70);
        QVERIFY(!range);
        QVERIFY(range.error().reason.contains(QLatin1String("[60, 70) is outside the 63 frames")));
        QVERIFY(!engine->spectrogram(x, SpectrumKind::Power, 5, 4));
        QVERIFY(!parallelSpectrogram(shortSignal, options(64, 16), SpectrumKind::Power, 2));
    }

    void parallelEqualsOneThread()
    {
        // Two minutes at 16 kHz, n_fft 512, hop 160: 12,001 frames in three parts whose borders
        // fall inside the transposition blocks; plus a signal too short to be worth a thread.
        std::vector<float> x(16000 * 120);
        std::uint32_t state = 99;
        for (float &v : x) {
            state = state * 1664525u + 1013904223u;
            v = float(state >> 8) / float(1 << 24) - 0.5f;
        }
        for (const SpectrumKind kind : {SpectrumKind::Power, SpectrumKind::Magnitude}) {
            auto one = spectrogram(x, options(512, 160), kind);
            auto three = parallelSpectrogram(x, options(512, 160), kind, 3);
            QVERIFY(one && three);
            QCOMPARE(three->rows, one->rows);
            QCOMPARE(three->cols, std::int64_t(12001));
            QVERIFY(three->data == one->data); // bit for bit
        }
        const std::vector<float> shortSignal(x.begin(), x.begin() + 16000);
        auto small = parallelSpectrogram(shortSignal, options(512, 160), SpectrumKind::Power, 4);
        QVERIFY(small);
        QVERIFY(small->data ==
                spectrogram(shortSignal, options(512, 160), SpectrumKind::Power)->data);
    }
};

QTEST_GUILESS_MAIN(TestStft)
#include "tst_stft.moc"
