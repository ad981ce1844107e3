#include "TrainingProcess.h"

#include <QCoreApplication>
#include <QDir>
#include <QTimer>

namespace twb {

namespace {

constexpr int exitInterrupted = 3; // twb-cli: interrupted, checkpoint written
constexpr int exitDiverged = 4;    // twb-cli: loss became NaN/Inf

} // namespace

TrainingProcess::TrainingProcess(QObject *parent)
    : QObject(parent)
    , m_program(defaultProgram())
    , m_environment(QProcessEnvironment::systemEnvironment())
{
    m_stopTimer = new QTimer(this);
    m_stopTimer->setSingleShot(true);
    connect(m_stopTimer, &QTimer::timeout, this, [this] {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return;
        if (!m_terminated) {
            addLog(tr("[workbench] the run did not stop in time; sending SIGTERM"));
            m_terminated = true;
            m_process->terminate();
            m_stopTimer->start(m_stopGraceMs);
        } else {
            addLog(tr("[workbench] the run ignored SIGTERM; killing it"));
            m_process->kill();
        }
    });
}

TrainingProcess::~TrainingProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // Leave no orphan behind: ask for a checkpoint, then make sure it ends.
        m_process->disconnect(this);
        m_process->terminate();
        if (!m_process->waitForFinished(3000))
            m_process->kill();
        m_process->waitForFinished(1000);
    }
}

QString TrainingProcess::defaultProgram()
{
    const QString dir =
        QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QDir::currentPath();
    return QDir(dir).filePath(QStringLiteral("twb-cli"));
}

bool TrainingProcess::start(const TrainRequest &request)
{
    if (isActive())
        return false;
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
    }
    m_request = request;
    m_arguments = request.arguments();
    m_arguments << QStringLiteral("--progress") << QStringLiteral("jsonl")
                << QStringLiteral("--control") << QStringLiteral("stdin");
    m_log.clear();
    m_stdoutBuffer.clear();
    m_stderrBuffer.clear();
    m_errorEvent.clear();
    m_interruptEvent.clear();
    m_paused = false;
    m_terminated = false;
    m_state = State::Running;

    m_process = new QProcess(this);
    m_process->setProcessEnvironment(m_environment);
    m_process->setProgram(m_program);
    m_process->setArguments(m_arguments);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &TrainingProcess::readStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &TrainingProcess::readStderr);
    connect(m_process, &QProcess::finished, this, &TrainingProcess::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, &TrainingProcess::onProcessError);
    addLog(QStringLiteral("$ ") + shellCommand(m_program, m_arguments));
    m_process->start();
    return true;
}

void TrainingProcess::sendCommand(const char *command)
{
    if (!m_process || m_process->state() != QProcess::Running)
        return;
    m_process->write(command);
    m_process->write("\n");
}

void TrainingProcess::pause()
{
    if (m_state != State::Running || m_paused)
        return;
    sendCommand("pause");
    m_paused = true;
    Q_EMIT pausedChanged(true);
}

void TrainingProcess::resume()
{
    if (m_state != State::Running || !m_paused)
        return;
    sendCommand("resume");
    m_paused = false;
    Q_EMIT pausedChanged(false);
}

void TrainingProcess::step()
{
    if (m_state == State::Running && m_paused)
        sendCommand("step");
}

void TrainingProcess::stop()
{
    if (m_state != State::Running)
        return;
    m_state = State::Stopping;
    addLog(tr("[workbench] stop requested; the run writes a checkpoint and ends"));
    if (m_process->state() == QProcess::Running)
        sendCommand("stop");
    else
        m_process->kill(); // still starting: nothing to checkpoint
    m_stopTimer->start(m_stopGraceMs);
}

void TrainingProcess::readStdout()
{
    m_stdoutBuffer += m_process->readAllStandardOutput();
    qsizetype nl;
    while ((nl = m_stdoutBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdoutBuffer.left(nl);
        m_stdoutBuffer.remove(0, nl + 1);
        handleLine(line, true);
    }
}

void TrainingProcess::readStderr()
{
    m_stderrBuffer += m_process->readAllStandardError();
    qsizetype nl;
    while ((nl = m_stderrBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stderrBuffer.left(nl);
        m_stderrBuffer.remove(0, nl + 1);
        handleLine(line, false);
    }
}

void TrainingProcess::handleLine(const QByteArray &line, bool fromStdout)
{
    if (!fromStdout) {
        addLog(QString::fromUtf8(line).trimmed());
        return;
    }
    const TrainingEvent event = parseTrainingEvent(line);
    if (!std::holds_alternative<TrainingBatch>(event))
        addLog(QString::fromUtf8(line).trimmed());
    if (const auto *e = std::get_if<TrainingStarted>(&event))
        Q_EMIT started(*e);
    else if (const auto *e = std::get_if<TrainingBatch>(&event))
        Q_EMIT batch(*e);
    else if (const auto *e = std::get_if<TrainingEpoch>(&event))
        Q_EMIT epoch(*e);
    else if (const auto *e = std::get_if<TrainingEarlyStop>(&event))
        Q_EMIT earlyStopped(*e);
    else if (const auto *e = std::get_if<TrainingDone>(&event))
        Q_EMIT done(*e);
    else if (const auto *e = std::get_if<TrainingMessage>(&event)) {
        if (e->kind == TrainingMessage::Kind::Error) {
            m_errorEvent = e->message;
            Q_EMIT error(e->message);
        } else {
            m_interruptEvent = e->message;
        }
    }
}

void TrainingProcess::addLog(const QString &line)
{
    if (line.isEmpty())
        return;
    m_log << line;
    while (m_log.size() > LogLines)
        m_log.removeFirst();
    Q_EMIT logLine(line);
}

void TrainingProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_state == State::Ended || m_state == State::Idle)
        return;
    // The rest of the output, including a last line without a newline.
    readStdout();
    readStderr();
    if (!m_stdoutBuffer.isEmpty())
        handleLine(std::exchange(m_stdoutBuffer, {}), true);
    if (!m_stderrBuffer.isEmpty())
        handleLine(std::exchange(m_stderrBuffer, {}), false);
    end();

    if (status == QProcess::NormalExit && exitCode == 0) {
        Q_EMIT finished();
        return;
    }
    if (status == QProcess::NormalExit && exitCode == exitInterrupted) {
        Q_EMIT interrupted(m_interruptEvent.isEmpty() ? tr("stopped; checkpoint written")
                                                      : m_interruptEvent);
        return;
    }
    QString reason;
    if (status == QProcess::CrashExit)
        reason = m_terminated ? tr("twb-cli was killed after it did not stop")
                              : tr("twb-cli crashed (%1)").arg(m_process->errorString());
    else if (exitCode == exitDiverged)
        reason = tr("the loss became NaN or infinite (exit code 4)");
    else
        reason = tr("twb-cli exited with code %1").arg(exitCode);
    if (!m_errorEvent.isEmpty())
        reason += QStringLiteral(": ") + m_errorEvent;
    Q_EMIT failed(reason, m_log);
}

void TrainingProcess::onProcessError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart || m_state == State::Ended)
        return; // crashes arrive through finished()
    const QString reason = tr("cannot start %1: %2").arg(m_program, m_process->errorString());
    addLog(reason);
    end();
    Q_EMIT failed(reason, m_log);
}

void TrainingProcess::end()
{
    m_stopTimer->stop();
    m_state = State::Ended;
    if (m_paused) {
        m_paused = false;
        Q_EMIT pausedChanged(false);
    }
}

} // namespace twb
