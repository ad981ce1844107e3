#pragma once

#include "CsvExportable.h"
#include "TrainRequest.h"
#include "TrainingEvents.h"

#include <QProcessEnvironment>
#include <QWidget>

#include <deque>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace twb {

class TrainingCurves;
class TrainingProcess;

/// The training dashboard: a queue of runs, executed one after another as `twb-cli train`
/// child processes (TrainingProcess), with the live curves of the current one
/// (TrainingCurves: loss per batch and per epoch, learning rate; log scale and smoothing
/// options), a progress bar with epoch/batch and ETA, samples per second, and pause / resume /
/// single step / stop. When a run fails (bad data, a crash, a non-zero exit) the dashboard
/// shows the reason and the run's last log lines and goes on with the next queued run.
///
/// Threading: GUI thread only; nothing here blocks (the runs are other processes).
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

    /// The twb-cli executable and its environment for the next runs (see TrainingProcess).
    void setCliProgram(const QString &program);
    void setProcessEnvironment(const QProcessEnvironment &environment);

    /// Queues a run; it starts at once when nothing runs.
    void enqueue(const TrainRequest &request);
    /// Runs waiting behind the current one.
    int queuedCount() const { return int(m_queue.size()); }
    bool isRunning() const;

    TrainingProcess *process() const { return m_process; }
    TrainingCurves *curves() const { return m_curves; }
    /// The status line ("Running ...", "Finished ...", "Failed: ...").
    QString statusText() const;
    /// The log lines shown (the current or last run's).
    QString logText() const;

public Q_SLOTS:
    void pause();
    void resume();
    void step();
    /// Stops the current run with a checkpoint; queued runs still follow.
    void stop();
    void clearQueue();

Q_SIGNALS:
    void runStarted(const twb::TrainRequest &request);
    /// `message`: test metrics, the interruption or the failure reason.
    void runEnded(const twb::TrainRequest &request, twb::TrainingDashboard::Outcome outcome,
                  const QString &message);
    /// The dashboard wants to be seen (a run started or failed).
    void attentionRequested();

private:
    void startNext();
    void onStarted(const TrainingStarted &event);
    void onBatch(const TrainingBatch &event);
    void onEpoch(const TrainingEpoch &event);
    void onDone(const TrainingDone &event);
    void onEnded(Outcome outcome, const QString &message);
    void updateButtons();
    void updateQueueList();
    void setStatus(const QString &text, bool problem);

    TrainingProcess *m_process = nullptr;
    TrainingCurves *m_curves = nullptr;
    std::deque<TrainRequest> m_queue;
    std::int64_t m_epochs = 0;
    std::int64_t m_startEpoch = 1;
    QString m_result; ///< "test MSE ..." of the done event

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

/// "42s", "3m05s", "1h02m"; "?" for a negative or non-finite value.
QString formatDuration(double seconds);

} // namespace twb
