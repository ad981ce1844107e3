#pragma once

#include "common/Task.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace twb {

class ModelPlugin;

/// One accepted model plugin: its JSON metadata, where it came from and its instance.
struct PluginRecord
{
    QString id;      ///< metadata "id" == plugin->id()
    QString name;    ///< metadata "name"
    QString version; ///< metadata "version"
    QString path;    ///< absolute path of the library
    int apiMajor = 0;
    QStringList tasks; ///< task names from the metadata ("forecast", ...)
    /// Owned by Qt's plugin loader; valid until the process ends (plugins are never unloaded).
    const ModelPlugin *plugin = nullptr;
};

/// A library the registry refused, and why (one plain sentence).
struct PluginProblem
{
    QString path;
    QString reason;
};

/// The model plugins found on disk (DESIGN.md "The plugin contract").
///
/// scan() reads each library's metadata without loading it, refuses what does not fit this
/// build (another API major, missing or inconsistent metadata, a duplicate id, a library that
/// does not load, an instance that is not a twb::ModelPlugin) and loads the rest. It hands the
/// metadata to each accepted ModelPluginBase (its id(), displayName() and tasks()); a plugin
/// that implements ModelPlugin directly is refused when its id() or tasks() contradict its
/// JSON. Every refusal becomes a PluginProblem; the other plugins keep working.
///
/// Threading: scan() on one thread, with no concurrent reader; after it returns, the const
/// methods may be called from any thread. A copy of a registry shares the plugin instances,
/// which live for the whole process.
class ModelRegistry
{
public:
    /// Directories searched by default, in this order: every entry of the TWB_PLUGIN_PATH
    /// environment variable (':'-separated), <appdir>/../lib/twb/plugins (the build tree and a
    /// /usr/local style install; only when a QCoreApplication exists) and the configured
    /// install directory (CMAKE_INSTALL_PREFIX/TWB_PLUGIN_INSTALL_DIR). Duplicates removed.
    static QStringList defaultSearchPaths();

    /// Replaces the current content with the plugins found in `directories` (in order; the
    /// first library with a given id wins). Missing directories and files that are not shared
    /// libraries are skipped silently; a directory listed twice is scanned once.
    void scan(const QStringList &directories = defaultSearchPaths());

    /// Sorted by id.
    const std::vector<PluginRecord> &plugins() const { return m_plugins; }
    /// In the order found.
    const std::vector<PluginProblem> &problems() const { return m_problems; }

    /// nullptr if unknown. Record pointers stay valid until the next scan(); plugin pointers
    /// for the whole process.
    const ModelPlugin *find(const QString &id) const;
    const PluginRecord *record(const QString &id) const;
    /// Plugins that support `task`, sorted by id.
    std::vector<const PluginRecord *> forTask(Task task) const;

private:
    void scanFile(const QString &path);

    std::vector<PluginRecord> m_plugins;
    std::vector<PluginProblem> m_problems;
};

} // namespace twb
