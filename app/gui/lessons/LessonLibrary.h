#pragma once

#include "Lesson.h"

#include <QStringList>

#include <vector>

namespace twb {

/// Where lessons come from and where their data is found.
///
/// Lessons: the bundled ones (resources/lessons, compiled in as ":/twb/lessons"), then every
/// *.json in the teacher's folders — TWB_LESSON_DIR (':'-separated), the setting
/// LessonDirectoryKey, and <AppDataLocation>/lessons. A teacher's lesson with the id of a
/// bundled one replaces it. Lessons are sorted by id ("01-tokens" before "02-attention").
///
/// Data: a lesson names its files relative to a data folder ("ett/ETTh1.csv"); the folders
/// searched are TWB_DATA_DIR (':'-separated), the setting LessonDataDirectoryKey, the folders of
/// the bundled samples (sampleDirectories()) and the data folder the build was configured with
/// (the project's shared data, when it exists). Needs a QCoreApplication; GUI or worker thread.
struct LessonLibrary
{
    std::vector<Lesson> lessons;
    /// One message per lesson file that could not be read ("file: step 2: ...").
    QStringList problems;

    /// Reads every lesson (see above).
    static LessonLibrary load();
    /// Reads the lessons of `directories` only (for tests and for checking one folder).
    static LessonLibrary loadFrom(const QStringList &directories);

    const Lesson *find(const QString &id) const;
};

/// QSettings key of the teacher's lesson folder.
inline constexpr const char *LessonDirectoryKey = "lessons/directory";
/// QSettings key of the folder that holds the lessons' data.
inline constexpr const char *LessonDataDirectoryKey = "lessons/dataDirectory";

/// The folders searched for lessons, in order (the bundled ":/twb/lessons" first).
QStringList lessonDirectories();
/// The folders searched for lesson data, in order; missing folders are left out.
QStringList lessonDataDirectories();
/// The absolute path of `relative` in the first data folder that holds it; an absolute path
/// is returned as it is when it exists; empty when not found.
QString findLessonData(const QString &relative,
                       const QStringList &directories = lessonDataDirectories());

} // namespace twb
