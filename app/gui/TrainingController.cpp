#include "TrainingController.h"

#include "client/RunQueue.h"
#include "client/TrainingProcess.h"
#include "protocol/TrainingMessages.h"

#include <QTimer>

#include <optional>

namespace twb {

namespace {

/// What the log view shows of a line of the run: the JSON progress events are written in words
/// by the dashboard's own methods (nothing here), error and interruption messages by their
/// text, every other line as it came.
std::optional<QString> readableLogLine(const QString &line)
{
    const TrainingEvent event = parseTrainingEvent(line.toUtf8());
    if (std::holds_alternative<OtherLine>(event))
        return line;
    if (const auto *message = std::get_if<TrainEndMessage>(&event))
        return message->message;
    return std::nullopt;
}

} // namespace

TrainingController::TrainingController(TrainingDashboard *dashboard, QObject *parent)
    : QObject(parent)
    , m_dashboard(dashboard)
    , m_process(new TrainingProcess(this))
    , m_queue(new RunQueue(this))
{
    connectProcess();
    connectDashboard();
    updateControls();
}

TrainingController::~TrainingController() = default;

void TrainingController::connectProcess()
{
    TrainingDashboard *view = m_dashboard;
    // The view as context: nothing is shown once it is gone.
    connect(m_process, &TrainingProcess::started, view, &TrainingDashboard::showTrainStart);
    connect(m_process, &TrainingProcess::batch, view, &TrainingDashboard::showBatch);
    connect(m_process, &TrainingProcess::epoch, view, &TrainingDashboard::showEpoch);
    connect(m_process, &TrainingProcess::earlyStopped, view, &TrainingDashboard::showEarlyStop);
    connect(m_process, &TrainingProcess::done, view, &TrainingDashboard::showDone);
    connect(m_process, &TrainingProcess::logLine, view, [view](const QString &line) {
        if (const std::optional<QString> text = readableLogLine(line))
            view->appendLog(*text);
    });
    connect(m_process, &TrainingProcess::done, this,
            [this](const TrainDoneEvent &e) { m_result = TrainingDashboard::resultText(e); });
    connect(m_process, &TrainingProcess::pausedChanged, this, [this](bool paused) {
        if (m_dashboard && m_process->isActive())
            m_dashboard->showPaused(m_process->request(), paused);
        updateControls();
    });
    connect(m_process, &TrainingProcess::finished, this,
            [this] { onEnded(TrainingDashboard::Outcome::Finished, m_result); });
    connect(m_process, &TrainingProcess::interrupted, this, [this](const QString &message) {
        onEnded(TrainingDashboard::Outcome::Interrupted, message);
    });
    connect(m_process, &TrainingProcess::failed, this, [this](const QString &message) {
        onEnded(TrainingDashboard::Outcome::Failed, message);
    });
}

void TrainingController::connectDashboard()
{
    connect(m_dashboard, &TrainingDashboard::pauseRequested, this, &TrainingController::pause);
    connect(m_dashboard, &TrainingDashboard::resumeRequested, this, &TrainingController::resume);
    connect(m_dashboard, &TrainingDashboard::stepRequested, this, &TrainingController::step);
    connect(m_dashboard, &TrainingDashboard::stopRequested, this, &TrainingController::stop);
    connect(m_dashboard, &TrainingDashboard::clearQueueRequested, this,
            &TrainingController::clearQueue);
    connect(m_queue, &RunQueue::changed, m_dashboard,
            [this] { m_dashboard->setQueue(m_queue->requests()); });
    m_dashboard->setQueue(m_queue->requests());
}

void TrainingController::setCliProgram(const QString &program)
{
    m_process->setProgram(program);
}

void TrainingController::setProcessEnvironment(const QProcessEnvironment &environment)
{
    m_process->setEnvironment(environment);
}

int TrainingController::queuedCount() const
{
    return m_queue->size();
}

bool TrainingController::isRunning() const
{
    return m_process->isActive();
}

void TrainingController::enqueue(const TrainRequest &request)
{
    m_queue->enqueue(request);
    if (!m_process->isActive())
        startNext();
}

void TrainingController::clearQueue()
{
    m_queue->clear();
}

void TrainingController::pause()
{
    m_process->pause();
}

void TrainingController::resume()
{
    m_process->resume();
}

void TrainingController::step()
{
    m_process->step();
}

void TrainingController::stop()
{
    if (!m_process->isActive())
        return;
    m_process->stop();
    if (m_dashboard)
        m_dashboard->showStopping(m_process->request());
    updateControls();
}

void TrainingController::startNext()
{
    if (m_process->isActive())
        return;
    const std::optional<TrainRequest> request = m_queue->takeNext();
    if (!request)
        return;
    m_result.clear();
    // Cleared before the run logs its command line.
    if (m_dashboard)
        m_dashboard->showRunStarting(*request);
    m_process->start(*request);
    updateControls();
    Q_EMIT runStarted(*request);
    Q_EMIT attentionRequested();
}

void TrainingController::onEnded(TrainingDashboard::Outcome outcome, const QString &message)
{
    const TrainRequest request = m_process->request();
    if (m_dashboard) {
        QStringList lastLines;
        if (outcome == TrainingDashboard::Outcome::Failed)
            for (const QString &line : m_process->lastLines())
                if (const std::optional<QString> text = readableLogLine(line))
                    lastLines << *text;
        m_dashboard->showRunEnded(request, outcome, message, lastLines);
    }
    if (outcome == TrainingDashboard::Outcome::Failed)
        Q_EMIT attentionRequested();
    updateControls();
    Q_EMIT runEnded(request, outcome, message);
    // The next run starts from the event loop, after every slot of this one has run.
    QTimer::singleShot(0, this, &TrainingController::startNext);
}

void TrainingController::updateControls()
{
    if (m_dashboard)
        m_dashboard->setControlState(m_process->state() == TrainingProcess::State::Running,
                                     m_process->isPaused());
}

} // namespace twb
