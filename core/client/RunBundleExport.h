#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

namespace twb {

class CliProcess;
struct CliExit;

/// Writes a run's HDF5 bundle by running `twb-cli export RUN --out FILE` as a child process
/// (the file is written atomically by twb-cli: temporary file, rename). One export at a time.
///
/// Exactly one finished() follows every successful start(): ok with the output path, or the
/// reason (twb-cli's last stderr line naming the file, or why the process could not run).
/// Threading: GUI thread (or any thread with an event loop); nothing blocks (the export is
/// another process). Ownership: owns its CliProcess; a running export is ended when the object
/// is destroyed.
class RunBundleExport : public QObject
{
    Q_OBJECT

public:
    explicit RunBundleExport(QObject *parent = nullptr);
    ~RunBundleExport() override;

    /// The twb-cli executable (default: CliProcess::defaultProgram()).
    void setProgram(const QString &program);
    QString program() const;

    /// Starts the export of `runDir` to `outFile`; false (nothing started) while one runs.
    bool start(const QString &runDir, const QString &outFile);
    bool isRunning() const;
    /// The arguments of the current/last export.
    QStringList arguments() const;

Q_SIGNALS:
    void finished(bool ok, const QString &outFile, const QString &message);

private:
    void onEnded(const CliExit &exit);

    CliProcess *m_cli = nullptr;
    QString m_outFile;
};

} // namespace twb
