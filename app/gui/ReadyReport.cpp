#include "ReadyReport.h"

#include "MainWindow.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>
#include <QWindow>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <unistd.h>

namespace twb::ReadyReport {

namespace {

std::chrono::steady_clock::time_point mainEntered = std::chrono::steady_clock::now();

/// Milliseconds since this process started: CLOCK_BOOTTIME minus the start time of
/// /proc/self/stat (field 22, clock ticks after boot); -1 when unavailable.
double msSinceProcessStart()
{
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return -1.0;
    const QByteArray text = stat.readAll();
    // Field 2 (the command) may hold spaces; the fields after it follow its closing ')'.
    // After ')' the list starts at field 3 (state), so field 22 (starttime) is at index 19.
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    constexpr int firstFieldAfterCommand = 3;
    constexpr int startTimeField = 22;
    bool ok = false;
    const double ticks = fields.value(startTimeField - firstFieldAfterCommand).toDouble(&ok);
    const long hz = sysconf(_SC_CLK_TCK);
    timespec now{};
    if (!ok || hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) != 0)
        return -1.0;
    const double nowMs = double(now.tv_sec) * 1e3 + double(now.tv_nsec) / 1e6;
    return nowMs - ticks * 1e3 / double(hz);
}

void reportWhenExposed(QWidget *window)
{
    if (!window->windowHandle() || !window->windowHandle()->isExposed()) {
        QTimer::singleShot(1, window, [window] { reportWhenExposed(window); });
        return;
    }
    window->repaint(); // the frame with the data set, painted now
    const double mainMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - mainEntered)
            .count();
    std::printf("twb-ready process_ms=%.1f main_ms=%.1f\n", msSinceProcessStart(), mainMs);
    std::fflush(stdout);
    QCoreApplication::exit(0);
}

} // namespace

void markMainEntered()
{
    mainEntered = std::chrono::steady_clock::now();
}

void reportWhenShown(QWidget *window, bool waitForLoad)
{
    auto *mw = qobject_cast<MainWindow *>(window);
    if (!waitForLoad || !mw) {
        reportWhenExposed(window);
        return;
    }
    QObject::connect(mw, &MainWindow::datasetLoaded, mw, [mw] { reportWhenExposed(mw); });
    QObject::connect(mw, &MainWindow::loadFailed, mw, [](const QString &, const QString &m) {
        std::fprintf(stderr, "twb: %s\n", qPrintable(m));
        QCoreApplication::exit(1);
    });
}

} // namespace twb::ReadyReport
