#include "MainWindow.h"
#include "plugin/ModelRegistry.h"
#include "widgets/ModelListWidget.h"
#include "widgets/ModelPanel.h"
#include "widgets/TrainingDashboard.h"
#include "widgets/TrainingProcess.h"

#include <QAction>
#include <QDir>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace twb;

/// The training side of the workbench window: the Training menu, the dashboard tab and the
/// run folders in the workspace.
class tst_MainWindowTraining : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void actionsAndShortcuts();
    void workspaceDefault();
    void trainQueuesARunInTheWorkspace();

private:
    QTemporaryDir m_dir;
};

void tst_MainWindowTraining::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // QSettings go to a test location
    QCoreApplication::setOrganizationName(QStringLiteral("TransformerWorkbenchTests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindowtraining"));
    QSettings().clear();
    QVERIFY(m_dir.isValid());
}

void tst_MainWindowTraining::cleanup()
{
    QSettings().clear();
}

void tst_MainWindowTraining::actionsAndShortcuts()
{
    MainWindow window;
    auto *train = window.findChild<QAction *>(QStringLiteral("actionTrain"));
    auto *stop = window.findChild<QAction *>(QStringLiteral("actionStop"));
    QVERIFY(train && stop);
    QCOMPARE(train->shortcut(), QKeySequence(QStringLiteral("Ctrl+T")));
    QCOMPARE(stop->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+T")));
    for (const char *name : {"actionPause", "actionResume", "actionStep", "actionClearQueue"})
        QVERIFY2(window.findChild<QAction *>(QLatin1String(name)), name);
    QTabWidget *tabs = window.centralTabs();
    QCOMPARE(tabs->count(), 5);
    QCOMPARE(tabs->tabText(0), QStringLiteral("Series"));
    QCOMPARE(tabs->tabText(1), QStringLiteral("Training"));
    QCOMPARE(tabs->tabText(2), QStringLiteral("Runs"));
    QCOMPARE(tabs->tabText(3), QStringLiteral("Forecast"));
    QCOMPARE(tabs->tabText(4), QStringLiteral("Spectrogram"));
    QCOMPARE(tabs->widget(1), window.trainingDashboard());
    QCOMPARE(window.modelList(), window.modelPanel()->modelList());
}

void tst_MainWindowTraining::workspaceDefault()
{
    QCOMPARE(MainWindow::runsDirectory(),
             QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                 .filePath(QStringLiteral("runs")));
    QSettings().setValue(QLatin1String(MainWindow::RunsDirectoryKey), m_dir.path());
    QCOMPARE(MainWindow::runsDirectory(), m_dir.path());
}

void tst_MainWindowTraining::trainQueuesARunInTheWorkspace()
{
    const QString workspace = m_dir.filePath(QStringLiteral("workspace"));
    QSettings settings;
    settings.setValue(QLatin1String(MainWindow::RunsDirectoryKey), workspace);
    // A twb-cli that cannot start: the run fails at once, the window goes on.
    settings.setValue(QLatin1String(MainWindow::CliProgramKey),
                      m_dir.filePath(QStringLiteral("missing-twb-cli")));

    ModelRegistry registry;
    registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    QVERIFY(registry.find(QStringLiteral("dlinear")));
    MainWindow window;
    window.setModelRegistry(registry, {QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    window.modelList()->selectModel(QStringLiteral("dlinear"));
    window.modelPanel()->setDataPath(QStringLiteral("/data/ETTh1.csv"));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.centralTabs()->currentIndex(), 0);

    QSignalSpy started(window.trainingDashboard(), &TrainingDashboard::runStarted);
    QSignalSpy ended(window.trainingDashboard(), &TrainingDashboard::runEnded);
    QTest::keySequence(&window, QKeySequence(QStringLiteral("Ctrl+T")));
    QCOMPARE(started.size(), 1);
    const auto request = started.first().first().value<TrainRequest>();
    QCOMPARE(QFileInfo(request.runDir).absolutePath(), workspace);
    const QRegularExpression name(QStringLiteral("^dlinear-ETTh1-\\d{8}-\\d{6}$"));
    QVERIFY2(name.match(QFileInfo(request.runDir).fileName()).hasMatch(),
             qPrintable(request.runDir));
    QVERIFY(QFileInfo(workspace).isDir());
    QCOMPARE(window.centralTabs()->currentWidget(), window.trainingDashboard());
    QCOMPARE(window.trainingDashboard()->process()->program(),
             m_dir.filePath(QStringLiteral("missing-twb-cli")));

    QVERIFY(ended.wait(10000));
    QCOMPARE(ended.first().at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Failed);
    QVERIFY(window.isVisible());
}

QTEST_MAIN(tst_MainWindowTraining)
#include "tst_mainwindowtraining.moc"
