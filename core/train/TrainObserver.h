#pragma once

#include <QString>

#include <cstdint>

namespace twb {

/// Numbers in events: epochs and batches are 0-based here; reporters show them 1-based.
struct TrainStartEvent
{
    std::int64_t epochs = 0;
    std::int64_t batchesPerEpoch = 0;
    std::int64_t trainWindows = 0;
    std::int64_t valWindows = 0;
    std::int64_t startEpoch = 0; ///< > 0 or startBatch > 0 when resumed
    std::int64_t startBatch = 0;
    std::int64_t trainableParameters = 0;
    std::int64_t frozenParameters = 0;
};

struct BatchEvent
{
    std::int64_t epoch = 0;
    std::int64_t batch = 0;
    std::int64_t batches = 0; ///< per epoch
    double loss = 0.0;        ///< MSE of this batch on the normalised scale
    double lr = 0.0;
    double samplesPerSec = 0.0; ///< training windows per second, recent average
    double etaSec = 0.0;        ///< estimate for the remaining batches of all epochs
};

struct EpochEvent
{
    std::int64_t epoch = 0;
    double trainLoss = 0.0; ///< mean over the epoch's windows
    double valLoss = 0.0;   ///< mean over every validation window
    double lr = 0.0;        ///< the rate of the epoch's last batch
    double seconds = 0.0;   ///< wall time of the epoch in this process
    bool best = false;      ///< the new best validation loss
};

struct EarlyStopEvent
{
    std::int64_t epoch = 0; ///< the last epoch trained
    std::int64_t bestEpoch = 0;
    double bestValLoss = 0.0;
    std::int64_t patience = 0;
};

/// Receives the trainer's events on the training thread, synchronously: keep them short.
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
