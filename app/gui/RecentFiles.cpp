#include "RecentFiles.h"

#include "DatasetLoadJob.h"
#include "data/DatasetLoader.h"

#include <QFileInfo>
#include <QMenu>
#include <QSettings>

namespace twb {

namespace {
const char settingsKey[] = "recentFiles";
}

RecentFiles::RecentFiles(QObject *parent)
    : QObject(parent)
{
    m_files = QSettings().value(QLatin1String(settingsKey)).toStringList();
    m_files.removeDuplicates();
    while (m_files.size() > MaxCount)
        m_files.removeLast();
}

void RecentFiles::add(const QString &path)
{
    m_files.removeAll(path);
    m_files.prepend(path);
    while (m_files.size() > MaxCount)
        m_files.removeLast();
    save();
}

void RecentFiles::remove(const QString &path)
{
    if (m_files.removeAll(path) > 0)
        save();
}

void RecentFiles::clear()
{
    m_files.clear();
    save();
}

void RecentFiles::attachMenu(QMenu *menu)
{
    connect(menu, &QMenu::aboutToShow, this, [this, menu] { fillMenu(menu); });
    fillMenu(menu);
}

void RecentFiles::save()
{
    QSettings().setValue(QLatin1String(settingsKey), m_files);
    Q_EMIT changed();
}

void RecentFiles::fillMenu(QMenu *menu)
{
    menu->clear();
    for (int i = 0; i < m_files.size(); ++i) {
        const QString path = m_files.at(i);
        const SeriesPathSpec spec = parseSeriesPathSpec(path);
        QString name = displayNameOf(path);
        name.replace(QLatin1Char('&'), QLatin1String("&&"));
        const QString label = i < 9 ? QStringLiteral("&%1 %2").arg(i + 1).arg(name) : name;
        QAction *action = menu->addAction(label);
        action->setToolTip(path);
        action->setStatusTip(path);
        action->setEnabled(QFileInfo::exists(spec.file));
        connect(action, &QAction::triggered, this, [this, path] { Q_EMIT openRequested(path); });
    }
    if (m_files.isEmpty()) {
        menu->addAction(tr("No recent files"))->setEnabled(false);
        return;
    }
    menu->addSeparator();
    connect(menu->addAction(tr("&Clear Menu")), &QAction::triggered, this, &RecentFiles::clear);
}

} // namespace twb
