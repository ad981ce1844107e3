#include "train/Augmentation.h"
#include "train/AugmentedAudioExamples.h"
#include "train/ClassifyExamples.h"
#include "train/FeatureFrontEnd.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <numbers>

using namespace twb;

namespace {

constexpr double kRate = 8000.0;

/// A 0.4 s tone with a little vibrato, amplitude `amplitude`.
std::vector<float> tone(double hz, double amplitude = 0.3, double seconds = 0.4)
{
    std::vector<float> wave(std::size_t(seconds * kRate));
    for (std::size_t i = 0; i < wave.size(); ++i) {
        const double t = double(i) / kRate;
        wave[i] = float(amplitude * std::sin(2 * std::numbers::pi * hz * t +
                                             0.5 * std::sin(2 * std::numbers::pi * 5 * t)));
    }
    return wave;
}

double rms(const std::vector<float> &v)
{
    double s = 0.0;
    for (float x : v)
        s += double(x) * x;
    return std::sqrt(s / double(v.size()));
}

LabelledDataset twoTones()
{
    LabelledDataset data;
    data.sourcePath = QStringLiteral("tones");
    data.channelNames = {QStringLiteral("audio")};
    data.classNames = {QStringLiteral("low"), QStringLiteral("high")};
    data.sampleRate = kRate;
    for (int i = 0; i < 6; ++i) {
        LabelledCase c;
        c.values = tone(i % 2 ? 1200.0 : 300.0, 0.1 + 0.05 * i, 0.3 + 0.02 * i);
        c.length = std::int64_t(c.values.size());
        c.label = i % 2;
        c.source = QStringLiteral("%1_s_%2.wav").arg(i % 2).arg(i);
        data.cases.push_back(c);
    }
    return data;
}

} // namespace

