#pragma once

#include "Hyperparameters.h"
#include "common/Expected.h"
#include "common/ModelSpec.h"
#include "common/Task.h"

#include <QList>
#include <QString>
#include <QVariantMap>
#include <QtPlugin>

#include <memory>

namespace twb {

class Model;

/// The major version of the plugin API. It is part of the interface id, so a plugin built
/// against another major is refused by the registry before any of its code runs.
inline constexpr int ModelPluginApiMajor = 1;

/// The C++ half of the plugin contract (the other half is the JSON metadata embedded with
/// Q_PLUGIN_METADATA: {"id", "name", "version", "api", "tasks"}, see PluginMetadata.h and
/// DESIGN.md).
///
/// A plugin is a QObject that implements this interface. The usual way derives from
/// ModelPluginBase (ModelPluginBase.h), which answers id(), displayName() and tasks() from the
/// JSON, so the plugin writes only description(), paper(), hyperparameters() and create().
/// A plugin may also implement it directly:
///     class FooPlugin : public QObject, public twb::ModelPlugin {
///         Q_OBJECT
///         Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "foo.json")
///         Q_INTERFACES(twb::ModelPlugin)
///         ...
///     };
/// and then id() and tasks() must repeat the JSON's "id" and "tasks" (the registry refuses the
/// plugin otherwise).
///
/// Ownership: the instance belongs to Qt's plugin loader and lives until the process ends
/// (plugins are never unloaded); callers hold plain pointers and never delete it.
/// Threading: every method is const and may be called from any thread, concurrently: an
/// implementation keeps no state that changes once it is loaded. Each create() returns an
/// independent model.
class ModelPlugin
{
public:
    virtual ~ModelPlugin() = default;

    /// Stable, untranslated lowercase id ("patchtst"); equals the "id" of the JSON metadata.
    virtual QString id() const = 0;
    /// Display name ("PatchTST"); the "name" of the JSON metadata.
    virtual QString displayName() const = 0;
    /// One paragraph: what the model does and how.
    virtual QString description() const = 0;
    /// The paper: authors, title, venue, year.
    virtual QString paper() const = 0;
    /// The tasks the model supports; the "tasks" of the JSON metadata.
    virtual QList<Task> tasks() const = 0;
    virtual HyperparameterSchema hyperparameters() const = 0;

    /// Values that replace the schema's defaults when the model is trained for `task` (PatchTST
    /// pretrains on non-overlapping patches: patch_len = stride = 12). Values the user gives
    /// still win. Default: none.
    virtual QVariantMap taskDefaults(Task task) const
    {
        (void)task;
        return {};
    }

    /// Creates a fresh, randomly initialised model for `spec` (seed the RNG before calling for
    /// reproducible weights). Errors: unsupported task or shape, inconsistent hyperparameters.
    /// Ownership: the caller holds the only reference.
    virtual Expected<std::shared_ptr<Model>> create(const ModelSpec &spec,
                                                    const HyperparameterValues &values) const = 0;
};

} // namespace twb

#define TwbModelPlugin_iid "org.twb.ModelPlugin/1"
Q_DECLARE_INTERFACE(twb::ModelPlugin, TwbModelPlugin_iid)
