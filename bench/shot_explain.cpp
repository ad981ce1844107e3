// Screenshots of the Explain and Forward pass tabs' views on real files, for the README, with
// the time to load and show each file (offscreen; the same code path as the window: the file
// read as the explain clients read it, then shown by the panel).
//
// Usage: twb-shot-explain attention ATTN.h5 OUT.png [layer head query [rollout]]
//        twb-shot-explain forward TRACE.h5 OUT.png [STAGE]   (STAGE's card at the top)
//        twb-shot-explain whatif RUN INDEX OUT.png [input ROWS COLS] [rows R0 R1 | head L H]...
//          (the what-if panel talking to twb-cli next to this program: the sample's prediction
//          before and after masking rows [R0, R1) of every column and switching heads off)
#include "ExplainController.h"
#include "client/AttentionJob.h"
#include "widgets/explain/AttentionExplorer.h"
#include "widgets/explain/AttentionPanel.h"
#include "widgets/explain/ForwardPassPanel.h"
#include "widgets/explain/ForwardPassView.h"
#include "widgets/explain/WhatIfPanel.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <cstdio>

using namespace twb;

namespace {

int shoot(QWidget &panel, const QString &out, QSize size)
{
    panel.resize(size);
    panel.show();
    QCoreApplication::processEvents();
    const bool saved = panel.grab().save(out);
    std::printf("%s %s\n", saved ? "saved" : "cannot save", qPrintable(out));
    return saved ? 0 : 1;
}

/// The what-if panel on a real run: the original prediction, then the edits of `edits`.
int shootWhatIf(const QStringList &args)
{
    WhatIfPanel panel;
    ExplainController controller;
    controller.attach(&panel);
    panel.setRun(args[1]);
    int shown = 0;
    bool failed = false;
    QEventLoop loop;
    QObject::connect(&panel, &WhatIfPanel::resultShown, &loop, [&] {
        ++shown;
        loop.quit();
    });
    QObject::connect(&panel, &WhatIfPanel::failed, &loop, [&] {
        failed = true;
        loop.quit();
    });
    QElapsedTimer timer;
    timer.start();
    int inputRows = 100000;
    for (qsizetype i = 4; i + 2 < args.size(); i += 3)
        if (args[i] == QLatin1String("input"))
            inputRows = args[i + 1].toInt();
    panel.setSample(args[2].toLongLong(), {}, -1, inputRows, {});
    const auto wait = [&](int count) {
        while (shown < count && !failed && timer.elapsed() < 120000) {
            QTimer::singleShot(1000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return shown >= count;
    };
    if (!wait(1)) {
        std::fprintf(stderr, "no prediction: %s\n", qPrintable(panel.statusText()));
        return 1;
    }
    std::printf("original prediction after %.0f ms (starting twb-cli and loading the run)\n",
                double(timer.nsecsElapsed()) / 1e6);
    for (qsizetype i = 4; i + 2 < args.size(); i += 3) {
        if (args[i] == QLatin1String("rows"))
            panel.addRegion(args[i + 1].toLongLong(), args[i + 2].toLongLong(), 0, -1);
        else if (args[i] == QLatin1String("head"))
            panel.addHeadOff(args[i + 1].toInt(), args[i + 2].toInt());
    }
    if (!panel.edits().empty()) {
        timer.restart();
        if (!wait(2)) {
            std::fprintf(stderr, "no edited prediction: %s\n", qPrintable(panel.statusText()));
            return 1;
        }
        std::printf("edited prediction after %.0f ms\n", double(timer.nsecsElapsed()) / 1e6);
    }
    std::printf("%s\n", qPrintable(panel.statusText()));
    return shoot(panel, args[3], {1300, 520});
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: twb-shot-explain attention|forward FILE.h5 OUT.png "
                             "[layer head query [rollout]]\n");
        return 2;
    }
    if (args[0] == QLatin1String("whatif"))
        return args.size() >= 4 ? shootWhatIf(args) : 2;
    QElapsedTimer timer;
    if (args[0] == QLatin1String("forward")) {
        ForwardPassPanel panel;
        timer.start();
        const Expected<explain::ForwardTrace> trace = explain::readForwardFile(args[1]);
        if (!trace) {
            std::fprintf(stderr, "%s\n", qPrintable(trace.error().toString()));
            return 1;
        }
        panel.showTrace(*trace, args[1]);
        std::printf("forward trace shown in %.0f ms\n", double(timer.nsecsElapsed()) / 1e6);
        if (args.size() < 4)
            return shoot(panel, args[2], {1500, 1000});
        // The card of stage args[3] at the top.
        panel.resize(1500, 1000);
        panel.show();
        QCoreApplication::processEvents();
        if (!panel.view()->scrollToStage(args[3])) {
            std::fprintf(stderr, "no stage %s in %s\n", qPrintable(args[3]), qPrintable(args[1]));
            return 1;
        }
        return shoot(panel, args[2], {1500, 1000});
    }
    AttentionPanel panel;
    timer.start();
    Expected<AttentionResult> read = AttentionJob::read(args[1]);
    if (!read) {
        std::fprintf(stderr, "%s\n", qPrintable(read.error().toString()));
        return 1;
    }
    panel.showAttention(std::move(read->set), std::move(read->saliency), args[1]);
    AttentionExplorer *explorer = panel.explorer();
    explorer->waitForDerived();
    std::printf("attention shown, averages and rollout ready in %.0f ms\n",
                double(timer.nsecsElapsed()) / 1e6);
    if (args.size() >= 6) {
        AttentionSelection selection;
        selection.layer = args[3].toInt();
        selection.head = args[4].toInt();
        if (args.size() >= 7 && args[6] == QLatin1String("rollout"))
            selection.mode = AttentionMode::Rollout;
        explorer->setSelection(selection);
        explorer->setQuery(args[5].toInt());
    }
    // TWB_SHOT_HEIGHT: a taller picture, for inputs that need room (a mixture's spectrogram).
    const int height = qEnvironmentVariableIntValue("TWB_SHOT_HEIGHT");
    return shoot(panel, args[2], {1500, height > 0 ? height : 950});
}
