// The training side of MainWindow: the dashboard tab, the Training menu and the run folders.
#include "MainWindow.h"

#include "TrainingController.h"
#include "client/TrainRequest.h"
#include "client/TrainingProcess.h"
#include "widgets/common/SeriesChartView.h"
#include "widgets/training/ModelPanel.h"
#include "widgets/training/RunsView.h"
#include "widgets/training/TrainingDashboard.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>

namespace twb {

QString MainWindow::runsDirectory()
{
    const QString fallback = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                                 .filePath(QStringLiteral("runs"));
    return QSettings().value(QLatin1String(RunsDirectoryKey), fallback).toString();
}

QString MainWindow::cliProgram()
{
    const QString cli = QSettings().value(QLatin1String(CliProgramKey)).toString();
    return cli.isEmpty() ? TrainingProcess::defaultProgram() : cli;
}

void MainWindow::createTraining()
{
    m_dashboard = new TrainingDashboard;
    m_dashboard->setObjectName(QStringLiteral("trainingDashboard"));

    m_tabs->addTab(m_dashboard, tr("Training"));
    m_training = new TrainingController(m_dashboard, this);
    m_training->setCliProgram(cliProgram());

    m_modelPanel->setRunDirProvider([](const TrainRequest &request) {
        return uniqueRunDir(runsDirectory(), request, QDateTime::currentDateTime());
    });
    connect(m_modelPanel, &ModelPanel::trainRequested, this, &MainWindow::onTrainRequested);
    connect(m_training, &TrainingController::attentionRequested, this,
            [this] { m_tabs->setCurrentWidget(m_dashboard); });
    connect(m_training, &TrainingController::runStarted, this, [this](const TrainRequest &r) {
        m_runName = r.displayName();
        updateTitle();
    });
    connect(m_training, &TrainingController::runEnded, this,
            [this](const TrainRequest &r, TrainingDashboard::Outcome outcome, const QString &) {
                const QString what = outcome == TrainingDashboard::Outcome::Finished
                                         ? tr("finished")
                                     : outcome == TrainingDashboard::Outcome::Interrupted
                                         ? tr("stopped (checkpoint kept)")
                                         : tr("failed");
                statusBar()->showMessage(tr("Run %1 %2: %3").arg(r.displayName(), what, r.runDir),
                                         10000);
                m_runName.clear();
                updateTitle();
                // The Runs tab lists the new run at once, selected (Runs ▸ Open, Export).
                m_runs->refresh();
                m_runs->selectRunDirs({r.runDir});
                // ... and a finished one shows its results (best weights' test predictions).
                if (outcome == TrainingDashboard::Outcome::Finished &&
                    QSettings().value(QLatin1String(OpenFinishedRunsKey), true).toBool())
                    openRun(r.runDir);
            });
}

void MainWindow::onTrainRequested(const TrainRequest &request)
{
    // twb-cli creates the folder with its parents; the workspace must be writable.
    if (!QDir().mkpath(QFileInfo(request.runDir).absolutePath())) {
        showError(tr("Cannot start the run"),
                  tr("%1: cannot create the runs folder").arg(QFileInfo(request.runDir).path()));
        return;
    }
    const bool queued = m_training->isRunning();
    m_training->enqueue(request);
    m_runs->refresh(); // watches the workspace from now on, even if it was just created
    m_tabs->setCurrentWidget(m_dashboard);
    statusBar()->showMessage(
        queued ? tr("Queued %1").arg(request.displayName())
               : tr("Training %1 in %2").arg(request.displayName(), request.runDir),
        5000);
}

void MainWindow::createTrainingMenu()
{
    QMenu *menu = new QMenu(tr("&Training"), this);
    menu->setObjectName(QStringLiteral("trainingMenu"));
    // Before Help.
    const QList<QAction *> top = menuBar()->actions();
    menuBar()->insertMenu(top.isEmpty() ? nullptr : top.last(), menu);

    QAction *train = menu->addAction(QIcon::fromTheme(QStringLiteral("media-playback-start")),
                                     tr("&Train"), m_modelPanel, &ModelPanel::train);
    train->setObjectName(QStringLiteral("actionTrain"));
    train->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    train->setStatusTip(tr("Train the selected model on the open data set (queued when a run is "
                           "active)"));

    QAction *pause = menu->addAction(tr("&Pause"), m_training, &TrainingController::pause);
    pause->setObjectName(QStringLiteral("actionPause"));
    QAction *resume = menu->addAction(tr("&Resume"), m_training, &TrainingController::resume);
    resume->setObjectName(QStringLiteral("actionResume"));
    QAction *step = menu->addAction(tr("Single &Step"), m_training, &TrainingController::step);
    step->setObjectName(QStringLiteral("actionStep"));
    QAction *stop = menu->addAction(QIcon::fromTheme(QStringLiteral("media-playback-stop")),
                                    tr("St&op"), m_training, &TrainingController::stop);
    stop->setObjectName(QStringLiteral("actionStop"));
    stop->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    stop->setStatusTip(tr("Stop the current run after its batch; a checkpoint is kept"));
    menu->addSeparator();
    QAction *openFinished = menu->addAction(tr("Open &Finished Runs"));
    openFinished->setObjectName(QStringLiteral("actionOpenFinishedRuns"));
    openFinished->setCheckable(true);
    openFinished->setChecked(QSettings().value(QLatin1String(OpenFinishedRunsKey), true).toBool());
    openFinished->setStatusTip(tr("Show a run's forecast or classification results when a run "
                                  "started here finishes"));
    connect(openFinished, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(QLatin1String(OpenFinishedRunsKey), on); });
    QAction *clear =
        menu->addAction(tr("&Clear Queue"), m_training, &TrainingController::clearQueue);
    clear->setObjectName(QStringLiteral("actionClearQueue"));
    QAction *show = menu->addAction(tr("Show &Dashboard"), this,
                                    [this] { m_tabs->setCurrentWidget(m_dashboard); });
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    QAction *series =
        menu->addAction(tr("Show S&eries"), this, [this] { m_tabs->setCurrentWidget(m_chart); });
    series->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
}

} // namespace twb
