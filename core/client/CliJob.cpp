#include "CliJob.h"

#include "CliProcess.h"

namespace twb {

QString CliJob::lastErrorLines(const QByteArray &output, int count)
{
    return joinLastLines(QString::fromUtf8(output).split(QLatin1Char('\n')), count);
}

CliJob::CliJob(QObject *parent)
    : QObject(parent)
    , m_cli(new CliProcess(this))
{
    connect(m_cli, &CliProcess::ended, this, &CliJob::onEnded);
}

CliJob::~CliJob() = default;

void CliJob::setProgram(const QString &program)
{
    m_cli->setProgram(program);
}

QString CliJob::program() const
{
    return m_cli->program();
}

QString CliJob::defaultProgram()
{
    return CliProcess::defaultProgram();
}

bool CliJob::isRunning() const
{
    return m_cli->isRunning();
}

bool CliJob::start(const QStringList &arguments)
{
    if (m_cli->isRunning())
        return false;
    m_arguments = arguments;
    return m_cli->start(arguments);
}

void CliJob::onEnded(const CliExit &exit)
{
    switch (exit.kind) {
    case CliExit::Kind::NotStarted:
        Q_EMIT finished(false, tr("could not start %1: %2").arg(program(), exit.reason));
        return;
    case CliExit::Kind::Crashed:
        Q_EMIT finished(false, tr("%1 crashed: %2").arg(program(), m_cli->lastErrorLines(3)));
        return;
    case CliExit::Kind::Exited:
        if (exit.code != 0)
            Q_EMIT finished(
                false, tr("failed (exit %1): %2").arg(exit.code).arg(m_cli->lastErrorLines(3)));
        else
            Q_EMIT finished(true, {});
        return;
    }
}

} // namespace twb
