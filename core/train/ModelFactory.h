#pragma once

#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "plugin/Hyperparameters.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <memory>

namespace twb {

class Model;
class ModelPlugin;

/// A plugin as the training code needs it: the instance and the version to record.
struct ModelSource
{
    const ModelPlugin *plugin = nullptr; ///< not owned; lives as long as the registry
    QString name;
    QString version;
};

/// Finds a plugin by id; the error says which ids exist (the app wraps its ModelRegistry).
using PluginLookup = std::function<Expected<ModelSource>(const QString &id)>;

/// A validated model of a plugin.
struct CreatedModel
{
    std::shared_ptr<Model> model;
    HyperparameterValues values; ///< validated, defaults filled in
};

/// Validates `hyperparameters` against the plugin's schema (strings as typed after --set are
/// converted) and creates the model for `spec` after seeding torch's generator with `seed`
/// (reproducible initial weights). Errors: the plugin lacks spec.task, invalid values, the
/// plugin refused or threw.
Expected<CreatedModel> createModel(const ModelPlugin &plugin, const QVariantMap &hyperparameters,
                                   const ModelSpec &spec, std::uint64_t seed);

/// createModel for a forecast [batch, lookback, channels] -> [batch, horizon, channels] whose
/// windows carry `markFeatures` calendar features per step (0 = the data has no dates).
Expected<CreatedModel> createForecastModel(const ModelPlugin &plugin,
                                           const QVariantMap &hyperparameters,
                                           std::int64_t lookback, std::int64_t horizon,
                                           const QStringList &channelNames, std::uint64_t seed,
                                           std::int64_t markFeatures = 0);

} // namespace twb
