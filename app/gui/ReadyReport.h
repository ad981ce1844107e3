#pragma once

class QWidget;

namespace twb {

/// The launch-time report of `twb --report-ready` (read by bench/bench_gui.cpp).
/// Threading: GUI thread.
namespace ReadyReport {

/// Records the moment main() starts (call first thing in main()).
void markMainEntered();

/// Once `window` is exposed and (with `waitForLoad`) the file given on the command line is
/// shown, paints it synchronously, prints one line to stdout
///   "twb-ready process_ms=<ms since the process started> main_ms=<ms since main()>"
/// and quits with 0 (1 when the file failed to load). process_ms comes from /proc/self/stat
/// (10 ms resolution); -1 where that is unavailable. `window` must be a MainWindow.
void reportWhenShown(QWidget *window, bool waitForLoad);

} // namespace ReadyReport

} // namespace twb
