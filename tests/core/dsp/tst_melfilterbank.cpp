#include "dsp/Decibel.h"
#include "dsp/MelFilterbank.h"
#include "dsp/MelSpectrogram.h"

#include <QTest>

#include <cmath>

using namespace twb::dsp;

namespace {

MelOptions melOptions(double sr, int nFft, int nMels, double fmin, double fmax, MelScale scale,
                      MelNorm norm)
{
    MelOptions o;
    o.sampleRate = sr;
    o.nFft = nFft;
    o.nMels = nMels;
    o.fmin = fmin;
    o.fmax = fmax;
    o.scale = scale;
    o.norm = norm;
    return o;
}

} // namespace

class TestMelFilterbank : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scales()
    {
        // Slaney: 200/3 Hz per mel below 1 kHz, 27 mels per factor 6.4 above.
        QCOMPARE(hzToMel(1000.0, MelScale::Slaney), 15.0);
        QVERIFY(std::abs(hzToMel(440.0, MelScale::Slaney) - 6.6) < 1e-12);
        QVERIFY(std::abs(hzToMel(8000.0, MelScale::Slaney) - 45.2456404719) < 1e-9);
        QVERIFY(std::abs(hzToMel(6400.0, MelScale::Slaney) - 42.0) < 1e-12);
        // HTK: 2595 log10(1 + f / 700).
        QVERIFY(std::abs(hzToMel(1000.0, MelScale::Htk) - 999.9855371396) < 1e-9);
        QVERIFY(std::abs(hzToMel(440.0, MelScale::Htk) - 549.6386753811) < 1e-9);
        for (double f : {0.0, 20.0, 440.0, 999.0, 1000.0, 1234.5, 8000.0, 22050.0})
            for (MelScale s : {MelScale::Slaney, MelScale::Htk})
                QVERIFY(std::abs(melToHz(hzToMel(f, s), s) - f) < 1e-9 * (1 + f));
        const auto points = melFrequencies(5, 0.0, 1000.0, MelScale::Slaney);
        QCOMPARE(points.size(), std::size_t(5));
        QVERIFY(std::abs(points[1] - 250.0) < 1e-9); // linear in Hz below 1 kHz
        QVERIFY(std::abs(points[4] - 1000.0) < 1e-9);
    }

    void trianglesOnTheBinGridAreExact()
    {
        // Slaney is linear below 1 kHz: 9 mels from 0 to 1000 Hz put the corners at 100 Hz
        // steps, and 16 kHz / 1600 makes bins 10 Hz apart, so every corner is a bin.
        for (MelNorm norm : {MelNorm::None, MelNorm::Slaney}) {
            auto bank =
                MelFilterbank::create(melOptions(16000, 1600, 9, 0, 1000, MelScale::Slaney, norm));
            QVERIFY(bank);
            const FloatMatrix w = bank->weights();
            QCOMPARE(w.rows, 9);
            QCOMPARE(w.cols, 801);
            const float height = norm == MelNorm::Slaney ? 2.0f / 200.0f : 1.0f;
            for (int m = 0; m < 9; ++m) {
                const int left = 10 * m, centre = 10 * (m + 1), right = 10 * (m + 2);
                QVERIFY(std::abs(w(m, centre) - height) < 1e-6f * height);
                QVERIFY(std::abs(w(m, centre - 5) - height / 2) < 1e-6f * height);
                QVERIFY(std::abs(w(m, centre + 5) - height / 2) < 1e-6f * height);
                double area = 0.0;
                for (int k = 0; k < w.cols; ++k) {
                    // Corners may hold a rounding residue (the mel round trip of 100 Hz is
                    // 100 +- 1e-14 Hz), as in librosa.
                    const bool inside = k > left && k < right;
                    QVERIFY2(inside ? w(m, k) > 0.0f : w(m, k) < 1e-6f * height,
                             qPrintable(QStringLiteral("filter %1 bin %2").arg(m).arg(k)));
                    area += w(m, k) * 10.0; // Hz per bin
                }
                if (norm == MelNorm::Slaney) // each triangle has unit area: 1/2 * 200 * 0.01
                    QVERIFY(std::abs(area - 1.0) < 1e-5);
                QVERIFY(bank->firstBin(m) == left || bank->firstBin(m) == left + 1);
                QVERIFY(bank->firstBin(m) + int(bank->rowWeights(m).size()) - 1 <= right);
            }
        }
    }

    void edgesAndAreasOfTheLibrosaDefault()
    {
        // librosa.filters.mel(sr=22050, n_fft=2048, n_mels=128): Slaney scale and norm.
        auto bank = MelFilterbank::create(
            melOptions(22050, 2048, 128, 0, 0, MelScale::Slaney, MelNorm::Slaney));
        QVERIFY(bank);
        QCOMPARE(bank->options().fmax, 11025.0);
        const auto &p = bank->pointsHz();
        QCOMPARE(p.size(), std::size_t(130));
        QCOMPARE(p.front(), 0.0);
        QVERIFY(std::abs(p.back() - 11025.0) < 1e-6);
        const FloatMatrix w = bank->weights();
        const double binHz = 22050.0 / 2048;
        for (int m = 0; m < 128; ++m) {
            int peak = 0;
            for (int k = 0; k < w.cols; ++k) {
                const double f = k * binHz;
                if (f <= p[m] || f >= p[m + 2])
                    QCOMPARE(w(m, k), 0.0f); // zero outside the triangle
                if (w(m, k) > w(m, peak))
                    peak = k;
            }
            // The largest weight is at one of the two bins around the centre frequency, and
            // never above the triangle's height 2 / (f_right - f_left).
            QVERIFY(std::abs(peak * binHz - p[m + 1]) < binHz);
            QVERIFY(w(m, peak) <= 2.0 / (p[m + 2] - p[m]) * (1 + 1e-6));
            const double widthBins = (p[m + 2] - p[m]) / binHz;
            if (widthBins >= 10) { // sampled finely enough: the area is 1 within 1 %
                double area = 0.0;
                for (int k = 0; k < w.cols; ++k)
                    area += w(m, k) * binHz;
                QVERIFY2(std::abs(area - 1.0) < 0.01,
                         qPrintable(QStringLiteral("filter %1 area %2").arg(m).arg(area)));
            }
        }
    }

    void htkWithoutNormPeaksAtOne()
    {
        auto bank = MelFilterbank::create(
            melOptions(16000, 512, 40, 20, 7600, MelScale::Htk, MelNorm::None));
        QVERIFY(bank);
        const FloatMatrix w = bank->weights();
        const auto &p = bank->pointsHz();
        QVERIFY(std::abs(p[0] - 20.0) < 1e-9);
        QVERIFY(std::abs(p[41] - 7600.0) < 1e-6);
        for (int m = 0; m < 40; ++m) {
            float top = 0.0f;
            for (int k = 0; k < w.cols; ++k) {
                top = std::max(top, w(m, k));
                const double f = k * 16000.0 / 512;
                const double expected =
                    std::max(0.0, std::min((f - p[m]) / (p[m + 1] - p[m]),
                                           (p[m + 2] - f) / (p[m + 2] - p[m + 1])));
                QVERIFY(std::abs(w(m, k) - expected) < 1e-6);
            }
            QVERIFY(top <= 1.0f);
        }
        // Nothing above fmax: the bins over 7600 Hz are in no filter.
        for (int k = 244; k < w.cols; ++k) // 244 * 31.25 = 7625 Hz
            for (int m = 0; m < 40; ++m)
                QCOMPARE(w(m, k), 0.0f);
    }

    void applyEqualsDenseProduct()
    {
        auto bank = MelFilterbank::create(
            melOptions(16000, 512, 64, 0, 0, MelScale::Slaney, MelNorm::Slaney));
        const FloatMatrix w = bank->weights();
        FloatMatrix spec(257, 3);
        for (std::int64_t k = 0; k < 257; ++k)
            for (int j = 0; j < 3; ++j)
                spec(k, j) = float(1.0 + std::sin(0.1 * k + j));
        auto mel = bank->apply(spec);
        QVERIFY(mel);
        QCOMPARE(mel->rows, 64);
        QCOMPARE(mel->cols, 3);
        std::vector<float> column(257), out(64);
        for (int j = 0; j < 3; ++j) {
            for (int k = 0; k < 257; ++k)
                column[std::size_t(k)] = spec(k, j);
            bank->apply(column.data(), out.data());
            for (int m = 0; m < 64; ++m) {
                double dense = 0.0;
                for (int k = 0; k < 257; ++k)
                    dense += double(w(m, k)) * spec(k, j);
                QVERIFY(std::abs((*mel)(m, j) - dense) < 1e-5 * (1 + std::abs(dense)));
                QVERIFY(std::abs(out[std::size_t(m)] - dense) < 1e-5 * (1 + std::abs(dense)));
            }
        }
        QVERIFY(!bank->apply(FloatMatrix(256, 3)));

        // Columns of a block at once: the same bits as frame by frame.
        const int frames = 13, stride = 16, outStride = 21;
        std::vector<float> columns(std::size_t(257 * stride)), block(std::size_t(64 * outStride));
        for (int k = 0; k < 257; ++k)
            for (int j = 0; j < frames; ++j)
                columns[std::size_t(k * stride + j)] = float(1.0 + std::sin(0.37 * k * (j + 1)));
        bank->applyToColumns(columns.data(), stride, frames, block.data(), outStride);
        for (int j = 0; j < frames; ++j) {
            for (int k = 0; k < 257; ++k)
                column[std::size_t(k)] = columns[std::size_t(k * stride + j)];
            bank->apply(column.data(), out.data());
            for (int m = 0; m < 64; ++m)
                QCOMPARE(block[std::size_t(m * outStride + j)], out[std::size_t(m)]);
        }
    }

    void melSpectrogramIsTheBankOverThePowerSpectrogram()
    {
        // 3001 samples, n_fft 256, hop 64: 47 frames (odd), so the last frame has no partner.
        std::vector<float> x(3001);
        for (std::size_t t = 0; t < x.size(); ++t)
            x[t] = float(std::sin(0.02 * double(t)) + 0.3 * std::cos(0.7 * double(t)));
        StftOptions so;
        so.nFft = 256;
        so.hop = 64;
        MelOptions mo = melOptions(8000, 256, 40, 0, 0, MelScale::Slaney, MelNorm::Slaney);
        auto stft = Stft::create(so);
        auto bank = MelFilterbank::create(mo);
        auto power = stft->spectrogram(x, SpectrumKind::Power);
        QVERIFY(power);
        auto expected = bank->apply(*power);
        auto mel = melSpectrogram(x, so, mo, SpectrumKind::Power);
        QVERIFY(mel);
        QCOMPARE(mel->rows, 40);
        QCOMPARE(mel->cols, 47);
        for (std::size_t i = 0; i < mel->data.size(); ++i)
            QVERIFY(std::abs(mel->data[i] - expected->data[i]) <=
                    1e-6f * (1.0f + std::abs(expected->data[i])));
        // Any frame range (odd starts and ends, the last frame) equals the same columns.
        for (auto [f0, f1] :
             {std::pair{0, 5}, std::pair{5, 30}, std::pair{31, 47}, std::pair{46, 47}}) {
            auto tile = melSpectrogram(*stft, *bank, x, SpectrumKind::Power, f0, f1);
            QVERIFY(tile);
            for (std::int64_t m = 0; m < 40; ++m)
                for (std::int64_t j = 0; j < f1 - f0; ++j)
                    QCOMPARE((*tile)(m, j), (*mel)(m, f0 + j));
        }
        // Log-mel is power_to_db of the same values.
        DbOptions db;
        auto logMel = logMelSpectrogram(x, so, mo, db);
        QVERIFY(logMel);
        std::vector<float> dbValues(mel->data.begin(), mel->data.end());
        powerToDb(dbValues, db);
        for (std::size_t i = 0; i < dbValues.size(); ++i)
            QCOMPARE(logMel->data[i], dbValues[i]);
        QVERIFY(!melSpectrogram(*stft, *bank, x, SpectrumKind::Power, 40, 48));
    }

    void vtlpWarpsTheCornersAndKeepsTheTop()
    {
        QCOMPARE(vtlpWarpHz(1234.0, 1.0, 4000.0), 1234.0);
        // Below the boundary a plain scaling; the top stays; continuous and increasing.
        QCOMPARE(vtlpWarpHz(1000.0, 1.1, 4000.0), 1100.0);
        QCOMPARE(vtlpWarpHz(1000.0, 0.9, 4000.0), 900.0);
        for (double alpha : {0.8, 0.9, 1.1, 1.2}) {
            QVERIFY(std::abs(vtlpWarpHz(4000.0, alpha, 4000.0) - 4000.0) < 1e-9);
            const double boundary = 0.8 * 4000.0 * std::min(alpha, 1.0) / alpha;
            QVERIFY(std::abs(vtlpWarpHz(boundary - 1e-9, alpha, 4000.0) -
                             vtlpWarpHz(boundary + 1e-9, alpha, 4000.0)) < 1e-6);
            double previous = -1.0;
            for (double f = 0.0; f <= 4000.0; f += 50.0) {
                QVERIFY(vtlpWarpHz(f, alpha, 4000.0) > previous);
                previous = vtlpWarpHz(f, alpha, 4000.0);
            }
        }
        MelOptions o = melOptions(8000, 256, 40, 0, 0, MelScale::Slaney, MelNorm::Slaney);
        const auto plain = MelFilterbank::create(o);
        o.vtlpAlpha = 1.15;
        const auto warped = MelFilterbank::create(o);
        QVERIFY(plain && warped);
        for (std::size_t i = 0; i < plain->pointsHz().size(); ++i)
            QCOMPARE(warped->pointsHz()[i], vtlpWarpHz(plain->pointsHz()[i], 1.15, 4000.0));
        // Filters move up: the filter that peaks nearest 1 kHz is a lower one after the warp.
        const auto peakFilter = [](const MelFilterbank &bank, int bin) {
            std::vector<float> spectrum(std::size_t(bank.bins()), 0.0f),
                out(std::size_t(bank.mels()));
            spectrum[std::size_t(bin)] = 1.0f;
            bank.apply(spectrum.data(), out.data());
            return int(std::max_element(out.begin(), out.end()) - out.begin());
        };
        QVERIFY(peakFilter(*warped, 32) < peakFilter(*plain, 32));
        o.vtlpAlpha = 0.3;
        const auto bad = MelFilterbank::create(o);
        QVERIFY(!bad);
        QVERIFY(bad.error().reason.contains(QLatin1String("VTLP")));
    }

    void errors()
    {
        auto high = MelFilterbank::create(
            melOptions(16000, 512, 40, 0, 9000, MelScale::Htk, MelNorm::None));
        QVERIFY(!high);
        QCOMPARE(high.error().reason,
                 QStringLiteral("the mel range must satisfy 0 <= fmin < fmax <= 8000 Hz, got "
                                "fmin 0, fmax 9000"));
        QVERIFY(!MelFilterbank::create(
            melOptions(16000, 512, 40, 5000, 4000, MelScale::Htk, MelNorm::None)));
        QVERIFY(
            !MelFilterbank::create(melOptions(16000, 512, 0, 0, 0, MelScale::Htk, MelNorm::None)));
        QVERIFY(!MelFilterbank::create(melOptions(0, 512, 40, 0, 0, MelScale::Htk, MelNorm::None)));
    }
};

QTEST_GUILESS_MAIN(TestMelFilterbank)
#include "tst_melfilterbank.moc"
