#pragma once

#include "ClassifyData.h"
#include "MixtureExamples.h"
#include "TrainConfig.h"
#include "common/Expected.h"

#include <QJsonObject>
#include <QStringList>

#include <memory>

namespace twb {

/// The data of a separation run (task "separate"): the utterances of config.dataPath split
/// into train, validation and test parts exactly as a classification run splits its cases
/// (splitClassifyParts: test-glob, test-data, test-groups, val-fraction, group-by ...), and the
/// mixtures drawn within each part, so that no test mixture contains an utterance (or, with
/// test groups, a speaker) the model trained on.
struct SeparationData
{
    QString splitName;   ///< as ClassifyParts::splitName
    QString fingerprint; ///< of the loaded files (ClassifyParts::fingerprint)
    double sampleRate = 0.0;
    std::int64_t length = 0; ///< samples per mixture: round(mix-seconds · rate)
    MixtureOptions options;  ///< sources, levels and length (the seed is per part)
    QStringList trainSpeakers, validationSpeakers, testSpeakers; ///< distinct, sorted
    QStringList skipped;                    ///< what the loaders skipped, "path: reason"
    std::shared_ptr<MixtureExamples> train; ///< fresh mixtures for every training batch
    std::shared_ptr<MixtureExamples> validation;
    std::shared_ptr<MixtureExamples> test;

    /// For config.json's provenance: the settings, the parts' speakers and utterance counts,
    /// and the validation and test mixtures listed (files relative to `root`, levels, gains).
    QJsonObject toJson(const QString &root) const;
};

/// Loads config.dataPath (mono audio with a rate; config.sampleRate resamples), splits it,
/// reads every utterance's speaker with config.speakerBy and draws the mixtures: train
/// config.trainMixtures per epoch (seed config.seed), validation config.valMixtures (seed + 1),
/// test config.testMixtures (seed + 2). Errors name the file: unreadable data, audio that is
/// not mono or has no rate, a part with fewer speakers than config.sources, an utterance
/// without a speaker.
Expected<SeparationData> prepareSeparationData(const TrainConfig &config,
                                               const LabelledLoadFunction &load = {});

/// What a separation run's provenance fixes about its input: samples per second, samples per
/// mixture and sources per mixture.
struct SeparationShape
{
    double sampleRate = 0.0;
    std::int64_t length = 0;
    std::int64_t sources = 0;
};
/// Reads "sample_rate", "length" and "sources" of a separation run's provenance; an error naming
/// `source` (its config.json) when one is missing or not positive.
Expected<SeparationShape> separationShape(const QJsonObject &provenance, const QString &source);

/// Mixtures of another data set for a trained separation run (a held-out speaker's folder, a
/// new recording session): every utterance of `path`, loaded at `sampleRate`, speakers by
/// config.speakerBy; config.testMixtures of them (seed config.seed + 2) of `length` samples,
/// with the run's sources and levels. Errors name `path`.
Expected<std::shared_ptr<MixtureExamples>> mixturesOfData(const QString &path,
                                                          const TrainConfig &config,
                                                          double sampleRate, std::int64_t length,
                                                          const LabelledLoadFunction &load = {});

/// The mixtures listed in a run's provenance ("validation_mixtures" / "test_mixtures": files
/// relative to the data folder `root`, gains) back as MixtureSpecs over `utterances` (matched
/// by path). Errors name `source`: a file not among the utterances, a malformed entry.
Expected<std::vector<MixtureSpec>> mixturesFromJson(const QJsonArray &list,
                                                    const LabelledDataset &utterances,
                                                    const QString &root, std::int64_t length,
                                                    const QString &source);

} // namespace twb
