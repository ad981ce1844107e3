// twb: the Transformer Workbench desktop application.
#include "MainWindow.h"
#include "blas/BlasStartup.h"
#include "client/ParametersJob.h"
#include "plugin/ModelRegistry.h"
#include "widgets/common/Theme.h"
#include "widgets/explain/ForwardPassPanel.h"
#include "widgets/explain/ForwardPassView.h"

#include "FineTuneController.h"
#include "PluginPreload.h"
#include "ReadyReport.h"
#include "lessons/LessonRunner.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QFutureWatcher>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>
#include <functional>
#include <memory>

namespace {

/// After `delayMs`, saves a picture of `window` to `file` and quits (0 on success).
void grabAndQuit(twb::MainWindow *window, const QString &file, int delayMs)
{
    QTimer::singleShot(delayMs, window, [window, file] {
        const bool ok = window->grab().save(file);
        std::fprintf(ok ? stdout : stderr, "twb: %s %s\n",
                     ok ? "screenshot saved to" : "cannot save screenshot to", qPrintable(file));
        QCoreApplication::exit(ok ? 0 : 1);
    });
}

/// Saves a picture of `window` once the file given on the command line has been shown (or
/// failed), then quits with 0 on success. Used for documentation screenshots.
void scheduleScreenshot(twb::MainWindow *window, const QString &file, bool waitForLoad,
                        bool waitForRun)
{
    // Let the chart re-decimate for its final size before grabbing.
    const auto grab = [window, file] {
        grabAndQuit(window, file, 400);
    };
    if (waitForRun) {
        QObject::connect(window, &twb::MainWindow::runShown, window, grab);
    } else if (waitForLoad) {
        QObject::connect(window, &twb::MainWindow::datasetLoaded, window, grab);
        QObject::connect(window, &twb::MainWindow::labelledDataLoaded, window, grab);
        QObject::connect(window, &twb::MainWindow::loadFailed, window, grab);
    } else {
        grab();
    }
}

/// Saves a picture of `window` once the fine-tune started by --fine-tune lists the model's
/// parameters (or could not), then quits: the documentation's picture of the fine-tune box.
void screenshotFineTune(twb::MainWindow *window, const QString &file)
{
    twb::FineTuneController *controller = window->fineTuneController();
    if (!controller) {
        grabAndQuit(window, file, 0);
        return;
    }
    // The first of the three signals takes the picture; a later one finds it taken.
    const auto grab = [window, file, taken = std::make_shared<bool>(false)] {
        if (*taken)
            return;
        *taken = true;
        grabAndQuit(window, file, 600);
    };
    QObject::connect(controller->parametersJob(), &twb::ParametersJob::computed, window, grab);
    QObject::connect(controller->parametersJob(), &twb::ParametersJob::failed, window, grab);
    QObject::connect(controller, &twb::FineTuneController::errorOccurred, window, grab);
}

/// Walks the lesson started in `window` to step `lastStep` (1-based), showing each question's
/// answer, then saves a picture (for the README's lesson screenshots) and quits.
void screenshotLessonStep(twb::MainWindow *window, int lastStep, const QString &file)
{
    twb::LessonRunner *runner = window->lessonRunner();
    const auto afterStep = [window, runner, lastStep, file] {
        if (runner->currentStep() + 1 < lastStep && runner->next())
            return;
        if (auto *answer = window->findChild<QPushButton *>(QStringLiteral("lessonShowAnswer"));
            answer && answer->isVisible())
            answer->click();
        grabAndQuit(window, file, 600);
    };
    QObject::connect(runner, &twb::LessonRunner::stepDone, window, afterStep);
    QObject::connect(runner, &twb::LessonRunner::stepFailed, window, afterStep);
}

/// Once the run given with --run is shown: opens its Forward pass tab, traces the first test
/// sample, scrolls to the stage named `stage` (a model's mechanism, say) and saves a picture of
/// the window with its docks hidden, then quits (1 when the trace fails or has no such stage).
void screenshotForwardStage(twb::MainWindow *window, const QString &stage, const QString &file)
{
    twb::ForwardPassPanel *panel = window->forwardPassPanel();
    QObject::connect(
        window, &twb::MainWindow::runShown, window,
        [window, panel] {
            auto *tabs = window->findChild<QTabWidget *>(QStringLiteral("centralTabs"));
            for (int i = 0; tabs && i < tabs->count(); ++i)
                if (tabs->widget(i)->isAncestorOf(panel))
                    tabs->setCurrentIndex(i);
            for (QDockWidget *dock : window->findChildren<QDockWidget *>())
                dock->hide();
            if (!panel->compute()) {
                std::fprintf(stderr, "twb: %s\n", qPrintable(panel->statusText()));
                QCoreApplication::exit(1);
            }
        },
        Qt::SingleShotConnection);
    QObject::connect(
        panel, &twb::ForwardPassPanel::traceShown, window, [window, panel, stage, file] {
            // Scrolled once the cards are laid out, a moment after the trace is shown.
            QTimer::singleShot(500, window, [window, panel, stage, file] {
                if (!panel->view()->scrollToStage(stage)) {
                    std::fprintf(stderr, "twb: the trace has no stage %s\n", qPrintable(stage));
                    QCoreApplication::exit(1);
                    return;
                }
                grabAndQuit(window, file, 500);
            });
        });
    QObject::connect(panel, &twb::ForwardPassPanel::failed, window, [](const QString &message) {
        std::fprintf(stderr, "twb: forward pass failed: %s\n", qPrintable(message));
        QCoreApplication::exit(1);
    });
}

} // namespace

