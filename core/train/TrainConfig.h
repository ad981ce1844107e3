#pragma once

#include "LrSchedule.h"
#include "OptimizerKind.h"
#include "common/Expected.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <cstdint>

namespace twb {

/// Everything that defines a training run, as given by the user (command line, a run.json or a
/// run's saved config.json). Plain data; validate() checks it without touching files.
///
/// JSON keys are the long command-line option names; '-' and '_' are interchangeable
/// ("batch-size" == "batch_size"). An unknown key is an error (a typo must not be ignored).
struct TrainConfig
{
    // Data
    QString dataPath; ///< "data": a path spec for loadSeries ("f.h5:/ds" allowed)
    /// "forecast", "classify", "pretrain" (masked reconstruction of series windows; lookback
    /// 0 = 512, the PatchTST paper's) or "separate" (speech separation: mixtures of the data's
    /// utterances, see the separation keys below; the split keys of classification apply)
    QString task = QStringLiteral("forecast");
    QString split; ///< "split": empty = by file name (see defaultSplitFor)
    /// "freq": the sampling frequency whose calendar features ("timeF") come with each window
    /// for the models that read them (h, 15min, d ...; see parseFrequency); empty = from the
    /// data's median time step. Set to the frequency used once the data is prepared; unused
    /// when the data has no time column.
    QString freq;
    std::int64_t lookback = 0;
    std::int64_t horizon = 0;
    std::int64_t stride = 1; ///< step between training windows (val/test always use 1)
    /// "channels": the channels a forecasting run reads and forecasts, in this order (see
    /// selectChannels); empty = every channel of the data.
    QStringList channels;
    /// "target": the papers' "MS" setting — the model reads every channel above, but only this
    /// one counts in the loss and the metrics; empty = all channels count ("M", or "S" with one
    /// channel).
    QString target;

    // Classification data (task "classify")
    QString testData; ///< "test-data": the test part from its own file
    QString testGlob; ///< "test-glob": audio files matching it are the test part
    /// "extra-train": more labelled data (files or folders, read like "data", with its classes
    /// and rate) that joins the training part only — never validation, test or a fold's test
    /// part; with group-by its cases need no group. For recordings of other speakers, rooms
    /// or devices (or synthetic voices) that widen what the model learns from.
    QStringList extraTrain;
    double valFraction = 0.2;  ///< "val-fraction": stratified share of train for validation
    double testFraction = 0.2; ///< "test-fraction": stratified test share (no test data/glob)
    QString features = QStringLiteral("auto"); ///< auto, raw, fbank, logmel, mfcc
    double sampleRate = 0.0;   ///< "sample-rate": resample audio to this rate, 0 = keep
    std::int64_t melBins = 64; ///< "mel-bins"
    std::int64_t mfcc = 20;    ///< "mfcc": coefficients kept by features "mfcc" (1..mel-bins)
    std::int64_t frames = 0;   ///< pad/cut to this many steps, 0 = longest training case
    std::int64_t freqMask = 0; ///< "freq-mask": SpecAugment F, 0 = off
    std::int64_t timeMask = 0; ///< "time-mask": SpecAugment T, 0 = off
    /// "group-by": where a case's group (speaker, session...) comes from (GroupRule: speaker,
    /// field:N, manifest, regex:RE); no group then lies in two parts. Empty = no groups.
    QString groupBy;
    QStringList testGroups; ///< "test-groups": these groups are the test part
    QStringList valGroups;  ///< "val-groups": these groups are the validation part
    /// "val-by": "groups" = validation from whole groups drawn at random (when three or more
    /// remain outside test), "cases" = a stratified share of the training groups' cases.
    QString valBy = QStringLiteral("groups");
    /// "cv": cross-validation, one child run per fold under the run folder: "groups" = leave
    /// one group out, "K" (2..100) = stratified K-fold. Empty = one run.
    QString cv;
    std::int64_t fold = 0;  ///< "fold": 1..folds, this run's test part is fold I of a K-fold
    std::int64_t folds = 0; ///< "folds": K of the K-fold `fold` belongs to; 0 = none
    /// "feature-norm": per-case normalisation of the features before the train-fitted scaler:
    /// "none", "cmvn" (each channel/mel bin to mean 0 and variance 1 over the case's real
    /// steps), "pcen" (per-channel energy normalisation of the mel energies; spectrograms only).
    QString featureNorm = QStringLiteral("none");
    /// "level-norm": audio level before the features: "none", "peak" (peak to 1), "rms" (RMS to
    /// 0.1, i.e. -20 dBFS).
    QString levelNorm = QStringLiteral("none");
    /// "scale": how the cases are scaled before the model: "channel" = each channel to mean 0
    /// and deviation 1 with the training part's statistics (the default), "none" = the values
    /// as they are (the UCR/UEA archives' protocol for distance-based classifiers such as 1-NN
    /// DTW, whose channels then keep their relative weight).
    QString scale = QStringLiteral("channel");
    /// "augment": training-time augmentations, comma-separated NAME[:VALUE] (AugmentSpec).
    QString augment;
    // Separation (task "separate"): mixtures of utterances of different speakers
    // (audio/Mixtures.h), drawn within each part of the split above (test-glob, test-groups, ... as
    // classification)
    std::int64_t sources = 2; ///< "sources": utterances (speakers) per mixture, 2..5
    double levelMin = -5.0;   ///< "level-min": dB of the first source over the second, drawn
    double levelMax = 5.0;    ///< "level-max": uniformly from [level-min, level-max]
    double mixSeconds = 1.0;  ///< "mix-seconds": length of every mixture (padded or cut)
    /// "train-mixtures": training mixtures per epoch, drawn afresh for every batch (seeded by
    /// seed, epoch and batch, so a resumed run sees the same ones)
    std::int64_t trainMixtures = 2000;
    std::int64_t valMixtures = 200;  ///< "val-mixtures": a fixed seeded list
    std::int64_t testMixtures = 500; ///< "test-mixtures": a fixed seeded list
    /// "speaker-by": where an utterance's speaker comes from (GroupRule, as group-by)
    QString speakerBy = QStringLiteral("speaker");

