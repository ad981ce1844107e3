#include "TrainingProcess.h"

#include "CliProcess.h"

#include <QTimer>

namespace twb {

namespace {

constexpr int exitInterrupted = 3; // twb-cli: interrupted, checkpoint written
constexpr int exitDiverged = 4;    // twb-cli: loss became NaN/Inf

} // namespace

TrainingProcess::TrainingProcess(QObject *parent)
    : QObject(parent)
    , m_cli(new CliProcess(this))
{
    connect(m_cli, &CliProcess::outputLine, this, &TrainingProcess::handleOutputLine);
    connect(m_cli, &CliProcess::errorLine, this,
            [this](const QByteArray &line) { addLog(QString::fromUtf8(line).trimmed()); });
    connect(m_cli, &CliProcess::ended, this, &TrainingProcess::onEnded);
    m_stopTimer = new QTimer(this);
    m_stopTimer->setSingleShot(true);
    connect(m_stopTimer, &QTimer::timeout, this, [this] {
        if (!m_cli->isRunning() || m_terminated)
            return;
        addLog(tr("[workbench] the run did not stop in time; sending SIGTERM"));
        m_terminated = true;
        m_cli->terminateThenKill(m_stopGraceMs);
    });
}

// A running child is ended by CliProcess's destructor: SIGTERM (the run writes its checkpoint),
// SIGKILL if it is still there after CliProcess::DestroyGraceMs.
TrainingProcess::~TrainingProcess() = default;

QString TrainingProcess::defaultProgram()
{
    return CliProcess::defaultProgram();
}

void TrainingProcess::setProgram(const QString &program)
{
    m_cli->setProgram(program);
}

QString TrainingProcess::program() const
{
    return m_cli->program();
}

void TrainingProcess::setEnvironment(const QProcessEnvironment &environment)
{
    m_cli->setEnvironment(environment);
}

bool TrainingProcess::start(const TrainRequest &request)
{
    if (isActive() || m_cli->isRunning())
        return false;
    m_request = request;
    m_arguments = request.arguments();
    m_arguments << QStringLiteral("--progress") << QStringLiteral("jsonl")
                << QStringLiteral("--control") << QStringLiteral("stdin");
    m_log.clear();
    m_errorEvent.clear();
    m_interruptEvent.clear();
    m_paused = false;
    m_terminated = false;
    m_state = State::Running;
    addLog(QStringLiteral("$ ") + shellCommand(program(), m_arguments));
    m_cli->start(m_arguments);
    return true;
}

void TrainingProcess::sendCommand(const char *command)
{
    m_cli->write(QByteArray(command) + '\n');
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
    if (m_cli->state() == CliProcess::State::Running)
        sendCommand("stop");
    else
        m_cli->kill(); // still starting: nothing to checkpoint
    m_stopTimer->start(m_stopGraceMs);
}

void TrainingProcess::handleOutputLine(const QByteArray &line)
{
    const TrainingEvent event = parseTrainingEvent(line);
    if (!std::holds_alternative<BatchEvent>(event))
        addLog(QString::fromUtf8(line).trimmed());
    if (const auto *e = std::get_if<TrainStartEvent>(&event))
        Q_EMIT started(*e);
    else if (const auto *e = std::get_if<BatchEvent>(&event))
        Q_EMIT batch(*e);
    else if (const auto *e = std::get_if<EpochEvent>(&event))
        Q_EMIT epoch(*e);
    else if (const auto *e = std::get_if<EarlyStopEvent>(&event))
        Q_EMIT earlyStopped(*e);
    else if (const auto *e = std::get_if<TrainDoneEvent>(&event))
        Q_EMIT done(*e);
    else if (const auto *e = std::get_if<TrainEndMessage>(&event)) {
        if (e->kind == TrainEndMessage::Kind::Error) {
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

void TrainingProcess::onEnded(const CliExit &exit)
{
    if (m_state == State::Ended || m_state == State::Idle)
        return;
    if (exit.killed && m_terminated)
        addLog(tr("[workbench] the run ignored SIGTERM; killing it"));
    if (exit.kind == CliExit::Kind::NotStarted) {
        const QString reason = tr("cannot start %1: %2").arg(program(), exit.reason);
        addLog(reason);
        end();
        Q_EMIT failed(reason, m_log);
        return;
    }
    end();
    if (exit.ok())
        Q_EMIT finished();
    else if (exit.kind == CliExit::Kind::Exited && exit.code == exitInterrupted)
        Q_EMIT interrupted(m_interruptEvent.isEmpty() ? tr("stopped; checkpoint written")
                                                      : m_interruptEvent);
    else
        Q_EMIT failed(failureReason(exit), m_log);
}

QString TrainingProcess::failureReason(const CliExit &exit) const
{
    QString reason;
    if (exit.kind == CliExit::Kind::Crashed)
        reason = m_terminated ? tr("twb-cli was killed after it did not stop")
                              : tr("twb-cli crashed (%1)").arg(exit.reason);
    else if (exit.code == exitDiverged)
        reason = tr("the loss became NaN or infinite (exit code 4)");
    else
        reason = tr("twb-cli exited with code %1").arg(exit.code);
    if (!m_errorEvent.isEmpty())
        reason += QStringLiteral(": ") + m_errorEvent;
    return reason;
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
