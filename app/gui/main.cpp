// twb: the Transformer Workbench desktop application.
#include "MainWindow.h"
#include "plugin/ModelRegistry.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include <cstdio>

namespace {

/// Saves a picture of `window` once the file given on the command line has been shown (or
/// failed), then quits with 0 on success. Used for documentation screenshots.
void scheduleScreenshot(twb::MainWindow *window, const QString &file, bool waitForLoad)
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
    if (waitForLoad) {
        QObject::connect(window, &twb::MainWindow::datasetLoaded, window, grab);
        QObject::connect(window, &twb::MainWindow::loadFailed, window, grab);
    } else {
        grab();
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("TransformerWorkbench"));
    QCoreApplication::setApplicationName(QStringLiteral("twb"));
    QCoreApplication::setApplicationVersion(QStringLiteral(TWB_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Transformer Workbench: transformer models on time series."));
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
    parser.process(app);

    twb::ModelRegistry registry;
    const QStringList searched = twb::ModelRegistry::defaultSearchPaths();
    registry.scan(searched);

    twb::MainWindow window;
    window.setModelRegistry(registry, searched);
    if (parser.isSet(screenshot))
        window.resize(1280, 800);
    window.show();

    const QStringList files = parser.positionalArguments();
    // Connected before opening: a sound file is shown at once, inside openFile().
    if (parser.isSet(screenshot))
        scheduleScreenshot(&window, parser.value(screenshot), !files.isEmpty());
    if (!files.isEmpty())
        window.openFile(files.first());
    return app.exec();
}