class TestAugmentation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesSpecs()
    {
        const auto none = AugmentSpec::parse(QString());
        QVERIFY(none);
        QVERIFY(!none->waveform() && !none->series());
        const auto spec = AugmentSpec::parse(QStringLiteral("shift, gain:3,speed,noise:10"));
        QVERIFY(spec);
        QCOMPARE(spec->shiftSeconds, 0.1);
        QCOMPARE(spec->gainDb, 3.0);
        QCOMPARE(spec->speed, 0.1);
        QCOMPARE(spec->noiseSnrDb, 10.0);
        QVERIFY(spec->waveform() && !spec->series());
        const auto series = AugmentSpec::parse(QStringLiteral("jitter,scale:0.2,warp,slice:0.8"));
        QVERIFY(series && series->series() && !series->waveform());
        QCOMPARE(series->slice, 0.8);
        auto bad = AugmentSpec::parse(QStringLiteral("shift,wobble"));
        QVERIFY(!bad);
        QVERIFY(bad.error().reason.contains(QLatin1String("\"wobble\" is unknown")));
        const auto vtlp = AugmentSpec::parse(QStringLiteral("vtlp"));
        QVERIFY(vtlp && vtlp->waveform());
        QCOMPARE(vtlp->vtlp, 0.1);
        QVERIFY(!AugmentSpec::parse(QStringLiteral("vtlp:0.5")));
        bad = AugmentSpec::parse(QStringLiteral("speed:0.9"));
        QVERIFY(!bad);
        QVERIFY(bad.error().reason.contains(QLatin1String("speed:0.9")));
    }

    void waveformAugmentationIsSeeded()
    {
        const std::vector<float> wave = tone(440.0);
        const AugmentSpec spec = *AugmentSpec::parse(QStringLiteral("shift:0.05,gain,speed,noise"));
        std::mt19937_64 a(5), b(5), c(6);
        const auto first = augmentWaveform(wave, kRate, spec, a);
        const auto again = augmentWaveform(wave, kRate, spec, b);
        const auto other = augmentWaveform(wave, kRate, spec, c);
        QVERIFY(first && again && other);
        QCOMPARE(*first, *again);
        QVERIFY(*first != *other);
        // Speed within +-10 %: the length follows 1/factor.
        for (const auto *out : {&*first, &*other}) {
            QVERIFY(double(out->size()) >= wave.size() / 1.1 - 2);
            QVERIFY(double(out->size()) <= wave.size() / 0.9 + 2);
        }
    }

    void gainShiftAndNoiseDoWhatTheySay()
    {
        const std::vector<float> wave = tone(440.0);
        std::mt19937_64 rng(1);
        for (int i = 0; i < 20; ++i) {
            const auto gained = augmentWaveform(wave, kRate, *AugmentSpec::parse("gain:6"), rng);
            const double db = 20.0 * std::log10(rms(*gained) / rms(wave));
            QVERIFY2(std::abs(db) <= 6.0 + 1e-6, qPrintable(QString::number(db)));
            QCOMPARE(gained->size(), wave.size());

            const auto shifted =
                augmentWaveform(wave, kRate, *AugmentSpec::parse("shift:0.01"), rng);
            QCOMPARE(shifted->size(), wave.size());
            // A shift of s samples: out[i] = wave[i - s] where both exist.
            int s = -80;
            while (s <= 80 && !(std::abs((*shifted)[200] - wave[std::size_t(200 - s)]) < 1e-7 &&
                                std::abs((*shifted)[1000] - wave[std::size_t(1000 - s)]) < 1e-7))
                ++s;
            QVERIFY2(s <= 80, "not a pure shift of at most 0.01 s");

            const auto noisy = augmentWaveform(wave, kRate, *AugmentSpec::parse("noise:20"), rng);
            std::vector<float> noise(wave.size());
            for (std::size_t k = 0; k < wave.size(); ++k)
                noise[k] = (*noisy)[k] - wave[k];
            const double snr = 20.0 * std::log10(rms(wave) / rms(noise));
            QVERIFY2(snr > 19.0 && snr < 41.0, qPrintable(QString::number(snr)));
        }
    }

    void silenceNoiseComesFromTheClipsQuietParts()
    {
        // Clips of a loud tone between quiet room noise (at most 0.002), as FSDD's recordings
        // are: the bank holds the room, never the tone.
        std::vector<std::vector<float>> clips;
        std::mt19937_64 room(11);
        std::uniform_real_distribution<float> hiss(-0.002f, 0.002f);
        for (int k = 0; k < 4; ++k) {
            std::vector<float> clip(std::size_t(kRate), 0.0f);
            for (std::size_t i = 0; i < clip.size(); ++i) {
                const double t = double(i) / kRate;
                clip[i] = hiss(room);
                if (i >= clip.size() / 4 && i < clip.size() * 3 / 4)
                    clip[i] += float(0.5 * std::sin(2 * std::numbers::pi * (300 + 100 * k) * t));
            }
            clips.push_back(std::move(clip));
        }
        std::vector<const std::vector<float> *> pointers;
        for (const auto &c : clips)
            pointers.push_back(&c);
        const NoiseBank bank = buildNoiseBank(pointers, kRate);
        QVERIFY(!bank.empty());
        float loudest = 0.0f;
        for (float v : bank.samples)
            loudest = std::max(loudest, std::abs(v));
        QVERIFY2(loudest <= 0.002f, qPrintable(QString::number(loudest)));
        // 10 % of the 40 frames of each clip, every clip heard: 4 x 4 frames of 200 samples,
        // less the 40-sample cross-fade of each seam after the first.
        QCOMPARE(bank.samples.size(), std::size_t(16 * 200 - 15 * 40));
        // A cap shares the bank among the clips.
        QCOMPARE(buildNoiseBank(pointers, kRate, 0.1, 0.05).samples.size(),
                 std::size_t(200 + 3 * (200 - 40)));
        // Digital silence and clips shorter than two frames give nothing.
        const std::vector<float> zeros(8000, 0.0f), tiny(100, 0.1f);
        QVERIFY(buildNoiseBank({&zeros, &tiny}, kRate).empty());

        const AugmentSpec spec = *AugmentSpec::parse(QStringLiteral("silence:5"));
        QVERIFY(spec.waveform());
        QCOMPARE(spec.silenceSnrDb, 5.0);
        const std::vector<float> wave = tone(440.0);
        std::mt19937_64 rng(7);
        for (int draw = 0; draw < 20; ++draw) {
            const auto noisy = augmentWaveform(wave, kRate, spec, rng, &bank);
            QVERIFY(noisy);
            QCOMPARE(noisy->size(), wave.size());
            std::vector<float> noise(wave.size());
            for (std::size_t k = 0; k < wave.size(); ++k)
                noise[k] = (*noisy)[k] - wave[k];
            const double snr = 20.0 * std::log10(rms(wave) / rms(noise));
            QVERIFY2(snr > 5.0 - 1e-6 && snr < 25.0 + 1e-6, qPrintable(QString::number(snr)));
        }
        // The same seed, the same noise; no bank, no noise.
        std::mt19937_64 a(3), b(3), c(3);
        QCOMPARE(*augmentWaveform(wave, kRate, spec, a, &bank),
                 *augmentWaveform(wave, kRate, spec, b, &bank));
        QCOMPARE(*augmentWaveform(wave, kRate, spec, c), wave);
    }

    void seriesAugmentationKeepsLengthAndPadding()
    {
        const std::int64_t rows = 50, steps = 40, channels = 2;
        std::vector<float> block(std::size_t(rows * channels), 0.0f);
        for (std::int64_t t = 0; t < steps; ++t)
            for (std::int64_t c = 0; c < channels; ++c)
                block[std::size_t(t * channels + c)] = float(std::sin(0.3 * t + c));
        const AugmentSpec spec = *AugmentSpec::parse(QStringLiteral("jitter,scale,warp,slice"));
        std::vector<float> a = block, b = block, c = block;
        std::mt19937_64 ra(3), rb(3), rc(4);
        augmentSeries(a.data(), steps, channels, spec, ra);
        augmentSeries(b.data(), steps, channels, spec, rb);
        augmentSeries(c.data(), steps, channels, spec, rc);
        QCOMPARE(a, b);
        QVERIFY(a != c);
        QVERIFY(a != block);
        for (std::size_t i = std::size_t(steps * channels); i < a.size(); ++i)
            QCOMPARE(a[i], 0.0f); // padding untouched
        // Slicing alone at 1.0 and nothing else is the identity.
        std::vector<float> same = block;
        augmentSeries(same.data(), steps, channels, *AugmentSpec::parse("slice:1"), ra);
        QCOMPARE(same, block);
    }

    void cmvnEqualsTheHandComputedNormalisation()
    {
        // 3 steps x 2 channels: channel 0 = 1, 2, 6; channel 1 = 5, 5, 5 (constant).
        std::vector<float> v = {1, 5, 2, 5, 6, 5};
        normaliseMeanVariance(v.data(), 3, 2);
        const double mean = 3.0, sd = std::sqrt(((1 - 3.0) * (1 - 3) + 1 + 9) / 3.0);
        QVERIFY(std::abs(v[0] - (1 - mean) / sd) < 1e-6);
        QVERIFY(std::abs(v[2] - (2 - mean) / sd) < 1e-6);
        QVERIFY(std::abs(v[4] - (6 - mean) / sd) < 1e-6);
        for (int i : {1, 3, 5})
            QCOMPARE(v[std::size_t(i)], 0.0f); // constant: mean removed, not divided by 0
    }

    void cmvnFeaturesHaveZeroMeanUnitVariancePerBin()
    {
        FeatureFrontEnd frontEnd;
        frontEnd.kind = FeatureKind::LogMel;
        frontEnd.melBins = 16;
        frontEnd.sampleRate = kRate;
        frontEnd.featureNorm = FeatureNorm::Cmvn;
        LabelledCase c;
        c.values = tone(500.0);
        c.length = std::int64_t(c.values.size());
        QVERIFY(frontEnd.apply(c));
        QCOMPARE(c.values.size(), std::size_t(c.length * 16));
        for (int bin = 0; bin < 16; ++bin) {
            double sum = 0, squares = 0;
            for (std::int64_t t = 0; t < c.length; ++t)
                sum += c.values[std::size_t(t * 16 + bin)];
            const double mean = sum / double(c.length);
            for (std::int64_t t = 0; t < c.length; ++t)
                squares += std::pow(c.values[std::size_t(t * 16 + bin)] - mean, 2);
            QVERIFY(std::abs(mean) < 1e-4);
            const double var = squares / double(c.length);
            QVERIFY2(std::abs(var - 1.0) < 1e-3 || var < 1e-8, qPrintable(QString::number(var)));
        }
    }

    void levelAndPcenNormalisation()
    {
        std::vector<float> wave = tone(300.0, 0.02);
        normaliseLevel(wave, LevelNorm::Peak);
        float peak = 0;
        for (float v : wave)
            peak = std::max(peak, std::abs(v));
        QVERIFY(std::abs(peak - 1.0f) < 1e-6f);
        normaliseLevel(wave, LevelNorm::Rms);
        QVERIFY(std::abs(rms(wave) - 0.1) < 1e-6);
        std::vector<float> silence(100, 0.0f);
        normaliseLevel(silence, LevelNorm::Rms);
        QCOMPARE(silence, std::vector<float>(100, 0.0f));
        // PCEN of a constant energy E: (E / E^alpha + 2)^0.5 - 2^0.5 at every frame.
        std::vector<float> energies(20 * 3, 1e6f);
        perChannelEnergyNormalise(energies.data(), 20, 3);
        const double expected = std::sqrt(1e6 / std::pow(1e6, 0.98) + 2.0) - std::sqrt(2.0);
        for (float v : energies)
            QVERIFY(std::abs(v - expected) < 1e-4);
        // A front end with PCEN gives finite, level-independent-ish features.
        FeatureFrontEnd frontEnd;
        frontEnd.kind = FeatureKind::Fbank;
        frontEnd.melBins = 24;
        frontEnd.sampleRate = kRate;
        frontEnd.featureNorm = FeatureNorm::Pcen;
        LabelledCase c;
        c.values = tone(700.0);
        c.length = std::int64_t(c.values.size());
        QVERIFY(frontEnd.apply(c));
        for (float v : c.values)
            QVERIFY(std::isfinite(v) && v >= 0.0f);
    }

    void mfccFrontEndGivesTheCoefficients()
    {
        FeatureFrontEnd frontEnd;
        frontEnd.kind = FeatureKind::Mfcc;
        frontEnd.melBins = 40;
        frontEnd.mfccCoefficients = 13;
        frontEnd.sampleRate = kRate;
        LabelledDataset data = twoTones();
        QVERIFY(frontEnd.apply(data));
        QCOMPARE(data.channelNames.size(), 13);
        QCOMPARE(data.channelNames.first(), QStringLiteral("mfcc0"));
        for (const LabelledCase &c : data.cases)
            QCOMPARE(c.values.size(), std::size_t(c.length * 13));
    }

    void mixupMixesCasesAndTargets()
    {
        const std::int64_t cases = 8, length = 5, channels = 2;
        const torch::Tensor x = torch::arange(cases * length * channels, torch::kFloat)
                                    .reshape({cases, length, channels});
        const torch::Tensor y = torch::arange(cases, torch::kLong) % 3;
        ExampleAugmentation augmentation;
        augmentation.series = *AugmentSpec::parse(QStringLiteral("mixup:0.4"));
        QVERIFY(augmentation.enabled());
        QStringList sources;
        for (int i = 0; i < cases; ++i)
            sources << QString::number(i);
        const ClassifyExamples set(x, y, sources, augmentation);
        const torch::Tensor all = torch::arange(cases, torch::kLong);
        const ExampleBatch a = set.trainingBatch(all, 1, 0, 0);
        const ExampleBatch again = set.trainingBatch(all, 1, 0, 0);
        QVERIFY(a.mixTargets.defined());
        QVERIFY(a.mixWeight > 0.0 && a.mixWeight < 1.0);
        QCOMPARE(a.mixWeight, again.mixWeight);
        QVERIFY(torch::equal(a.x, again.x));
        QVERIFY(torch::equal(a.y, y)); // the a labels stay in place
        // Each mixed case is weight * its own case + (1 - weight) * the case of its b label.
        for (std::int64_t i = 0; i < cases; ++i) {
            torch::Tensor expected;
            for (std::int64_t j = 0; j < cases; ++j) {
                const torch::Tensor mixed = a.mixWeight * x[i] + (1.0 - a.mixWeight) * x[j];
                if (torch::allclose(mixed, a.x[i], 1e-5, 1e-4)) {
                    expected = y[j];
                    break;
                }
            }
            QVERIFY2(expected.defined(), "not a mix of two cases");
            QCOMPARE(expected.item<std::int64_t>(), a.mixTargets[i].item<std::int64_t>());
        }
        // Evaluation batches are never mixed.
        QVERIFY(!set.batch(all).mixTargets.defined());
    }

    void augmentedAudioBatchesAreSeededAndKeepLabels()
    {
        LabelledDataset waves = twoTones();
        FeatureFrontEnd frontEnd;
        frontEnd.kind = FeatureKind::LogMel;
        frontEnd.melBins = 16;
        frontEnd.sampleRate = kRate;
        frontEnd.featureNorm = FeatureNorm::Cmvn;
        LabelledDataset features = waves;
        QVERIFY(frontEnd.apply(features));
        const std::int64_t length = 30, cases = features.size();
        torch::Tensor x = torch::zeros({cases, length, 16});
        std::vector<std::int64_t> labels, lengths;
        QStringList sources;
        for (std::int64_t i = 0; i < cases; ++i) {
            const LabelledCase &c = features.cases[std::size_t(i)];
            const std::int64_t steps = std::min(length, c.length);
            x[i].narrow(0, 0, steps)
                .copy_(torch::from_blob(const_cast<float *>(c.values.data()), {c.length, 16})
                           .narrow(0, 0, steps));
            labels.push_back(c.label);
            lengths.push_back(steps);
            sources << c.source;
        }
        ExampleAugmentation featureAugmentation;
        featureAugmentation.timeMaskWidth = 4;
        auto plain = std::make_shared<ClassifyExamples>(
            x, torch::tensor(labels), sources, featureAugmentation, torch::tensor(lengths));
        const AugmentedAudioExamples set(waves, plain, frontEnd, StandardScaler(),
                                         *AugmentSpec::parse("shift:0.02,gain,speed"),
                                         featureAugmentation);
        const torch::Tensor indices = torch::tensor(std::vector<std::int64_t>{4, 1, 0});
        const ExampleBatch a = set.trainingBatch(indices, 9, 2, 1);
        const ExampleBatch b = set.trainingBatch(indices, 9, 2, 1);
        const ExampleBatch other = set.trainingBatch(indices, 9, 3, 1);
        QCOMPARE(a.x.sizes(), (std::vector<std::int64_t>{3, length, 16}));
        QVERIFY(torch::equal(a.x, b.x));
        QVERIFY(!torch::equal(a.x, other.x));
        QVERIFY(torch::equal(a.y, torch::tensor(std::vector<std::int64_t>{0, 1, 0})));
        QVERIFY(torch::equal(set.batch(indices).x, plain->batch(indices).x));
        QVERIFY(!torch::equal(a.x, plain->batch(indices).x));
        QVERIFY(torch::isfinite(a.x).all().item<bool>());
        QCOMPARE(set.noiseBankSeconds(), 0.0);

        // `vtlp` draws one warp per case: seeded, within range, and off draws nothing.
        std::mt19937_64 g1(3), g2(3);
        const AugmentSpec vtlp = *AugmentSpec::parse("vtlp:0.2");
        for (int i = 0; i < 50; ++i) {
            const double alpha = drawVtlpAlpha(vtlp, g1);
            QVERIFY(alpha >= 0.8 && alpha <= 1.2);
        }
        QCOMPARE(drawVtlpAlpha(AugmentSpec{}, g2), 1.0);
        QCOMPARE(g2(), std::mt19937_64(3)());
        const AugmentedAudioExamples warped(waves, plain, frontEnd, StandardScaler(), vtlp,
                                            ExampleAugmentation{});
        const ExampleBatch w = warped.trainingBatch(indices, 9, 2, 1);
        QVERIFY(torch::equal(w.x, warped.trainingBatch(indices, 9, 2, 1).x));
        QVERIFY(!torch::equal(w.x, plain->batch(indices).x));
        QVERIFY(torch::equal(w.y, a.y));

        // `silence` builds its bank from the training clips once, and is seeded like the rest.
        const AugmentedAudioExamples quiet(waves, plain, frontEnd, StandardScaler(),
                                           *AugmentSpec::parse("silence:0"), featureAugmentation);
        QVERIFY(quiet.noiseBankSeconds() > 0.0);
        QVERIFY(torch::equal(quiet.trainingBatch(indices, 9, 2, 1).x,
                             quiet.trainingBatch(indices, 9, 2, 1).x));
        QVERIFY(!torch::equal(quiet.trainingBatch(indices, 9, 2, 1).x, plain->batch(indices).x));
    }
};

QTEST_GUILESS_MAIN(TestAugmentation)
#include "tst_augmentation.moc"
