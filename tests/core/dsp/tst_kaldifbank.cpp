#include "dsp/KaldiFbank.h"

#include <QFileInfo>
#include <QTest>

#include <sndfile.h>

#include <cmath>
#include <complex>
#include <numbers>
#include <random>

using namespace twb::dsp;

namespace {

constexpr double pi = std::numbers::pi;
const double logEps = -15.9423847; // numpy: log(finfo(float32).eps)

std::vector<float> noise(std::size_t n, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> u(-0.5f, 0.5f);
    std::vector<float> x(n);
    for (float &v : x)
        v = u(rng);
    return x;
}

/// One frame of Kaldi fbank computed the slow way, in double, with a direct DFT: the
/// documented steps, independent of FFTW and of the library's frame code.
std::vector<double> slowFrame(const std::vector<float> &x, std::int64_t start, int size, int padded,
                              const KaldiFbankOptions &o, const FloatMatrix &bank)
{
    std::vector<double> frame(std::size_t(size), 0.0);
    double mean = 0.0;
    for (int i = 0; i < size; ++i)
        mean += frame[std::size_t(i)] = x[std::size_t(start + i)];
    mean /= size;
    std::vector<double> y(frame);
    for (int i = 0; i < size; ++i)
        y[std::size_t(i)] -= mean;
    std::vector<double> z(y);
    for (int i = 0; i < size; ++i)
        z[std::size_t(i)] = y[std::size_t(i)] - o.preemphasis * y[std::size_t(std::max(0, i - 1))];
    for (int i = 0; i < size; ++i) {
        const double hann = 0.5 - 0.5 * std::cos(2 * pi * i / (size - 1));
        z[std::size_t(i)] *= std::pow(hann, 0.85); // povey
    }
    std::vector<double> power(std::size_t(padded / 2 + 1));
    for (int k = 0; k <= padded / 2; ++k) {
        std::complex<double> sum;
        for (int i = 0; i < size; ++i)
            sum += z[std::size_t(i)] * std::polar(1.0, -2 * pi * k * i / padded);
        power[std::size_t(k)] = std::norm(sum);
    }
    std::vector<double> out(std::size_t(bank.rows));
    for (std::int64_t m = 0; m < bank.rows; ++m) {
        double e = 0.0;
        for (std::int64_t k = 0; k < bank.cols; ++k)
            e += bank(m, k) * power[std::size_t(k)];
        out[std::size_t(m)] = std::log(std::max(e, double(std::numeric_limits<float>::epsilon())));
    }
    return out;
}

} // namespace

