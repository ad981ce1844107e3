// The data half of the separate task: mixtures as batches (shapes, the mixture the sum of its
// sources, fresh training mixtures seeded by epoch and batch), the split of utterances into
// parts without a shared speaker or utterance, the mixture lists of the run's provenance, the
// permutation-invariant loss, and the separation keys of a run's configuration.
#include "train/MixtureExamples.h"
#include "train/SeparatePipeline.h"
#include "train/SeparationData.h"
#include "train/SeparationEvaluation.h"
#include "train/TrainLoss.h"

#include <QJsonArray>
#include <QtTest>

#include <cmath>
#include <set>

using namespace twb;

namespace {

/// Four speakers (a-d) x digits 0-2 x takes 0-3, each utterance a tone of its own pitch with
/// an onset ramp, 0.2-0.3 s at 8 kHz, named like FSDD ({digit}_{speaker}_{take}.wav).
LabelledDataset toneVoices()
{
    LabelledDataset d;
    d.sourcePath = QStringLiteral("/voices");
    d.classNames = {"0", "1", "2"};
    d.channelNames = {"audio"};
    d.sampleRate = 8000.0;
    const QStringList speakers{"a", "b", "c", "d"};
    for (int s = 0; s < speakers.size(); ++s)
        for (int digit = 0; digit < 3; ++digit)
            for (int take = 0; take < 4; ++take) {
                LabelledCase c;
                c.label = digit;
                c.length = 1600 + 200 * ((s + take) % 3);
                const double f = 200.0 + 150.0 * s + 40.0 * digit + 5.0 * take;
                for (std::int64_t i = 0; i < c.length; ++i)
                    c.values.push_back(float(std::min(1.0, double(i) / 400.0) *
                                             std::sin(2.0 * M_PI * f * double(i) / 8000.0)));
                c.source =
                    QStringLiteral("/voices/%1_%2_%3.wav").arg(digit).arg(speakers[s]).arg(take);
                d.cases.push_back(std::move(c));
            }
    return d;
}

LabelledLoadFunction toneLoader()
{
    return [](const QString &, const QStringList &, double) -> Expected<LabelledDataset> {
        return toneVoices();
    };
}

TrainConfig separateConfig()
{
    TrainConfig c;
    c.task = QStringLiteral("separate");
    c.dataPath = QStringLiteral("/voices");
    c.modelId = QStringLiteral("convtasnet");
    c.mixSeconds = 0.25;
    c.trainMixtures = 20;
    c.valMixtures = 5;
    c.testMixtures = 7;
    c.seed = 11;
    return c;
}

QString speakerOf(const QString &source)
{
    return QFileInfo(source).completeBaseName().section(QLatin1Char('_'), 1, 1);
}

} // namespace

