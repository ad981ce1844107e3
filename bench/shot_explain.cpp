// Screenshots of the Explain and Forward pass tabs' views on real files, for the README, with
// the time to load and show each file (offscreen; the same code path as the window: the panels'
// loadFile).
//
// Usage: twb-shot-explain attention ATTN.h5 OUT.png [layer head query [rollout]]
//        twb-shot-explain forward TRACE.h5 OUT.png
#include "widgets/AttentionExplorer.h"
#include "widgets/AttentionPanel.h"
#include "widgets/ForwardPassPanel.h"

#include <QApplication>
#include <QElapsedTimer>

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
    QString error;
    QElapsedTimer timer;
    if (args[0] == QLatin1String("forward")) {
        ForwardPassPanel panel;
        timer.start();
        if (!panel.loadFile(args[1], &error)) {
            std::fprintf(stderr, "%s\n", qPrintable(error));
            return 1;
        }
        std::printf("forward trace shown in %.0f ms\n", double(timer.nsecsElapsed()) / 1e6);
        return shoot(panel, args[2], {1500, 1000});
    }
    AttentionPanel panel;
    timer.start();
    if (!panel.loadFile(args[1], &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
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
    return shoot(panel, args[2], {1500, 950});
}
