#include "RunQueue.h"

namespace twb {

RunQueue::RunQueue(QObject *parent)
    : QObject(parent)
{}

void RunQueue::enqueue(const TrainRequest &request)
{
    m_requests.append(request);
    Q_EMIT changed();
}

std::optional<TrainRequest> RunQueue::takeNext()
{
    if (m_requests.isEmpty())
        return std::nullopt;
    const TrainRequest next = m_requests.takeFirst();
    Q_EMIT changed();
    return next;
}

void RunQueue::clear()
{
    if (m_requests.isEmpty())
        return;
    m_requests.clear();
    Q_EMIT changed();
}

} // namespace twb
