// twb-cli attention RUN [--data FILE] --index I --out attn.h5|attn.png [--channel C]
// [--saliency] [--json]: the attention maps of one test sample of a run, per layer and head.

#include "AttentionImage.h"
#include "CliCommon.h"
#include "attention/AttentionFile.h"
#include "attention/AttentionMath.h"
#include "explain/AttentionCapture.h"
#include "explain/Saliency.h"
#include "explain/SampleSelection.h"
#include "nn/Model.h"
#include "protocol/ExplainSummaries.h"
#include "train/RunLoader.h"

#include <CLI/CLI.hpp>

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <optional>

namespace twb::cli {

namespace {

struct AttentionArgs
{
    std::string run, data, out, channel, checkpoint = "best.pt";
    std::int64_t index = 0;
    std::int64_t count = 1;
    bool saliency = false;
    bool json = false;
};

/// The key that receives the most attention in a layer: head average, mean over queries. The key
/// is one of the layer's own key tokens (distilled layers, cross-attention: not the input's).
LayerTopKey topKey(const explain::AttentionSet &set, int layer)
{
    const explain::AttentionLayer &map = set.layers[std::size_t(layer)];
    const explain::AttentionLayer mean = explain::headAverage(map);
    std::vector<double> received(std::size_t(mean.keys), 0.0);
    for (int q = 0; q < mean.queries; ++q)
        for (int k = 0; k < mean.keys; ++k)
            received[std::size_t(k)] += mean.at(0, q, k);
    const int best = int(std::max_element(received.begin(), received.end()) - received.begin());
    const std::vector<TokenInfo> &keys = set.keyTokens(layer);
    const QString label =
        std::size_t(best) < keys.size() ? qs(keys[std::size_t(best)].label) : QString::number(best);
    return {layer,
            map.heads,
            best,
            label,
            received[std::size_t(best)] / mean.queries,
            qs(set.layerName(layer)),
            map.queries,
            map.keys};
}

/// The channel whose maps are captured: --channel, else for channel-independent models (which
/// attend per channel) the last one (the target of the ETT data sets, OT), else -1 (all).
std::int64_t attendedChannel(const LoadedRun &run, std::int64_t chosen)
{
    const bool perChannel = run.model->channelIndependentAttention();
    return chosen >= 0 ? chosen : perChannel ? std::int64_t(run.channelNames.size()) - 1 : -1;
}

Expected<explain::AttentionSet>
captureSample(const LoadedRun &run, const explain::ExplainSample &sample, std::int64_t channel)
{
    return explain::captureAttention(run, sample.input, sample.label, sample.index, channel,
                                     sample.forwardOptions());
}

/// The maps of the first sample, or with --count > 1 the mean over all `samples` (index ..
/// index + count - 1); the input stays the first sample's.
Expected<explain::AttentionSet> captureMaps(const LoadedRun &run,
                                            const std::vector<explain::ExplainSample> &samples,
                                            std::int64_t channel, const AttentionArgs &a)
{
    const explain::ExplainSample &first = samples.front();
    Expected<explain::AttentionSet> set = captureSample(run, first, channel);
    if (!set || a.count <= 1)
        return set;
    for (std::size_t i = 1; i < samples.size(); ++i) {
        Expected<explain::AttentionSet> more = captureSample(run, samples[i], channel);
        if (!more)
            return more.error();
        explain::addToMean(*set, *more, int(i));
    }
    set->sampleLabel = QStringLiteral("mean of %1 test samples %2–%3 (input shown: %4)")
                           .arg(a.count)
                           .arg(a.index)
                           .arg(a.index + a.count - 1)
                           .arg(qs(first.label))
                           .toStdString();
    return set;
}

/// Gradient x input of the prediction for `sample` (--saliency): of the forecast of `channel`
/// (or of all channels), or of the predicted class.
Expected<explain::SaliencyMap>
saliencyOf(const LoadedRun &run, const explain::ExplainSample &sample, std::int64_t channel)
{
    const bool classify = run.config.task == QLatin1String("classify");
    return explain::computeSaliency(
        *run.model, sample.input, classify ? Task::Classify : Task::Forecast, channel,
        classify ? run.classNames : run.channelNames, sample.forwardOptions());
}

/// The attention file (with the saliency, if any), or the PNG of the maps (without it).
Status writeMaps(const QString &out, bool png, const explain::AttentionSet &set,
                 const std::optional<explain::SaliencyMap> &saliency)
{
    if (png) {
        const QImage image = renderAttentionGrid(set);
        if (image.isNull())
            return Error{QStringLiteral("nothing to draw"), out, 0};
        Status written = savePng(image, out);
        if (written && saliency)
            warn("attention", QStringLiteral("--saliency is stored in .h5 files only"));
        return written;
    }
    if (Status s = explain::writeAttentionFile(
            out, set, saliency ? &saliency->values : nullptr, saliency ? saliency->rows : 0,
            saliency ? saliency->cols : 0,
            saliency ? QString::fromStdString(saliency->target) : QString());
        !s)
        return s;
    // Read back here, in this process: the window reads what this command wrote, and a file
    // that crashes or hangs the HDF5 library must do so in the child, never in the window.
    Expected<explain::AttentionSet> back = explain::readAttentionFile(out);
    Status saliencyBack = Status{};
    if (back && saliency)
        if (Expected<explain::AttentionSaliency> s = explain::readAttentionSaliency(out); !s)
            saliencyBack = s.error();
    if (!back || !saliencyBack) {
        const Error error = back ? saliencyBack.error() : back.error();
        QFile::remove(out);
        return Error{
            QStringLiteral("written, but it does not read back (%1); removed").arg(error.reason),
            out, 0};
    }
    return {};
}

/// What --json prints: the run, the sample, the shape of the maps, per layer the key that
/// receives the most attention, and the saliency's peak.
AttentionSummary summaryOf(const LoadedRun &run, const explain::ExplainSample &sample,
                           const explain::AttentionSet &set,
                           const std::optional<explain::SaliencyMap> &saliency,
                           const AttentionArgs &a)
{
    AttentionSummary summary;
    summary.run = run.dir;
    summary.model = run.config.modelId;
    summary.sampleLabel = qs(set.sampleLabel);
    summary.sampleIndex = set.sampleIndex;
    summary.samples = sample.count;
    summary.averagedSamples = a.count;
    summary.channel = set.channel;
    summary.layers = set.layerCount();
    summary.heads = set.layers.front().heads;
    summary.tokens = set.tokenCount();
    for (int l = 0; l < set.layerCount(); ++l)
        summary.perLayer.push_back(topKey(set, l));
    summary.out = qs(a.out);
    if (set.channel >= 0)
        summary.channelName = run.channelNames[qsizetype(set.channel)];
    if (sample.truth >= 0 && sample.truth < run.classNames.size())
        summary.label = run.classNames[qsizetype(sample.truth)];
    if (saliency) {
        float peak = 0.0f;
        for (float v : saliency->values)
            peak = std::max(peak, std::abs(v));
        summary.saliency =
            SaliencySummary{qs(saliency->target), saliency->rows, saliency->cols, double(peak)};
    }
    return summary;
}

int runAttention(Context &ctx, const AttentionArgs &a)
{
    const QString out = qs(a.out);
    const QString suffix = QFileInfo(out).suffix().toLower();
    const bool png = suffix == QLatin1String("png");
    if (!png && suffix != QLatin1String("h5") && suffix != QLatin1String("hdf5"))
        return fail("attention",
                    QStringLiteral("%1: the output must end in .h5, .hdf5 or .png").arg(out));
    Expected<LoadedRun> run = loadRun(qs(a.run), ctx.pluginLookup(), qs(a.checkpoint));
    if (!run)
        return fail("attention", run.error().toString());
    Expected<std::int64_t> chosen = channelIndex(*run, qs(a.channel), "--channel");
    if (!chosen)
        return fail("attention", chosen.error().toString());
    const std::int64_t channel = attendedChannel(*run, *chosen);
    if (a.count > 1 && a.saliency)
        return fail("attention", QStringLiteral("--saliency explains one sample: it cannot be "
                                                "combined with --count %1")
                                     .arg(a.count));
    // Every sample asked for, the data prepared once.
    Expected<std::vector<explain::ExplainSample>> samples =
        explain::selectSamples(*run, qs(a.data), a.index, a.count);
    if (!samples)
        return fail("attention", samples.error().toString());
    Expected<explain::AttentionSet> set = captureMaps(*run, *samples, channel, a);
    if (!set)
        return fail("attention", set.error().toString());
    const explain::ExplainSample &sample = samples->front();
    std::optional<explain::SaliencyMap> saliency;
    if (a.saliency) {
        Expected<explain::SaliencyMap> map = saliencyOf(*run, sample, channel);
        if (!map)
            return fail("attention", map.error().toString());
        saliency = std::move(*map);
    }
    if (Status written = writeMaps(out, png, *set, saliency); !written)
        return fail("attention", written.error().toString());
    if (a.json)
        printJson(summaryOf(*run, sample, *set, saliency, a).toJson());
    std::fprintf(stderr,
                 "twb-cli attention: %s: %d layer(s) x %d head(s) x %d tokens written to %s\n",
                 set->sampleLabel.c_str(), set->layerCount(), set->layers.front().heads,
                 set->tokenCount(), out.toUtf8().constData());
    // Layers over other tokens than the input's (distilled, cross-attention): their own shape.
    for (int l = 0; l < set->layerCount(); ++l)
        if (!set->overInputTokens(l)) {
            const explain::AttentionLayer &layer = set->layers[std::size_t(l)];
            std::fprintf(stderr, "  %s: %d head(s) x %d queries x %d keys\n",
                         set->layerName(l).c_str(), layer.heads, layer.queries, layer.keys);
        }
    return ExitOk;
}

} // namespace

void addAttentionCommand(CLI::App &app, Context &ctx)
{
    auto a = std::make_shared<AttentionArgs>();
    CLI::App *cmd = app.add_subcommand(
        "attention", "Capture the attention maps of one test sample of a run (per layer and "
                     "head, with the tokens they refer to) as HDF5, or draw the per-layer head "
                     "averages and the rollout as PNG");
    cmd->add_option("RUN", a->run, "The run folder")->required();
    cmd->add_option("--data", a->data,
                    "The data (default: the run's). Forecast: its test part with the run's "
                    "split and scaler; classify: another file gives its cases");
    cmd->add_option("--index", a->index, "Test window (forecast) or test case (classify)")
        ->required()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--count", a->count,
                    "Average the maps over COUNT test samples from --index on (default 1)")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--out", a->out,
                    "Output .h5 (/attention/layer_i [heads, queries, keys] with @name, "
                    "/tokens/..., /layer_tokens/... for layers over other tokens, /saliency) "
                    "or .png")
        ->required();
    cmd->add_option("--channel", a->channel,
                    "Channel name or number: whose maps for channel-independent models "
                    "(default: the last channel) and whose forecast --saliency explains "
                    "(default: that channel, or all channels)");
    cmd->add_option("--checkpoint", a->checkpoint,
                    "Checkpoint in RUN/checkpoints (default "
                    "best.pt)");
    cmd->add_flag("--saliency", a->saliency,
                  "Also store gradient x input of the prediction as /saliency [time, channels]");
    cmd->add_flag("--json", a->json,
                  "Print a summary: layers, heads, tokens and per layer its name, shape and the "
                  "key that receives the most attention");
    cmd->callback(
        [&ctx, a] { runCommand(ctx, "attention", [&] { return runAttention(ctx, *a); }); });
}

} // namespace twb::cli
