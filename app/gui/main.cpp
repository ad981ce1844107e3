// twb: the Transformer Workbench desktop application.
#include "MainWindow.h"
#include "blas/BlasStartup.h"
#include "plugin/ModelRegistry.h"
#include "widgets/common/Theme.h"

#include "PluginPreload.h"
#include "ReadyReport.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFutureWatcher>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>

namespace {

/// Saves a picture of `window` once the file given on the command line has been shown (or
/// failed), then quits with 0 on success. Used for documentation screenshots.
void scheduleScreenshot(twb::MainWindow *window, const QString &file, bool waitForLoad,
                        bool waitForRun)
{
    const auto grab = [window, file] {
        // Let the chart re-decimate for its final size before grabbing.
        QTimer::singleShot(400, window, [window, file] {
            const bool ok = window->grab().save(file);
            std::fprintf(ok ? stdout : stderr, "twb: %s %s\n",
                         ok ? "screenshot saved to" : "cannot save screenshot to",
                         qPrintable(file));
            QCoreApplication::exit(ok ? 0 : 1);
        });
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
    if (parser.isSet(screenshot))
        scheduleScreenshot(&window, parser.value(screenshot), !files.isEmpty(), parser.isSet(run));
    if (parser.isSet(reportReady))
        twb::ReadyReport::reportWhenShown(&window, !files.isEmpty());
    if (!files.isEmpty())
        window.openFile(files.first());
    if (parser.isSet(run))
        window.openRun(parser.value(run));
    return app.exec();
}
