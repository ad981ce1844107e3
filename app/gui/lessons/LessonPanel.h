#pragma once

#include "LessonLibrary.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTextBrowser;

namespace twb {

class LessonRunner;

/// The Lessons dock: choose a lesson, then read each step while the runner performs it on the
/// window — step title and number, the text, what is happening now, a "try it yourself"
/// question with its answer on request, Back / Next, Retry after a failure, and "Data folder…"
/// to point at the folder that holds the lessons' data. Lesson files that cannot be read are
/// listed with their error (for the teacher who wrote them).
///
/// Ownership: the runner is not owned and must outlive the panel. Threading: GUI thread only.
class LessonPanel : public QWidget
{
    Q_OBJECT

public:
    explicit LessonPanel(LessonRunner *runner, QWidget *parent = nullptr);

    /// Shows the lessons of `library` in the chooser (and its problems).
    void setLibrary(const LessonLibrary &library);
    const LessonLibrary &library() const { return m_library; }
    /// Starts the lesson `id` at its first step; false for an unknown id.
    bool startLesson(const QString &id);

    QPushButton *nextButton() const { return m_next; }
    QPushButton *backButton() const { return m_back; }
    QPushButton *answerButton() const { return m_showAnswer; }
    QLabel *statusLabel() const { return m_status; }
    QTextBrowser *textView() const { return m_text; }
    QLabel *answerLabel() const { return m_answer; }

Q_SIGNALS:
    /// The user chose a data folder; the caller stores it (LessonDataDirectoryKey).
    void dataFolderChosen(const QString &folder);

private:
    void showStep(int step);
    void onBusyChanged(bool busy);
    void onStepFailed(int step, const QString &message);
    void updateButtons();
    void chooseDataFolder();

    LessonRunner *m_runner;
    LessonLibrary m_library;
    QComboBox *m_chooser = nullptr;
    QPushButton *m_start = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_stepTitle = nullptr;
    QTextBrowser *m_text = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_question = nullptr;
    QPushButton *m_showAnswer = nullptr;
    QLabel *m_answer = nullptr;
    QPushButton *m_back = nullptr;
    QPushButton *m_next = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_dataFolder = nullptr;
    QLabel *m_problems = nullptr;
    bool m_failed = false;
};

} // namespace twb
