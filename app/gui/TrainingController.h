#pragma once

#include "client/TrainRequest.h"
#include "widgets/training/TrainingDashboard.h"

#include <QObject>
#include <QPointer>
#include <QProcessEnvironment>
#include <QString>

namespace twb {

class RunQueue;
class TrainingProcess;

/// Runs the Training tab: the queue of training runs (RunQueue), executed one after another as
/// `twb-cli train` children (TrainingProcess), shown in a TrainingDashboard (Sonic
/// Visualiser's svapp between its clients and the view).
///
/// enqueue() adds a run; it starts at once when nothing runs, otherwise when the current one
/// has ended (finished, stopped or failed: a failure does not stop the queue). The run's events
/// and log lines go to the dashboard as they come; the dashboard's buttons, and the slots below
/// (the Training menu), go to the run.
///
/// Threading: GUI thread; nothing blocks (the runs are other processes).
/// Ownership: owns the queue and the TrainingProcess; the dashboard is not owned and may be
/// destroyed first (the window's tabs go before it).
class TrainingController : public QObject
{
    Q_OBJECT

public:
    /// Feeds `dashboard` from now on.
    explicit TrainingController(TrainingDashboard *dashboard, QObject *parent = nullptr);
    ~TrainingController() override;

    /// The twb-cli executable and its environment for the next runs (see TrainingProcess).
    void setCliProgram(const QString &program);
    void setProcessEnvironment(const QProcessEnvironment &environment);

    /// Queues a run; it starts at once when nothing runs.
    void enqueue(const TrainRequest &request);
    /// Runs waiting behind the current one.
    int queuedCount() const;
    bool isRunning() const;

    TrainingProcess *process() const { return m_process; }
    RunQueue *queue() const { return m_queue; }
    TrainingDashboard *dashboard() const { return m_dashboard; }

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
    void connectProcess();
    void connectDashboard();
    void startNext();
    void onEnded(TrainingDashboard::Outcome outcome, const QString &message);
    void updateControls();

    QPointer<TrainingDashboard> m_dashboard;
    TrainingProcess *m_process = nullptr;
    RunQueue *m_queue = nullptr;
    QString m_result; ///< the current run's result in words (its done event)
};

} // namespace twb
