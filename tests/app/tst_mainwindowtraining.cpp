#include "MainWindow.h"
#include "TrainingController.h"
#include "client/RunBundleExport.h"
#include "client/TrainingProcess.h"
#include "plugin/ModelRegistry.h"
#include "widgets/classify/ClassificationView.h"
#include "widgets/classify/FoldTable.h"
#include "widgets/training/HyperparameterForm.h"
#include "widgets/training/ModelListWidget.h"
#include "widgets/training/ModelPanel.h"
#include "widgets/training/RunsTableModel.h"
#include "widgets/training/RunsView.h"
#include "widgets/training/TrainingCurves.h"
#include "widgets/training/TrainingDashboard.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using namespace twb;

namespace {

/// A two-class .ts file of 16-step ramps (up or down, a little wobble), perClass cases each;
/// returns its path, empty when it cannot be written.
QString writeRamps(const QString &path, int perClass)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QString();
    file.write("@problemName Ramps\n@timeStamps false\n@missing false\n@univariate true\n"
               "@equalLength true\n@seriesLength 16\n@classLabel true up down\n@data\n");
    for (int i = 0; i < 2 * perClass; ++i) {
        const double slope = i % 2 ? -1.0 : 1.0;
        QByteArray line;
        for (int t = 0; t < 16; ++t)
            line += (t ? "," : "") +
                    QByteArray::number(slope * t / 8.0 + 0.2 * std::sin(i * 1.7 + t), 'f', 4);
        file.write(line + (i % 2 ? ":down\n" : ":up\n"));
    }
    return path;
}

/// Shows `window` with the plugins of the build and `data` open, the model panel on the tst
/// plugin made small (d_model 16, 2 heads, d_ff 32, one layer); runs go to `workspace` through
/// the built twb-cli. Failures are the test's (check QTest::currentTestFailed()).
void openWithSmallTst(MainWindow &window, ModelRegistry &registry, const QString &data,
                      const QString &workspace)
{
    const QString cli = QDir(QStringLiteral(TWB_TEST_BIN_DIR)).filePath(QStringLiteral("twb-cli"));
    QVERIFY2(QFileInfo(cli).isExecutable(), qPrintable(cli + " is not built"));
    QSettings settings;
    settings.setValue(QLatin1String(MainWindow::RunsDirectoryKey), workspace);
    settings.setValue(QLatin1String(MainWindow::CliProgramKey), cli);
    registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    QVERIFY2(registry.find(QStringLiteral("tst")),
             "the tst plugin is not built in " TWB_PLUGIN_BUILD_DIR);
    window.setModelRegistry(registry, {QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    window.show();
    QSignalSpy labelled(&window, &MainWindow::labelledDataLoaded);
    window.openFile(data);
    QVERIFY(labelled.wait(10000));
    ModelPanel *panel = window.modelPanel();
    QCOMPARE(window.modelList()->selectedModel(), QStringLiteral("tst"));
    QVERIFY(panel->hyperparameterForm()->setValue(QStringLiteral("d_model"), 16));
    QVERIFY(panel->hyperparameterForm()->setValue(QStringLiteral("n_heads"), 2));
    QVERIFY(panel->hyperparameterForm()->setValue(QStringLiteral("d_ff"), 32));
    QVERIFY(panel->hyperparameterForm()->setValue(QStringLiteral("num_layers"), 1));
}

} // namespace

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
    void exportRunBundle();
    void trainsAClassifierOnLabelledData();
    void crossValidatesAndShowsTheFolds();
    void separatesSpeechFromASoundFolder();

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
    QCOMPARE(tabs->count(), 12);
    const QStringList titles{"Start",      "Series",   "Cases",          "Training",
                             "Runs",       "Forecast", "Classification", "Reconstruction",
                             "Separation", "Explain",  "Forward pass",   "Spectrogram"};
    for (int i = 0; i < tabs->count(); ++i)
        QCOMPARE(tabs->tabText(i), titles[i]);
    QCOMPARE(tabs->widget(3), window.trainingDashboard());
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

    QSignalSpy started(window.trainingController(), &TrainingController::runStarted);
    QSignalSpy ended(window.trainingController(), &TrainingController::runEnded);
    QTest::keySequence(&window, QKeySequence(QStringLiteral("Ctrl+T")));
    QCOMPARE(started.size(), 1);
    const auto request = started.first().first().value<TrainRequest>();
    QCOMPARE(QFileInfo(request.runDir).absolutePath(), workspace);
    const QRegularExpression name(QStringLiteral("^dlinear-ETTh1-\\d{8}-\\d{6}$"));
    QVERIFY2(name.match(QFileInfo(request.runDir).fileName()).hasMatch(),
             qPrintable(request.runDir));
    QVERIFY(QFileInfo(workspace).isDir());
    QCOMPARE(window.centralTabs()->currentWidget(), window.trainingDashboard());
    QCOMPARE(window.trainingController()->process()->program(),
             m_dir.filePath(QStringLiteral("missing-twb-cli")));

    QVERIFY(ended.wait(10000));
    QCOMPARE(ended.first().at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Failed);
    QVERIFY(window.isVisible());
}

