#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <cstdint>

namespace twb {

/// One training run as the GUI asks for it: the settings of the model panel, turned into the
/// arguments of `twb-cli train` (see app/cli/TrainCommand.cpp). Plain data, any thread.
struct TrainRequest
{
    /// `--task`: "forecast", "classify", "pretrain" (masked reconstruction of a series, no
    /// labels) or "separate" (speech separation of mixtures of the data's utterances). The
    /// series fields (split, channels, lookback, horizon) go on the command line for
    /// forecasting and pretraining, the classify fields only for classification, the split
    /// fields of classification (test data, test glob, groups, val-fraction, sample rate) and
    /// the separation fields for separation.
    QString task = QStringLiteral("forecast");
    QString dataPath;     ///< `--data`: a series path spec ("file.csv", "file.h5:/group/ds")
                          ///< or labelled data (a .ts/.arff file, an audio folder, a manifest)
    QString modelId;      ///< `--model`
    QString split;        ///< forecast `--split`; empty = the CLI's default for the file
    QStringList channels; ///< forecast `--channels` (joined with commas); empty = every channel
    QString target;       ///< forecast `--target` (the MS setting); empty = every channel scored
    std::int64_t lookback = 96;
    std::int64_t horizon = 24;
    QString testData;          ///< classify `--test-data`; empty = none
    QString testGlob;          ///< classify `--test-glob`; empty = none
    QString extraTrain;        ///< classify `--extra-train` (a file or folder); empty = none
    QString features;          ///< classify `--features`; empty = the CLI's default (auto)
    double valFraction = 0.2;  ///< classify `--val-fraction`
    double testFraction = 0.2; ///< classify `--test-fraction` (without test data or glob)
    std::int64_t frames = 0;   ///< classify `--frames`; 0 = not given (the longest case)
    double sampleRate = 0.0;   ///< classify audio `--sample-rate` (Hz); 0 = not given (keep)
    std::int64_t melBins = 0;  ///< classify audio `--mel-bins`; 0 = not given (the CLI's 64)
    std::int64_t freqMask = 0; ///< classify `--freq-mask` (SpecAugment F); 0 = off, not given
    std::int64_t timeMask = 0; ///< classify `--time-mask` (SpecAugment T); 0 = off, not given
    QString groupBy; ///< classify `--group-by` (speaker, field:N, manifest, regex:RE); empty = none
    QString testGroups;  ///< classify `--test-groups` (comma separated); empty = none
    QString valGroups;   ///< classify `--val-groups` (comma separated); empty = none
    QString valBy;       ///< classify `--val-by` (groups or cases); empty = not given (groups)
    QString featureNorm; ///< classify `--feature-norm`; empty = not given (none)
    QString levelNorm;   ///< classify audio `--level-norm`; empty = not given (none)
    QString scale;       ///< classify `--scale` (none); empty = not given (channel)
    QString augment;     ///< classify `--augment`; empty = none
    /// classify `--cv`: "groups" or a number of folds; empty = one run. runDir is then the
    /// parent folder of the folds.
    QString cv;
    // Separation: each part's utterances are chosen as in classification (testGlob, groupBy
    // with testGroups, valBy, valFraction), then mixed.
    std::int64_t sources = 2;          ///< separate `--sources`: speakers per mixture, 2..5
    double levelMin = -5.0;            ///< separate `--level-min` (dB, first source over second)
    double levelMax = 5.0;             ///< separate `--level-max` (dB)
    double mixSeconds = 1.0;           ///< separate `--mix-seconds`: length of every mixture
    std::int64_t trainMixtures = 2000; ///< separate `--train-mixtures`, drawn afresh per epoch
    std::int64_t valMixtures = 200;    ///< separate `--val-mixtures`
    std::int64_t testMixtures = 500;   ///< separate `--test-mixtures`
    /// separate `--speaker-by`: where an utterance's speaker comes from (as groupBy)
    QString speakerBy = QStringLiteral("speaker");
    std::int64_t epochs = 10;
    std::int64_t batchSize = 32;
    double lr = 1e-3;
    /// `--schedule` (constant, step, cosine, onecycle, exponential, plateau); empty or
    /// "constant" = not given. gamma, stepSize and hold go with the schedules that read them:
    /// `--gamma` with step, exponential and plateau, `--step-size` with step and plateau,
    /// `--hold` (when > 0) with exponential.
    QString schedule;
    double gamma = 0.5;
    std::int64_t stepSize = 1;
    std::int64_t hold = 0;
    std::uint64_t seed = 2021;
    std::int64_t patience = 3; ///< 0 = no early stopping
    std::int64_t swa = 0;      ///< `--swa`: weight averaging from this epoch; 0 = off
    int threads = 0;           ///< `--threads`; 0 = not given (the CLI uses the physical cores)
    /// Canonical values (HyperparameterValues::map()): qint64, double, bool or QString. Every
    /// key becomes one `--set key=value`, defaults included, so that the command reproduces the
    /// run even if the plugin's defaults change.
    QVariantMap hyperparameters;
    /// `--train-fraction`: train on the first fraction of the training windows (stratified
    /// cases for classification), in (0, 1]; 1 = all, not given.
    double trainFraction = 1.0;
    /// Fine-tuning: `--init-from`, the run folder whose weights start this run (a pretraining
    /// run or any other); empty = a fresh model. The fields below only apply with it.
    QString initFrom;
    /// `--finetune`: "full", "linear-probe" or "head-first:N"; empty = not given (full).
    QString finetune;
    QStringList freeze; ///< `--freeze PREFIX`, one per entry (parameter name prefixes)
    QString runDir;     ///< `--run-dir`: the new run folder, or the one to resume
    /// Continue the interrupted run in runDir (`train --run-dir DIR --resume`) with its saved
    /// configuration; the other fields then only describe it (displayName).
    bool resume = false;

    bool isClassification() const { return task == QLatin1String("classify"); }
    bool isPretraining() const { return task == QLatin1String("pretrain"); }
    bool isSeparation() const { return task == QLatin1String("separate"); }

    /// "dlinear on ETTh1.csv (L 96, H 24)", "ast on fsdd (classify)" or "convtasnet on fsdd
    /// (separate, 2 sources)", for lists and titles.
    QString displayName() const;

    /// The arguments after the program: "train --data ... --run-dir DIR" in a fixed order, or
    /// "train --run-dir DIR --resume".
    QStringList arguments() const;
};

/// One value of `--set` as typed on a command line: integers in decimal, reals in the shortest
/// form that reads back exactly, booleans as true/false, text as it is.
QString commandLineValue(const QVariant &value);

/// `argument` quoted for a POSIX shell: unchanged when it only holds characters that need no
/// quoting ([A-Za-z0-9_@%+=:,./-]), otherwise in single quotes with each ' written as '\''.
/// The empty string becomes ''.
QString shellQuote(const QString &argument);

/// `program` and `arguments` as one shell command line (each part shellQuote'd).
QString shellCommand(const QString &program, const QStringList &arguments);

/// A folder name for a new run: "<model>-<data file base name>-<yyyyMMdd-hhmmss>", with
/// characters other than letters, digits, '.', '_' and '-' replaced by '_'.
QString runFolderName(const TrainRequest &request, const QDateTime &when);

/// `parent`/runFolderName(...), with "-2", "-3" ... appended while that path exists.
QString uniqueRunDir(const QString &parent, const TrainRequest &request, const QDateTime &when);

} // namespace twb

Q_DECLARE_METATYPE(twb::TrainRequest)
