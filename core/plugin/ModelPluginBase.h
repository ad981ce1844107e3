#pragma once

#include "ModelPlugin.h"
#include "PluginMetadata.h"

#include <QObject>

#include <mutex>

namespace twb {

class ModelRegistry;

/// The usual base of a model plugin: the QObject that Qt's plugin loader creates, and a
/// ModelPlugin whose id(), displayName() and tasks() are the "id", "name" and "tasks" of the
/// plugin's JSON metadata. The metadata is written once, in the JSON embedded with
/// Q_PLUGIN_METADATA, so the C++ cannot contradict it. A plugin implements the rest:
///
///     class FooPlugin : public twb::ModelPluginBase {
///         Q_OBJECT
///         Q_PLUGIN_METADATA(IID TwbModelPlugin_iid FILE "foo.json")
///     public:
///         QString description() const override;
///         QString paper() const override;
///         HyperparameterSchema hyperparameters() const override;
///         Expected<std::shared_ptr<Model>> create(const ModelSpec &,
///                                                 const HyperparameterValues &) const override;
///     };
///
/// (Q_INTERFACES(twb::ModelPlugin) is declared here; the plugin need not repeat it.)
///
/// Where the metadata comes from: ModelRegistry parses the JSON of every library before
/// loading it and hands it to the instance when it accepts the plugin. Before that (an
/// instance created by other means) id(), displayName() and version() are empty and tasks()
/// is empty: obtain plugins from a ModelRegistry.
///
/// A plugin may still implement ModelPlugin directly (QObject + ModelPlugin, with
/// Q_INTERFACES); the registry then checks that its id() and tasks() agree with its JSON.
///
/// Ownership: Qt's plugin loader owns the instance; it lives until the process ends.
/// Threading: the registry hands the metadata over once, before it publishes the plugin
/// (later scans of the same library do not write it again); after that every method may be
/// called from any thread, as ModelPlugin requires.
class ModelPluginBase : public QObject, public ModelPlugin
{
    Q_OBJECT
    Q_INTERFACES(twb::ModelPlugin)

public:
    /// The metadata "id".
    QString id() const final { return m_metadata.id; }
    /// The metadata "name".
    QString displayName() const final { return m_metadata.name; }
    /// The metadata "tasks", in the JSON's order.
    QList<Task> tasks() const final { return m_metadata.tasks; }
    /// The metadata "version".
    QString version() const { return m_metadata.version; }
    const PluginMetadata &metadata() const { return m_metadata; }

protected:
    explicit ModelPluginBase(QObject *parent = nullptr);

private:
    friend class ModelRegistry;
    /// Called by ModelRegistry when it accepts the plugin; only the first call has an effect.
    void adoptMetadata(const PluginMetadata &metadata);

    std::once_flag m_adopted;
    PluginMetadata m_metadata;
};

} // namespace twb
