#include "ModelRegistry.h"

#include "ModelPlugin.h"
#include "ModelPluginBase.h"
#include "PluginMetadata.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibrary>
#include <QPluginLoader>
#include <QSet>

#include <algorithm>

#ifndef TWB_PLUGIN_INSTALL_DIR
#error "TWB_PLUGIN_INSTALL_DIR must be defined by core/plugin/CMakeLists.txt"
#endif

namespace twb {

namespace {

bool sameTasks(const QList<Task> &a, const QList<Task> &b)
{
    if (a.size() != b.size())
        return false;
    return std::all_of(a.begin(), a.end(), [&](Task t) { return b.contains(t); });
}

QString joinTasks(const QList<Task> &tasks)
{
    QStringList names;
    for (Task t : tasks)
        names << taskName(t);
    return names.join(QLatin1String(", "));
}

} // namespace

QStringList ModelRegistry::defaultSearchPaths()
{
    QStringList paths;
    const QString env = qEnvironmentVariable("TWB_PLUGIN_PATH");
    for (const QString &entry : env.split(QLatin1Char(':'), Qt::SkipEmptyParts))
        paths << QDir::cleanPath(QDir(entry).absolutePath());
    if (QCoreApplication::instance())
        paths << QDir::cleanPath(QCoreApplication::applicationDirPath() +
                                 QLatin1String("/../lib/twb/plugins"));
    paths << QDir::cleanPath(QStringLiteral(TWB_PLUGIN_INSTALL_DIR));
    paths.removeDuplicates();
    return paths;
}

void ModelRegistry::scan(const QStringList &directories)
{
    m_plugins.clear();
    m_problems.clear();

    QSet<QString> seenDirectories;
    QSet<QString> seenFiles;
    for (const QString &directory : directories) {
        const QFileInfo dirInfo(directory);
        if (!dirInfo.isDir())
            continue;
        const QString canonicalDir = dirInfo.canonicalFilePath();
        if (seenDirectories.contains(canonicalDir))
            continue;
        seenDirectories.insert(canonicalDir);

        // Paths are reported below the directory as given, not as resolved through links.
        const QDir dir(QDir::cleanPath(dirInfo.absoluteFilePath()));
        QFileInfoList entries = dir.entryInfoList(QDir::Files | QDir::Readable);
        // A fixed, locale-independent order decides which duplicate wins.
        std::sort(entries.begin(), entries.end(), [](const QFileInfo &a, const QFileInfo &b) {
            return a.fileName() < b.fileName();
        });
        for (const QFileInfo &file : entries) {
            if (!QLibrary::isLibrary(file.fileName()))
                continue;
            const QString canonicalFile = file.canonicalFilePath();
            if (seenFiles.contains(canonicalFile)) // a symlink to a library already scanned
                continue;
            seenFiles.insert(canonicalFile);
            scanFile(file.absoluteFilePath());
        }
    }
    std::sort(m_plugins.begin(), m_plugins.end(),
              [](const PluginRecord &a, const PluginRecord &b) { return a.id < b.id; });
}

void ModelRegistry::scanFile(const QString &path)
{
    QPluginLoader loader(path);
    const auto metadata = parsePluginMetadata(loader.metaData());
    if (!metadata) {
        m_problems.push_back({path, metadata.error().reason});
        return;
    }
    if (const PluginRecord *first = record(metadata->id)) {
        m_problems.push_back({path, QStringLiteral("duplicate plugin id \"%1\": already provided "
                                                   "by %2 (the first one found is used)")
                                        .arg(metadata->id, first->path)});
        return;
    }

    // Bind every symbol now: a library with a missing symbol is refused here instead of
    // crashing on its first call. Refused libraries stay loaded: unloading code that may have
    // registered static state (Qt, LibTorch operators) is not safe.
    loader.setLoadHints(QLibrary::ResolveAllSymbolsHint);
    QObject *instance = loader.instance();
    if (!instance) {
        m_problems.push_back({path, QLatin1String("cannot be loaded: ") + loader.errorString()});
        return;
    }
    const ModelPlugin *plugin = qobject_cast<ModelPlugin *>(instance);
    if (!plugin) {
        m_problems.push_back({path, QStringLiteral("its plugin object (%1) does not implement "
                                                   "twb::ModelPlugin")
                                        .arg(QLatin1String(instance->metaObject()->className()))});
        return;
    }
    // A ModelPluginBase takes its id, name and tasks from the metadata; a plugin that implements
    // ModelPlugin directly states them again in C++, and they must agree with the JSON.
    if (auto *base = qobject_cast<ModelPluginBase *>(instance))
        base->adoptMetadata(*metadata);
    if (plugin->id() != metadata->id) {
        m_problems.push_back({path, QStringLiteral("inconsistent metadata: the JSON id is \"%1\" "
                                                   "but id() returns \"%2\"")
                                        .arg(metadata->id, plugin->id())});
        return;
    }
    if (!sameTasks(plugin->tasks(), metadata->tasks)) {
        m_problems.push_back(
            {path, QStringLiteral("inconsistent metadata: the JSON tasks are "
                                  "(%1) but tasks() returns (%2)")
                       .arg(joinTasks(metadata->tasks), joinTasks(plugin->tasks()))});
        return;
    }

    PluginRecord rec;
    rec.id = metadata->id;
    rec.name = metadata->name;
    rec.version = metadata->version;
    rec.path = path;
    rec.apiMajor = metadata->apiMajor;
    rec.tasks = metadata->taskNames();
    rec.plugin = plugin;
    m_plugins.push_back(std::move(rec));
}

const ModelPlugin *ModelRegistry::find(const QString &id) const
{
    const PluginRecord *rec = record(id);
    return rec ? rec->plugin : nullptr;
}

const PluginRecord *ModelRegistry::record(const QString &id) const
{
    const auto it = std::find_if(m_plugins.begin(), m_plugins.end(),
                                 [&](const PluginRecord &r) { return r.id == id; });
    return it == m_plugins.end() ? nullptr : &*it;
}

std::vector<const PluginRecord *> ModelRegistry::forTask(Task task) const
{
    const QString name = taskName(task);
    std::vector<const PluginRecord *> result;
    for (const PluginRecord &r : m_plugins)
        if (r.tasks.contains(name))
            result.push_back(&r);
    return result;
}

} // namespace twb
