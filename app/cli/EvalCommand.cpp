// twb-cli eval DIR [--split test|val|train] [--json]: metrics recomputed from the best checkpoint.

#include "CliCommon.h"
#include "data/DatasetLoader.h"
#include "train/ForecastData.h"
#include "train/Metrics.h"
#include "train/RunLoader.h"

#include <CLI/CLI.hpp>

namespace twb::cli {

namespace {

int runEval(Context &ctx, const QString &dir, const QString &splitName, bool json)
{
    const std::optional<SplitPart> part = splitPartFromName(splitName);
    Expected<LoadedRun> run = loadRun(dir, ctx.pluginLookup());
    if (!run)
        return fail("eval", run.error().toString());
    Expected<SeriesDataset> dataset = loadSeries(run->config.dataPath);
    if (!dataset)
        return fail("eval", dataset.error().toString());
    if (dataset->fingerprint() !=
        run->provenance.value(QStringLiteral("data_fingerprint")).toString())
        warn("eval", QStringLiteral("%1 changed since the run was trained (fingerprint differs)")
                         .arg(run->config.dataPath));
    Expected<ForecastData> data =
        prepareForecastData(std::move(*dataset), run->config.split, run->config.lookback,
                            run->config.horizon, run->config.stride, run->scaler);
    if (!data)
        return fail("eval", data.error().toString());
    const ForecastMetrics m = evaluateForecast(*run->model, data->windows(*part), run->scaler,
                                               std::max<std::int64_t>(run->config.batchSize, 64));
    if (json) {
        printJson(m.toJson());
    } else {
        printText(QStringLiteral("%1 %2 (%3 windows, %4 excluded for missing values): mse %5 mae "
                                 "%6; original units mse %7 mae %8\n")
                      .arg(run->dir, splitPartName(*part))
                      .arg(m.windows)
                      .arg(data->excluded(*part))
                      .arg(m.mse, 0, 'g', 6)
                      .arg(m.mae, 0, 'g', 6)
                      .arg(m.mseOriginal, 0, 'g', 6)
                      .arg(m.maeOriginal, 0, 'g', 6));
    }
    return ExitOk;
}

} // namespace

void addEvalCommand(CLI::App &app, Context &ctx)
{
    struct Options
    {
        std::string dir, split = "test";
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand("eval", "Recompute the metrics of a run from its best "
                                               "checkpoint on a part of its data");
    cmd->add_option("DIR", o->dir, "The run folder")->required();
    cmd->add_option("--split", o->split, "test, val or train (default test)")
        ->check(CLI::IsMember({"test", "val", "train"}));
    cmd->add_flag("--json", o->json,
                  "Machine output: {mse, mae, mse_original, mae_original, "
                  "windows}");
    cmd->callback([&ctx, o] {
        runCommand(ctx, "eval", [&] { return runEval(ctx, qs(o->dir), qs(o->split), o->json); });
    });
}

} // namespace twb::cli
