#pragma once

#include "SampleData.h"

#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <vector>

class QBoxLayout;
class QLabel;
class QVBoxLayout;

namespace twb {

class RecentFiles;

/// The page shown while no data is open (the window's "Start" tab): a heading and what the
/// workbench is, "Open your own file…", the recent files, the bundled samples (title and one
/// line of description each) and the lessons. It reads no file itself; clicking sends a signal.
///
/// Clickable entries have object names, for tests and lessons: "startPage_open",
/// "startPage_recent_<n>" (n: 0-based index into RecentFiles::files()), "startPage_sample_<n>"
/// (n: 0-based index into the samples given) and "startPage_lesson_<id>". A recent entry whose
/// file is gone is shown disabled. Empty sections (no recent files, no lessons) are hidden; no
/// samples shows how to fetch them.
///
/// The recent and sample entries sit beside the lessons when the page is wide enough, else
/// above them; the page scrolls when it is too small.
///
/// Ownership: `recent` is not owned; the page follows its changes and may outlive it.
/// Threading: GUI thread only.
class StartPage : public QWidget
{
    Q_OBJECT

public:
    struct LessonEntry
    {
        QString id;
        QString title;
        QString summary;
    };

    /// Lists `recent`'s files (may be null) and the samples of findSamples().
    explicit StartPage(RecentFiles *recent = nullptr, QWidget *parent = nullptr);
    ~StartPage() override;

    /// Replaces the sample entries.
    void setSamples(const std::vector<SampleInfo> &samples);
    const std::vector<SampleInfo> &samples() const { return m_samples; }
    /// Replaces the lesson entries (in the order given); an empty list hides the section.
    void setLessons(const QList<LessonEntry> &lessons);
    QList<LessonEntry> lessons() const { return m_lessons; }

    /// Width from which the lessons stand beside the data entries.
    static constexpr int TwoColumnWidth = 720;

Q_SIGNALS:
    /// "Open your own file…" was clicked.
    void openFileRequested();
    /// A recent file or a sample was clicked (the path as RecentFiles or SampleInfo hold it).
    void fileRequested(const QString &path);
    /// A lesson was clicked.
    void lessonRequested(const QString &id);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fillRecent();
    void updateColumns();

    QPointer<RecentFiles> m_recent;
    std::vector<SampleInfo> m_samples;
    QList<LessonEntry> m_lessons;
    QBoxLayout *m_columns = nullptr;
    QWidget *m_recentSection = nullptr;
    QVBoxLayout *m_recentList = nullptr;
    QVBoxLayout *m_sampleList = nullptr;
    QWidget *m_lessonSection = nullptr;
    QVBoxLayout *m_lessonList = nullptr;
};

} // namespace twb
