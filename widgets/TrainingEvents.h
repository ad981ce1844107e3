#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <variant>

namespace twb {

// The events of `twb-cli train --progress jsonl` (core/train/ProgressReporter.h) as plain
// structs. Epochs and batches are 1-based as in the stream; losses on the normalised scale.

struct TrainingStarted
{
    std::int64_t epochs = 0;
    std::int64_t batchesPerEpoch = 0;
    std::int64_t trainWindows = 0;
    std::int64_t valWindows = 0;
    std::int64_t startEpoch = 1; ///< > 1 when a run is resumed
    std::int64_t trainableParameters = 0;
    QJsonObject summary; ///< the whole "start" object (model, data, lookback ...)
};

struct TrainingBatch
{
    std::int64_t epoch = 0;
    std::int64_t batch = 0;
    std::int64_t batches = 0;
    double loss = 0.0;
    double lr = 0.0;
    double samplesPerSec = 0.0;
    double etaSec = 0.0; ///< seconds until the last epoch ends (estimate)
};

struct TrainingEpoch
{
    std::int64_t epoch = 0;
    double trainLoss = 0.0;
    double valLoss = 0.0;
    double lr = 0.0;
    double seconds = 0.0;
    bool best = false;
};

struct TrainingEarlyStop
{
    std::int64_t epoch = 0;
    std::int64_t bestEpoch = 0;
    double bestValLoss = 0.0;
    std::int64_t patience = 0;
};

struct TrainingDone
{
    std::int64_t bestEpoch = 0;
    /// A classification run's test part ("accuracy" in the event's "test"); otherwise the
    /// forecast fields hold the result.
    bool classification = false;
    double mse = 0.0, mae = 0.0, mseOriginal = 0.0, maeOriginal = 0.0;
    std::int64_t windows = 0; ///< test windows evaluated
    double accuracy = 0.0, macroF1 = 0.0, logLoss = 0.0;
    std::int64_t examples = 0; ///< test cases evaluated
};

struct TrainingMessage
{
    enum class Kind { Error, Interrupted };
    Kind kind = Kind::Error;
    QString message;
};

/// A line that is not a progress event (a log line, or a JSON object of another kind).
struct TrainingOtherLine
{
};

using TrainingEvent = std::variant<TrainingOtherLine, TrainingStarted, TrainingBatch, TrainingEpoch,
                                   TrainingEarlyStop, TrainingDone, TrainingMessage>;

/// Parses one line of the stream (without its newline). Never fails: anything that is not a
/// JSON object with a known "event" is TrainingOtherLine. Missing numbers read as 0.
TrainingEvent parseTrainingEvent(const QByteArray &line);

} // namespace twb

Q_DECLARE_METATYPE(twb::TrainingStarted)
Q_DECLARE_METATYPE(twb::TrainingBatch)
Q_DECLARE_METATYPE(twb::TrainingEpoch)
Q_DECLARE_METATYPE(twb::TrainingEarlyStop)
Q_DECLARE_METATYPE(twb::TrainingDone)
