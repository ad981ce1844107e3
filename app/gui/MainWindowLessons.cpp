// MainWindow, the lessons: Help ▸ Lessons and the Lessons dock beside the views.

#include "MainWindow.h"

#include "StartPage.h"

#include "lessons/LessonLibrary.h"
#include "lessons/LessonPanel.h"
#include "lessons/LessonRunner.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QSettings>
#include <QStatusBar>

namespace twb {

namespace {

/// The title up to its first question mark or colon ("1. What is a token?", "3. The
/// protocol"): a link's title does not wrap, and the summary below it says the rest.
QString shortTitle(const QString &title)
{
    const qsizetype question = title.indexOf(QLatin1Char('?'));
    const qsizetype colon = title.indexOf(QLatin1Char(':'));
    if (question >= 0 && (colon < 0 || question < colon))
        return title.left(question + 1);
    return colon >= 0 ? title.left(colon) : title;
}

} // namespace

void MainWindow::createLessons(QMenu *helpMenu)
{
    m_lessonRunner = new LessonRunner(this, this);
    m_lessonPanel = new LessonPanel(m_lessonRunner);
    const LessonLibrary library = LessonLibrary::load();
    m_lessonPanel->setLibrary(library);
    // The start page lists the same lessons; choosing one starts it in the dock.
    QList<StartPage::LessonEntry> entries;
    for (const Lesson &lesson : library.lessons)
        entries.append({lesson.id, shortTitle(lesson.title), lesson.summary});
    m_startPage->setLessons(entries);
    connect(m_startPage, &StartPage::lessonRequested, this,
            [this](const QString &id) { showLessons(id); });
    connect(m_lessonPanel, &LessonPanel::dataFolderChosen, this, [](const QString &folder) {
        QSettings().setValue(QLatin1String(LessonDataDirectoryKey), folder);
    });
    m_lessonDock = new QDockWidget(tr("Lessons"), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    m_lessonDock->setWidget(m_lessonPanel);
    // Left: the model panel (right) and the views stay visible while the learner reads.
    addDockWidget(Qt::LeftDockWidgetArea, m_lessonDock);
    m_lessonDock->hide();
    connect(m_lessonDock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
        if (!visible && !m_lessonDock->isVisible() && m_lessonRunner->isActive() &&
            !m_lessonRunner->isBusy())
            m_lessonRunner->stop(); // closing the dock leaves the lesson (and its frame)
    });

    // While a lesson runs, the channel table and the inspector make room for the views it
    // shows; they come back as they were when it ends.
    connect(m_lessonRunner, &LessonRunner::activeChanged, this, [this](bool active) {
        if (active) {
            m_docksBeforeLesson.clear();
            for (QDockWidget *dock : {m_channelDock, m_inspectorDock}) {
                if (dock->isVisible()) {
                    m_docksBeforeLesson.append(dock);
                    dock->hide();
                }
            }
        } else {
            for (QDockWidget *dock : std::as_const(m_docksBeforeLesson))
                dock->show();
            m_docksBeforeLesson.clear();
        }
    });

    QAction *lessons = helpMenu->addAction(tr("&Lessons"), this, [this] { showLessons(); });
    lessons->setObjectName(QStringLiteral("actionLessons"));
    lessons->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    lessons->setStatusTip(tr("Guided walk-throughs on real data: tokens, attention, the "
                             "protocol, spectrograms, linear models versus transformers"));
    helpMenu->addSeparator();
}

void MainWindow::showLessons(const QString &lessonId)
{
    m_lessonDock->show();
    m_lessonDock->raise();
    resizeDocks({m_lessonDock}, {340}, Qt::Horizontal);
    if (!lessonId.isEmpty() && !m_lessonPanel->startLesson(lessonId))
        statusBar()->showMessage(tr("There is no lesson \"%1\".").arg(lessonId), 8000);
}

} // namespace twb
