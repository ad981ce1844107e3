#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace twb {

/// Writes a run's HDF5 bundle by running `twb-cli export RUN --out FILE` as a child process
/// (the file is written atomically by twb-cli: temporary file, rename). One export at a time.
///
/// Exactly one finished() follows every successful start(): ok with the output path, or the
/// reason (twb-cli's last stderr line naming the file, or why the process could not run).
/// Threading: GUI thread only; nothing blocks (the export is another process).
class RunBundleExport : public QObject
{
    Q_OBJECT

public:
    explicit RunBundleExport(QObject *parent = nullptr);
    ~RunBundleExport() override;

    /// The twb-cli executable (default: TrainingProcess::defaultProgram()).
    void setProgram(const QString &program) { m_program = program; }
    QString program() const { return m_program; }

    /// Starts the export of `runDir` to `outFile`; false (nothing started) while one runs.
    bool start(const QString &runDir, const QString &outFile);
    bool isRunning() const;
    /// The arguments of the current/last export.
    QStringList arguments() const { return m_arguments; }

Q_SIGNALS:
    void finished(bool ok, const QString &outFile, const QString &message);

private:
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onError(QProcess::ProcessError error);
    void end(bool ok, const QString &message);

    QString m_program;
    QProcess *m_process = nullptr;
    QStringList m_arguments;
    QString m_outFile;
};

} // namespace twb