int main(int argc, char *argv[])
{
    // First: it may restart the window with OPENBLAS_CORETYPE set, which the twb-cli children
    // then inherit (see core/blas).
    twb::blas::selectBlasCoreAtStartup(argv);
    twb::ReadyReport::markMainEntered();
    QApplication app(argc, argv);
    twb::useDarkThemeIfPreferred(); // Fusion and a dark palette when the system palette is dark
    QCoreApplication::setOrganizationName(QStringLiteral("TransformerWorkbench"));
    QCoreApplication::setApplicationName(QStringLiteral("twb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TWB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Transformer Workbench: transformer models on time series and signals."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("A CSV or HDF5 file to open (file.h5:/group/ds "
                                                "picks a data set)."),
                                 QStringLiteral("[file]"));
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QStringLiteral("Save a PNG of the window and quit."),
                                  QStringLiteral("png"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    QCommandLineOption run(QStringLiteral("run"),
                           QStringLiteral("Open a finished run folder (or a cross-validation's "
                                          "folder of folds) in its results tab."),
                           QStringLiteral("folder"));
    parser.addOption(run);
    QCommandLineOption fineTune(QStringLiteral("fine-tune"),
                                QStringLiteral("Open the model panel ready to fine-tune from the "
                                               "finished run in <dir> (a pretraining run, say)."),
                                QStringLiteral("dir"));
    parser.addOption(fineTune);
    QCommandLineOption lesson(QStringLiteral("lesson"),
                              QStringLiteral("Start a lesson (Help > Lessons), such as "
                                             "03-protocol."),
                              QStringLiteral("id"));
    parser.addOption(lesson);
    // With --screenshot: the picture is taken after this step of --lesson (1-based).
    QCommandLineOption lessonStep(QStringLiteral("lesson-step"),
                                  QStringLiteral("With --screenshot: the lesson step to show."),
                                  QStringLiteral("n"), QStringLiteral("1"));
    lessonStep.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(lessonStep);
    // With --screenshot and --run: the picture shows this stage of the Forward pass tab.
    QCommandLineOption forwardStage(QStringLiteral("forward-stage"),
                                    QStringLiteral("With --screenshot and --run: the Forward pass "
                                                   "stage to show."),
                                    QStringLiteral("name"));
    forwardStage.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(forwardStage);
    // For bench/bench_gui.cpp: print the launch time once the window shows the file, then quit.
    QCommandLineOption reportReady(QStringLiteral("report-ready"),
                                   QStringLiteral("Print the launch time and quit."));
    reportReady.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(reportReady);
    parser.process(app);

    twb::ModelRegistry registry;
    const QStringList searched = twb::ModelRegistry::defaultSearchPaths();
    twb::MainWindow window;
    // The plugins pull in LibTorch (about two seconds to load): their libraries load on a worker
    // thread once the window shows the file given (loading them meanwhile slows the window down:
    // the dynamic loader's lock is shared); the registry scan on the GUI thread then finds them in
    // memory. Screenshots wait for the models, to show the Model panel filled.
    QFutureWatcher<int> preload;
    bool preloadStarted = false;
    const auto startPreload = [&] {
        if (preloadStarted)
            return;
        preloadStarted = true;
        preload.setFuture(twb::preloadPluginLibraries(searched));
    };
    if (parser.isSet(screenshot)) {
        registry.scan(searched);
        window.setModelRegistry(registry, searched);
    } else {
        window.statusBar()->showMessage(QObject::tr("Loading model plugins…"));
        QObject::connect(&preload, &QFutureWatcher<int>::finished, &window, [&] {
            registry.scan(searched);
            window.setModelRegistry(registry, searched);
            if (window.statusBar()->currentMessage().startsWith(QLatin1String("Loading model")))
                window.statusBar()->clearMessage();
        });
        if (parser.positionalArguments().isEmpty()) {
            QTimer::singleShot(0, &window, startPreload);
        } else {
            QObject::connect(&window, &twb::MainWindow::datasetLoaded, &window,
                             [&] { QTimer::singleShot(100, &window, startPreload); });
            QObject::connect(&window, &twb::MainWindow::loadFailed, &window, startPreload);
        }
    }
    if (parser.isSet(screenshot))
        window.resize(1280, 800);
    window.show();

    const QStringList files = parser.positionalArguments();
    // Connected before opening: a sound file is shown at once, inside openFile().
    if (parser.isSet(screenshot) && parser.isSet(lesson))
        screenshotLessonStep(&window, parser.value(lessonStep).toInt(), parser.value(screenshot));
    else if (parser.isSet(screenshot) && parser.isSet(fineTune))
        screenshotFineTune(&window, parser.value(screenshot));
    else if (parser.isSet(screenshot) && parser.isSet(forwardStage) && parser.isSet(run))
        screenshotForwardStage(&window, parser.value(forwardStage), parser.value(screenshot));
    else if (parser.isSet(screenshot))
        scheduleScreenshot(&window, parser.value(screenshot), !files.isEmpty(), parser.isSet(run));
    if (parser.isSet(reportReady))
        twb::ReadyReport::reportWhenShown(&window, !files.isEmpty());
    if (!files.isEmpty())
        window.openFile(files.first());
    if (parser.isSet(run))
        window.openRun(parser.value(run));
    // After the plugins are known (at once for screenshots, which scan them first): the model
    // panel selects the fine-tuned run's model, a lesson's first step may select a model.
    const auto whenModelsKnown = [&](std::function<void()> start) {
        if (parser.isSet(screenshot))
            QTimer::singleShot(0, &window, start);
        else
            QObject::connect(&preload, &QFutureWatcher<int>::finished, &window, start);
    };
    if (parser.isSet(fineTune))
        whenModelsKnown([&window, dir = parser.value(fineTune)] { window.startFineTune(dir); });
    if (parser.isSet(lesson))
        whenModelsKnown([&window, id = parser.value(lesson)] { window.showLessons(id); });
    return app.exec();
}