void tst_MainWindowTraining::exportRunBundle()
{
    const QString cli = QDir(QStringLiteral(TWB_TEST_BIN_DIR)).filePath(QStringLiteral("twb-cli"));
    QVERIFY2(QFileInfo(cli).isExecutable(), qPrintable(cli + " is not built"));
    // A real finished run: one epoch of dlinear on 300 rows of two channels.
    const QString workspace = m_dir.filePath(QStringLiteral("bundles"));
    QVERIFY(QDir().mkpath(workspace));
    const QString csv = m_dir.filePath(QStringLiteral("waves.csv"));
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("a,b\n");
        for (int i = 0; i < 300; ++i)
            file.write(QStringLiteral("%1,%2\n")
                           .arg(std::sin(i * 0.3), 0, 'g', 6)
                           .arg(std::cos(i * 0.1) + 0.01 * i, 0, 'g', 6)
                           .toUtf8());
    }
    const QString run = QDir(workspace).filePath(QStringLiteral("dlinear-waves"));
    QProcess train;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("TWB_PLUGIN_PATH"), QStringLiteral(TWB_PLUGIN_BUILD_DIR));
    train.setProcessEnvironment(env);
    train.start(cli,
                {QStringLiteral("train"), QStringLiteral("--data"), csv, QStringLiteral("--model"),
                 QStringLiteral("dlinear"), QStringLiteral("--lookback"), QStringLiteral("16"),
                 QStringLiteral("--horizon"), QStringLiteral("4"), QStringLiteral("--epochs"),
                 QStringLiteral("1"), QStringLiteral("--threads"), QStringLiteral("1"),
                 QStringLiteral("--progress"), QStringLiteral("none"), QStringLiteral("--run-dir"),
                 run});
    QVERIFY(train.waitForFinished(120000));
    QVERIFY2(train.exitCode() == 0, train.readAllStandardError().constData());

    QSettings settings;
    settings.setValue(QLatin1String(MainWindow::RunsDirectoryKey), workspace);
    settings.setValue(QLatin1String(MainWindow::CliProgramKey), cli);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *action = window.findChild<QAction *>(QStringLiteral("actionExportBundle"));
    QVERIFY(action);
    QVERIFY(!action->isEnabled()); // nothing selected
    window.centralTabs()->setCurrentWidget(window.runsView());
    QTRY_COMPARE(window.runsView()->model()->rowCount(), 1);
    window.runsView()->selectRunDirs({run});
    QVERIFY(action->isEnabled());

    const QString out = m_dir.filePath(QStringLiteral("exported/bundle"));
    QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("exported"))));
    QString suggested;
    window.setSavePathAsker([&](const QString &, const QString &s, const QString &) {
        suggested = s;
        return out; // ".h5" is added
    });
    QSignalSpy finished(window.bundleExport(), &RunBundleExport::finished);
    action->trigger();
    QCOMPARE(QFileInfo(suggested).fileName(), QStringLiteral("dlinear-waves.h5"));
    QVERIFY(window.bundleExport()->isRunning()); // a child process, not on the GUI thread
    QCOMPARE(window.bundleExport()->arguments(),
             (QStringList{QStringLiteral("export"), run, QStringLiteral("--out"),
                          out + QStringLiteral(".h5")}));
    QVERIFY(!action->isEnabled()); // one export at a time
    QVERIFY(finished.wait(60000));
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(2).toString()));
    QCOMPARE(finished.first().at(1).toString(), out + QStringLiteral(".h5"));
    QFile bundle(out + QStringLiteral(".h5"));
    QVERIFY(bundle.open(QIODevice::ReadOnly));
    QCOMPARE(bundle.read(8), QByteArray("\x89HDF\r\n\x1a\n", 8)); // the HDF5 signature
    QVERIFY(bundle.size() > 1000);
    QCOMPARE(window.statusBar()->currentMessage(),
             QStringLiteral("Run bundle written to ") + out + QStringLiteral(".h5"));
    QVERIFY(action->isEnabled());

    // A folder that is not a run: twb-cli fails, the window says so and names the file.
    finished.clear();
    const QString bad = m_dir.filePath(QStringLiteral("exported/bad.h5"));
    QVERIFY(window.exportRunBundle(m_dir.filePath(QStringLiteral("no-run")), bad));
    QVERIFY(finished.wait(60000));
    QVERIFY(!finished.first().at(0).toBool());
    const QString message = finished.first().at(2).toString();
    QVERIFY2(message.contains(m_dir.filePath(QStringLiteral("no-run"))), qPrintable(message));
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("loadErrorBox"));
    QVERIFY(box);
    QVERIFY2(box->text().startsWith(bad + QStringLiteral(" was not written: ")),
             qPrintable(box->text()));
    QVERIFY(!QFile::exists(bad));
    QVERIFY(window.isVisible());
}

