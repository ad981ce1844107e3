#pragma once

#include "Lesson.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>

#include <functional>
#include <vector>

class QWidget;

namespace twb {

class MainWindow;

/// Walks a lesson through the window: performs each step's actions on the real widgets (the
/// same calls a user's clicks make: MainWindow::openFile, the model panel's forms and Train,
/// the Explain tab's Show attention), waits for what takes time (a file loading, a training run
/// as a `twb-cli train` child, an attention computation), then frames the step's widget.
///
/// next() shows the next step and starts its actions; stepDone or stepFailed follows (at once
/// for a step without waiting actions). back() shows the previous step without doing it again.
/// A step that fails stays current: retry() runs its actions again. Data paths are resolved
/// with findLessonData; a missing file fails the step with a message naming it and the folders
/// searched.
///
/// Ownership: the window is not owned and must outlive the runner. Threading: GUI thread only.
class LessonRunner : public QObject
{
    Q_OBJECT

public:
    explicit LessonRunner(MainWindow *window, QObject *parent = nullptr);
    ~LessonRunner() override;

    /// Starts `lesson` (copied) before its first step: call next() to show step 1.
    void start(const Lesson &lesson);
    /// Leaves the lesson: stops waiting (a training run goes on), removes the frame.
    void stop();
    bool isActive() const { return m_active; }
    const Lesson &lesson() const { return m_lesson; }
    /// The step shown, 0-based; -1 before the first.
    int currentStep() const { return m_step; }
    /// True while the current step's actions run.
    bool isBusy() const { return m_busy; }

    /// Shows and performs the next step; false when busy or at the end.
    bool next();
    /// Shows the previous step (its actions are not repeated) and frames its widget.
    bool back();
    /// Runs the current step's actions again (after a failure).
    bool retry();

    /// The widget named `objectName` in the window (its docks and tabs included), or nullptr.
    QWidget *findTarget(const QString &objectName) const;
    /// Makes `widget` visible: its tab current, its dock shown, its scroll area scrolled to it.
    static void reveal(QWidget *widget);

Q_SIGNALS:
    /// start() made the runner active, stop() inactive.
    void activeChanged(bool active);
    void stepShown(int step);
    /// Every action of the step is done.
    void stepDone(int step);
    void stepFailed(int step, const QString &message);
    void busyChanged(bool busy);
    /// What is happening now, for the panel ("Training patchtst…").
    void activity(const QString &text);

private:
    void runActions();
    void runNextAction();
    void finishAction();
    void fail(const QString &message);
    void setBusy(bool busy);
    void highlightCurrent();
    void disconnectWaits();

    // One function per action kind; each calls finishAction() or fail(), now or later.
    void open(const LessonAction &action);
    void selectModel(const LessonAction &action);
    void setValues(const LessonAction &action);
    void train();
    void showTab(const LessonAction &action);
    void explain(const LessonAction &action);
    void setWidget(const LessonAction &action);
    void click(const LessonAction &action);

    MainWindow *m_window;
    Lesson m_lesson;
    bool m_active = false;
    bool m_busy = false;
    int m_step = -1;
    std::size_t m_action = 0;
    std::vector<QMetaObject::Connection> m_waits; ///< the connections of the action waited for
    QString m_runDir;                             ///< the training run waited for
};

} // namespace twb
