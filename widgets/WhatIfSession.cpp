#include "WhatIfSession.h"

#include "CliJob.h"

#include <QJsonDocument>
#include <QStringList>

namespace twb {

WhatIfSession::WhatIfSession(QObject *parent)
    : QObject(parent)
    , m_program(CliJob::defaultProgram())
{}

WhatIfSession::~WhatIfSession()
{
    stop();
}

void WhatIfSession::start(const QString &runDir, const QString &dataPath)
{
    stop();
    m_runDir = runDir;
    m_process = new QProcess(this);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &WhatIfSession::onOutput);
    connect(m_process, &QProcess::readyReadStandardError, this,
            [this] { m_errorOutput += m_process->readAllStandardError(); });
    connect(m_process, &QProcess::finished, this, &WhatIfSession::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            Q_EMIT failed(tr("Cannot start %1: %2").arg(m_program, m_process->errorString()));
    });
    QStringList args{QStringLiteral("whatif"), runDir, QStringLiteral("--serve")};
    if (!dataPath.isEmpty())
        args << QStringLiteral("--data") << dataPath;
    m_process->start(m_program, args);
}

void WhatIfSession::stop()
{
    m_ready = false;
    m_inFlight = false;
    m_pending.reset();
    m_buffer.clear();
    m_errorOutput.clear();
    if (!m_process)
        return;
    QProcess *process = m_process;
    m_process = nullptr;
    process->disconnect(this);
    if (process->state() != QProcess::NotRunning) {
        process->closeWriteChannel();
        if (!process->waitForFinished(2000)) {
            process->kill();
            process->waitForFinished(1000);
        }
    }
    process->deleteLater();
}

void WhatIfSession::request(qint64 index, const QJsonObject &edit)
{
    QJsonObject request = edit;
    request.insert(QStringLiteral("index"), index);
    if (!m_ready || m_inFlight) {
        m_pending = request;
        return;
    }
    send(request);
}

void WhatIfSession::send(const QJsonObject &request)
{
    QJsonObject withId = request;
    withId.insert(QStringLiteral("id"), m_nextId++);
    m_inFlight = true;
    m_process->write(QJsonDocument(withId).toJson(QJsonDocument::Compact) + '\n');
}

void WhatIfSession::onOutput()
{
    m_buffer += m_process->readAllStandardOutput();
    qsizetype newline = -1;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline);
        m_buffer.remove(0, newline + 1);
        const QJsonObject answer = QJsonDocument::fromJson(line).object();
        if (answer.value(QLatin1String("ready")).toBool()) {
            m_ready = true;
            Q_EMIT ready();
        } else {
            m_inFlight = false;
            Q_EMIT answered(answer);
        }
        // The session may have been stopped by a slot.
        if (!m_process)
            return;
        if (m_ready && !m_inFlight && m_pending) {
            const QJsonObject next = *m_pending;
            m_pending.reset();
            send(next);
        }
    }
}

void WhatIfSession::onFinished(int exitCode, QProcess::ExitStatus status)
{
    m_errorOutput += m_process->readAllStandardError();
    const QString why = status != QProcess::NormalExit
                            ? tr("twb-cli whatif crashed")
                            : tr("twb-cli whatif ended (exit %1)").arg(exitCode);
    const QString details = CliJob::lastErrorLines(m_errorOutput, 3);
    m_ready = false;
    m_inFlight = false;
    Q_EMIT failed(details.isEmpty() ? why : why + QStringLiteral(": ") + details);
}

} // namespace twb
