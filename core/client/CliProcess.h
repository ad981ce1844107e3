#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <optional>

class QProcess;
class QTimer;

namespace twb {

/// How a `twb-cli` child ended (CliProcess::ended). Plain data, any thread.
struct CliExit
{
    enum class Kind {
        Exited,     ///< the child exited by itself; `code` is its exit code
        Crashed,    ///< a signal ended it (a crash, or terminate()/kill() from here)
        NotStarted, ///< the program could not be started (missing, not executable …)
    };
    Kind kind = Kind::Exited;
    int code = 0;        ///< the exit code (Exited), 0 otherwise
    QString reason;      ///< why (Crashed, NotStarted), as the system says it
    bool killed = false; ///< Crashed after kill() or the SIGKILL of terminateThenKill()
    int signal = 0;      ///< Crashed: the number of the signal that ended the child

    bool ok() const { return kind == Kind::Exited && code == 0; }
};

/// The last `count` non-empty lines of `lines`, trimmed and joined by spaces (for one-line
/// messages: twb-cli names the file and the problem on its last error lines).
QString joinLastLines(const QStringList &lines, int count);

/// One `twb-cli` child process: the only class of the workbench that starts, talks to and ends
/// one (DESIGN.md "a run is a process"). TrainingProcess, WhatIfSession, CliJob and
/// RunBundleExport are built on it.
///
/// start() runs `program arguments` in `environment` and returns at once. The child's standard
/// output and error come as lines (outputLine(), errorLine(); without the newline or a '\r'
/// before it), in the order each stream wrote them; a last line without a newline is delivered
/// before ended(). write() and closeStdin() talk to its standard input. The last
/// `ErrorTailLines` non-empty lines of standard error are kept (errorTail(), lastErrorLines()).
///
/// Exactly one ended() follows every successful start(), after the child's last line, and
/// never from inside start() itself (a program that cannot start ends from the event loop).
/// isRunning() is true from start() until ended() is emitted; a slot connected to ended() may
/// start the next child.
///
/// Ending a child: terminate() sends SIGTERM (twb-cli train writes a checkpoint and exits with
/// 3), kill() sends SIGKILL, terminateThenKill(ms) sends SIGTERM now and SIGKILL `ms` later if
/// the child is still there. The destructor leaves no orphan: it sends SIGTERM, waits up to
/// `DestroyGraceMs`, then sends SIGKILL and waits for the child; it never emits a signal.
///
/// Threading: lives on the thread that created it, which must run an event loop (the GUI
/// thread, or a worker with QThread::exec); call it and receive its signals there. Nothing
/// blocks except waitForEnded() and the destructor (see above).
/// Ownership: owns its QProcess. Do not delete it from a slot connected to its own signals
/// (use deleteLater()).
class CliProcess : public QObject
{
    Q_OBJECT

public:
    static constexpr int ErrorTailLines = 50;
    static constexpr int DestroyGraceMs = 3000;
    enum class State {
        NotRunning, ///< never started, or ended() was emitted
        Starting,   ///< started; the program is being executed
        Running,    ///< the child runs (or has exited and its last lines are being delivered)
    };

    explicit CliProcess(QObject *parent = nullptr);
    ~CliProcess() override;

    /// "twb-cli" next to the running application (the current folder without an application
    /// object): the one default of every client of twb-cli.
    static QString defaultProgram();

    /// The program of the next start(); default: defaultProgram().
    void setProgram(const QString &program) { m_program = program; }
    QString program() const { return m_program; }
    /// The environment of the next start(); default: this process's environment as it is when
    /// the child starts.
    void setEnvironment(const QProcessEnvironment &environment) { m_environment = environment; }
    QProcessEnvironment environment() const;

    /// Starts `program() arguments`; false (nothing started) while a child runs.
    bool start(const QStringList &arguments);
    /// The arguments of the current or last child.
    QStringList arguments() const { return m_arguments; }
    State state() const;
    bool isRunning() const { return m_running; }
    /// The child's process id while it runs, else 0.
    qint64 processId() const;

    /// Writes `data` to the child's standard input; false when the child is not running (yet).
    bool write(const QByteArray &data);
    /// Closes the child's standard input (it reads end of file once the data written is read).
    void closeStdin();
    void terminate();
    void kill();
    void terminateThenKill(int graceMs);
    /// Blocks until ended() was emitted (it is emitted from here) or `ms` passed; true if it
    /// ended. For owners that must end a child now; the event loop is not run.
    bool waitForEnded(int ms);

    /// The last ErrorTailLines non-empty lines of the current or last child's standard error.
    QStringList errorTail() const { return m_errorTail; }
    /// The last `count` of them joined by spaces (joinLastLines()).
    QString lastErrorLines(int count) const { return joinLastLines(m_errorTail, count); }

Q_SIGNALS:
    /// The child runs (the program was executed).
    void started();
    void outputLine(const QByteArray &line);
    void errorLine(const QByteArray &line);
    void ended(const twb::CliExit &exit);

private:
    void readChannel(bool output);
    void deliverLines(bool output, bool flush);
    void onFinished(int exitCode, bool crashed);
    void onFailedToStart();
    void end(const CliExit &exit);

    QString m_program;
    std::optional<QProcessEnvironment> m_environment; ///< none: inherited
    QStringList m_arguments;
    QProcess *m_process = nullptr;
    QTimer *m_killTimer = nullptr;
    bool m_running = false;
    bool m_inStart = false;
    bool m_killed = false;
    std::optional<CliExit> m_pendingEnd; ///< a start failure inside start(), ended from the loop
    QByteArray m_output, m_error;        ///< the unfinished last line of each stream
    QStringList m_errorTail;
};

} // namespace twb

Q_DECLARE_METATYPE(twb::CliExit)
