#pragma once

#include "TrainRequest.h"
#include "protocol/TrainingMessages.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

class QTimer;

namespace twb {

class CliProcess;
struct CliExit;

/// One training run as a `twb-cli train` child process (DESIGN.md "a run is a process").
///
/// start() launches `<program> <request.arguments()> --progress jsonl --control stdin` and
/// returns at once; the JSON lines on stdout become the signals below. pause(), resume(),
/// step() and stop() write the command to the child's stdin; stop() lets the current batch
/// finish, writes a checkpoint and the child exits with 3 (interrupted). If it has not ended
/// `stopGraceMs` after stop(), it gets SIGTERM (same checkpoint); a second grace period later
/// it is killed (CliProcess::terminateThenKill).
///
/// Exactly one of finished(), interrupted() or failed() ends every started run:
///   exit 0 → finished, exit 3 → interrupted, anything else (another code, a crash, a program
///   that does not start) → failed, with the reason and the last log lines.
/// The last `LogLines` lines of stderr and of stdout (batch events left out) are kept.
///
/// Threading: GUI thread (or any thread with an event loop); never blocks, except when it is
/// destroyed during a run (CliProcess's destructor: SIGTERM, then SIGKILL after 3 s).
/// Ownership: owns its CliProcess, which owns the child.
class TrainingProcess : public QObject
{
    Q_OBJECT

public:
    static constexpr int LogLines = 50;
    enum class State { Idle, Running, Stopping, Ended };

    explicit TrainingProcess(QObject *parent = nullptr);
    ~TrainingProcess() override;

    /// The twb-cli executable; default: "twb-cli" next to the running application
    /// (CliProcess::defaultProgram()).
    static QString defaultProgram();
    void setProgram(const QString &program);
    QString program() const;
    /// The child's environment; default: this process's environment.
    void setEnvironment(const QProcessEnvironment &environment);
    void setStopGraceMs(int ms) { m_stopGraceMs = ms; }

    /// Starts the run; false (and nothing started) when a run is active already.
    bool start(const TrainRequest &request);
    const TrainRequest &request() const { return m_request; }
    /// The full argument list given to the program of the current/last run.
    QStringList arguments() const { return m_arguments; }

    State state() const { return m_state; }
    bool isActive() const { return m_state == State::Running || m_state == State::Stopping; }
    bool isPaused() const { return m_paused; }
    QStringList lastLines() const { return m_log; }

    void pause();
    void resume();
    void step();
    void stop();

Q_SIGNALS:
    void started(const twb::TrainStartEvent &event);
    void batch(const twb::BatchEvent &event);
    void epoch(const twb::EpochEvent &event);
    void earlyStopped(const twb::EarlyStopEvent &event);
    void done(const twb::TrainDoneEvent &event);
    /// An {"event":"error"} line (the process then ends with failed()).
    void error(const QString &message);
    /// A new log line (stderr, or stdout other than batch events).
    void logLine(const QString &line);
    void pausedChanged(bool paused);

    void finished();
    /// Stopped with a checkpoint: `--run-dir DIR --resume` continues it.
    void interrupted(const QString &message);
    /// `message` names the reason; the log lines follow it.
    void failed(const QString &message, const QStringList &lastLines);

private:
    void handleOutputLine(const QByteArray &line);
    void addLog(const QString &line);
    void onEnded(const CliExit &exit);
    QString failureReason(const CliExit &exit) const;
    void sendCommand(const char *command);
    void end();

    int m_stopGraceMs = 15000;
    CliProcess *m_cli = nullptr;
    QTimer *m_stopTimer = nullptr;
    TrainRequest m_request;
    QStringList m_arguments;
    State m_state = State::Idle;
    bool m_paused = false;
    bool m_terminated = false;
    QStringList m_log;
    QString m_errorEvent;     ///< message of an {"event":"error"} line
    QString m_interruptEvent; ///< message of an {"event":"interrupted"} line
};

} // namespace twb
