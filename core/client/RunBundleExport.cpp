#include "RunBundleExport.h"

#include "CliProcess.h"

namespace twb {

RunBundleExport::RunBundleExport(QObject *parent)
    : QObject(parent)
    , m_cli(new CliProcess(this))
{
    connect(m_cli, &CliProcess::ended, this, &RunBundleExport::onEnded);
}

RunBundleExport::~RunBundleExport() = default;

void RunBundleExport::setProgram(const QString &program)
{
    m_cli->setProgram(program);
}

QString RunBundleExport::program() const
{
    return m_cli->program();
}

bool RunBundleExport::isRunning() const
{
    return m_cli->isRunning();
}

QStringList RunBundleExport::arguments() const
{
    return m_cli->arguments();
}

bool RunBundleExport::start(const QString &runDir, const QString &outFile)
{
    if (m_cli->isRunning())
        return false;
    m_outFile = outFile;
    return m_cli->start({QStringLiteral("export"), runDir, QStringLiteral("--out"), outFile});
}

void RunBundleExport::onEnded(const CliExit &exit)
{
    if (exit.ok()) {
        Q_EMIT finished(true, m_outFile, tr("%1 written").arg(m_outFile));
        return;
    }
    if (exit.kind == CliExit::Kind::NotStarted) {
        Q_EMIT finished(false, m_outFile,
                        tr("%1: cannot start (%2)").arg(m_cli->program(), exit.reason));
        return;
    }
    // twb-cli names the file and the problem on its last error line.
    const QString detail = m_cli->lastErrorLines(1);
    const QString reason = !detail.isEmpty() ? detail
                           : exit.kind == CliExit::Kind::Crashed
                               ? tr("twb-cli export crashed")
                               : tr("twb-cli export exited with code %1").arg(exit.code);
    Q_EMIT finished(false, m_outFile, reason);
}

} // namespace twb
