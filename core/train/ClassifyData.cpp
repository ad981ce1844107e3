#include "ClassifyData.h"
#include "Errors.h"
#include "audio/AudioDatasetLoader.h"
#include "audio/LabelledLoader.h"
#include "data/LabelledSplit.h"
#include "dsp/KaldiFbank.h"
#include "dsp/MelSpectrogram.h"

#include <QJsonArray>

#include <cmath>
#include <numeric>

namespace twb {

namespace {

Expected<LabelledDataset> defaultLoad(const QString &path, const QStringList &classNames,
                                      double sampleRate)
{
    LabelledLoadOptions options;
    options.classNames = classNames;
    options.sampleRate = sampleRate;
    return loadLabelled(path, options);
}

/// The cases `indices` of `data` as a new data set (same classes, channels and rate).
LabelledDataset subset(const LabelledDataset &data, const std::vector<std::int64_t> &indices)
{
    LabelledDataset part;
    part.sourcePath = data.sourcePath;
    part.classNames = data.classNames;
    part.channelNames = data.channelNames;
    part.sampleRate = data.sampleRate;
    part.cases.reserve(indices.size());
    for (std::int64_t i : indices)
        part.cases.push_back(data.cases[std::size_t(i)]);
    return part;
}

std::vector<std::int64_t> allIndices(const LabelledDataset &data)
{
    std::vector<std::int64_t> indices(std::size_t(data.size()));
    std::iota(indices.begin(), indices.end(), 0);
    return indices;
}

Expected<FeatureKind> chooseFeatures(const TrainConfig &config, const LabelledDataset &data)
{
    const bool audio = data.sampleRate > 0.0 && data.channels() == 1;
    if (config.features == QLatin1String("raw"))
        return FeatureKind::Raw;
    if (config.features == QLatin1String("auto"))
        return audio ? FeatureKind::Fbank : FeatureKind::Raw;
    if (!audio)
        return makeError(QStringLiteral("features \"%1\" need mono audio with a sample rate; "
                                        "this data has %2 channel(s) and no rate")
                             .arg(config.features)
                             .arg(data.channels()),
                         data.sourcePath);
    return config.features == QLatin1String("logmel") ? FeatureKind::LogMel : FeatureKind::Fbank;
}

/// Replaces every audio case by its spectrogram [frames, mel bins].
Status computeFeatures(LabelledDataset &data, FeatureKind kind, int melBins)
{
    if (kind == FeatureKind::Raw)
        return {};
    const double rate = data.sampleRate;
    for (LabelledCase &c : data.cases) {
        std::vector<float> &wave = c.values;
        dsp::FloatMatrix features; // [frames, mels]
        if (kind == FeatureKind::Fbank) {
            // The AST front end: mean removed, Hann window, no dither.
            const double mean =
                wave.empty() ? 0.0 : std::accumulate(wave.begin(), wave.end(), 0.0) / wave.size();
            std::vector<float> centred(wave.size());
            for (std::size_t i = 0; i < wave.size(); ++i)
                centred[i] = float(wave[i] - mean);
            dsp::KaldiFbankOptions options;
            options.sampleFrequency = rate;
            options.numMelBins = melBins;
            options.window = dsp::WindowType::Hann;
            Expected<dsp::FloatMatrix> fbank = dsp::kaldiFbank(centred, options);
            if (!fbank)
                return makeError(
                    QStringLiteral("fbank of %1: %2").arg(c.source, fbank.error().reason),
                    data.sourcePath);
            features = std::move(*fbank);
        } else {
            dsp::StftOptions stft;
            stft.winLength = int(std::lround(rate * 0.025));
            stft.hop = int(std::lround(rate * 0.010));
            stft.nFft = 1;
            while (stft.nFft < stft.winLength)
                stft.nFft *= 2;
            dsp::MelOptions mel;
            mel.sampleRate = rate;
            mel.nMels = melBins;
            Expected<dsp::FloatMatrix> logMel = dsp::logMelSpectrogram(wave, stft, mel);
            if (!logMel)
                return makeError(
                    QStringLiteral("log-mel of %1: %2").arg(c.source, logMel.error().reason),
                    data.sourcePath);
            features = dsp::transposed(*logMel);
        }
        c.length = features.rows;
        c.values.assign(features.data.begin(), features.data.end());
    }
    data.channelNames.clear();
    for (int m = 0; m < melBins; ++m)
        data.channelNames << QStringLiteral("mel%1").arg(m);
    return {};
}

/// Scaled, NaN-free, padded tensors of a part.
std::shared_ptr<ClassifyExamples> examplesOf(const LabelledDataset &data, std::int64_t length,
                                             ExampleAugmentation augmentation, bool stepMasks,
                                             std::int64_t &imputed, std::int64_t &cut)
{
    PaddedCases padded = padCases(data, allIndices(data), length, 0.0f);
    for (float &v : padded.values)
        if (std::isnan(v)) {
            v = 0.0f;
            ++imputed;
        }
    for (const LabelledCase &c : data.cases)
        cut += c.length > length ? 1 : 0;
    torch::Tensor x =
        torch::from_blob(padded.values.data(), {padded.cases, padded.length, padded.channels},
                         torch::kFloat)
            .clone();
    std::vector<std::int64_t> labels(padded.labels.begin(), padded.labels.end());
    torch::Tensor y = torch::tensor(labels, torch::kLong);
    QStringList sources;
    std::vector<std::int64_t> lengths;
    for (const LabelledCase &c : data.cases) {
        sources << c.source;
        lengths.push_back(std::clamp<std::int64_t>(c.length, 1, length));
    }
    return std::make_shared<ClassifyExamples>(
        std::move(x), std::move(y), std::move(sources), augmentation,
        stepMasks ? torch::tensor(lengths, torch::kLong) : torch::Tensor());
}

} // namespace

QString featureKindName(FeatureKind kind)
{
    switch (kind) {
    case FeatureKind::Raw:
        return QStringLiteral("raw");
    case FeatureKind::Fbank:
        return QStringLiteral("fbank");
    case FeatureKind::LogMel:
        return QStringLiteral("logmel");
    }
    return {};
}

QJsonObject ClassifyData::toJson() const
{
    QJsonArray counts;
    for (std::int64_t n : classCountsTrain)
        counts.append(qint64(n));
    return {
        {QStringLiteral("class_names"), QJsonArray::fromStringList(classNames)},
        {QStringLiteral("channels"), qint64(channelNames.size())},
        {QStringLiteral("features"), featureKindName(features)},
        {QStringLiteral("sample_rate"), sampleRate},
        {QStringLiteral("length"), qint64(length)},
        {QStringLiteral("split"), splitName},
        {QStringLiteral("cases"), QJsonObject{{QStringLiteral("train"), qint64(train->size())},
                                              {QStringLiteral("val"), qint64(validation->size())},
                                              {QStringLiteral("test"), qint64(test->size())}}},
        {QStringLiteral("train_class_counts"), counts},
        {QStringLiteral("imputed_values"), qint64(imputed)},
        {QStringLiteral("cut_cases"), qint64(cut)},
        {QStringLiteral("step_masks"), stepMasks},
        {QStringLiteral("skipped_files"), QJsonArray::fromStringList(skipped)}};
}

bool trainedWithStepMasks(const QJsonObject &provenance)
{
    return provenance.value(QStringLiteral("step_masks")).toBool(false);
}

Expected<ClassifyData> prepareClassifyData(const TrainConfig &config,
                                           const LabelledLoadFunction &loadFunction, bool stepMasks)
{
    const LabelledLoadFunction load = loadFunction ? loadFunction : defaultLoad;
    Expected<LabelledDataset> main = load(config.dataPath, {}, config.sampleRate);
    if (!main)
        return main.error();
    if (main->classNames.size() < 2)
        return makeError(QStringLiteral("classification needs at least two classes, found %1")
                             .arg(main->classNames.size()),
                         config.dataPath);

    ClassifyData out;
    out.classNames = main->classNames;
    out.skipped = main->skipped;
    out.fingerprint = main->fingerprint();

    LabelledDataset train, validation, test;
    if (!config.testData.isEmpty()) {
        Expected<LabelledDataset> testFile =
            load(config.testData, main->classNames, main->sampleRate);
        if (!testFile)
            return testFile.error();
        if (testFile->channels() != main->channels())
            return makeError(QStringLiteral("the test data has %1 channels, the training data %2")
                                 .arg(testFile->channels())
                                 .arg(main->channels()),
                             config.testData);
        out.skipped += testFile->skipped;
        out.fingerprint = main->fingerprint() + QLatin1Char('+') + testFile->fingerprint();
        Expected<LabelledSplitIndices> split =
            stratifiedSplit(*main, config.valFraction, 0.0, config.seed);
        if (!split)
            return Error{split.error().reason, config.dataPath, 0};
        train = subset(*main, split->train);
        validation = subset(*main, split->validation);
        test = std::move(*testFile);
        out.splitName = QStringLiteral("test-data");
    } else {
        std::vector<std::int64_t> candidates = allIndices(*main), testCases;
        double testFraction = config.testFraction;
        if (!config.testGlob.isEmpty()) {
            const std::vector<std::uint8_t> inTest = casesMatchingGlob(*main, config.testGlob);
            candidates.clear();
            for (std::int64_t i = 0; i < main->size(); ++i)
                (inTest[std::size_t(i)] ? testCases : candidates).push_back(i);
            if (testCases.empty())
                return makeError(
                    QStringLiteral("no file matches --test-glob \"%1\"").arg(config.testGlob),
                    config.dataPath);
            testFraction = 0.0;
            out.splitName = QStringLiteral("test-glob");
        } else {
            out.splitName = QStringLiteral("stratified");
        }
        // val-fraction is a share of the cases that are not test.
        const double valFraction = config.valFraction * (1.0 - testFraction);
        Expected<LabelledSplitIndices> split =
            stratifiedSplit(*main, candidates, valFraction, testFraction, config.seed);
        if (!split)
            return Error{split.error().reason, config.dataPath, 0};
        if (testCases.empty())
            testCases = split->test;
        train = subset(*main, split->train);
        validation = subset(*main, split->validation);
        test = subset(*main, testCases);
    }
    if (train.size() == 0 || validation.size() == 0 || test.size() == 0)
        return makeError(QStringLiteral("too few cases: train %1, validation %2, test %3")
                             .arg(train.size())
                             .arg(validation.size())
                             .arg(test.size()),
                         config.dataPath);

    Expected<FeatureKind> features = chooseFeatures(config, *main);
    if (!features)
        return features.error();
    out.features = *features;
    out.sampleRate = main->sampleRate;
    for (LabelledDataset *part : {&train, &validation, &test})
        if (Status s = computeFeatures(*part, out.features, int(config.melBins)); !s)
            return s.error();
    out.channelNames = train.channelNames;
    out.classCountsTrain = train.classCounts();

    out.length = config.frames > 0 ? config.frames : train.maxLength();
    if (out.length < 1)
        return makeError(QStringLiteral("the training cases are empty"), config.dataPath);
    out.scaler = fitLabelledScaler(train, allIndices(train));
    for (LabelledDataset *part : {&train, &validation, &test})
        scaleLabelled(*part, out.scaler);

    const bool spectrogram = out.features != FeatureKind::Raw;
    ExampleAugmentation augmentation;
    if (spectrogram) {
        augmentation.freqMaskWidth = int(config.freqMask);
        augmentation.timeMaskWidth = int(config.timeMask);
    }
    out.stepMasks = stepMasks;
    out.train = examplesOf(train, out.length, augmentation, stepMasks, out.imputed, out.cut);
    out.validation = examplesOf(validation, out.length, {}, stepMasks, out.imputed, out.cut);
    out.test = examplesOf(test, out.length, {}, stepMasks, out.imputed, out.cut);
    return out;
}

Expected<ClassifySettings> ClassifySettings::fromProvenance(const QJsonObject &provenance,
                                                            const QString &source)
{
    ClassifySettings s;
    for (const QJsonValue &name : provenance.value(QStringLiteral("class_names")).toArray())
        s.classNames << name.toString();
    const QString features = provenance.value(QStringLiteral("features")).toString();
    if (features == QLatin1String("fbank"))
        s.features = FeatureKind::Fbank;
    else if (features == QLatin1String("logmel"))
        s.features = FeatureKind::LogMel;
    else if (features != QLatin1String("raw"))
        return makeError(QStringLiteral("provenance.features \"%1\" is unknown").arg(features),
                         source);
    s.sampleRate = provenance.value(QStringLiteral("sample_rate")).toDouble();
    s.stepMasks = trainedWithStepMasks(provenance);
    s.length = provenance.value(QStringLiteral("length")).toInteger();
    s.channels = provenance.value(QStringLiteral("channels")).toInteger();
    Expected<StandardScaler> scaler =
        StandardScaler::fromJson(provenance.value(QStringLiteral("scaler")).toObject());
    if (!scaler)
        return makeError(QStringLiteral("provenance.scaler: %1").arg(scaler.error().reason),
                         source);
    s.scaler = *scaler;
    if (s.classNames.size() < 2 || s.length < 1 || s.channels != s.scaler.channelCount())
        return makeError(QStringLiteral("not the provenance of a classification run"), source);
    return s;
}

Expected<std::shared_ptr<ClassifyExamples>>
prepareClassifyExamples(const QString &path, const TrainConfig &config,
                        const ClassifySettings &settings, const LabelledLoadFunction &loadFunction)
{
    const LabelledLoadFunction load = loadFunction ? loadFunction : defaultLoad;
    Expected<LabelledDataset> data = load(path, settings.classNames, settings.sampleRate);
    if (!data)
        return data.error();
    if (Status s = computeFeatures(*data, settings.features, int(config.melBins)); !s)
        return s.error();
    if (data->channels() != settings.channels)
        return makeError(QStringLiteral("the data has %1 channel(s), the run was trained on %2")
                             .arg(data->channels())
                             .arg(settings.channels),
                         path);
    scaleLabelled(*data, settings.scaler);
    std::int64_t imputed = 0, cut = 0;
    return examplesOf(*data, settings.length, {}, settings.stepMasks, imputed, cut);
}

} // namespace twb
