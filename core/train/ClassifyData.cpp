#include "ClassifyData.h"
#include "AugmentedAudioExamples.h"
#include "ClassifySplit.h"
#include "audio/LabelledLoader.h"
#include "common/Errors.h"
#include "data/LabelledSplit.h"

#include <QJsonArray>

#include <cmath>
#include <numeric>

namespace twb {

namespace {

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
    if (config.features == QLatin1String("mfcc"))
        return FeatureKind::Mfcc;
    return config.features == QLatin1String("logmel") ? FeatureKind::LogMel : FeatureKind::Fbank;
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

/// The front end of `kind` with the sizes of `config` (mel bins, MFCCs) for the cases of `data`.
FeatureFrontEnd frontEndOf(FeatureKind kind, const TrainConfig &config, const LabelledDataset &data,
                           FeatureNorm featureNorm, LevelNorm levelNorm)
{
    FeatureFrontEnd frontEnd;
    frontEnd.kind = kind;
    frontEnd.melBins = int(config.melBins);
    frontEnd.mfccCoefficients = int(config.mfcc);
    frontEnd.sampleRate = data.sampleRate;
    frontEnd.channels = data.channels();
    frontEnd.featureNorm = featureNorm;
    frontEnd.levelNorm = levelNorm;
    return frontEnd;
}

/// The front end of `config` for the data set `data` (features, level and feature
/// normalisation). PCEN needs a spectrogram.
Expected<FeatureFrontEnd> frontEndFor(const TrainConfig &config, const LabelledDataset &data)
{
    Expected<FeatureKind> features = chooseFeatures(config, data);
    if (!features)
        return features.error();
    const FeatureFrontEnd frontEnd =
        frontEndOf(*features, config, data, featureNormFromName(config.featureNorm),
                   levelNormFromName(config.levelNorm));
    if (frontEnd.featureNorm == FeatureNorm::Pcen &&
        (frontEnd.kind == FeatureKind::Raw || frontEnd.kind == FeatureKind::Mfcc))
        return makeError(QStringLiteral("feature-norm pcen needs mel energies (fbank or logmel "
                                        "features); use cmvn for series and MFCCs"),
                         data.sourcePath);
    return frontEnd;
}

/// Replaces the cases of every part by their features, of the kind the configuration asks of
/// the training file `data`; fills out.features, frontEnd, sampleRate, channelNames and
/// classCountsTrain.
Status computePartFeatures(const TrainConfig &config, const LabelledDataset &data,
                           ClassifyParts &parts, ClassifyData &out)
{
    Expected<FeatureFrontEnd> frontEnd = frontEndFor(config, data);
    if (!frontEnd)
        return frontEnd.error();
    out.frontEnd = *frontEnd;
    out.features = frontEnd->kind;
    out.sampleRate = data.sampleRate;
    for (LabelledDataset *part : {&parts.train, &parts.validation, &parts.test})
        if (Status s = out.frontEnd.apply(*part); !s)
            return s;
    out.channelNames = parts.train.channelNames;
    out.classCountsTrain = parts.train.classCounts();
    return {};
}

/// Sets out.length (config.frames, or the longest train case) and out.scaler (fitted on the
/// train part only, or the identity with config.scale "none"), and scales every part with it.
Status scaleParts(const TrainConfig &config, ClassifyParts &parts, ClassifyData &out)
{
    out.length = config.frames > 0 ? config.frames : parts.train.maxLength();
    if (out.length < 1)
        return makeError(QStringLiteral("the training cases are empty"), config.dataPath);
    out.scaler = config.scale == QLatin1String("none")
                     ? StandardScaler::identity(parts.train.channels())
                     : fitLabelledScaler(parts.train, allCaseIndices(parts.train));
    for (LabelledDataset *part : {&parts.train, &parts.validation, &parts.test})
        scaleLabelled(*part, out.scaler);
    return {};
}

/// out.train, validation and test: the tensors of the scaled parts; only the train part is
/// augmented (config.augment, and the spectrogram masks of config.freqMask / timeMask).
/// `trainWaves`: the train part as loaded, kept when waveform augmentations need it.
Status makePartExamples(const TrainConfig &config, const ClassifyParts &parts,
                        LabelledDataset trainWaves, bool stepMasks, ClassifyData &out)
{
    Expected<AugmentSpec> spec = AugmentSpec::parse(config.augment);
    if (!spec)
        return Error{spec.error().reason, config.dataPath, 0};
    ExampleAugmentation augmentation;
    augmentation.series = *spec;
    if (out.features != FeatureKind::Raw) {
        augmentation.freqMaskWidth = int(config.freqMask);
        augmentation.timeMaskWidth = int(config.timeMask);
    } else if (spec->waveform()) {
        return makeError(
            QStringLiteral("augment %1: shift, gain, speed, noise, silence and vtlp act "
                           "on audio; these cases are series (use jitter, scale, warp, slice)")
                .arg(config.augment),
            config.dataPath);
    }
    out.stepMasks = stepMasks;
    out.train = examplesOf(parts.train, out.length, augmentation, stepMasks, out.imputed, out.cut);
    if (spec->waveform())
        out.trainWaveAugmented = std::make_shared<AugmentedAudioExamples>(
            std::move(trainWaves), out.train, out.frontEnd, out.scaler, *spec, augmentation);
    out.validation = examplesOf(parts.validation, out.length, {}, stepMasks, out.imputed, out.cut);
    out.test = examplesOf(parts.test, out.length, {}, stepMasks, out.imputed, out.cut);
    return {};
}

} // namespace

QJsonObject ClassifyData::toJson() const
{
    QJsonArray counts;
    for (std::int64_t n : classCountsTrain)
        counts.append(qint64(n));
    return {
        {QStringLiteral("class_names"), QJsonArray::fromStringList(classNames)},
        {QStringLiteral("channels"), qint64(channelNames.size())},
        {QStringLiteral("features"), featureKindName(features)},
        {QStringLiteral("feature_norm"), featureNormName(frontEnd.featureNorm)},
        {QStringLiteral("level_norm"), levelNormName(frontEnd.levelNorm)},
        {QStringLiteral("groups"),
         QJsonObject{{QStringLiteral("train"), QJsonArray::fromStringList(trainGroups)},
                     {QStringLiteral("val"), QJsonArray::fromStringList(validationGroups)},
                     {QStringLiteral("test"), QJsonArray::fromStringList(testGroups)},
                     {QStringLiteral("val_by_cases"), validationByCases}}},
        {QStringLiteral("sample_rate"), sampleRate},
        {QStringLiteral("length"), qint64(length)},
        {QStringLiteral("split"), splitName},
        {QStringLiteral("extra_train_cases"), qint64(extraTrainCases)},
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

Expected<LabelledDataset> loadLabelledData(const QString &path, const QStringList &classNames,
                                           double sampleRate)
{
    LabelledLoadOptions options;
    options.classNames = classNames;
    options.sampleRate = sampleRate;
    return loadLabelled(path, options);
}

Expected<ClassifyData> prepareClassifyData(const TrainConfig &config,
                                           const LabelledLoadFunction &loadFunction, bool stepMasks)
{
    const LabelledLoadFunction load = loadFunction ? loadFunction : loadLabelledData;
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
    out.trainGroups = parts->trainGroups;
    out.validationGroups = parts->validationGroups;
    out.testGroups = parts->testGroups;
    out.validationByCases = parts->validationByCases;
    out.extraTrainCases = parts->extraTrainCases;
    Expected<AugmentSpec> spec = AugmentSpec::parse(config.augment);
    LabelledDataset trainWaves;
    if (spec && spec->waveform())
        trainWaves = parts->train; // before the features replace the waveforms
    if (Status s = computePartFeatures(config, *data, *parts, out); !s)
        return s.error();
    if (Status s = scaleParts(config, *parts, out); !s)
        return s.error();
    if (Status s = makePartExamples(config, *parts, std::move(trainWaves), stepMasks, out); !s)
        return s.error();
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
    else if (features == QLatin1String("mfcc"))
        s.features = FeatureKind::Mfcc;
    else if (features != QLatin1String("raw"))
        return makeError(QStringLiteral("provenance.features \"%1\" is unknown").arg(features),
                         source);
    s.sampleRate = provenance.value(QStringLiteral("sample_rate")).toDouble();
    s.stepMasks = trainedWithStepMasks(provenance);
    s.featureNorm =
        featureNormFromName(provenance.value(QStringLiteral("feature_norm")).toString());
    s.levelNorm = levelNormFromName(provenance.value(QStringLiteral("level_norm")).toString());
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
    const LabelledLoadFunction load = loadFunction ? loadFunction : loadLabelledData;
    Expected<LabelledDataset> data = load(path, settings.classNames, settings.sampleRate);
    if (!data)
        return data.error();
    // Sound for a run trained on series (or series for one trained on sound) would be cut or
    // padded to the run's length and classified without a word: refused instead.
    if ((settings.sampleRate > 0.0) != (data->sampleRate > 0.0))
        return makeError(settings.sampleRate > 0.0
                             ? QStringLiteral("the run was trained on sound at %1 Hz; this data "
                                              "holds series, not sound")
                                   .arg(settings.sampleRate)
                             : QStringLiteral("the run was trained on series, not sound; this "
                                              "data holds sound files (%1 Hz)")
                                   .arg(data->sampleRate),
                         path);
    const FeatureFrontEnd frontEnd =
        frontEndOf(settings.features, config, *data, settings.featureNorm, settings.levelNorm);
    if (Status s = frontEnd.apply(*data); !s)
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
