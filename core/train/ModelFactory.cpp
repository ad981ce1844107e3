#include "ModelFactory.h"
#include "common/Errors.h"
#include "nn/Model.h"
#include "plugin/ModelPlugin.h"

#include <optional>

namespace twb {

Expected<CreatedModel> createForecastModel(const ModelPlugin &plugin,
                                           const QVariantMap &hyperparameters,
                                           std::int64_t lookback, std::int64_t horizon,
                                           const QStringList &channelNames, std::uint64_t seed,
                                           std::int64_t markFeatures)
{
    ModelSpec spec;
    spec.task = Task::Forecast;
    spec.lookback = lookback;
    spec.horizon = horizon;
    spec.channels = channelNames.size();
    spec.markFeatures = markFeatures;
    for (const QString &name : channelNames)
        spec.channelNames.push_back(name.toStdString());
    return createModel(plugin, hyperparameters, spec, seed);
}

Expected<CreatedModel> createModel(const ModelPlugin &plugin, const QVariantMap &hyperparameters,
                                   const ModelSpec &spec, std::uint64_t seed)
{
    if (!plugin.tasks().contains(spec.task))
        return makeError(QStringLiteral("model \"%1\" does not support the task \"%2\"")
                             .arg(plugin.id(), taskName(spec.task)));
    Expected<HyperparameterValues> values = plugin.hyperparameters().validate(hyperparameters);
    if (!values)
        return makeError(
            QStringLiteral("model \"%1\": %2").arg(plugin.id(), values.error().reason));

    torch::manual_seed(seed);
    std::optional<Expected<std::shared_ptr<Model>>> created;
    try {
        created.emplace(plugin.create(spec, *values));
    } catch (const std::exception &e) {
        return makeError(QStringLiteral("model \"%1\" failed to build: %2")
                             .arg(plugin.id(), QString::fromUtf8(e.what()).section('\n', 0, 0)));
    }
    Expected<std::shared_ptr<Model>> &model = *created;
    if (!model)
        return makeError(QStringLiteral("model \"%1\": %2").arg(plugin.id(), model.error().reason));
    if (!*model)
        return makeError(QStringLiteral("model \"%1\" returned no model").arg(plugin.id()));
    return CreatedModel{std::move(*model), std::move(*values)};
}

} // namespace twb