    // Model
    QString modelId;             ///< "model"
    QVariantMap hyperparameters; ///< "hyperparameters" / --set; validated by the plugin schema

    // Optimisation
    std::int64_t epochs = 10;
    std::int64_t batchSize = 32;
    double lr = 1e-3;
    OptimizerKind optimizer = OptimizerKind::Adam;
    double weightDecay = 0.0;
    ScheduleKind schedule = ScheduleKind::Constant;
    std::int64_t stepSize = 1; ///< "step-size"
    double gamma = 0.5;
    std::int64_t hold = 0;
    std::int64_t tMax = 0;     ///< "t-max", 0 = epochs
    double etaMin = 0.0;       ///< "eta-min"
    double pctStart = 0.3;     ///< "pct-start"
    double clipGrad = 0.0;     ///< "clip-grad", 0 = off
    std::int64_t patience = 3; ///< 0 = no early stopping
    /// "checkpoint-every": also write checkpoints/epoch_<NNN>.pt every N epochs; 0 = off
    std::int64_t checkpointEvery = 0;
    /// "swa": average the weights of every epoch from this 1-based one on (stochastic weight
    /// averaging, see TrainerOptions::swaStart); 0 = off
    std::int64_t swa = 0;
    std::uint64_t seed = 2021;
    int threads = 0;       ///< 0 = physical cores
    bool dropLast = false; ///< "drop-last": drop the last partial training batch

    // Fine-tuning
    QString initFrom;   ///< "init-from": a run folder or a .pt file
    QStringList freeze; ///< parameter-name prefixes to freeze
    /// "finetune": the recipe with init-from (FineTuneRecipe.h): "full" (everything trains),
    /// "linear-probe" (only the head: the tensors the source lacks), "head-first:N" (the head
    /// alone for N epochs, then everything). Empty = full.
    QString finetune;
    /// "train-fraction": low-label training, 0 < F <= 1: the first F of the training windows
    /// (series, in time order) or a stratified, seeded F of the training cases (classify).
    double trainFraction = 1.0;

    /// Checks ranges and names; the error names the key. `source` is the file for errors.
    Status validate(const QString &source = {}) const;

    /// The separation settings of validate() (task "separate").
    Status validateSeparation() const;
    /// The group, cross-validation and fold settings of validate().
    Status validateGroupsAndFolds() const;

    /// Every key above, with the names as in the command line (kebab-case).
    QJsonObject toJson() const;

    /// Reads the keys present in `json` over the values already in `base`. Keys listed in
    /// `ignoredKeys` (e.g. "provenance" of a saved config.json) are skipped. Errors name the
    /// file and the key: unknown key, wrong type, unknown choice.
    static Expected<TrainConfig> fromJson(const QJsonObject &json, const QString &source,
                                          const TrainConfig &base, const QStringList &ignoredKeys);
    /// The same over the defaults.
    static Expected<TrainConfig> fromJson(const QJsonObject &json, const QString &source,
                                          const QStringList &ignoredKeys = {});

    /// A run.json / config.json file (see fromJson; the "provenance" key is ignored).
    static Expected<TrainConfig> fromFile(const QString &path, const TrainConfig &base);
    static Expected<TrainConfig> fromFile(const QString &path);

    /// Names of the settings that differ between two configurations (resume checks this).
    /// `threads` is not compared.
    QStringList differences(const TrainConfig &other) const;

    ScheduleOptions scheduleOptions() const;
    OptimizerOptions optimizerOptions() const;
};

/// The split used when none is given: "ett-hour" for files named ETTh*, "ett-minute" for
/// ETTm*, otherwise "ratio" (70/10/20).
QString defaultSplitFor(const QString &dataPath);

} // namespace twb
