#pragma once

// Models of the built plugins, created the way a training run creates them (ModelFactory).

#include "nn/Model.h"
#include "plugin/ModelRegistry.h"
#include "train/ModelFactory.h"

#include <QVariantMap>
#include <QtTest>

#include <memory>

namespace twb::test {

/// The plugins of the build tree (scanned once per process).
inline const ModelRegistry &builtPlugins()
{
    static const ModelRegistry registry = [] {
        ModelRegistry r;
        r.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
        return r;
    }();
    return registry;
}

/// A model of plugin `id` for `spec` with `values`; null (and a test failure message in
/// `error`) when the plugin is missing or refuses.
inline std::shared_ptr<Model> makeModel(const QString &id, const ModelSpec &spec,
                                        const QVariantMap &values, QString *error)
{
    const ModelPlugin *plugin = builtPlugins().find(id);
    if (!plugin) {
        *error = id + QStringLiteral(" is not built in " TWB_PLUGIN_BUILD_DIR);
        return {};
    }
    Expected<CreatedModel> created = createModel(*plugin, values, spec, 7);
    if (!created) {
        *error = created.error().toString();
        return {};
    }
    created->model->eval();
    return created->model;
}

inline ModelSpec forecastSpec(std::int64_t lookback, std::int64_t horizon,
                              std::vector<std::string> names)
{
    ModelSpec spec;
    spec.task = Task::Forecast;
    spec.lookback = lookback;
    spec.horizon = horizon;
    spec.channels = std::int64_t(names.size());
    spec.channelNames = std::move(names);
    return spec;
}

/// A tiny PatchTST: L 32, P 8, S 4 -> 8 patches (one over the end padding), d 16, 4 heads, 2
/// layers, no dropout.
inline QVariantMap tinyPatchTST()
{
    return {{"patch_len", 8}, {"stride", 4},   {"d_model", 16}, {"n_heads", 4},
            {"d_ff", 32},     {"e_layers", 2}, {"dropout", 0.0}};
}

} // namespace twb::test
