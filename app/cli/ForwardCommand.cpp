// twb-cli forward RUN [--data FILE] [--index I] --out trace.h5 [--json]: one test sample of a
// run through the model, stage by stage (shapes, statistics, small previews) with the model's
// parameters — the data of the forward-pass view.

#include "CliCommon.h"
#include "attention/ForwardTrace.h"
#include "explain/ForwardCapture.h"
#include "explain/SampleSelection.h"
#include "protocol/ExplainSummaries.h"
#include "train/RunLoader.h"

#include <CLI/CLI.hpp>

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

#include <cmath>

namespace twb::cli {

namespace {

struct ForwardArgs
{
    std::string run, data, out, checkpoint = "best.pt";
    std::int64_t index = 0;
    bool json = false;
};

StageSummary stageSummary(const explain::ForwardStage &s)
{
    return {qs(s.name), s.shape, s.min, s.max, s.mean, s.std};
}

int runForward(Context &ctx, const ForwardArgs &a)
{
    const QString out = qs(a.out);
    const QString suffix = QFileInfo(out).suffix().toLower();
    if (suffix != QLatin1String("h5") && suffix != QLatin1String("hdf5"))
        return fail("forward", QStringLiteral("%1: the output must end in .h5 or .hdf5").arg(out));
    Expected<LoadedRun> run = loadRun(qs(a.run), ctx.pluginLookup(), qs(a.checkpoint));
    if (!run)
        return fail("forward", run.error().toString());
    Expected<explain::ExplainSample> sample = explain::selectSample(*run, qs(a.data), a.index);
    if (!sample)
        return fail("forward", sample.error().toString());
    Expected<explain::ForwardTrace> trace = explain::traceForward(
        *run, sample->input, sample->label, sample->index, 256, sample->forwardOptions());
    if (!trace)
        return fail("forward", trace.error().toString());
    if (Status written = explain::writeForwardFile(out, *trace); !written)
        return fail("forward", written.error().toString());
    // Read back here, in this process: the window reads what this command wrote, and a file
    // that crashes or hangs the HDF5 library must do so in the child, never in the window.
    if (Expected<explain::ForwardTrace> back = explain::readForwardFile(out); !back) {
        QFile::remove(out);
        return fail("forward",
                    QStringLiteral("%1: written, but it does not read back (%2); removed")
                        .arg(out, back.error().reason));
    }

    if (a.json) {
        ForwardSummary summary;
        summary.run = run->dir;
        summary.model = run->config.modelId;
        summary.sampleLabel = qs(trace->sampleLabel);
        summary.sampleIndex = trace->sampleIndex;
        summary.samples = sample->count;
        for (const explain::ForwardStage &s : trace->stages)
            summary.stages.push_back(stageSummary(s));
        summary.prediction = stageSummary(trace->prediction);
        summary.parameterTensors = std::int64_t(trace->parameters.size());
        summary.parameters = trace->totalParameters;
        summary.buffers = trace->totalBuffers;
        summary.out = out;
        printJson(summary.toJson());
    }
    std::fprintf(stderr, "twb-cli forward: %s: %zu stage(s), %lld parameter(s) written to %s\n",
                 trace->sampleLabel.c_str(), trace->stages.size(),
                 static_cast<long long>(trace->totalParameters), out.toUtf8().constData());
    return ExitOk;
}

} // namespace

void addForwardCommand(CLI::App &app, Context &ctx)
{
    auto a = std::make_shared<ForwardArgs>();
    CLI::App *cmd = app.add_subcommand(
        "forward", "Run one test sample of a run through the model and store every stage of "
                   "the forward pass (shape, min/max/mean/std and a small 2-D preview; attention "
                   "maps as attention_layer_i [heads, queries, keys]) and the model's parameters "
                   "(names, shapes, counts) as HDF5 for the forward-pass view");
    cmd->add_option("RUN", a->run, "The run folder")->required();
    cmd->add_option("--data", a->data,
                    "The data (default: the run's). Forecast: its test part with the run's "
                    "split and scaler; classify: another file gives its cases");
    cmd->add_option("--index", a->index,
                    "Test window (forecast) or test case (classify), default 0")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--out", a->out,
                    "Output .h5: /stages/<iii>_<name>/preview [rows, cols] and /shape with "
                    "@min @max @mean @std, /prediction, /parameters/names, shapes, counts")
        ->required();
    cmd->add_option("--checkpoint", a->checkpoint,
                    "Checkpoint in RUN/checkpoints (default "
                    "best.pt)");
    cmd->add_flag("--json", a->json,
                  "Print the stages (name, shape, min, max, mean, std), the prediction and the "
                  "number of parameters (\"parameters\": the total, \"parameter_tensors\")");
    cmd->callback([&ctx, a] { runCommand(ctx, "forward", [&] { return runForward(ctx, *a); }); });
}

} // namespace twb::cli
