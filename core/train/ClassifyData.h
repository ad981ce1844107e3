#pragma once

#include "ClassifyExamples.h"
#include "FeatureFrontEnd.h"
#include "TrainConfig.h"
#include "common/Expected.h"
#include "data/LabelledDataset.h"
#include "data/StandardScaler.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace twb {

/// Labelled data ready for classification: the train, validation and test parts, features
/// computed (level and feature normalisation included), every channel scaled with statistics
/// of the train part only, every case padded with zeros (the normalised mean) or cut to
/// `length` steps.
///
/// Parts: see splitClassifyParts (a test file, a glob, a fold, test groups or a share; the
/// validation part a share or whole groups of the rest). Missing values (NaN) are set to 0
/// after scaling and counted.
struct ClassifyData
{
    QStringList classNames;
    QStringList channelNames; ///< after features ("mel0", ... for spectrograms)
    FeatureKind features = FeatureKind::Raw;
    FeatureFrontEnd frontEnd; ///< how a loaded case becomes features (prediction repeats it)
    double sampleRate = 0.0;  ///< audio rate after resampling, 0 for plain series
    std::int64_t length = 0;  ///< steps (frames) per case
    StandardScaler scaler;
    QString fingerprint; ///< of the loaded training file (and the test file, if any)
    QString splitName;   ///< see ClassifyParts::splitName
    QStringList trainGroups, validationGroups, testGroups; ///< with group-by, else empty
    bool validationByCases = false;                        ///< see ClassifyParts
    std::int64_t extraTrainCases = 0;                      ///< see ClassifyParts
    std::int64_t imputed = 0;                              ///< NaNs set to 0
    std::int64_t cut = 0;  ///< cases longer than `length` (their end dropped)
    bool stepMasks = true; ///< batches carry the step masks of padded cases
    QStringList skipped;   ///< unreadable files etc. of the loaders, "path: reason"
    std::vector<std::int64_t> classCountsTrain;
    std::shared_ptr<ClassifyExamples> train; ///< features of the train part (SpecAugment etc.)
    /// With waveform augmentations: the train part as training draws it (features recomputed
    /// per batch from augmented clips); null otherwise.
    std::shared_ptr<ExampleSet> trainWaveAugmented;
    std::shared_ptr<ClassifyExamples> validation;
    std::shared_ptr<ClassifyExamples> test;

    /// Counts and settings for config.json's provenance.
    QJsonObject toJson() const;
};

/// Loads labelled data (a function so that tests can give data sets built in memory; the
/// default is twb_audio's loadLabelled).
using LabelledLoadFunction = std::function<Expected<LabelledDataset>(
    const QString &path, const QStringList &classNames, double sampleRate)>;

/// The default LabelledLoadFunction: twb_audio's loadLabelled with these classes (empty: from
/// the data) and sample rate (0: keep).
Expected<LabelledDataset> loadLabelledData(const QString &path, const QStringList &classNames,
                                           double sampleRate);

/// Prepares the data of a classification config (dataPath, testData, testGlob, valFraction,
/// testFraction, features, sampleRate, melBins, frames, freqMask, timeMask, seed).
/// `stepMasks` false: batches carry no step masks (a run trained before they existed, see
/// trainedWithStepMasks).
/// Errors name the file: unreadable data, too few cases for a split, features that need audio.
Expected<ClassifyData> prepareClassifyData(const TrainConfig &config,
                                           const LabelledLoadFunction &load = {},
                                           bool stepMasks = true);

/// Whether a classification run's provenance says its model was trained with step masks
/// ("step_masks": true). Runs made before 2026-12-02 were not; they are evaluated, explained and
/// used for prediction as they were trained: without masks.
bool trainedWithStepMasks(const QJsonObject &provenance);

/// The fixed settings of a trained classification run (config.json's provenance).
struct ClassifySettings
{
    QStringList classNames;
    FeatureKind features = FeatureKind::Raw;
    double sampleRate = 0.0;
    std::int64_t length = 0;
    std::int64_t channels = 0;
    StandardScaler scaler;
    bool stepMasks = false;                      ///< see trainedWithStepMasks
    FeatureNorm featureNorm = FeatureNorm::None; ///< provenance "feature_norm" (absent: none)
    LevelNorm levelNorm = LevelNorm::None;       ///< provenance "level_norm" (absent: none)

    /// From a provenance written by ClassifyData::toJson plus "scaler". Errors name `source`.
    static Expected<ClassifySettings> fromProvenance(const QJsonObject &provenance,
                                                     const QString &source);
};

/// Other labelled data (a new speaker, a new session) prepared as a trained run saw its data:
/// the run's classes (another label is an error), features, rate, length and scaler.
Expected<std::shared_ptr<ClassifyExamples>>
prepareClassifyExamples(const QString &path, const TrainConfig &config,
                        const ClassifySettings &settings, const LabelledLoadFunction &load = {});

} // namespace twb
