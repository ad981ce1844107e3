#pragma once

#include "TrainRequest.h"
#include "TrainingEvents.h"

#include <QObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

class QTimer;

namespace twb {

/// One training run as a `twb-cli train` child process (DESIGN.md "a run is a process").
///
/// start() launches `<program> <request.arguments()> --progress jsonl --control stdin` and
/// returns at once; the JSON lines on stdout become the signals below. pause(), resume(),
/// step() and stop() write the command to the child's stdin; stop() lets the current batch
/// finish, writes a checkpoint and the child exits with 3 (interrupted). If it has not ended
/// `stopGraceMs` after stop(), it gets SIGTERM (QProcess::terminate, same checkpoint); a second
/// grace period later it is killed.
///
/// Exactly one of finished(), interrupted() or failed() ends every started run:
///   exit 0 → finished, exit 3 → interrupted, anything else (another code, a crash, a program
///   that does not start) → failed, with the reason and the last log lines.
/// The last `LogLines` lines of stderr and of stdout (batch events left out) are kept.
///
/// Threading: GUI thread; never blocks (QProcess signals only). The object owns the QProcess.
class TrainingProcess : public QObject
{
    Q_OBJECT

public:
    static constexpr int LogLines = 50;
    enum class State { Idle, Running, Stopping, Ended };

    explicit TrainingProcess(QObject *parent = nullptr);
    ~TrainingProcess() override;

    /// The twb-cli executable; default: "twb-cli" next to the running application.
    static QString defaultProgram();
    void setProgram(const QString &program) { m_program = program; }
    QString program() const { return m_program; }
    /// The child's environment; default: this process's environment.
    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }
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
    void started(const twb::TrainingStarted &event);
    void batch(const twb::TrainingBatch &event);
    void epoch(const twb::TrainingEpoch &event);
    void earlyStopped(const twb::TrainingEarlyStop &event);
    void done(const twb::TrainingDone &event);
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
    void readStdout();
    void readStderr();
    void handleLine(const QByteArray &line, bool fromStdout);
    void addLog(const QString &line);
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void sendCommand(const char *command);
    void end();

    QString m_program;
    QProcessEnvironment m_environment;
    int m_stopGraceMs = 15000;
    QProcess *m_process = nullptr;
    QTimer *m_stopTimer = nullptr;
    TrainRequest m_request;
    QStringList m_arguments;
    State m_state = State::Idle;
    bool m_paused = false;
    bool m_terminated = false;
    QByteArray m_stdoutBuffer, m_stderrBuffer;
    QStringList m_log;
    QString m_errorEvent;     ///< message of an {"event":"error"} line
    QString m_interruptEvent; ///< message of an {"event":"interrupted"} line
};

} // namespace twb
