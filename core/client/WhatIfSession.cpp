#include "WhatIfSession.h"

#include "CliProcess.h"

#include <QJsonDocument>
#include <QStringList>

#include <utility>

namespace twb {

WhatIfSession::WhatIfSession(QObject *parent)
    : QObject(parent)
    , m_program(CliProcess::defaultProgram())
{}

WhatIfSession::~WhatIfSession()
{
    stop();
}

bool WhatIfSession::isRunning() const
{
    return m_cli && m_cli->isRunning();
}

void WhatIfSession::start(const QString &runDir, const QString &dataPath)
{
    stop();
    m_runDir = runDir;
    m_cli = new CliProcess(this);
    m_cli->setProgram(m_program);
    connect(m_cli, &CliProcess::outputLine, this, &WhatIfSession::onLine);
    connect(m_cli, &CliProcess::ended, this, &WhatIfSession::onEnded);
    QStringList args{QStringLiteral("whatif"), runDir, QStringLiteral("--serve")};
    if (!dataPath.isEmpty())
        args << QStringLiteral("--data") << dataPath;
    m_cli->start(args);
}

void WhatIfSession::stop()
{
    m_ready = false;
    m_inFlight = false;
    m_pending.reset();
    if (!m_cli)
        return;
    CliProcess *cli = std::exchange(m_cli, nullptr);
    cli->disconnect(this);
    if (cli->isRunning()) {
        cli->closeStdin(); // the serve loop ends at the end of its input
        if (!cli->waitForEnded(2000)) {
            cli->kill();
            cli->waitForEnded(1000);
        }
    }
    // Later: stop() may run inside one of its signals. Its destructor ends what is left.
    cli->deleteLater();
}

void WhatIfSession::request(qint64 index, const WhatIfEdit &edit)
{
    const WhatIfRequest request{QJsonValue(QJsonValue::Undefined), index, edit};
    if (!m_ready || m_inFlight) {
        m_pending = request;
        return;
    }
    send(request);
}

void WhatIfSession::send(WhatIfRequest request)
{
    request.id = m_nextId++;
    m_inFlight = true;
    m_cli->write(QJsonDocument(request.toJson()).toJson(QJsonDocument::Compact) + '\n');
}

void WhatIfSession::onLine(const QByteArray &line)
{
    const QJsonObject answer = QJsonDocument::fromJson(line).object();
    if (answer.value(QLatin1String("ready")).toBool()) {
        m_ready = true;
        Q_EMIT ready();
    } else {
        m_inFlight = false;
        Q_EMIT answered(answer);
    }
    // The session may have been stopped (or restarted) by a slot.
    if (m_ready && !m_inFlight && m_pending) {
        const WhatIfRequest next = *m_pending;
        m_pending.reset();
        send(next);
    }
}

void WhatIfSession::onEnded(const CliExit &exit)
{
    m_ready = false;
    m_inFlight = false;
    if (exit.kind == CliExit::Kind::NotStarted) {
        Q_EMIT failed(tr("Cannot start %1: %2").arg(m_program, exit.reason));
        return;
    }
    const QString why = exit.kind == CliExit::Kind::Crashed
                            ? tr("twb-cli whatif crashed")
                            : tr("twb-cli whatif ended (exit %1)").arg(exit.code);
    const QString details = m_cli->lastErrorLines(3);
    Q_EMIT failed(details.isEmpty() ? why : why + QStringLiteral(": ") + details);
}

} // namespace twb
