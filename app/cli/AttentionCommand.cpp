// twb-cli attention RUN [--data FILE] --index I --out attn.h5|attn.png [--channel C]
// [--saliency] [--json]: the attention maps of one test sample of a run, per layer and head.

#include "AttentionImage.h"
#include "CliCommon.h"
#include "explain/AttentionCapture.h"
#include "explain/AttentionFile.h"
#include "explain/AttentionMath.h"
#include "explain/Saliency.h"
#include "explain/SampleSelection.h"
#include "model/Model.h"
#include "train/RunLoader.h"

#include <CLI/CLI.hpp>

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QSaveFile>

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

/// The key that receives the most attention in a layer: head average, mean over queries.
QJsonObject topKey(const explain::AttentionSet &set, int layer)
{
    const explain::AttentionLayer mean = explain::headAverage(set.layers[std::size_t(layer)]);
    std::vector<double> received(std::size_t(mean.keys), 0.0);
    for (int q = 0; q < mean.queries; ++q)
        for (int k = 0; k < mean.keys; ++k)
            received[std::size_t(k)] += mean.at(0, q, k);
    const int best = int(std::max_element(received.begin(), received.end()) - received.begin());
    return {{"layer", layer},
            {"heads", set.layers[std::size_t(layer)].heads},
            {"top_key", best},
            {"top_key_label", qs(set.tokens[std::size_t(best)].label)},
            {"top_key_weight", received[std::size_t(best)] / mean.queries}};
}

Status savePng(const QImage &image, const QString &path)
{
    if (image.isNull())
        return Error{QStringLiteral("nothing to draw"), path, 0};
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{file.errorString(), path, 0};
    if (!image.save(&file, "PNG"))
        return Error{QStringLiteral("could not encode the PNG image"), path, 0};
    if (!file.commit())
        return Error{file.errorString(), path, 0};
    return {};
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
    // Channel-independent models attend per channel: by default the last one (the target of
    // the ETT data sets, OT).
    const bool perChannel = run->model->channelIndependentAttention();
    const std::int64_t channel = *chosen >= 0 ? *chosen
                                 : perChannel ? std::int64_t(run->channelNames.size()) - 1
                                              : -1;

    if (a.count > 1 && a.saliency)
        return fail("attention", QStringLiteral("--saliency explains one sample: it cannot be "
                                                "combined with --count %1")
                                     .arg(a.count));
    // Every sample asked for, the data prepared once.
    Expected<std::vector<explain::ExplainSample>> samples =
        explain::selectSamples(*run, qs(a.data), a.index, a.count);
    if (!samples)
        return fail("attention", samples.error().toString());
    const explain::ExplainSample *sample = &samples->front();
    Expected<explain::AttentionSet> set = explain::captureAttention(
        *run, sample->input, sample->label, sample->index, channel, sample->stepMask);
    if (!set)
        return fail("attention", set.error().toString());
    if (a.count > 1) {
        // The mean over samples index .. index + count - 1; the input stays the first sample's.
        const std::int64_t last = a.index + a.count - 1;
        for (std::size_t i = 1; i < samples->size(); ++i) {
            const explain::ExplainSample &other = (*samples)[i];
            Expected<explain::AttentionSet> more = explain::captureAttention(
                *run, other.input, other.label, other.index, channel, other.stepMask);
            if (!more)
                return fail("attention", more.error().toString());
            explain::addToMean(*set, *more, int(i));
        }
        set->sampleLabel = QStringLiteral("mean of %1 test samples %2–%3 (input shown: %4)")
                               .arg(a.count)
                               .arg(a.index)
                               .arg(last)
                               .arg(qs(sample->label))
                               .toStdString();
    }

    const bool classify = run->config.task == QLatin1String("classify");
    std::optional<explain::SaliencyMap> saliency;
    if (a.saliency) {
        Expected<explain::SaliencyMap> map = explain::computeSaliency(
            *run->model, sample->input, classify ? Task::Classify : Task::Forecast, channel,
            classify ? run->classNames : run->channelNames, sample->stepMask);
        if (!map)
            return fail("attention", map.error().toString());
        saliency = std::move(*map);
    }

    Status written;
    if (png) {
        written = savePng(renderAttentionGrid(*set), out);
        if (written && saliency)
            warn("attention", QStringLiteral("--saliency is stored in .h5 files only"));
    } else {
        written = explain::writeAttentionFile(
            out, *set, saliency ? &saliency->values : nullptr, saliency ? saliency->rows : 0,
            saliency ? saliency->cols : 0,
            saliency ? QString::fromStdString(saliency->target) : QString());
    }
    if (!written)
        return fail("attention", written.error().toString());

    if (a.json) {
        QJsonArray layers;
        for (int l = 0; l < set->layerCount(); ++l)
            layers.append(topKey(*set, l));
        QJsonObject summary{{"run", run->dir},
                            {"model", run->config.modelId},
                            {"sample_label", qs(set->sampleLabel)},
                            {"sample_index", qint64(set->sampleIndex)},
                            {"samples", qint64(sample->count)},
                            {"averaged_samples", qint64(a.count)},
                            {"channel", qint64(set->channel)},
                            {"layers", set->layerCount()},
                            {"heads", set->layers.front().heads},
                            {"tokens", set->tokenCount()},
                            {"per_layer", layers},
                            {"out", out}};
        if (set->channel >= 0)
            summary.insert(QStringLiteral("channel_name"),
                           run->channelNames[qsizetype(set->channel)]);
        if (sample->truth >= 0 && sample->truth < run->classNames.size())
            summary.insert(QStringLiteral("label"), run->classNames[qsizetype(sample->truth)]);
        if (saliency) {
            float peak = 0.0f;
            for (float v : saliency->values)
                peak = std::max(peak, std::abs(v));
            summary.insert(QStringLiteral("saliency"), QJsonObject{{"target", qs(saliency->target)},
                                                                   {"rows", saliency->rows},
                                                                   {"cols", saliency->cols},
                                                                   {"max_abs", double(peak)}});
        }
        printJson(summary);
    }
    std::fprintf(stderr,
                 "twb-cli attention: %s: %d layer(s) x %d head(s) x %d tokens written to %s\n",
                 set->sampleLabel.c_str(), set->layerCount(), set->layers.front().heads,
                 set->tokenCount(), out.toUtf8().constData());
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
                    "Output .h5 (/attention/layer_i [heads, tokens, tokens], "
                    "/tokens/..., /saliency) or .png")
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
                  "Print a summary: layers, heads, tokens and per layer the key that receives "
                  "the most attention");
    cmd->callback(
        [&ctx, a] { runCommand(ctx, "attention", [&] { return runAttention(ctx, *a); }); });
}

} // namespace twb::cli