void tst_MainWindowTraining::trainsAClassifierOnLabelledData()
{
    // Labelled cases opened in the window train a classifier through the real twb-cli: the
    // panel's classify settings reach the run, and the dashboard reports accuracy.
    const QString train = writeRamps(m_dir.filePath(QStringLiteral("Ramps_TRAIN.ts")), 20);
    const QString test = writeRamps(m_dir.filePath(QStringLiteral("Ramps_TEST.ts")), 5);
    ModelRegistry registry;
    MainWindow window;
    openWithSmallTst(window, registry, train, m_dir.filePath(QStringLiteral("classify-runs")));
    if (QTest::currentTestFailed())
        return;
    ModelPanel *panel = window.modelPanel();
    QVERIFY(panel->taskForm()->setValue(QStringLiteral("epochs"), 2));
    const Expected<TrainRequest> request = panel->request();
    QVERIFY2(request, qPrintable(request ? QString() : request.error().reason));
    QCOMPARE(request->testData, test);

    QSignalSpy ended(window.trainingController(), &TrainingController::runEnded);
    panel->train();
    QVERIFY(ended.wait(120000));
    QCOMPARE(ended.first().at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Finished);
    const QString runDir = ended.first().first().value<TrainRequest>().runDir;
    // The finished run opens itself in the Classification tab.
    QTRY_COMPARE_WITH_TIMEOUT(window.classificationView()->runDir(), runDir, 20000);
    QCOMPARE(window.centralTabs()->tabText(window.centralTabs()->currentIndex()),
             QStringLiteral("Classification"));
    QFile config(QDir(runDir).filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QByteArray json = config.readAll();
    QVERIFY2(json.contains("\"task\": \"classify\""), json.constData());
    QVERIFY2(json.contains("Ramps_TEST.ts"), json.constData());
    auto *log = window.trainingDashboard()->findChild<QPlainTextEdit *>();
    QVERIFY(log);
    QVERIFY2(log->toPlainText().contains(QStringLiteral("training cases")),
             qPrintable(log->toPlainText()));
    QVERIFY2(log->toPlainText().contains(QStringLiteral("test accuracy")),
             qPrintable(log->toPlainText()));
}

void tst_MainWindowTraining::crossValidatesAndShowsTheFolds()
{
    // Cross-validation from the model panel through the real twb-cli: one folder of folds; the
    // Classification tab shows the fold table over the first fold, and a fold opens on demand.
    const QString train = writeRamps(m_dir.filePath(QStringLiteral("Folds_TRAIN.ts")), 12);
    QVERIFY(!train.isEmpty());
    ModelRegistry registry;
    MainWindow window;
    openWithSmallTst(window, registry, train, m_dir.filePath(QStringLiteral("cv-runs")));
    if (QTest::currentTestFailed())
        return;
    ModelPanel *panel = window.modelPanel();
    QVERIFY(panel->taskForm()->setValue(QStringLiteral("epochs"), 2));
    QVERIFY(panel->taskForm()->setValue(QStringLiteral("swa"), 2));
    QVERIFY(panel->taskForm()->setValue(QStringLiteral("cv"), QStringLiteral("3")));
    const Expected<TrainRequest> request = panel->request();
    QVERIFY2(request, qPrintable(request ? QString() : request.error().reason));
    // Training ▸ Open Finished Runs off: the results wait for Runs ▸ Open.
    auto *openFinished = window.findChild<QAction *>(QStringLiteral("actionOpenFinishedRuns"));
    QVERIFY(openFinished && openFinished->isChecked());
    openFinished->setChecked(false);
    QCOMPARE(QSettings().value(QLatin1String(MainWindow::OpenFinishedRunsKey)).toBool(), false);

    QSignalSpy ended(window.trainingController(), &TrainingController::runEnded);
    panel->train();
    QVERIFY(ended.wait(180000));
    QTest::qWait(200);
    QVERIFY(window.classificationView()->runDir().isEmpty());
    QCOMPARE(ended.first().at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Finished);
    const QString parent = ended.first().first().value<TrainRequest>().runDir;
    QVERIFY2(QFileInfo::exists(QDir(parent).filePath(QStringLiteral("cv.json"))),
             qPrintable(parent));
    // Every fold averaged its two epochs (SWA from epoch 2 of 2 = the last one alone).
    for (const QString &fold : {QStringLiteral("fold-1"), QStringLiteral("fold-2")}) {
        QFile status(QDir(parent).filePath(fold + QStringLiteral("/status.json")));
        QVERIFY2(status.open(QIODevice::ReadOnly), qPrintable(status.fileName()));
        QVERIFY(status.readAll().contains("\"weight_averaging\""));
    }

    window.openRun(parent);
    ClassificationView *view = window.classificationView();
    QVERIFY(view->foldTable()->isVisible());
    QTableWidget *table = view->foldTable()->tableWidget();
    QCOMPARE(table->rowCount(), 4);
    QCOMPARE(view->foldTable()->table().finished, 3);
    const QString first = view->foldTable()->table().folds[0].runDir;
    QTRY_COMPARE_WITH_TIMEOUT(view->runDir(), first, 20000);
    QCOMPARE(view->foldTable()->shownRow(), 0);
    Q_EMIT table->activated(table->model()->index(1, 0));
    const QString second = view->foldTable()->table().folds[1].runDir;
    QTRY_COMPARE_WITH_TIMEOUT(view->runDir(), second, 20000);
    QCOMPARE(view->foldTable()->shownRow(), 1);
    QVERIFY(view->foldTable()->isVisible());
}

void tst_MainWindowTraining::separatesSpeechFromASoundFolder()
{
    // FSDD opened in the window: separate is chosen as the objective, Conv-TasNet and the
    // separation settings go to the real twb-cli, the dashboard shows -SI-SNR and the result,
    // the Runs tab the test SI-SNRi.
    const QString fsdd = QStringLiteral(TWB_SHARED_DATA_DIR "/fsdd/recordings");
    if (!QFileInfo(fsdd).isDir())
        QSKIP(qPrintable(fsdd + " is missing (the shared data beside the clone)"));
    const QString cli = QDir(QStringLiteral(TWB_TEST_BIN_DIR)).filePath(QStringLiteral("twb-cli"));
    QVERIFY2(QFileInfo(cli).isExecutable(), qPrintable(cli + " is not built"));
    const QString workspace = m_dir.filePath(QStringLiteral("separate-runs"));
    QSettings settings;
    settings.setValue(QLatin1String(MainWindow::RunsDirectoryKey), workspace);
    settings.setValue(QLatin1String(MainWindow::CliProgramKey), cli);
    ModelRegistry registry;
    registry.scan({QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    QVERIFY2(registry.find(QStringLiteral("convtasnet")),
             "the convtasnet plugin is not built in " TWB_PLUGIN_BUILD_DIR);
    MainWindow window;
    window.setModelRegistry(registry, {QStringLiteral(TWB_PLUGIN_BUILD_DIR)});
    window.resize(1400, 1000);
    window.show();
    QSignalSpy labelled(&window, &MainWindow::labelledDataLoaded);
    window.openFile(fsdd);
    QVERIFY(labelled.wait(60000));
    ModelPanel *panel = window.modelPanel();
    QCOMPARE(panel->task(), Task::Classify);
    auto *objective = panel->taskForm()->findChild<QComboBox *>(QStringLiteral("hp_objective"));
    QVERIFY(objective);
    objective->setCurrentText(QStringLiteral("separate"));
    QTRY_COMPARE(panel->task(), Task::Separate);
    QCOMPARE(window.modelList()->selectedModel(), QStringLiteral("convtasnet"));
    const Expected<TrainRequest> defaults = panel->request();
    QVERIFY2(defaults, qPrintable(defaults ? QString() : defaults.error().reason));
    QCOMPARE(defaults->testGlob, QStringLiteral("*_[0-4].wav"));

    if (qEnvironmentVariableIsSet("TWB_SCREENSHOT_DIR")) {
        // The documentation's picture: the model panel alone at the window's height (the other
        // docks closed), scrolled to the top of the separation settings.
        auto *dock = window.findChild<QDockWidget *>(QStringLiteral("modelDock"));
        auto *scroll = panel->findChild<QScrollArea *>();
        auto *box = panel->findChild<QGroupBox *>(QStringLiteral("taskBox"));
        QVERIFY(dock && scroll && box);
        for (QDockWidget *other : window.findChildren<QDockWidget *>())
            if (other != dock)
                other->hide();
        QTest::qWait(300); // the layout settles; the panel's own scrolling is done
        scroll->verticalScrollBar()->setValue(box->mapTo(scroll->widget(), QPoint(0, 0)).y());
        QVERIFY(dock->grab().save(QDir(qEnvironmentVariable("TWB_SCREENSHOT_DIR"))
                                      .filePath(QStringLiteral("model-panel-separate.png"))));
    }

    // A tiny Conv-TasNet on quarter-second mixtures, few of them, one thread.
    HyperparameterForm *hp = panel->hyperparameterForm();
    for (const auto &[key, value] :
         {std::pair{"filters", 16}, std::pair{"bottleneck", 8}, std::pair{"hidden", 16},
          std::pair{"skip", 8}, std::pair{"blocks", 3}, std::pair{"repeats", 1}})
        QVERIFY2(hp->setValue(QLatin1String(key), value), key);
    HyperparameterForm *task = panel->taskForm();
    QVERIFY(task->setValue(QStringLiteral("mix_seconds"), 0.25));
    QVERIFY(task->setValue(QStringLiteral("train_mixtures"), 16));
    QVERIFY(task->setValue(QStringLiteral("val_mixtures"), 6));
    QVERIFY(task->setValue(QStringLiteral("test_mixtures"), 8));
    QVERIFY(task->setValue(QStringLiteral("epochs"), 2));
    QVERIFY(task->setValue(QStringLiteral("batch_size"), 4));
    Expected<TrainRequest> request = panel->request();
    QVERIFY2(request, qPrintable(request ? QString() : request.error().reason));
    request->threads = 1;
    QSignalSpy ended(window.trainingController(), &TrainingController::runEnded);
    window.trainingController()->enqueue(*request);
    TrainingDashboard *dashboard = window.trainingDashboard();
    QCOMPARE(dashboard->curves()->lossName(), QStringLiteral("\u2212SI-SNR (dB)"));
    QVERIFY(ended.wait(300000));
    auto *log = dashboard->findChild<QPlainTextEdit *>();
    QVERIFY(log);
    QCOMPARE(ended.first().at(1).value<TrainingDashboard::Outcome>(),
             TrainingDashboard::Outcome::Finished);
    QVERIFY2(
        log->toPlainText().contains(QStringLiteral("16 training mixtures per epoch, 6 "
                                                   "validation mixtures, 4 batches per epoch")),
        qPrintable(log->toPlainText()));
    QVERIFY2(log->toPlainText().contains(QStringLiteral("test SI-SNRi ")),
             qPrintable(log->toPlainText()));
    QCOMPARE(dashboard->curves()->valLossSeries()->count(), 2);

    // The run's configuration is the panel's; the runs table shows its SI-SNRi.
    QFile config(QDir(request->runDir).filePath(QStringLiteral("config.json")));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const QJsonObject c = QJsonDocument::fromJson(config.readAll()).object();
    QCOMPARE(c.value(QStringLiteral("task")).toString(), QStringLiteral("separate"));
    QCOMPARE(c.value(QStringLiteral("model")).toString(), QStringLiteral("convtasnet"));
    QCOMPARE(c.value(QStringLiteral("test-glob")).toString(), QStringLiteral("*_[0-4].wav"));
    QCOMPARE(c.value(QStringLiteral("train-mixtures")).toInteger(), 16);
    QCOMPARE(c.value(QStringLiteral("mix-seconds")).toDouble(), 0.25);
    QCOMPARE(c.value(QStringLiteral("sources")).toInteger(), 2);
    window.runsView()->refresh();
    RunsTableModel *runs = window.runsView()->model();
    QTRY_VERIFY(runs->rowOfDir(request->runDir) >= 0);
    const QString siSnri =
        runs->index(runs->rowOfDir(request->runDir), RunsTableModel::SiSnriColumn)
            .data()
            .toString();
    bool isNumber = false;
    siSnri.toDouble(&isNumber);
    QVERIFY2(isNumber, qPrintable(siSnri));
}

QTEST_MAIN(tst_MainWindowTraining)
#include "tst_mainwindowtraining.moc"