class tst_SeparationData : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void batchesHoldTheMixtureAndItsSources()
    {
        Expected<SeparationData> data = prepareSeparationData(separateConfig(), toneLoader());
        QVERIFY2(data, data ? "" : qPrintable(data.error().toString()));
        QCOMPARE(data->length, std::int64_t(2000));
        const ExampleBatch b = data->test->range(0, 7);
        QCOMPARE(b.x.sizes(), (torch::IntArrayRef{7, 2000, 1}));
        QCOMPARE(b.y.sizes(), (torch::IntArrayRef{7, 2, 2000}));
        QVERIFY(torch::allclose(b.x.squeeze(-1), b.y.sum(1), 1e-6, 1e-6));
        // The same mixtures every time they are asked for.
        QVERIFY(torch::equal(data->test->range(2, 5).y, b.y.slice(0, 2, 5)));
    }

    void trainingMixturesAreFreshPerBatchAndSeeded()
    {
        Expected<SeparationData> data = prepareSeparationData(separateConfig(), toneLoader());
        QVERIFY(data);
        const torch::Tensor idx = torch::arange(0, 4, torch::kLong);
        const ExampleBatch a = data->train->trainingBatch(idx, 11, 0, 0);
        const ExampleBatch again = data->train->trainingBatch(idx, 11, 0, 0);
        const ExampleBatch nextBatch = data->train->trainingBatch(idx, 11, 0, 1);
        const ExampleBatch nextEpoch = data->train->trainingBatch(idx, 11, 1, 0);
        QVERIFY(torch::equal(a.y, again.y));
        QVERIFY(!torch::equal(a.y, nextBatch.y));
        QVERIFY(!torch::equal(a.y, nextEpoch.y));
        QVERIFY(!torch::equal(a.y, data->train->batch(idx).y));
        // Another run seed, other training mixtures.
        QVERIFY(!torch::equal(a.y, data->train->trainingBatch(idx, 12, 0, 0).y));
        // Validation and test are fixed lists: training-time draws do not change them.
        QVERIFY(torch::equal(data->validation->trainingBatch(idx.slice(0, 0, 3), 11, 4, 2).y,
                             data->validation->batch(idx.slice(0, 0, 3)).y));
    }

    void heldOutSpeakersNeverTrain()
    {
        TrainConfig config = separateConfig();
        config.groupBy = QStringLiteral("speaker");
        config.testGroups = QStringList{"c", "d"};
        config.valBy = QStringLiteral("cases");
        Expected<SeparationData> data = prepareSeparationData(config, toneLoader());
        QVERIFY2(data, data ? "" : qPrintable(data.error().toString()));
        QCOMPARE(data->testSpeakers, (QStringList{"c", "d"}));
        QCOMPARE(data->trainSpeakers, (QStringList{"a", "b"}));
        std::set<QString> train, test;
        for (const LabelledCase &c : data->train->utterances().cases)
            train.insert(speakerOf(c.source));
        for (const MixtureSpec &m : data->test->mixtures()) {
            QCOMPARE(m.cases.size(), std::size_t(2));
            const QString s0 =
                speakerOf(data->test->utterances().cases[std::size_t(m.cases[0])].source);
            const QString s1 =
                speakerOf(data->test->utterances().cases[std::size_t(m.cases[1])].source);
            QVERIFY(s0 != s1);
            test.insert(s0);
            test.insert(s1);
        }
        QCOMPARE(train, (std::set<QString>{"a", "b"}));
        QCOMPARE(test, (std::set<QString>{"c", "d"}));
    }

    void heldOutTakesShareNoUtterance()
    {
        TrainConfig config = separateConfig();
        config.testGlob = QStringLiteral("*_[01].wav");
        Expected<SeparationData> data = prepareSeparationData(config, toneLoader());
        QVERIFY2(data, data ? "" : qPrintable(data.error().toString()));
        std::set<QString> train;
        for (const LabelledCase &c : data->train->utterances().cases) {
            QVERIFY2(!c.source.endsWith(QLatin1String("_0.wav")) &&
                         !c.source.endsWith(QLatin1String("_1.wav")),
                     qPrintable(c.source));
            train.insert(c.source);
        }
        for (const LabelledCase &c : data->validation->utterances().cases)
            QVERIFY(!train.count(c.source));
        for (const LabelledCase &c : data->test->utterances().cases)
            QVERIFY(c.source.endsWith(QLatin1String("_0.wav")) ||
                    c.source.endsWith(QLatin1String("_1.wav")));
    }

    void provenanceListsTheFixedMixtures()
    {
        Expected<SeparationData> data = prepareSeparationData(separateConfig(), toneLoader());
        QVERIFY(data);
        const QJsonObject json = data->toJson(QStringLiteral("/voices"));
        const QJsonArray test = json.value(QStringLiteral("test_mixtures")).toArray();
        QCOMPARE(test.size(), 7);
        QCOMPARE(json.value(QStringLiteral("validation_mixtures")).toArray().size(), 5);
        QVERIFY(test[0].toObject()[QStringLiteral("files")].toArray()[0].toString().endsWith(
            QLatin1String(".wav")));
        Expected<std::vector<MixtureSpec>> back = mixturesFromJson(
            test, data->test->utterances(), QStringLiteral("/voices"), data->length, "config.json");
        QVERIFY2(back, back ? "" : qPrintable(back.error().toString()));
        QCOMPARE(back->size(), std::size_t(7));
        for (std::size_t i = 0; i < back->size(); ++i) {
            QCOMPARE((*back)[i].cases, data->test->mixtures()[i].cases);
            QCOMPARE((*back)[i].gains, data->test->mixtures()[i].gains);
        }
        QJsonArray broken = test;
        QJsonObject first = broken[0].toObject();
        first[QStringLiteral("files")] = QJsonArray{"9_z_9.wav", "0_a_0.wav"};
        broken[0] = first;
        Expected<std::vector<MixtureSpec>> bad =
            mixturesFromJson(broken, data->test->utterances(), QStringLiteral("/voices"),
                             data->length, "config.json");
        QVERIFY(!bad);
        QVERIFY(bad.error().toString().contains(QLatin1String("9_z_9.wav")));
    }

    void tooFewSpeakersAndMonoAreChecked()
    {
        TrainConfig config = separateConfig();
        config.sources = 5; // four speakers only
        Expected<SeparationData> data = prepareSeparationData(config, toneLoader());
        QVERIFY(!data);
        QVERIFY2(data.error().toString().contains(QLatin1String("training part has")),
                 qPrintable(data.error().toString()));
        const auto stereo = [](const QString &, const QStringList &,
                               double) -> Expected<LabelledDataset> {
            LabelledDataset d = toneVoices();
            d.channelNames = {"l", "r"};
            return d;
        };
        Expected<SeparationData> two = prepareSeparationData(separateConfig(), stereo);
        QVERIFY(!two);
        QVERIFY(two.error().toString().contains(QLatin1String("mono")));
    }

    void pitLossIgnoresTheOrderOfTheEstimates()
    {
        torch::manual_seed(3);
        const torch::Tensor refs = torch::randn({3, 2, 400});
        const torch::Tensor noisy = refs + 0.1 * torch::randn({3, 2, 400});
        const torch::Tensor swapped = noisy.flip(1);
        const double a = computeLoss(noisy, refs, LossKind::NegativePitSiSnr, -1).item<double>();
        const double b = computeLoss(swapped, refs, LossKind::NegativePitSiSnr, -1).item<double>();
        QCOMPARE(a, b);
        QVERIFY(a < -15.0); // about -20 dB: the estimates are 20 dB above their noise
        const double sum =
            computeLoss(noisy, refs, LossKind::NegativePitSiSnr, -1, torch::Reduction::Sum)
                .item<double>();
        QVERIFY(std::abs(sum - 3.0 * a) < 1e-3);
        QVERIFY(predictionFits(noisy, refs, LossKind::NegativePitSiSnr));
        QVERIFY(!predictionFits(noisy.slice(2, 0, 10), refs, LossKind::NegativePitSiSnr));
    }

    void separationKeysRoundTripAndAreChecked()
    {
        TrainConfig c = separateConfig();
        c.sources = 3;
        c.levelMin = -2.5;
        c.levelMax = 4.0;
        c.speakerBy = QStringLiteral("field:2");
        QVERIFY(c.validate());
        Expected<TrainConfig> back = TrainConfig::fromJson(c.toJson(), QStringLiteral("run.json"));
        QVERIFY(back);
        QCOMPARE(back->sources, std::int64_t(3));
        QCOMPARE(back->levelMin, -2.5);
        QCOMPARE(back->levelMax, 4.0);
        QCOMPARE(back->mixSeconds, 0.25);
        QCOMPARE(back->trainMixtures, std::int64_t(20));
        QCOMPARE(back->testMixtures, std::int64_t(7));
        QCOMPARE(back->speakerBy, QStringLiteral("field:2"));
        QVERIFY(back->differences(c).isEmpty());
        TrainConfig bad = separateConfig();
        bad.sources = 1;
        QVERIFY(!bad.validate());
        bad = separateConfig();
        bad.levelMin = 6.0;
        QVERIFY(!bad.validate());
        bad = separateConfig();
        bad.mixSeconds = 0.0;
        QVERIFY(!bad.validate());
        bad = separateConfig();
        bad.features = QStringLiteral("mfcc");
        QVERIFY(!bad.validate());
    }

    void summaryLineAndProvenanceShape()
    {
        QJsonObject summary{{"si_snri", 8.404},
                            {"si_snr", 8.389},
                            {"si_snri_median", 8.478},
                            {"sdri", 8.674},
                            {"sdr", 10.793}};
        QCOMPARE(describeSeparationSummary(summary),
                 QStringLiteral("SI-SNRi 8.40 dB (SI-SNR 8.39 dB, median SI-SNRi 8.48 dB), SDRi "
                                "8.67 dB (SDR 10.79 dB)"));
        summary[QStringLiteral("sdr")] = QJsonValue::Null; // mixtures too short for BSS-eval
        summary[QStringLiteral("sdri")] = QJsonValue::Null;
        QVERIFY(describeSeparationSummary(summary).endsWith(
            QLatin1String("SDR not computed (mixtures shorter than 512 samples)")));
        Expected<SeparationShape> shape = separationShape(
            {{"sample_rate", 8000.0}, {"length", 2000}, {"sources", 2}}, "config.json");
        QVERIFY(shape);
        QCOMPARE(shape->sampleRate, 8000.0);
        QCOMPARE(shape->length, std::int64_t(2000));
        Expected<SeparationShape> missing =
            separationShape({{"length", 2000}, {"sources", 2}}, "run/config.json");
        QVERIFY(!missing);
        QVERIFY(missing.error().toString().contains(QLatin1String("run/config.json")));
        QVERIFY(missing.error().toString().contains(QLatin1String("sample_rate")));
    }

    void specOfASeparationRun()
    {
        const ModelSpec spec = separationSpec(2000, 2, 8000.0);
        QCOMPARE(spec.task, Task::Separate);
        QCOMPARE(spec.channels, std::int64_t(1));
        QCOMPARE(spec.lookback, std::int64_t(2000));
        QCOMPARE(taskName(Task::Separate), QStringLiteral("separate"));
        QCOMPARE(taskFromName(QStringLiteral("separate")), std::optional<Task>(Task::Separate));
    }
};

QTEST_GUILESS_MAIN(tst_SeparationData)
#include "tst_separationdata.moc"
