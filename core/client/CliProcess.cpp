#include "CliProcess.h"

#include <QCoreApplication>
#include <QDir>
#include <QPointer>
#include <QProcess>
#include <QTimer>

#include <utility>

namespace twb {

QString joinLastLines(const QStringList &lines, int count)
{
    QStringList last;
    for (qsizetype i = lines.size() - 1; i >= 0 && last.size() < count; --i) {
        const QString line = lines.at(i).trimmed();
        if (!line.isEmpty())
            last.prepend(line);
    }
    return last.join(QLatin1Char(' '));
}

CliProcess::CliProcess(QObject *parent)
    : QObject(parent)
    , m_program(defaultProgram())
{
    m_killTimer = new QTimer(this);
    m_killTimer->setSingleShot(true);
    m_killTimer->setTimerType(Qt::PreciseTimer); // never before the grace period is over
    connect(m_killTimer, &QTimer::timeout, this, &CliProcess::kill);
}

CliProcess::~CliProcess()
{
    if (!m_process)
        return;
    // Leave no orphan and say nothing: the owner is going away.
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning) {
        m_process->terminate();
        if (!m_process->waitForFinished(DestroyGraceMs)) {
            m_process->kill();
            m_process->waitForFinished(1000);
        }
    }
}

QString CliProcess::defaultProgram()
{
    const QString dir =
        QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QDir::currentPath();
    return QDir(dir).filePath(QStringLiteral("twb-cli"));
}

QProcessEnvironment CliProcess::environment() const
{
    return m_environment.value_or(QProcessEnvironment::systemEnvironment());
}

bool CliProcess::start(const QStringList &arguments)
{
    if (m_running)
        return false;
    if (m_process) {
        // The last child has ended; its QProcess may still be on the stack (ended() is emitted
        // from its finished()), so it goes later.
        m_process->disconnect(this);
        m_process->deleteLater();
    }
    m_arguments = arguments;
    m_output.clear();
    m_error.clear();
    m_errorTail.clear();
    m_killed = false;
    m_running = true;

    m_process = new QProcess(this);
    if (m_environment)
        m_process->setProcessEnvironment(*m_environment);
    m_process->setProgram(m_program);
    m_process->setArguments(arguments);
    connect(m_process, &QProcess::started, this, &CliProcess::started);
    connect(m_process, &QProcess::readyReadStandardOutput, this, [this] { readChannel(true); });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] { readChannel(false); });
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        onFinished(code, status == QProcess::CrashExit);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            onFailedToStart(); // a crash comes through finished()
    });
    m_inStart = true;
    m_process->start();
    m_inStart = false;
    return true;
}

CliProcess::State CliProcess::state() const
{
    if (!m_running)
        return State::NotRunning;
    return m_process->state() == QProcess::Starting ? State::Starting : State::Running;
}

qint64 CliProcess::processId() const
{
    return m_process && m_process->state() != QProcess::NotRunning ? m_process->processId() : 0;
}

bool CliProcess::write(const QByteArray &data)
{
    if (!m_process || m_process->state() != QProcess::Running)
        return false;
    return m_process->write(data) == data.size();
}

void CliProcess::closeStdin()
{
    if (m_process)
        m_process->closeWriteChannel();
}

void CliProcess::terminate()
{
    if (m_process && m_process->state() != QProcess::NotRunning)
        m_process->terminate();
}

void CliProcess::kill()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_killed = true;
    m_process->kill();
}

void CliProcess::terminateThenKill(int graceMs)
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    terminate();
    m_killTimer->start(graceMs);
}

bool CliProcess::waitForEnded(int ms)
{
    if (!m_running)
        return true;
    if (m_pendingEnd) {
        end(*std::exchange(m_pendingEnd, std::nullopt));
        return true;
    }
    // finished() and errorOccurred() are emitted from inside the wait: ended() with them.
    m_process->waitForFinished(ms);
    return !m_running;
}

void CliProcess::readChannel(bool output)
{
    if (output)
        m_output += m_process->readAllStandardOutput();
    else
        m_error += m_process->readAllStandardError();
    deliverLines(output, false);
}

void CliProcess::deliverLines(bool output, bool flush)
{
    // Reentrant: a slot may wait for the child, which reads and delivers more lines from here.
    // The buffer is a member, so each line is taken once and in order.
    QByteArray &buffer = output ? m_output : m_error;
    const QPointer<CliProcess> self(this);
    while (!buffer.isEmpty()) {
        const qsizetype newline = buffer.indexOf('\n');
        if (newline < 0 && !flush)
            return;
        QByteArray line = newline < 0 ? std::exchange(buffer, {}) : buffer.left(newline);
        if (newline >= 0)
            buffer.remove(0, newline + 1);
        if (line.endsWith('\r'))
            line.chop(1);
        if (output) {
            Q_EMIT outputLine(line);
        } else {
            const QString text = QString::fromUtf8(line).trimmed();
            if (!text.isEmpty()) {
                m_errorTail << text;
                if (m_errorTail.size() > ErrorTailLines)
                    m_errorTail.removeFirst();
            }
            Q_EMIT errorLine(line);
        }
        if (!self)
            return;
    }
}

void CliProcess::onFinished(int exitCode, bool crashed)
{
    if (!m_running)
        return;
    // The rest of both streams, a last line without a newline included, before ended().
    const QPointer<CliProcess> self(this);
    m_output += m_process->readAllStandardOutput();
    m_error += m_process->readAllStandardError();
    deliverLines(true, true);
    if (self)
        deliverLines(false, true);
    if (!self || !m_running)
        return;
    CliExit exit;
    if (crashed) {
        exit.kind = CliExit::Kind::Crashed;
        exit.reason = m_process->errorString();
        exit.killed = m_killed;
        exit.signal = exitCode; // QProcess gives the signal's number as the exit code of a crash
    } else {
        exit.code = exitCode;
    }
    end(exit);
}

void CliProcess::onFailedToStart()
{
    if (!m_running)
        return;
    CliExit exit;
    exit.kind = CliExit::Kind::NotStarted;
    exit.reason = m_process->errorString();
    if (!m_inStart) {
        end(exit);
        return;
    }
    // Never from inside start(): the caller has not connected or recorded anything yet.
    m_pendingEnd = exit;
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_pendingEnd)
                end(*std::exchange(m_pendingEnd, std::nullopt));
        },
        Qt::QueuedConnection);
}

void CliProcess::end(const CliExit &exit)
{
    m_killTimer->stop();
    m_running = false;
    Q_EMIT ended(exit);
}

} // namespace twb
