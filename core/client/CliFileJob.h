#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace twb {

class CliJob;

/// One `twb-cli` command that writes a file, then the reading of that file on a worker thread:
/// what AttentionJob and ForwardJob share (DESIGN.md "a run is a process"; the window never
/// links LibTorch, and never reads a large file on the GUI thread).
///
/// run() starts `program COMMAND ...` through a CliJob, writing into the job's own temporary
/// folder. When the child exits 0, the reader runs on a worker thread
/// (QThreadPool::globalInstance()) with the file, and the function it returns runs back on this
/// object's thread. The latest run() wins: a child still running is ended (its CliJob is
/// deleted, which kills it) and a read under way is dropped when it is done. cancel() does the
/// same without starting anything.
///
/// failed() says why the child gave no file: "twb-cli COMMAND could not start PROGRAM: why"
/// (`couldNotStart`: every other command would fail the same way), "twb-cli COMMAND failed
/// (exit N): " followed by the child's last stderr lines (twb-cli names the file and the problem
/// there), "... crashed: ...", or that the temporary folder cannot be created. Subclasses emit
/// it too when the file cannot be read. Exactly one computed-or-failed outcome follows every
/// run() that is not replaced or cancelled.
///
/// Threading and ownership: lives on a thread with an event loop (the GUI thread in the
/// window). The reader runs on another thread: it must not touch the job or a widget (the
/// function it returns may: it runs on the job's thread). Owns its CliJob and the temporary folder
/// with the files (removed with the job); a read under way is not waited for.
class CliFileJob : public QObject
{
    Q_OBJECT

public:
    /// Runs on this object's thread with what the reader produced.
    using Deliver = std::function<void()>;
    /// Runs on a worker thread with the path of the file the child wrote.
    using Reader = std::function<Deliver(const QString &file)>;

    /// `command`: the twb-cli command ("attention"), for messages.
    explicit CliFileJob(const QString &command, QObject *parent = nullptr);
    ~CliFileJob() override;

    /// The twb-cli executable (default: CliJob::defaultProgram(), next to the application).
    void setProgram(const QString &program) { m_program = program; }
    QString program() const { return m_program; }

    /// Ends the running child and drops the read under way (no signal follows).
    void cancel();
    /// A child runs or its file is being read.
    bool isBusy() const { return m_busy; }
    /// The arguments of the latest command started.
    QStringList arguments() const { return m_arguments; }

Q_SIGNALS:
    void failed(const QString &message, bool couldNotStart);

protected:
    /// Starts the command whose arguments are `arguments(path)`, where `path` is `fileName` in
    /// the job's temporary folder; `read(path)` follows on a worker thread when the child
    /// succeeds.
    void run(const QString &fileName, const std::function<QStringList(const QString &)> &arguments,
             Reader read);

private:
    void onChildFinished(bool ok, const QString &message, const QString &file, Reader read);
    void readOnWorker(const QString &file, Reader read);
    void fail(const QString &message, bool couldNotStart);

    QString m_command;
    QString m_program;
    QStringList m_arguments;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    CliJob *m_job = nullptr;
    quint64 m_generation = 0; ///< bumped by run() and cancel(): late results are dropped
    bool m_busy = false;
};

} // namespace twb
