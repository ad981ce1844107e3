// twb-tour: drives the real workbench window through open → inspect → train → forecast → runs
// and saves a screenshot of each step (scripts/tour.sh runs it under Xvfb).
#include "MainWindow.h"
#include "SampleData.h"
#include "TourDriver.h"
#include "plugin/ModelRegistry.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSettings>

#include <cstdio>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // Its own settings: the tour never changes the user's window layout or workspace.
    QCoreApplication::setOrganizationName(QStringLiteral("TransformerWorkbench"));
    QCoreApplication::setApplicationName(QStringLiteral("twb-tour"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Drives the workbench window through open sample -> inspect ETTh1 -> train -> forecast "
        "-> runs and saves a PNG of the window after each step."));
    parser.addHelpOption();
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("Screenshot folder."),
                                 QStringLiteral("dir"));
    const QCommandLineOption workspace(QStringLiteral("workspace"),
                                       QStringLiteral("Runs folder (created)."),
                                       QStringLiteral("dir"));
    const QCommandLineOption etth1(QStringLiteral("etth1"), QStringLiteral("ETTh1.csv."),
                                   QStringLiteral("csv"));
    const QCommandLineOption sample(QStringLiteral("sample"),
                                    QStringLiteral("Sample CSV (default: the bundled co2.csv)."),
                                    QStringLiteral("csv"));
    const QCommandLineOption model(QStringLiteral("model"),
                                   QStringLiteral("Model to train (default dlinear)."),
                                   QStringLiteral("id"), QStringLiteral("dlinear"));
    const QCommandLineOption epochs(QStringLiteral("epochs"), QStringLiteral("Epochs (default 3)."),
                                    QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption lookback(QStringLiteral("lookback"),
                                      QStringLiteral("Lookback (default 96)."), QStringLiteral("n"),
                                      QStringLiteral("96"));
    const QCommandLineOption cli(
        QStringLiteral("cli"), QStringLiteral("twb-cli to train with (default: beside twb-tour)."),
        QStringLiteral("program"));
    parser.addOptions({out, workspace, etth1, sample, model, epochs, lookback, cli});
    parser.process(app);
    if (!parser.isSet(out) || !parser.isSet(workspace) || !parser.isSet(etth1)) {
        std::fprintf(stderr, "twb-tour: --out, --workspace and --etth1 are required\n");
        return 2;
    }

    twb::TourOptions options;
    options.outDir = QDir(parser.value(out)).absolutePath();
    options.etth1 = QFileInfo(parser.value(etth1)).absoluteFilePath();
    options.model = parser.value(model);
    options.epochs = parser.value(epochs).toInt();
    options.lookback = parser.value(lookback).toInt();
    if (parser.isSet(sample)) {
        options.sample = QFileInfo(parser.value(sample)).absoluteFilePath();
    } else {
        for (const twb::SampleInfo &s : twb::findSamples())
            if (QFileInfo(s.path).fileName() == QLatin1String("co2.csv"))
                options.sample = s.path;
        if (options.sample.isEmpty()) {
            std::fprintf(stderr,
                         "twb-tour: no bundled co2.csv in %s (run "
                         "scripts/fetch-samples.sh); give --sample\n",
                         qPrintable(twb::sampleDirectories().join(QLatin1String(", "))));
            return 1;
        }
    }
    if (!QFileInfo::exists(options.etth1)) {
        std::fprintf(stderr, "twb-tour: %s: no such file\n", qPrintable(options.etth1));
        return 1;
    }
    if (options.epochs < 1 || options.lookback < 1) {
        std::fprintf(stderr, "twb-tour: --epochs and --lookback must be positive\n");
        return 2;
    }

    {
        QSettings settings;
        settings.clear(); // a fresh window: default layout, no recent files
        settings.setValue(QLatin1String(twb::MainWindow::RunsDirectoryKey),
                          QDir(parser.value(workspace)).absolutePath());
        if (parser.isSet(cli))
            settings.setValue(QLatin1String(twb::MainWindow::CliProgramKey),
                              QFileInfo(parser.value(cli)).absoluteFilePath());
    }
    QDir().mkpath(parser.value(workspace));

    twb::ModelRegistry registry;
    const QStringList searched = twb::ModelRegistry::defaultSearchPaths();
    registry.scan(searched);
    if (!registry.find(options.model)) {
        std::fprintf(stderr, "twb-tour: no plugin \"%s\" in %s\n", qPrintable(options.model),
                     qPrintable(searched.join(QLatin1String(", "))));
        return 1;
    }

    twb::MainWindow window;
    window.setModelRegistry(registry, searched);
    window.resize(1400, 900);
    window.show();

    twb::TourDriver tour(&window, options);
    int code = 1;
    QObject::connect(&tour, &twb::TourDriver::finished, &app,
                     [&code](bool ok, const QString &message) {
                         if (!ok)
                             std::fprintf(stderr, "twb-tour: %s\n", qPrintable(message));
                         code = ok ? 0 : 1;
                         QCoreApplication::exit(code);
                     });
    tour.start();
    app.exec();
    return code;
}
