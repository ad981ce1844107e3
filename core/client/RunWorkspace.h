#pragma once

#include "RunSummary.h"

#include <QFileSystemWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <vector>

namespace twb {

/// The summaries of every run folder of `workspace` (findRunFolders: sub-folders holding
/// config.json, by name), each read with readRunSummary (unreadable folders included, with
/// their problem). An empty path or a missing folder gives none.
/// Threading: any thread (reads two small JSON files per run).
std::vector<RunSummary> readWorkspaceRuns(const QString &workspace);

/// The runs of a workspace folder (one sub-folder per run, RunStore layout), kept up to date
/// for the runs table: the list is read again when sub-folders of the workspace appear or
/// vanish (QFileSystemWatcher, changes within 250 ms read once), on refresh(), and after
/// moveToTrash(). runsChanged() follows every reading.
///
/// Qt Core only. Threading: the thread it lives on, which must run an event loop (the GUI
/// thread in the workbench). refresh() reads synchronously: two small JSON files per run.
class RunWorkspace : public QObject
{
    Q_OBJECT

public:
    explicit RunWorkspace(QObject *parent = nullptr);
    ~RunWorkspace() override;

    /// Lists and watches the runs of `path`.
    void setPath(const QString &path);
    QString path() const { return m_path; }

    /// The runs as last read, in findRunFolders order.
    const std::vector<RunSummary> &runs() const { return m_runs; }

    /// Moves the run folders `dirs` to the trash (QFile::moveToTrash, restorable), then reads
    /// the list again. Returns the folders that could not be moved (empty: all were).
    QStringList moveToTrash(const QStringList &dirs);

public Q_SLOTS:
    /// Reads the list again and watches the workspace (also when it was created since).
    void refresh();

Q_SIGNALS:
    void runsChanged();

private:
    void watch();

    QString m_path;
    std::vector<RunSummary> m_runs;
    QFileSystemWatcher m_watcher;
    QTimer m_refreshTimer;
};

} // namespace twb
