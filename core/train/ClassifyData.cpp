#include "ClassifyData.h"
#include "ClassifySplit.h"
#include "audio/LabelledLoader.h"
#include "common/Errors.h"
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
    PaddedCases padded = padCases(data, allCaseIndices(data), length, 0.0f);
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

/// The training file config.dataPath, with at least two classes.
Expected<LabelledDataset> loadTrainingData(const TrainConfig &config,
                                           const LabelledLoadFunction &load)
{
    Expected<LabelledDataset> data = load(config.dataPath, {}, config.sampleRate);
    if (!data)
        return data.error();
    if (data->classNames.size() < 2)
        return makeError(QStringLiteral("classification needs at least two classes, found %1")
                             .arg(data->classNames.size()),
                         config.dataPath);
    return data;
}

/// Replaces the cases of every part by their features, of the kind the configuration asks of
/// the training file `data`; fills out.features, sampleRate, channelNames and classCountsTrain.
Status computePartFeatures(const TrainConfig &config, const LabelledDataset &data,
                           ClassifyParts &parts, ClassifyData &out)
{
    Expected<FeatureKind> features = chooseFeatures(config, data);
    if (!features)
        return features.error();
    out.features = *features;
    out.sampleRate = data.sampleRate;
    for (LabelledDataset *part : {&parts.train, &parts.validation, &parts.test})
        if (Status s = computeFeatures(*part, out.features, int(config.melBins)); !s)
            return s;
    out.channelNames = parts.train.channelNames;
    out.classCountsTrain = parts.train.classCounts();
    return {};
}

/// Sets out.length (config.frames, or the longest train case) and out.scaler (fitted on the
/// train part only), and scales every part with it.
Status scaleParts(const TrainConfig &config, ClassifyParts &parts, ClassifyData &out)
{
    out.length = config.frames > 0 ? config.frames : parts.train.maxLength();
    if (out.length < 1)
        return makeError(QStringLiteral("the training cases are empty"), config.dataPath);
    out.scaler = fitLabelledScaler(parts.train, allCaseIndices(parts.train));
    for (LabelledDataset *part : {&parts.train, &parts.validation, &parts.test})
        scaleLabelled(*part, out.scaler);
    return {};
}

/// out.train, validation and test: the tensors of the scaled parts; only the train part is
/// augmented (spectrogram masks of config.freqMask / timeMask).
void makePartExamples(const TrainConfig &config, const ClassifyParts &parts, bool stepMasks,
                      ClassifyData &out)
{
    ExampleAugmentation augmentation;
    if (out.features != FeatureKind::Raw) {
        augmentation.freqMaskWidth = int(config.freqMask);
        augmentation.timeMaskWidth = int(config.timeMask);
    }
    out.stepMasks = stepMasks;
    out.train = examplesOf(parts.train, out.length, augmentation, stepMasks, out.imputed, out.cut);
    out.validation = examplesOf(parts.validation, out.length, {}, stepMasks, out.imputed, out.cut);
    out.test = examplesOf(parts.test, out.length, {}, stepMasks, out.imputed, out.cut);
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
    Expected<LabelledDataset> data = loadTrainingData(config, load);
    if (!data)
        return data.error();
    Expected<ClassifyParts> parts = splitClassifyParts(config, load, *data);
    if (!parts)
        return parts.error();
    ClassifyData out;
    out.classNames = data->classNames;
    out.skipped = parts->skipped;
    out.fingerprint = parts->fingerprint;
    out.splitName = parts->splitName;
    if (Status s = computePartFeatures(config, *data, *parts, out); !s)
        return s.error();
    if (Status s = scaleParts(config, *parts, out); !s)
        return s.error();
    makePartExamples(config, *parts, stepMasks, out);
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
