// twb-cli parameters DIR [--json] [--out FILE]: the learnable tensors of a run's model (name,
// shape, count) and which of them the run froze — what a fine-tune can load and what `--freeze` can
// name.

#include "CliCommon.h"
#include "nn/Model.h"
#include "runs/AtomicFile.h"
#include "train/RunLoader.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace twb::cli {

namespace {

bool frozenBy(const QStringList &prefixes, const QString &name)
{
    for (const QString &prefix : prefixes)
        if (name.startsWith(prefix))
            return true;
    return false;
}

int runParameters(Context &ctx, const QString &dir, const QString &checkpoint, bool json,
                  const QString &out)
{
    Expected<LoadedRun> run = loadRun(dir, ctx.pluginLookup(), checkpoint);
    if (!run)
        return fail("parameters", run.error().toString());
    QJsonArray list;
    std::int64_t total = 0;
    QString text;
    for (const auto &p : run->model->named_parameters(true)) {
        const QString name = qs(p.key());
        QJsonArray shape;
        QStringList dims;
        for (const std::int64_t d : p.value().sizes()) {
            shape.append(qint64(d));
            dims << QString::number(d);
        }
        const std::int64_t count = p.value().numel();
        const bool frozen = frozenBy(run->config.freeze, name);
        total += count;
        list.append(QJsonObject{{QStringLiteral("name"), name},
                                {QStringLiteral("shape"), shape},
                                {QStringLiteral("count"), qint64(count)},
                                {QStringLiteral("frozen"), frozen}});
        text += QStringLiteral("%1  [%2]  %3%4\n")
                    .arg(name, dims.join(QLatin1Char(',')))
                    .arg(count)
                    .arg(frozen ? QStringLiteral("  frozen") : QString());
    }
    if (json || !out.isEmpty()) {
        const QJsonObject result{{QStringLiteral("run"), run->dir},
                                 {QStringLiteral("model"), run->config.modelId},
                                 {QStringLiteral("task"), run->config.task},
                                 {QStringLiteral("checkpoint"), run->checkpointPath},
                                 {QStringLiteral("total"), qint64(total)},
                                 {QStringLiteral("parameters"), list}};
        if (!out.isEmpty()) {
            const Status written =
                writeFileAtomically(out, QJsonDocument(result).toJson(QJsonDocument::Indented));
            if (!written.isOk())
                return fail("parameters", written.error().toString());
        } else {
            printJson(result);
        }
    } else {
        printText(text + QStringLiteral("%1 parameters in %2 tensors (%3, %4)\n")
                             .arg(total)
                             .arg(list.size())
                             .arg(run->config.modelId, run->checkpointPath));
    }
    return ExitOk;
}

} // namespace

void addParametersCommand(CLI::App &app, Context &ctx)
{
    struct Options
    {
        std::string dir;
        std::string checkpoint = "best.pt";
        bool json = false;
        std::string out;
    };
    auto o = std::make_shared<Options>();
    CLI::App *cmd = app.add_subcommand(
        "parameters", "List the learnable tensors of a run's model (name, shape, count, frozen "
                      "by the run): what fine-tuning loads and what --freeze can name");
    cmd->add_option("DIR", o->dir, "The run folder")->required();
    cmd->add_option("--checkpoint", o->checkpoint,
                    "Checkpoint file in DIR/checkpoints (default best.pt)");
    cmd->add_flag("--json", o->json, "Machine output");
    cmd->add_option("--out", o->out,
                    "Write the JSON to this file instead of stdout (a temporary file, then "
                    "renamed)");
    cmd->callback([o, &ctx] {
        runCommand(ctx, "parameters", [&] {
            return runParameters(ctx, qs(o->dir), qs(o->checkpoint), o->json, qs(o->out));
        });
    });
}

} // namespace twb::cli
