#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace twb {

/// The most recently opened files, newest first, persisted in QSettings ("recentFiles") at
/// every change, and shown in a menu that is rebuilt each time it opens (entries whose file
/// is gone are disabled).
///
/// Threading: GUI thread only.
class RecentFiles : public QObject
{
    Q_OBJECT

public:
    static constexpr int MaxCount = 10;

    /// Reads the list from the application's QSettings.
    explicit RecentFiles(QObject *parent = nullptr);

    QStringList files() const { return m_files; }
    /// Moves `path` to the front (adding it if new) and drops the oldest beyond MaxCount.
    void add(const QString &path);
    void remove(const QString &path);
    void clear();

    /// Fills `menu` from the list whenever it is about to show. The menu is not owned.
    void attachMenu(QMenu *menu);

Q_SIGNALS:
    /// The user picked an entry.
    void openRequested(const QString &path);
    void changed();

private:
    void save();
    void fillMenu(QMenu *menu);

    QStringList m_files;
};

} // namespace twb