class TestKaldiFbank : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void geometry()
    {
        KaldiFbankOptions o; // 16 kHz, 25 ms, 10 ms
        auto g = kaldiFrameGeometry(o, 16000);
        QVERIFY(g);
        QCOMPARE(g->windowSize, 400);
        QCOMPARE(g->windowShift, 160);
        QCOMPARE(g->paddedSize, 512);
        QCOMPARE(g->frames, 98); // 1 + (16000 - 400) / 160
        QCOMPARE(kaldiFrameGeometry(o, 399)->frames, 0);
        QCOMPARE(kaldiFrameGeometry(o, 400)->frames, 1);
        o.snipEdges = false;
        QCOMPARE(kaldiFrameGeometry(o, 16000)->frames, 100); // (16000 + 80) / 160
        o.sampleFrequency = 8000;
        o.roundToPowerOfTwo = false;
        g = kaldiFrameGeometry(o, 2384);
        QCOMPARE(g->windowSize, 200);
        QCOMPARE(g->windowShift, 80);
        QCOMPARE(g->paddedSize, 200);
    }

    void melBanks()
    {
        KaldiFbankOptions o;
        o.numMelBins = 23;
        auto bank = kaldiMelBanks(o);
        QVERIFY(bank);
        QCOMPARE(bank->rows, 23);
        QCOMPARE(bank->cols, 257);
        const double melLow = kaldiMel(20.0), melHigh = kaldiMel(8000.0);
        QVERIFY(std::abs(kaldiMel(1000.0) - 999.9907007660) < 1e-9);
        const double delta = (melHigh - melLow) / 24;
        for (int m = 0; m < 23; ++m) {
            QCOMPARE((*bank)(m, 256), 0.0f); // no Nyquist column
            float top = 0.0f;
            for (int k = 0; k < 256; ++k) {
                const double mel = kaldiMel(k * 31.25);
                const float w = (*bank)(m, k);
                if (mel <= melLow + m * delta || mel >= melLow + (m + 2) * delta)
                    QCOMPARE(w, 0.0f);
                else
                    QVERIFY(w > 0.0f);
                top = std::max(top, w);
            }
            QVERIFY(top <= 1.0f && top > 0.5f);
        }
    }

    void constantSignalIsFlooredAtLogEps()
    {
        // Removing the DC offset leaves zeros: every value is log(float32 eps).
        auto f = kaldiFbank(std::vector<float>(4000, 0.25f), KaldiFbankOptions{});
        QVERIFY(f);
        QCOMPARE(f->rows, 23); // 1 + (4000 - 400) / 160
        QCOMPARE(f->cols, 23);
        for (float v : f->data)
            QVERIFY(std::abs(v - logEps) < 1e-5);
    }

    void matchesTheSlowDefinition()
    {
        const std::vector<float> x = noise(3000, 3);
        KaldiFbankOptions o;
        o.numMelBins = 40;
        auto f = kaldiFbank(x, o);
        QVERIFY(f);
        QCOMPARE(f->rows, 17);
        const FloatMatrix bank = *kaldiMelBanks(o);
        for (std::int64_t frame : {0, 7, 16}) {
            const auto expected = slowFrame(x, frame * 160, 400, 512, o, bank);
            for (int m = 0; m < 40; ++m)
                QVERIFY2(std::abs((*f)(frame, m) - expected[std::size_t(m)]) < 1e-4,
                         qPrintable(QStringLiteral("frame %1 bin %2: %3 != %4")
                                        .arg(frame)
                                        .arg(m)
                                        .arg(double((*f)(frame, m)))
                                        .arg(expected[std::size_t(m)])));
        }
    }

    void matchesTorchaudioSteps()
    {
        // Expected values computed offline with torch 1.13 (float32) by running the steps of
        // torchaudio.compliance.kaldi.fbank (strided frames, DC removal, replicate-padded
        // pre-emphasis, window, rfft power, Kaldi mel bank with a zero Nyquist column,
        // log(max(x, eps))); torchaudio itself is not installed here. Signal:
        // 0.3 sin(2 pi 440 t / 16k) + 0.1 sin(2 pi 3000 t / 16k + 0.5)
        // + 0.01 (((7919 t) mod 101) - 50) / 50, t = 0..3999.
        std::vector<float> x(4000);
        for (std::size_t i = 0; i < x.size(); ++i) {
            const double t = double(i);
            x[i] = float(0.3 * std::sin(2 * pi * 440 * t / 16000) +
                         0.1 * std::sin(2 * pi * 3000 * t / 16000 + 0.5) +
                         0.01 * (double((i * 7919) % 101) - 50.0) / 50.0);
        }
        struct Ref
        {
            int frame, bin;
            double value;
        };
        KaldiFbankOptions o; // povey, 23 bins
        auto povey = kaldiFbank(x, o);
        QVERIFY(povey);
        QCOMPARE(povey->rows, 23);
        const Ref poveyRefs[] = {{0, 0, -10.88961},  {0, 5, -4.88632},   {0, 11, -6.52019},
                                 {0, 22, -0.47631},  {10, 0, -10.67905}, {10, 5, -4.80082},
                                 {10, 11, -6.52112}, {10, 22, -0.47618}, {22, 0, -10.07971},
                                 {22, 5, -4.85009},  {22, 11, -6.52013}, {22, 22, -0.47619}};
        for (const Ref &r : poveyRefs)
            QVERIFY2(std::abs((*povey)(r.frame, r.bin) - r.value) < 2e-4,
                     qPrintable(QStringLiteral("povey frame %1 bin %2: %3")
                                    .arg(r.frame)
                                    .arg(r.bin)
                                    .arg(double((*povey)(r.frame, r.bin)))));
        o.numMelBins = 128; // the AST front end
        o.window = WindowType::Hann;
        auto ast = kaldiFbank(x, o);
        QVERIFY(ast);
        const Ref astRefs[] = {{0, 0, -15.10303},   {0, 17, -7.31633},   {0, 64, -10.44411},
                               {0, 127, -4.84537},  {10, 0, -15.12669},  {10, 17, -7.34284},
                               {10, 64, -10.35906}, {10, 127, -4.84431}, {22, 0, -13.06482},
                               {22, 17, -7.24457},  {22, 64, -10.36500}, {22, 127, -4.84437}};
        for (const Ref &r : astRefs)
            QVERIFY2(std::abs((*ast)(r.frame, r.bin) - r.value) < 2e-3,
                     qPrintable(QStringLiteral("ast frame %1 bin %2: %3")
                                    .arg(r.frame)
                                    .arg(r.bin)
                                    .arg(double((*ast)(r.frame, r.bin)))));
    }

    void sineLightsTheNearestBin()
    {
        std::vector<float> x(16000);
        for (std::size_t t = 0; t < x.size(); ++t)
            x[t] = float(0.3 * std::sin(2 * pi * 2000.0 * t / 16000.0));
        KaldiFbankOptions o;
        o.numMelBins = 128; // AST
        o.window = WindowType::Hann;
        auto f = kaldiFbank(x, o);
        QVERIFY(f);
        QCOMPARE(f->cols, 128);
        const double melLow = kaldiMel(20.0);
        const double delta = (kaldiMel(8000.0) - melLow) / 129;
        int nearest = 0;
        for (int m = 0; m < 128; ++m)
            if (std::abs(melLow + (m + 1) * delta - kaldiMel(2000.0)) <
                std::abs(melLow + (nearest + 1) * delta - kaldiMel(2000.0)))
                nearest = m;
        for (std::int64_t r = 0; r < f->rows; ++r) {
            const float *row = f->row(r);
            QCOMPARE(int(std::max_element(row, row + 128) - row), nearest);
        }
    }

    void vtlpMovesTheSineToAnotherFilter()
    {
        std::vector<float> x(8000);
        for (std::size_t t = 0; t < x.size(); ++t)
            x[t] = float(0.3 * std::sin(2 * pi * 2000.0 * t / 16000.0));
        KaldiFbankOptions o;
        o.numMelBins = 64;
        o.window = WindowType::Hann;
        const auto plain = kaldiFbank(x, o);
        o.vtlpAlpha = 1.0;
        QVERIFY(kaldiFbank(x, o)->data == plain->data);
        const auto peak = [](const FloatMatrix &f) {
            const float *row = f.row(f.rows / 2);
            return int(std::max_element(row, row + f.cols) - row);
        };
        o.vtlpAlpha = 1.15; // filters move up, so a lower one now covers 2 kHz
        const auto up = kaldiFbank(x, o);
        o.vtlpAlpha = 0.85;
        const auto down = kaldiFbank(x, o);
        QVERIFY(plain && up && down);
        QVERIFY(peak(*up) < peak(*plain));
        QVERIFY(peak(*down) > peak(*plain));
        o.vtlpAlpha = 2.5;
        QVERIFY(!kaldiFbank(x, o));
    }

    void inputScaleShiftsTheLog()
    {
        const std::vector<float> x = noise(2000, 4);
        KaldiFbankOptions o;
        auto a = kaldiFbank(x, o);
        o.inputScale = 32768.0; // Kaldi's int16 convention
        auto b = kaldiFbank(x, o);
        const double shift = 2.0 * std::log(32768.0);
        for (std::size_t i = 0; i < a->data.size(); ++i)
            QVERIFY(std::abs(b->data[i] - a->data[i] - shift) < 1e-3);
    }

    void noSnipEdgesReflects()
    {
        // Kaldi extends the signal as [x[pad-1] .. x[0], x, x[N-1] .. x[0]] with
        // pad = 400 / 2 - 160 / 2 = 120 and keeps (N + 80) / 160 frames.
        const std::vector<float> x = noise(1000, 5);
        KaldiFbankOptions o;
        o.snipEdges = false;
        auto f = kaldiFbank(x, o);
        QVERIFY(f);
        QCOMPARE(f->rows, 6);
        std::vector<float> extended(x.rend() - 120, x.rend());
        extended.insert(extended.end(), x.begin(), x.end());
        extended.insert(extended.end(), x.rbegin(), x.rend());
        o.snipEdges = true;
        auto g = kaldiFbank(extended, o);
        QVERIFY(g->rows >= 6);
        for (std::int64_t r = 0; r < 6; ++r)
            for (int m = 0; m < 23; ++m)
                QCOMPARE((*f)(r, m), (*g)(r, m));
    }

    void ditherIsSeeded()
    {
        const std::vector<float> x = noise(4000, 6);
        KaldiFbankOptions o;
        const auto plain = kaldiFbank(x, o)->data;
        o.dither = 1e-3;
        o.ditherSeed = 11;
        const auto a = kaldiFbank(x, o)->data;
        const auto b = kaldiFbank(x, o)->data;
        o.ditherSeed = 12;
        const auto c = kaldiFbank(x, o)->data;
        QCOMPARE(a, b);
        QVERIFY(a != c);
        QVERIFY(a != plain);
    }

    void fsddRecording()
    {
        const QString path = QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings/0_george_0.wav");
        if (!QFileInfo::exists(path))
            QSKIP(qPrintable(QStringLiteral("real data missing: %1").arg(path)));
        SF_INFO info{};
        SNDFILE *file = sf_open(QFile::encodeName(path).constData(), SFM_READ, &info);
        QVERIFY2(file, sf_strerror(nullptr));
        std::vector<float> samples(std::size_t(info.frames * info.channels));
        QCOMPARE(sf_readf_float(file, samples.data(), info.frames), info.frames);
        sf_close(file);
        QCOMPARE(info.samplerate, 8000);
        QCOMPARE(info.channels, 1);
        QCOMPARE(info.frames, 2384);

        for (int mels : {23, 64}) {
            KaldiFbankOptions o;
            o.sampleFrequency = 8000;
            o.numMelBins = mels;
            auto f = kaldiFbank(samples, o);
            QVERIFY(f);
            QCOMPARE(f->rows, 1 + (2384 - 200) / 80); // 28 frames of 25 ms every 10 ms
            QCOMPARE(f->cols, mels);
            float lo = 1e30f, hi = -1e30f;
            for (float v : f->data) {
                QVERIFY(std::isfinite(v));
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            QVERIFY(lo >= float(logEps) - 1e-4f);
            QVERIFY(hi > lo + 5.0f); // speech, not silence
        }
    }

    void errors()
    {
        KaldiFbankOptions o;
        o.window = WindowType::Kaiser;
        auto k = kaldiFbank(noise(1000, 1), o);
        QVERIFY(!k);
        QVERIFY(k.error().reason.contains(QLatin1String("not kaiser")));
        o = {};
        o.frameLengthMs = 0.1;
        QVERIFY(!kaldiFbank(noise(1000, 1), o));
        o = {};
        o.highFreq = 9000;
        auto high = kaldiFbank(noise(1000, 1), o);
        QVERIFY(!high);
        QVERIFY(high.error().reason.contains(QLatin1String("<= 8000 Hz")));
        o = {};
        auto shortSignal = kaldiFbank(noise(399, 1), o);
        QVERIFY(shortSignal);
        QCOMPARE(shortSignal->rows, 0);
        QCOMPARE(shortSignal->cols, 23);
    }
};

QTEST_GUILESS_MAIN(TestKaldiFbank)
#include "tst_kaldifbank.moc"
