#include "AttentionSequence.h"

#include "AttentionJob.h"

namespace twb {

AttentionSequence::AttentionSequence(QObject *parent)
    : QObject(parent)
    , m_job(new AttentionJob(this))
{
    connect(m_job, &AttentionJob::computed, this,
            [this](const std::shared_ptr<AttentionResult> &result) {
                if (!isRunning())
                    return;
                const quint64 run = m_run;
                // Aliasing: the set lives as long as the result.
                Q_EMIT checkpointComputed(
                    result->request,
                    std::shared_ptr<const explain::AttentionSet>(result, &result->set));
                if (run != m_run)
                    return; // a receiver cancelled or restarted the sequence
                ++m_next;
                startNext();
            });
    connect(m_job, &AttentionJob::failed, this, [this](const QString &message, bool couldNotStart) {
        if (!isRunning())
            return;
        const quint64 run = m_run;
        Q_EMIT checkpointFailed(m_checkpoints.value(m_next), message);
        if (run != m_run)
            return;
        if (couldNotStart) {
            // The program is missing: every other checkpoint would fail the same way.
            end();
            return;
        }
        ++m_next;
        startNext();
    });
}

AttentionSequence::~AttentionSequence() = default;

void AttentionSequence::setProgram(const QString &program)
{
    m_job->setProgram(program);
}

QString AttentionSequence::program() const
{
    return m_job->program();
}

void AttentionSequence::start(const AttentionRequest &base, const QStringList &checkpoints)
{
    cancel();
    ++m_run;
    m_base = base;
    m_checkpoints = checkpoints;
    m_next = 0;
    startNext();
}

void AttentionSequence::cancel()
{
    ++m_run;
    m_next = -1;
    m_job->cancel();
}

void AttentionSequence::startNext()
{
    if (m_next >= m_checkpoints.size()) {
        end();
        return;
    }
    AttentionRequest request = m_base;
    request.checkpoint = m_checkpoints[m_next];
    Q_EMIT checkpointStarted(request.checkpoint);
    m_job->request(request);
}

void AttentionSequence::end()
{
    m_next = -1;
    Q_EMIT finished();
}

} // namespace twb
