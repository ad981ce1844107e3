#include "RunBundleExport.h"

#include "client/TrainingProcess.h"

namespace twb {

namespace {

/// The last non-empty line of a process's stderr.
QString lastLine(const QByteArray &text)
{
    const QStringList lines = QString::fromUtf8(text).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return lines.isEmpty() ? QString() : lines.last().trimmed();
}

} // namespace

RunBundleExport::RunBundleExport(QObject *parent)
    : QObject(parent)
    , m_program(TrainingProcess::defaultProgram())
{}

RunBundleExport::~RunBundleExport()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

bool RunBundleExport::isRunning() const
{
    return m_process != nullptr;
}

bool RunBundleExport::start(const QString &runDir, const QString &outFile)
{
    if (m_process)
        return false;
    m_outFile = outFile;
    m_arguments = {QStringLiteral("export"), runDir, QStringLiteral("--out"), outFile};
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_process, &QProcess::finished, this, &RunBundleExport::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &RunBundleExport::onError);
    m_process->start(m_program, m_arguments);
    return true;
}

void RunBundleExport::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (!m_process)
        return;
    const QString detail = lastLine(m_process->readAllStandardError());
    if (status == QProcess::NormalExit && exitCode == 0) {
        end(true, tr("%1 written").arg(m_outFile));
        return;
    }
    const QString reason = !detail.isEmpty() ? detail
                           : status == QProcess::CrashExit
                               ? tr("twb-cli export crashed")
                               : tr("twb-cli export exited with code %1").arg(exitCode);
    end(false, reason);
}

void RunBundleExport::onError(QProcess::ProcessError error)
{
    if (!m_process || error != QProcess::FailedToStart)
        return; // crashes and exits end in onFinished
    end(false, tr("%1: cannot start (%2)").arg(m_program, m_process->errorString()));
}

void RunBundleExport::end(bool ok, const QString &message)
{
    QProcess *process = m_process;
    m_process = nullptr;
    process->disconnect(this);
    process->deleteLater();
    Q_EMIT finished(ok, m_outFile, message);
}

} // namespace twb
