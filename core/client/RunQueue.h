#pragma once

#include "TrainRequest.h"

#include <QList>
#include <QObject>

#include <optional>

namespace twb {

/// The training runs waiting to be run, first in first out (the Training tab's "Queued runs").
/// Data and order only: whoever runs them (app/gui's TrainingController) takes the next one
/// when nothing runs; views are given requests() to show.
///
/// changed() follows every change of the list (enqueue, takeNext, clear of a non-empty queue).
/// Threading: the thread it lives on (the GUI thread); not thread-safe.
class RunQueue : public QObject
{
    Q_OBJECT

public:
    explicit RunQueue(QObject *parent = nullptr);

    /// Adds `request` at the end.
    void enqueue(const TrainRequest &request);
    /// Removes and returns the first request; nothing when the queue is empty.
    std::optional<TrainRequest> takeNext();
    /// Removes every waiting request.
    void clear();

    bool isEmpty() const { return m_requests.isEmpty(); }
    int size() const { return int(m_requests.size()); }
    /// The waiting requests, the next one first.
    const QList<TrainRequest> &requests() const { return m_requests; }

Q_SIGNALS:
    void changed();

private:
    QList<TrainRequest> m_requests;
};

} // namespace twb
