#pragma once

#include "client/TrainRequest.h"
#include "protocol/TrainingMessages.h"
#include "widgets/common/CsvExportable.h"

#include <QList>
#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLayout;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace twb {

class TrainingCurves;

/// The training dashboard: the live curves of the current run (TrainingCurves: loss per batch
/// and per epoch, learning rate; log scale and smoothing options; a separation run's loss is
/// −SI-SNR in dB, named so, negative and on a linear axis), a progress bar with
/// epoch/batch and ETA, samples per second, pause / resume / single step / stop, the runs
/// waiting in the queue and the run's log. When a run fails it shows the reason and the run's
/// last log lines.
///
/// A view: it is told what happens (a run starts, its progress events, its log lines, how it
/// ended, what waits in the queue, which controls apply) and emits what the user asks for. It
/// starts no process; app/gui's TrainingController runs the queue and feeds it.
///
/// Threading: GUI thread only.
class TrainingDashboard : public QWidget, public CsvExportable
{
    Q_OBJECT

public:
    enum class Outcome { Finished, Interrupted, Failed };
    Q_ENUM(Outcome)

    explicit TrainingDashboard(QWidget *parent = nullptr);
    ~TrainingDashboard() override;

    /// The current run's curves (TrainingCurves::csvTable).
    CsvTable csvTable() const override;

    TrainingCurves *curves() const { return m_curves; }
    /// The status line ("Running ...", "Finished ...", "Failed: ...").
    QString statusText() const;
    /// The log lines shown (the current or last run's).
    QString logText() const;

    /// The result of a run in words ("best epoch 2, test MSE ...", "... test accuracy ...",
    /// "... test SI-SNRi 9.1 dB ..."), as the log and the status line show it.
    static QString resultText(const TrainDoneEvent &event);

    /// A run taken from the queue starts: the curves, the log and the progress start over.
    void showRunStarting(const TrainRequest &request);
    void showTrainStart(const TrainStartEvent &event);
    void showBatch(const BatchEvent &event);
    void showEpoch(const EpochEvent &event);
    void showEarlyStop(const EarlyStopEvent &event);
    void showDone(const TrainDoneEvent &event);
    /// A line of the run's log, in words.
    void appendLog(const QString &line);
    /// The status line of the running `request` while paused or running again.
    void showPaused(const TrainRequest &request, bool paused);
    void showStopping(const TrainRequest &request);
    /// The run ended: `message` is its result, the interruption or the failure reason; a
    /// failure also lists `lastLines`, the run's last log lines in words.
    void showRunEnded(const TrainRequest &request, Outcome outcome, const QString &message,
                      const QStringList &lastLines);
    /// Which controls apply: pause while running, resume and step while paused, stop while
    /// running.
    void setControlState(bool running, bool paused);
    /// The runs waiting behind the current one, the next first.
    void setQueue(const QList<TrainRequest> &queued);

Q_SIGNALS:
    void pauseRequested();
    void resumeRequested();
    void stepRequested();
    void stopRequested();
    void clearQueueRequested();

private:
    QLayout *buildControls();
    QLayout *buildProgress();
    QWidget *buildCharts();
    QWidget *buildQueueAndLog();
    void connectControls();
    void setStatus(const QString &text, bool problem);
    /// A separation run (its loss is −SI-SNR in dB, negative: no log scale) or another.
    void setSeparation(bool on);

    TrainingCurves *m_curves = nullptr;
    std::int64_t m_epochs = 0;
    bool m_separation = false; ///< the current run separates speech (task "separate")

    QLabel *m_status = nullptr;
    QLabel *m_speed = nullptr;
    QLabel *m_lastLoss = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_pause = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_step = nullptr;
    QPushButton *m_stop = nullptr;
    QCheckBox *m_logScale = nullptr;
    QDoubleSpinBox *m_smoothing = nullptr;
    QListWidget *m_queueList = nullptr;
    QPushButton *m_clearQueue = nullptr;
    QPlainTextEdit *m_log = nullptr;
};

} // namespace twb
