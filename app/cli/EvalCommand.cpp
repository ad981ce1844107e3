// twb-cli eval DIR [--split test|val|train] [--json]: metrics recomputed from the best checkpoint.

#include "CliCommon.h"
#include "EvalSeparation.h"
#include "data/ChannelSelection.h"
#include "data/DatasetLoader.h"
#include "runs/ClassificationMetrics.h"
#include "train/ClassifyData.h"
#include "train/ClassifyPipeline.h"
#include "train/ForecastData.h"
#include "train/Metrics.h"
#include "train/RunLoader.h"

#include <CLI/CLI.hpp>

#include <QDir>

namespace twb::cli {

namespace {

/// Classification: the run's own part (the split is recomputed from the saved seed and
/// settings), or other data (`dataPath`) with the same classes.
int runEvalClassify(const LoadedRun &run, const QString &splitName, const QString &dataPath,
                    bool json)
{
    std::shared_ptr<const ClassifyExamples> examples;
    QString what;
    if (!dataPath.isEmpty()) {
        Expected<ClassifySettings> settings = ClassifySettings::fromProvenance(
            run.provenance, QDir(run.dir).filePath(QStringLiteral("config.json")));
        if (!settings)
            return fail("eval", settings.error().toString());
        Expected<std::shared_ptr<ClassifyExamples>> other =
            prepareClassifyExamples(dataPath, run.config, *settings);
        if (!other)
            return fail("eval", other.error().toString());
        examples = *other;
        what = dataPath;
    } else {
        Expected<ClassifyData> data =
            prepareClassifyData(run.config, {}, trainedWithStepMasks(run.provenance));
        if (!data)
            return fail("eval", data.error().toString());
        warnIfDataChanged("eval", run.config.dataPath, data->fingerprint, run.provenance);
        examples = splitName == QLatin1String("train") ? data->train
                   : splitName == QLatin1String("val") ? data->validation
                                                       : data->test;
        what = splitName;
    }
    const std::vector<float> probabilities = predictProbabilities(
        *run.model, *examples, std::max<std::int64_t>(run.config.batchSize, 64));
    const torch::Tensor labels = examples->labels().contiguous();
    const std::vector<int> truth(labels.data_ptr<std::int64_t>(),
                                 labels.data_ptr<std::int64_t>() + labels.numel());
    const ClassificationMetrics m =
        computeClassificationMetrics(probabilities, truth, int(run.classNames.size()));
    if (json) {
        printJson(m.toJson(run.classNames));
    } else {
        printText(QStringLiteral("%1 %2 (%3 cases): accuracy %4, balanced accuracy %5, macro-F1 "
                                 "%6, log-loss %7\n")
                      .arg(run.dir, what)
                      .arg(m.examples)
                      .arg(m.accuracy, 0, 'f', 4)
                      .arg(m.balancedAccuracy, 0, 'f', 4)
                      .arg(m.macroF1, 0, 'f', 4)
                      .arg(m.logLoss, 0, 'f', 4));
    }
    return ExitOk;
}

int runEval(Context &ctx, const QString &dir, const QString &splitName, const QString &dataPath,
            bool json)
{
    const std::optional<SplitPart> part = splitPartFromName(splitName);
    Expected<LoadedRun> run = loadRun(dir, ctx.pluginLookup());
    if (!run)
        return fail("eval", run.error().toString());
    if (run->config.task == QLatin1String("classify"))
        return runEvalClassify(*run, splitName, dataPath, json);
    if (run->config.task == QLatin1String("separate"))
        return runEvalSeparation(*run, splitName, dataPath, json);
    if (!dataPath.isEmpty())
        return fail("eval", QStringLiteral("--data is for classification runs; forecast runs "
                                           "are evaluated on their own data"));
    Expected<SeriesDataset> dataset =
        loadSeriesChannels(run->config.dataPath, run->config.channels);
    if (!dataset)
        return fail("eval", dataset.error().toString());
    if (dataset->fingerprint() !=
        run->provenance.value(QStringLiteral("data_fingerprint")).toString())
        warn("eval", QStringLiteral("%1 changed since the run was trained (fingerprint differs)")
                         .arg(run->config.dataPath));
    Expected<ForecastData> data =
        prepareForecastData(std::move(*dataset), run->config.split, run->config.lookback,
                            run->config.horizon, run->config.stride, run->scaler, run->config.freq);
    if (!data)
        return fail("eval", data.error().toString());
    // The MS setting: the run's target channel alone is scored, as in training.
    const QString &target = run->config.target;
    const std::int64_t scored = target.isEmpty() ? -1 : data->dataset.channelNames.indexOf(target);
    if (!target.isEmpty() && scored < 0)
        return fail("eval", QStringLiteral("%1 has no channel %2, the run's target")
                                .arg(run->config.dataPath, target));
    ForecastMetrics m =
        evaluateForecast(*run->model, data->windows(*part), run->scaler,
                         std::max<std::int64_t>(run->config.batchSize, 64), nullptr, scored);
    m.target = target;
    if (json) {
        printJson(m.toJson());
    } else {
        printText(QStringLiteral("%1 %2%9 (%3 windows, %4 excluded for missing values): mse %5 "
                                 "mae %6; original units mse %7 mae %8\n")
                      .arg(run->dir, splitPartName(*part))
                      .arg(m.windows)
                      .arg(data->excluded(*part))
                      .arg(m.mse, 0, 'g', 6)
                      .arg(m.mae, 0, 'g', 6)
                      .arg(m.mseOriginal, 0, 'g', 6)
                      .arg(m.maeOriginal, 0, 'g', 6)
                      .arg(target.isEmpty() ? QString() : QStringLiteral(", %1 only").arg(target)));
    }
    return ExitOk;
}

} // namespace

void addEvalCommand(CLI::App &app, Context &ctx)
{
    struct Options
    {
        std::string dir, split = "test", data;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand("eval", "Recompute the metrics of a run from its best "
                                               "checkpoint on a part of its data");
    cmd->add_option("DIR", o->dir, "The run folder")->required();
    cmd->add_option("--split", o->split, "test, val or train (default test)")
        ->check(CLI::IsMember({"test", "val", "train"}));
    cmd->add_option("--data", o->data,
                    "Classification: evaluate on other data with the same classes (a new "
                    "speaker, a new session) instead of a part of the run's data; separation: "
                    "on mixtures of that folder's utterances (held-out speakers)");
    cmd->add_flag("--json", o->json,
                  "Machine output. Forecast: {mse, mae, mse_original, mae_original, windows}; "
                  "classify: {accuracy, balanced_accuracy, macro_f1, log_loss, roc_auc_ovr, "
                  "confusion (rows = truth), per_class}; separate: {si_snr, si_snri, sdr, sdri "
                  "(dB, means), si_snri_std, si_snri_median, per_mixture}");
    cmd->callback([&ctx, o] {
        runCommand(ctx, "eval",
                   [&] { return runEval(ctx, qs(o->dir), qs(o->split), qs(o->data), o->json); });
    });
}

} // namespace twb::cli
