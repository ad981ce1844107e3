#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>

namespace twb {

class CliProcess;
struct CliExit;

/// One `twb-cli` command run as a child process for a view (DESIGN.md "a run is a process":
/// the window never links LibTorch and never blocks while a model runs). One command at a time.
///
/// Exactly one finished() follows every successful start(): ok, or the reason: "could not
/// start PROGRAM: why", "PROGRAM crashed: …", or "failed (exit N)" followed by the last lines of
/// the child's standard error (twb-cli names the file and the problem there).
/// Threading and ownership: GUI thread (or any thread with an event loop); owns its CliProcess,
/// so a running child is ended when the job is destroyed (CliProcess's destructor).
class CliJob : public QObject
{
    Q_OBJECT

public:
    explicit CliJob(QObject *parent = nullptr);
    ~CliJob() override;

    /// The twb-cli executable (default: "twb-cli" next to the running application).
    void setProgram(const QString &program);
    QString program() const;
    /// CliProcess::defaultProgram().
    static QString defaultProgram();
    /// The last `count` non-empty lines of a child's error output, joined by spaces (for status
    /// lines: twb-cli names the file and the problem there).
    static QString lastErrorLines(const QByteArray &output, int count);

    /// Starts `program arguments`; false (nothing started) while another command runs.
    bool start(const QStringList &arguments);
    bool isRunning() const;
    QStringList arguments() const { return m_arguments; }

Q_SIGNALS:
    void finished(bool ok, const QString &message);

private:
    void onEnded(const CliExit &exit);

    CliProcess *m_cli = nullptr;
    QStringList m_arguments;
};

} // namespace twb
