// twb-cli train: one training run (new, replayed from a config, or resumed) in a run folder.

#include "CliCommon.h"
#include "DistributedLaunch.h"
#include "TrainFolds.h"
#include "data/ChannelSelection.h"
#include "data/Split.h"
#include "plugin/Hyperparameters.h"
#include "plugin/ModelPlugin.h"
#include "train/CrossValidation.h"
#include "train/ProcessGroup.h"
#include "train/ProgressReporter.h"
#include "train/TrainControl.h"
#include "train/TrainingRun.h"

#include <CLI/CLI.hpp>

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <csignal>

#include <memory>

namespace twb::cli {

namespace {

struct TrainOptions
{
    std::string config, data, model, task, split, freq, runDir, optimizer, schedule, initFrom;
    std::string finetune;
    double trainFraction = 1.0;
    std::string testData, testGlob, features, channels, target;
    std::string groupBy, testGroups, valGroups, valBy, cv, featureNorm, levelNorm, scale, augment;
    double valFraction = 0, testFraction = 0, sampleRate = 0;
    std::int64_t melBins = 0, mfcc = 0, frames = 0, freqMask = 0, timeMask = 0;
    std::string progress = "bar", control;
    std::vector<std::string> sets, freeze, extraTrain;
    std::int64_t lookback = 0, horizon = 0, epochs = 0, batchSize = 0, patience = 0, hold = 0,
                 stepSize = 0, tMax = 0, stride = 0, checkpointEvery = 0, swa = 0;
    double lr = 0, weightDecay = 0, gamma = 0, clipGrad = 0, etaMin = 0, pctStart = 0;
    std::uint64_t seed = 0;
    // Separation
    std::int64_t sources = 0, trainMixtures = 0, valMixtures = 0, testMixtures = 0;
    double levelMin = 0, levelMax = 0, mixSeconds = 0;
    std::string speakerBy;
    int threads = 0;
    bool resume = false, json = false, dropLast = false;
    std::map<std::string, CLI::Option *> given; ///< long name -> option, for "was it given?"
    DistributedFlags distributed;
};

bool wasGiven(const TrainOptions &o, const char *name)
{
    auto it = o.given.find(name);
    return it != o.given.end() && it->second->count() > 0;
}

/// The configuration of the command line: `base` (the defaults, or a resumed run's saved
/// configuration), replaced by --config if given, with the given flags on top.
Expected<TrainConfig> configFrom(const TrainOptions &o, TrainConfig base, bool *anyGiven)
{
    TrainConfig c = std::move(base);
    if (!o.config.empty()) {
        Expected<TrainConfig> file = TrainConfig::fromFile(qs(o.config));
        if (!file)
            return file.error();
        c = *file;
    }
    bool any = !o.config.empty();
    auto set = [&](const char *name, auto apply) {
        if (wasGiven(o, name)) {
            apply();
            any = true;
        }
    };
    set("--data", [&] { c.dataPath = qs(o.data); });
    set("--model", [&] { c.modelId = qs(o.model); });
    set("--task", [&] { c.task = qs(o.task); });
    set("--split", [&] { c.split = qs(o.split); });
    set("--freq", [&] { c.freq = qs(o.freq); });
    set("--lookback", [&] { c.lookback = o.lookback; });
    set("--horizon", [&] { c.horizon = o.horizon; });
    set("--stride", [&] { c.stride = o.stride; });
    set("--epochs", [&] { c.epochs = o.epochs; });
    set("--batch-size", [&] { c.batchSize = o.batchSize; });
    set("--lr", [&] { c.lr = o.lr; });
    set("--seed", [&] { c.seed = o.seed; });
    set("--patience", [&] { c.patience = o.patience; });
    set("--checkpoint-every", [&] { c.checkpointEvery = o.checkpointEvery; });
    set("--swa", [&] { c.swa = o.swa; });
    set("--weight-decay", [&] { c.weightDecay = o.weightDecay; });
    set("--gamma", [&] { c.gamma = o.gamma; });
    set("--hold", [&] { c.hold = o.hold; });
    set("--step-size", [&] { c.stepSize = o.stepSize; });
    set("--t-max", [&] { c.tMax = o.tMax; });
    set("--eta-min", [&] { c.etaMin = o.etaMin; });
    set("--pct-start", [&] { c.pctStart = o.pctStart; });
    set("--clip-grad", [&] { c.clipGrad = o.clipGrad; });
    set("--threads", [&] { c.threads = o.threads; });
    set("--drop-last", [&] { c.dropLast = o.dropLast; });
    set("--init-from", [&] { c.initFrom = qs(o.initFrom); });
    set("--finetune", [&] { c.finetune = qs(o.finetune); });
    set("--train-fraction", [&] { c.trainFraction = o.trainFraction; });
    set("--test-data", [&] { c.testData = qs(o.testData); });
    set("--test-glob", [&] { c.testGlob = qs(o.testGlob); });
    set("--val-fraction", [&] { c.valFraction = o.valFraction; });
    set("--test-fraction", [&] { c.testFraction = o.testFraction; });
    set("--features", [&] { c.features = qs(o.features); });
    set("--channels", [&] { c.channels = parseChannelList(qs(o.channels)); });
    set("--target", [&] { c.target = qs(o.target).trimmed(); });
    set("--sample-rate", [&] { c.sampleRate = o.sampleRate; });
    set("--mel-bins", [&] { c.melBins = o.melBins; });
    set("--mfcc", [&] { c.mfcc = o.mfcc; });
    set("--frames", [&] { c.frames = o.frames; });
    set("--freq-mask", [&] { c.freqMask = o.freqMask; });
    set("--time-mask", [&] { c.timeMask = o.timeMask; });
    set("--group-by", [&] { c.groupBy = qs(o.groupBy).trimmed(); });
    set("--test-groups", [&] { c.testGroups = parseChannelList(qs(o.testGroups)); });
    set("--val-groups", [&] { c.valGroups = parseChannelList(qs(o.valGroups)); });
    set("--val-by", [&] { c.valBy = qs(o.valBy); });
    set("--cv", [&] { c.cv = qs(o.cv).trimmed(); });
    set("--feature-norm", [&] { c.featureNorm = qs(o.featureNorm); });
    set("--level-norm", [&] { c.levelNorm = qs(o.levelNorm); });
    set("--scale", [&] { c.scale = qs(o.scale); });
    set("--augment", [&] { c.augment = qs(o.augment).trimmed(); });
    set("--sources", [&] { c.sources = o.sources; });
    set("--level-min", [&] { c.levelMin = o.levelMin; });
    set("--level-max", [&] { c.levelMax = o.levelMax; });
    set("--mix-seconds", [&] { c.mixSeconds = o.mixSeconds; });
    set("--train-mixtures", [&] { c.trainMixtures = o.trainMixtures; });
    set("--val-mixtures", [&] { c.valMixtures = o.valMixtures; });
    set("--test-mixtures", [&] { c.testMixtures = o.testMixtures; });
    set("--speaker-by", [&] { c.speakerBy = qs(o.speakerBy).trimmed(); });
    set("--optimizer", [&] { c.optimizer = *optimizerFromName(qs(o.optimizer)); });
    set("--schedule", [&] { c.schedule = *scheduleFromName(qs(o.schedule)); });
    if (wasGiven(o, "--extra-train")) {
        c.extraTrain.clear();
        for (const std::string &path : o.extraTrain)
            c.extraTrain << qs(path);
        any = true;
    }
    if (wasGiven(o, "--freeze")) {
        c.freeze.clear();
        for (const std::string &prefix : o.freeze)
            c.freeze << qs(prefix);
        any = true;
    }
    for (const std::string &assignment : o.sets) {
        Expected<std::pair<QString, QString>> kv =
            HyperparameterSchema::parseAssignment(qs(assignment));
        if (!kv)
            return Error{
                QStringLiteral("--set %1: %2").arg(qs(assignment), kv.error().reason), {}, 0};
        c.hyperparameters[kv->first] = kv->second;
        any = true;
    }
    *anyGiven = any;
    return c;
}

int runTrain(Context &ctx, const TrainOptions &o)
{
    const ProgressMode mode = *progressModeFromName(qs(o.progress));
    bool anyGiven = false;
    TrainConfig base;
    if (o.resume) // flags then change the saved run, so that only what they change differs
        if (Expected<TrainConfig> saved =
                TrainConfig::fromFile(QDir(qs(o.runDir)).filePath(QStringLiteral("config.json"))))
            base = *saved; // unreadable: TrainingRun::resume reports it
    Expected<TrainConfig> config = configFrom(o, std::move(base), &anyGiven);
    if (!config)
        return fail("train", config.error().toString());
    if (!o.resume) {
        if (Status s = config->validate(); !s)
            return fail("train", s.error().toString());
        // A bad --split name or fractions before the run folder is made (forecasting only).
        if (config->task != QLatin1String("classify") &&
            config->task != QLatin1String("separate") && !config->split.isEmpty())
            if (Status s = checkSplitName(config->split); !s)
                return fail("train", QStringLiteral("--split: %1").arg(s.error().reason));
        // Check the model id and --set values before creating the run folder.
        Expected<ModelSource> source = ctx.pluginLookup()(config->modelId);
        if (!source)
            return fail("train", source.error().toString());
        Expected<HyperparameterValues> values =
            source->plugin->hyperparameters().validate(config->hyperparameters);
        if (!values)
            return fail(
                "train",
                QStringLiteral("model \"%1\": %2").arg(config->modelId, values.error().reason));
    }

    // Data parallel (torchrun, srun): meet the other ranks before anything is written.
    Expected<std::unique_ptr<ProcessGroup>> group = joinLauncherGroup(o.distributed);
    if (!group)
        return fail("train", group.error().toString());
    const bool follower = *group && !(*group)->isMain();
    if (*group && !config->cv.isEmpty())
        return fail("train", rankPrefix(group->get()) +
                                 QStringLiteral("--cv runs its folds one after another; it "
                                                "cannot run data-parallel"));

    // A reader that went away (a crashed GUI) must not kill the run: writes then just fail.
    std::signal(SIGPIPE, SIG_IGN);
    ProgressReporter reporter(follower ? ProgressMode::None : mode);
    TrainControl control;
    StopSignalGuard signalGuard(control);
    std::unique_ptr<StdinControlReader> stdinReader;
    if (o.control == "stdin")
        stdinReader = std::make_unique<StdinControlReader>(control);
    if (!config->cv.isEmpty() ||
        (o.resume && QFileInfo::exists(QDir(qs(o.runDir)).filePath(cvSummaryFileName()))))
        return runFolds(ctx, *config, qs(o.runDir), o.resume, o.json, reporter, control);

    TrainingRun run(ctx.pluginLookup(), &reporter, &control);
    run.setDistributed(group->get());
    const RunResult result =
        o.resume ? run.resume(qs(o.runDir),
                              anyGiven ? std::optional<TrainConfig>(*config) : std::nullopt)
                 : run.start(*config, qs(o.runDir));
    stdinReader.reset();
    if (*group && !result.succeeded())
        (*group)->announceFailure(result.message);
    if (follower && result.succeeded())
        return ExitOk; // rank 0 reports the result

    QJsonObject summary{{QStringLiteral("run_dir"), result.runDir},
                        {QStringLiteral("best_epoch"), qint64(result.bestEpoch + 1)}};
    switch (result.outcome) {
    case TrainOutcome::Finished:
    case TrainOutcome::EarlyStopped:
        summary[QStringLiteral("outcome")] = result.outcome == TrainOutcome::Finished
                                                 ? QStringLiteral("finished")
                                                 : QStringLiteral("early_stopped");
        summary[QStringLiteral("test")] = result.testMetrics;
        if (o.json) // one line, so that it also fits a stream of JSON lines
            printText(QString::fromUtf8(QJsonDocument(summary).toJson(QJsonDocument::Compact)) +
                      QLatin1Char('\n'));
        else if (mode != ProgressMode::JsonLines)
            printText(QStringLiteral("%1 (best epoch %2): %3\n")
                          .arg(result.runDir)
                          .arg(result.bestEpoch + 1)
                          .arg(result.testSummary));
        return ExitOk;
    case TrainOutcome::Interrupted:
        std::fprintf(stderr,
                     "twb-cli train: %s%s. Continue with: twb-cli train --run-dir %s "
                     "--resume\n",
                     rankPrefix(group->get()).toUtf8().constData(),
                     result.message.toUtf8().constData(), result.runDir.toUtf8().constData());
        return ExitInterrupted;
    case TrainOutcome::Diverged:
        fail("train", rankPrefix(group->get()) + result.message);
        return ExitDiverged;
    case TrainOutcome::Failed:
        break;
    }
    // A DistributedError names the rank itself.
    const bool named = result.message.startsWith(QStringLiteral("rank "));
    return fail("train", (named ? QString() : rankPrefix(group->get())) + result.message);
}

} // namespace

void addTrainCommand(CLI::App &app, Context &ctx)
{
    auto o = std::make_shared<TrainOptions>();
    CLI::App *cmd = app.add_subcommand(
        "train", "Train a forecasting or classification model in a run folder (config.json, "
                 "metrics, checkpoints, "
                 "predictions.h5, log.txt, status.json). Flags override --config.");
    auto add = [&](const char *name, auto &variable, const char *help) {
        CLI::Option *opt = cmd->add_option(name, variable, help);
        o->given[name] = opt;
        return opt;
    };
    add("--config", o->config,
        "A run.json or a run's config.json with the same keys as the "
        "flags (kebab- or snake_case)");
    add("--data", o->data,
        "Forecast: CSV or HDF5 series (\"file.h5:/dataset\" picks one). Classify: a .ts, "
        ".arff or labelled .h5 file, an audio folder (sub-folders per class or files named "
        "LABEL_...) or a manifest .csv (path,label[,split])");
    add("--model", o->model, "Model id (see `twb-cli models`)");
    add("--task", o->task,
        "forecast (default), classify, or pretrain: self-supervised masked reconstruction of "
        "series windows without labels (PatchTST: 40 % of patches of 12, TST: 15 % in spans "
        "of mean 3; lookback 512 unless given; the training part of the split trains), or "
        "separate: speech separation of mixtures of the data's utterances (convtasnet, "
        "sepformer)")
        ->check(CLI::IsMember({"forecast", "classify", "pretrain", "separate"}));
    add("--test-data", o->testData,
        "Classify: the test part from its own file (UCR/UEA _TEST.ts), same classes");
    add("--test-glob", o->testGlob,
        "Classify: audio files whose name matches GLOB form the test part (FSDD: "
        "'*_[0-4].wav')");
    add("--extra-train", o->extraTrain,
        "Classify: more labelled data (a file or folder like --data; repeat the flag for "
        "more) that joins the training part only, never validation or test");
    add("--val-fraction", o->valFraction,
        "Classify: stratified share of the training cases kept for validation (default 0.2)");
    add("--test-fraction", o->testFraction,
        "Classify: stratified test share when there is no --test-data/--test-glob (default "
        "0.2)");
    add("--channels", o->channels,
        "Forecast: the channels to read and forecast, comma separated, in this order (default: "
        "all; OT alone is the univariate setting)");
    add("--target", o->target,
        "Forecast: the MS setting - the model reads every channel, only this one counts in the "
        "loss and the metrics (default: all count)");
    add("--features", o->features,
        "Classify: auto, raw, fbank, logmel or mfcc (default auto: fbank for audio, raw "
        "otherwise)")
        ->check(CLI::IsMember({"auto", "raw", "fbank", "logmel", "mfcc"}));
    add("--sample-rate", o->sampleRate, "Classify audio: resample to this rate in Hz (0 = keep)");
    add("--mel-bins", o->melBins, "Classify audio: mel bins of fbank/logmel/mfcc (default 64)");
    add("--mfcc", o->mfcc, "Classify audio: MFCCs kept by --features mfcc (default 20)");
    add("--frames", o->frames,
        "Classify: pad or cut every case to this many steps/frames (0 = longest training "
        "case)");
    add("--freq-mask", o->freqMask,
        "Classify spectrograms: SpecAugment frequency-mask width F (0 = off)");
    add("--time-mask", o->timeMask,
        "Classify spectrograms: SpecAugment time-mask width T (0 = off)");
    add("--group-by", o->groupBy,
        "Classify: what groups the cases (no group in two parts): speaker (FSDD names "
        "LABEL_SPEAKER_TAKE), field:N (the N-th '_' field of the file name), manifest (its "
        "group/speaker column), regex:PATTERN (first capture over the relative path)");
    add("--test-groups", o->testGroups,
        "Classify with --group-by: these groups (comma separated) are the test part");
    add("--val-groups", o->valGroups,
        "Classify with --group-by: these groups are the validation part (default: whole groups "
        "drawn at random, see --val-by)");
    add("--val-by", o->valBy,
        "Classify with --group-by: groups (validation from whole held-out groups when three "
        "or more remain) or cases (a share of the training groups' cases); default groups")
        ->check(CLI::IsMember({"groups", "cases"}));
    add("--cv", o->cv,
        "Classify: cross-validation, one child run per fold in --run-dir/fold-NAME and "
        "cv.json: groups (leave one group out, needs --group-by) or K (stratified K-fold)");
    add("--feature-norm", o->featureNorm,
        "Classify: per-case normalisation of the features: none, cmvn (each mel bin/channel "
        "to mean 0, variance 1 over the case) or pcen (spectrograms); default none")
        ->check(CLI::IsMember({"none", "cmvn", "pcen"}));
    add("--level-norm", o->levelNorm,
        "Classify audio: level before the features: none, peak (to 1) or rms (to -20 dBFS)")
        ->check(CLI::IsMember({"none", "peak", "rms"}));
    add("--scale", o->scale,
        "Classify: channel (each channel standardised with the training part's statistics, "
        "the default) or none (the values as they are: the UCR/UEA protocol for 1-NN DTW)")
        ->check(CLI::IsMember({"channel", "none"}));
    add("--augment", o->augment,
        "Classify: training augmentations NAME[:VALUE],... audio: shift[:0.1 s], gain[:6 dB], "
        "speed[:0.1], noise[:20 dB SNR]; series and features: jitter[:0.03], scale[:0.1], "
        "warp[:0.1], slice[:0.9]; whole batches mixup[:0.2]. Seeded per batch");
    add("--sources", o->sources,
        "Separate: speakers per mixture, 2..5 (default 2); the split flags of classification "
        "(--test-glob, --test-groups with --group-by, --val-fraction) choose the utterances of "
        "each part");
    add("--level-min", o->levelMin,
        "Separate: lowest level of the first source over the second in dB (default -5)");
    add("--level-max", o->levelMax, "Separate: highest such level in dB (default 5)");
    add("--mix-seconds", o->mixSeconds,
        "Separate: length of every mixture in seconds, utterances padded or cut (default 1)");
    add("--train-mixtures", o->trainMixtures,
        "Separate: training mixtures per epoch, drawn afresh for every batch (default 2000)");
    add("--val-mixtures", o->valMixtures,
        "Separate: validation mixtures, a fixed seeded list (default 200)");
    add("--test-mixtures", o->testMixtures,
        "Separate: test mixtures, a fixed seeded list (default 500)");
    add("--speaker-by", o->speakerBy,
        "Separate: where an utterance's speaker is, as --group-by (default speaker: FSDD's "
        "LABEL_SPEAKER_TAKE names)");
    add("--lookback", o->lookback, "Input length L (rows)");
    add("--horizon", o->horizon, "Forecast length H (rows)");
    add("--split", o->split,
        "ett-hour, ett-minute, ratio or ratio:TRAIN:TEST (default: "
        "ett-hour for ETTh*, ett-minute for ETTm*, else ratio 0.7/0.1/0.2); or shuffled / "
        "shuffled:TRAIN:TEST (default 0.7/0.2), which deliberately leaks the future, for "
        "teaching: windows go to train/val/test at random (a fixed hash of the start row) and "
        "the scaler is fitted on all rows");
    add("--freq", o->freq,
        "Forecast: the frequency of the calendar features the encoder-decoder models read (h, "
        "15min, d, ...; default: from the data's time step)");
    add("--stride", o->stride, "Step between training windows (default 1)");
    add("--epochs", o->epochs, "Epochs (default 10)");
    add("--batch-size", o->batchSize, "Batch size (default 32)");
    add("--lr", o->lr, "Learning rate; the maximum for onecycle (default 1e-3)");
    add("--seed", o->seed, "Seed of initialisation, window order and dropout (default 2021)");
    add("--patience", o->patience, "Early-stopping patience in epochs, 0 = off (default 3)");
    add("--checkpoint-every", o->checkpointEvery,
        "Also keep checkpoints/epoch_NNN.pt every N epochs (for attention across training), "
        "0 = off (default 0)");
    add("--swa", o->swa,
        "Weight averaging (SWA): the run's result is the mean of the weights after every epoch "
        "from this one on, BatchNorm statistics recomputed; early stopping ends only before it; "
        "0 = off (default 0)");
    add("--optimizer", o->optimizer, "adam or adamw (default adam)")
        ->check(CLI::IsMember({"adam", "adamw"}));
    add("--weight-decay", o->weightDecay, "Weight decay (default 0)");
    add("--schedule", o->schedule,
        "constant, step, cosine, onecycle, exponential (lr0 * gamma^max(0, epoch - hold)) or "
        "plateau (lr * gamma after every --step-size epochs without a better validation loss: "
        "Conv-TasNet's and SepFormer's recipe); default constant")
        ->check(
            CLI::IsMember({"constant", "step", "cosine", "onecycle", "exponential", "plateau"}));
    add("--gamma", o->gamma, "Decay factor of step, exponential and plateau (default 0.5)");
    add("--hold", o->hold,
        "Epochs at --lr before the exponential decay starts (default 0; the LTSF scripts' "
        "type1 is --gamma 0.5 --hold 1, PatchTST's type3 --gamma 0.9 --hold 3)");
    add("--step-size", o->stepSize,
        "Epochs between step decays; plateau: epochs without a better validation loss before "
        "a decay (default 1)");
    add("--t-max", o->tMax, "Cosine half period in epochs (default: epochs)");
    add("--eta-min", o->etaMin, "Cosine floor (default 0)");
    add("--pct-start", o->pctStart, "Onecycle warm-up fraction (default 0.3)");
    add("--clip-grad", o->clipGrad, "Clip the gradient norm to this value, 0 = off (default 0)");
    add("--threads", o->threads, "Torch threads, 0 = physical cores (default 0)");
    add("--init-from", o->initFrom,
        "Initialise from another run (folder or .pt): tensors by name, shapes must match "
        "(a mismatch names the tensor); from a run folder of the same model, the "
        "hyperparameters not given with --set are that run's");
    add("--freeze", o->freeze, "Freeze parameters whose name starts with PREFIX (repeatable)")
        ->allow_extra_args(false);
    add("--finetune", o->finetune,
        "With --init-from: full (default), linear-probe (only the fresh head trains) or "
        "head-first:N (the head alone for N epochs, then everything; PatchTST's recipe). A "
        "pretraining run's head is never loaded, so the new task's head is fresh");
    add("--train-fraction", o->trainFraction,
        "Low-label training, 0 < F <= 1: the first F of the training windows (series, in time "
        "order) or a stratified, seeded F of the training cases (classify); default 1")
        ->check(CLI::Range(1e-9, 1.0));
    add("--set", o->sets, "Hyperparameter KEY=VALUE (repeatable; see `twb-cli models`)")
        ->allow_extra_args(false);
    add("--run-dir", o->runDir, "The run folder (new, or the one to resume)")->required();
    add("--progress", o->progress, "jsonl (stdout), bar (stderr) or none (default bar)")
        ->check(CLI::IsMember({"jsonl", "bar", "none"}));
    add("--control", o->control, "stdin: read pause/resume/step/stop lines from stdin")
        ->check(CLI::IsMember({"stdin"}));
    o->given["--drop-last"] =
        cmd->add_flag("--drop-last", o->dropLast, "Drop the last partial training batch");
    cmd->add_flag("--resume", o->resume,
                  "Continue the run in --run-dir from its last.pt with its saved configuration "
                  "(start it over if it stopped before its first checkpoint); only --threads, "
                  "--progress, --control and more --epochs may be given with it");
    cmd->add_flag("--json", o->json, "Print the result as JSON on stdout");
    addDistributedFlags(*cmd, o->distributed);
    // Counts that would otherwise exhaust the machine (threads, memory) or never finish.
    checkCount(o->given["--threads"], 0, maxThreads(),
               QStringLiteral("4 per processor of this machine, 0 = physical cores"));
    checkCount(o->given["--batch-size"], 1, 1 << 16, QStringLiteral("windows per batch"));
    checkCount(o->given["--lookback"], 1, 1'000'000, QStringLiteral("rows"));
    checkCount(o->given["--horizon"], 1, 1'000'000, QStringLiteral("rows"));
    checkCount(o->given["--epochs"], 1, 1'000'000, QStringLiteral("epochs"));
    cmd->callback([&ctx, o] { runCommand(ctx, "train", [&] { return runTrain(ctx, *o); }); });
}

} // namespace twb::cli
