#pragma once

#include "protocol/TrainingMessages.h"

#include <QString>

namespace twb {

/// Receives the trainer's events (protocol/TrainingMessages.h: epochs and batches from 1) on the
/// training thread, synchronously: keep them short.
class TrainObserver
{
public:
    virtual ~TrainObserver() = default;
    virtual void onStart(const TrainStartEvent &) {}
    virtual void onBatch(const BatchEvent &) {}
    virtual void onEpoch(const EpochEvent &) {}
    virtual void onEarlyStop(const EarlyStopEvent &) {}
    /// A line for the log (checkpoints written, resumed, ...).
    virtual void onMessage(const QString &) {}
};

} // namespace twb
