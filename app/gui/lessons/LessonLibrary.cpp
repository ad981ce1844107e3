#include "LessonLibrary.h"

#include "SampleData.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include <algorithm>

namespace twb {

namespace {

QStringList splitPathList(const QByteArray &value)
{
    QStringList folders;
    for (const QString &entry : QString::fromLocal8Bit(value).split(QLatin1Char(':')))
        if (!entry.isEmpty())
            folders << entry;
    return folders;
}

} // namespace

QStringList lessonDirectories()
{
    QStringList folders{QStringLiteral(":/twb/lessons")};
    folders << splitPathList(qgetenv("TWB_LESSON_DIR"));
    const QString configured = QSettings().value(QLatin1String(LessonDirectoryKey)).toString();
    if (!configured.isEmpty())
        folders << configured;
    const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (!appData.isEmpty())
        folders << QDir(appData).filePath(QStringLiteral("lessons"));
    return folders;
}

QStringList lessonDataDirectories()
{
    QStringList folders = splitPathList(qgetenv("TWB_DATA_DIR"));
    const QString configured = QSettings().value(QLatin1String(LessonDataDirectoryKey)).toString();
    if (!configured.isEmpty())
        folders << configured;
    folders << sampleDirectories();
#ifdef TWB_CONFIGURED_DATA_DIR
    folders << QStringLiteral(TWB_CONFIGURED_DATA_DIR);
#endif
    QStringList existing;
    for (const QString &folder : folders)
        if (QFileInfo(folder).isDir() && !existing.contains(folder))
            existing << folder;
    return existing;
}

QString findLessonData(const QString &relative, const QStringList &directories)
{
    if (QFileInfo(relative).isAbsolute())
        return QFileInfo::exists(relative) ? relative : QString();
    for (const QString &folder : directories) {
        const QString candidate = QDir(folder).filePath(relative);
        if (QFileInfo::exists(candidate))
            return QFileInfo(candidate).absoluteFilePath();
    }
    return {};
}

LessonLibrary LessonLibrary::loadFrom(const QStringList &directories)
{
    LessonLibrary library;
    for (const QString &folder : directories) {
        const QFileInfoList files =
            QDir(folder).entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
        for (const QFileInfo &info : files) {
            QFile file(info.filePath());
            if (!file.open(QIODevice::ReadOnly)) {
                library.problems << QStringLiteral("%1: cannot be read: %2")
                                        .arg(info.filePath(), file.errorString());
                continue;
            }
            Expected<Lesson> lesson = parseLesson(file.readAll(), info.filePath());
            if (!lesson) {
                library.problems << lesson.error().toString();
                continue;
            }
            auto same = std::find_if(library.lessons.begin(), library.lessons.end(),
                                     [&](const Lesson &l) { return l.id == lesson->id; });
            if (same != library.lessons.end())
                *same = std::move(*lesson); // a teacher's lesson replaces the bundled one
            else
                library.lessons.push_back(std::move(*lesson));
        }
    }
    std::sort(library.lessons.begin(), library.lessons.end(),
              [](const Lesson &a, const Lesson &b) { return a.id < b.id; });
    return library;
}

LessonLibrary LessonLibrary::load()
{
    return loadFrom(lessonDirectories());
}

const Lesson *LessonLibrary::find(const QString &id) const
{
    for (const Lesson &lesson : lessons)
        if (lesson.id == id)
            return &lesson;
    return nullptr;
}

} // namespace twb
