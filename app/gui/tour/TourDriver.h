#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>

namespace twb {

class MainWindow;

/// What the tour opens and trains; every path absolute.
struct TourOptions
{
    QString outDir; ///< screenshots go here (created)
    QString sample; ///< the bundled sample CSV ("01-sample")
    QString etth1;  ///< ETTh1.csv ("02-inspect", trained on)
    QString model = QStringLiteral("dlinear");
    int epochs = 3;
    int lookback = 96;
    int horizon = 24;
    int batchSize = 64;
    int timeoutSec = 900; ///< the whole tour
};

/// Drives a real MainWindow through open sample → inspect ETTh1 → train (a real `twb-cli
/// train` child through the Train action) → forecast of the finished run → runs table, saving a
/// QWidget::grab of the window after each step ("01-sample.png" ... "05-runs.png", plus
/// "03-training-live.png" while curves stream; "06-explain.png" and "07-whatif.png", the Explain
/// tab and its what-if panel after an edit, docks hidden, for models with attention), then exports
/// the forecast view (PNG/SVG/CSV) and the run's HDF5 bundle through the window's export functions.
///
/// Every wait is asynchronous (signals and timers); finished() reports success or the step that
/// failed. Threading: GUI thread.
class TourDriver : public QObject
{
    Q_OBJECT

public:
    TourDriver(MainWindow *window, TourOptions options, QObject *parent = nullptr);

    void start();

Q_SIGNALS:
    void finished(bool ok, const QString &message);

private:
    void openSample();
    void openEtth1();
    void inspect();
    void train();
    void showForecast();
    void forecastBeyond();
    void showRuns();
    void explain();
    void exportAll();

    /// Runs `next` after `ms` of idle event loop (the chart re-decimates for its size).
    void settle(int ms, std::function<void()> next);
    bool shoot(const QString &name);
    void fail(const QString &message);
    void log(const QString &text) const;

    MainWindow *m_window;
    TourOptions m_options;
    QString m_runDir;
    QElapsedTimer m_clock;
    QTimer m_watchdog;
    bool m_done = false;
    bool m_liveShot = false;
};

} // namespace twb
