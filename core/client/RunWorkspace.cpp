#include "RunWorkspace.h"

#include <QDir>
#include <QFile>

namespace twb {

std::vector<RunSummary> readWorkspaceRuns(const QString &workspace)
{
    std::vector<RunSummary> runs;
    if (workspace.isEmpty())
        return runs;
    for (const QString &dir : findRunFolders(workspace))
        runs.push_back(readRunSummary(dir));
    return runs;
}

RunWorkspace::RunWorkspace(QObject *parent)
    : QObject(parent)
{
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(250);
    connect(&m_refreshTimer, &QTimer::timeout, this, &RunWorkspace::refresh);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this,
            [this] { m_refreshTimer.start(); });
}

RunWorkspace::~RunWorkspace() = default;

void RunWorkspace::setPath(const QString &path)
{
    m_path = path;
    refresh();
}

void RunWorkspace::refresh()
{
    m_refreshTimer.stop();
    m_runs = readWorkspaceRuns(m_path);
    watch();
    Q_EMIT runsChanged();
}

void RunWorkspace::watch()
{
    if (!m_watcher.directories().isEmpty())
        m_watcher.removePaths(m_watcher.directories());
    if (!m_path.isEmpty() && QDir(m_path).exists())
        m_watcher.addPath(m_path);
}

QStringList RunWorkspace::moveToTrash(const QStringList &dirs)
{
    QStringList failed;
    for (const QString &dir : dirs)
        if (!QFile::moveToTrash(dir))
            failed << dir;
    refresh();
    return failed;
}

} // namespace twb
