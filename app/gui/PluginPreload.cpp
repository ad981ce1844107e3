#include "PluginPreload.h"

#include <QDir>
#include <QLibrary>
#include <QtConcurrent/QtConcurrentRun>

namespace twb {

QFuture<int> preloadPluginLibraries(const QStringList &directories)
{
    return QtConcurrent::run([directories] {
        int loaded = 0;
        for (const QString &directory : directories) {
            const QDir dir(directory);
            for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
                const QString path = dir.filePath(name);
                if (!QLibrary::isLibrary(path))
                    continue;
                QLibrary library(path);
                // Never unloaded: the registry loads the same file right after.
                if (library.load())
                    ++loaded;
            }
        }
        return loaded;
    });
}

} // namespace twb
