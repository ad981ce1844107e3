#include "CliJob.h"

#include <QCoreApplication>
#include <QDir>

namespace twb {

QString CliJob::lastErrorLines(const QByteArray &output, int count)
{
    QStringList lines =
        QString::fromUtf8(output).trimmed().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    if (lines.size() > count)
        lines = lines.mid(lines.size() - count);
    return lines.join(QLatin1Char(' '));
}

CliJob::CliJob(QObject *parent)
    : QObject(parent)
    , m_program(defaultProgram())
{}

CliJob::~CliJob()
{
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

QString CliJob::defaultProgram()
{
    const QString dir =
        QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QDir::currentPath();
    return QDir(dir).filePath(QStringLiteral("twb-cli"));
}

bool CliJob::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

bool CliJob::start(const QStringList &arguments)
{
    if (isRunning())
        return false;
    if (!m_process) {
        m_process = new QProcess(this);
        connect(m_process, &QProcess::finished, this, &CliJob::onFinished);
        connect(m_process, &QProcess::readyReadStandardError, this,
                [this] { m_errorOutput += m_process->readAllStandardError(); });
        connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                end(false, tr("could not start %1: %2").arg(m_program, m_process->errorString()));
        });
    }
    m_arguments = arguments;
    m_errorOutput.clear();
    m_process->start(m_program, arguments);
    return true;
}

void CliJob::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_errorOutput += m_process->readAllStandardError();
    if (status != QProcess::NormalExit)
        end(false, tr("%1 crashed: %2").arg(m_program, lastErrorLines(m_errorOutput, 3)));
    else if (exitCode != 0)
        end(false, tr("failed (exit %1): %2").arg(exitCode).arg(lastErrorLines(m_errorOutput, 3)));
    else
        end(true, {});
}

void CliJob::end(bool ok, const QString &message)
{
    Q_EMIT finished(ok, message);
}

} // namespace twb
