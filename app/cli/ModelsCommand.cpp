// twb-cli models [--json]: the model plugins and their hyperparameter schemas.

#include "CliCommon.h"
#include "plugin/ModelPlugin.h"

#include <CLI/CLI.hpp>

#include <QJsonArray>
#include <QJsonObject>

namespace twb::cli {

namespace {

int runModels(Context &ctx, bool json)
{
    const ModelRegistry &registry = ctx.registry();
    for (const PluginProblem &p : registry.problems())
        warn("models", QStringLiteral("refused plugin %1: %2").arg(p.path, p.reason));

    if (json) {
        QJsonArray models;
        for (const PluginRecord &r : registry.plugins())
            models.append(QJsonObject{
                {QStringLiteral("id"), r.id},
                {QStringLiteral("name"), r.name},
                {QStringLiteral("tasks"), QJsonArray::fromStringList(r.tasks)},
                {QStringLiteral("hyperparameters"), r.plugin->hyperparameters().toJson()}});
        printJson(models);
        return ExitOk;
    }
    QString text;
    for (const PluginRecord &r : registry.plugins()) {
        text += QStringLiteral("%1  %2 %3  [%4]\n")
                    .arg(r.id, r.name, r.version, r.tasks.join(QStringLiteral(", ")));
        text += QStringLiteral("    %1\n").arg(r.plugin->paper());
        const HyperparameterSchema schema = r.plugin->hyperparameters();
        for (const HyperparameterSpec &s : schema.specs()) {
            QString range;
            if (s.type == HyperparameterSpec::Type::Choice)
                range = s.choices.join(QLatin1Char('|'));
            else if (s.minimum.isValid() || s.maximum.isValid())
                range = QStringLiteral("%1..%2").arg(s.minimum.toString(), s.maximum.toString());
            text += QStringLiteral("    --set %1=%2  (%3%4) %5\n")
                        .arg(s.key, s.defaultValue.toString(), hyperparameterTypeName(s.type),
                             range.isEmpty() ? QString() : QStringLiteral(" ") + range, s.label);
        }
    }
    if (registry.plugins().empty())
        text = QStringLiteral("no model plugins found (searched: %1)\n")
                   .arg(ModelRegistry::defaultSearchPaths().join(QStringLiteral(", ")));
    printText(text);
    return ExitOk;
}

} // namespace

void addModelsCommand(CLI::App &app, Context &ctx)
{
    auto json = std::make_shared<bool>(false);
    CLI::App *cmd = app.add_subcommand("models", "List the model plugins with their tasks and "
                                                 "hyperparameters (refused plugins on stderr)");
    cmd->add_flag("--json", *json, "Machine output: [{id, name, tasks, hyperparameters}]");
    cmd->callback(
        [&ctx, json] { runCommand(ctx, "models", [&] { return runModels(ctx, *json); }); });
}

} // namespace twb::cli
