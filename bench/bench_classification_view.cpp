// The classification view on a real run folder: time to open it (config.json + predictions.h5
// + metrics) and to paint it, and a PNG of it (the README screenshot of the confusion matrix).
//
//   ninja -C build twb-bench-classification-view
//   build/bin/twb-bench-classification-view RUN_DIR [--out view.png] [--size 1200x760]
//                                                   [--percent] [--cell TRUTH,PREDICTED]
//
// Offscreen by default (QT_QPA_PLATFORM=offscreen); run it under xvfb-run for the platform's
// fonts and style. --percent shows row percentages in the cells; --cell lists one confusion
// cell's cases instead of the misclassified ones.

#include "widgets/classify/ClassificationView.h"
#include "widgets/common/ViewExporter.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTextStream>

#include <cstdio>

using namespace twb;

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QTextStream out(stdout);
    QStringList args = app.arguments().mid(1);
    QString runDir, png;
    QSize size(1200, 760);
    bool percent = false;
    int cellTruth = -1, cellPredicted = -1;
    for (int i = 0; i < args.size(); ++i) {
        const QString a = args[i];
        if (a == "--out" && i + 1 < args.size()) {
            png = args[++i];
        } else if (a == "--size" && i + 1 < args.size()) {
            const QStringList wh = args[++i].split('x');
            if (wh.size() == 2)
                size = QSize(wh[0].toInt(), wh[1].toInt());
        } else if (a == "--percent") {
            percent = true;
        } else if (a == "--cell" && i + 1 < args.size()) {
            const QStringList tp = args[++i].split(',');
            if (tp.size() == 2) {
                cellTruth = tp[0].toInt();
                cellPredicted = tp[1].toInt();
            }
        } else if (!a.startsWith("--") && runDir.isEmpty()) {
            runDir = a;
        } else {
            std::fprintf(stderr, "unknown argument: %s\n", qPrintable(a));
            return 2;
        }
    }
    if (runDir.isEmpty()) {
        std::fprintf(stderr, "usage: twb-bench-classification-view RUN_DIR [--out view.png] "
                             "[--size WxH] [--percent] [--cell TRUTH,PREDICTED]\n");
        return 2;
    }

    ClassificationView view;
    view.resize(size);
    QElapsedTimer timer;
    timer.start();
    Expected<ClassificationRunData> run = readClassificationRun(runDir);
    if (!run) {
        std::fprintf(stderr, "%s\n", qPrintable(run.error().toString()));
        return 1;
    }
    view.setRun(*run);
    const double openMs = timer.nsecsElapsed() / 1e6;
    view.setShowRowPercent(percent);
    if (cellTruth >= 0)
        view.showCell(cellTruth, cellPredicted);
    view.show();
    QApplication::processEvents();
    timer.restart();
    const QPixmap first = view.grab();
    const double paintMs = timer.nsecsElapsed() / 1e6;
    timer.restart();
    constexpr int repaints = 20;
    for (int i = 0; i < repaints; ++i)
        view.grab();
    const double repaintMs = timer.nsecsElapsed() / 1e6 / repaints;

    out << "run            " << runDir << "\n"
        << "summary        " << view.summaryText() << "\n"
        << "classes        " << view.predictions()->classes << ", cases "
        << view.predictions()->cases << "\n"
        << "open           " << QString::number(openMs, 'f', 1) << " ms\n"
        << "first paint    " << QString::number(paintMs, 'f', 1) << " ms (" << size.width() << "x"
        << size.height() << ")\n"
        << "repaint        " << QString::number(repaintMs, 'f', 1) << " ms (mean of " << repaints
        << ")\n";
    if (!png.isEmpty()) {
        if (Status s = ViewExporter::savePng(&view, png); !s) {
            std::fprintf(stderr, "%s\n", qPrintable(s.error().toString()));
            return 1;
        }
        out << "saved          " << png << "\n";
    }
    return first.isNull() ? 1 : 0;
}
