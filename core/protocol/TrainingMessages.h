#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMetaType>
#include <QString>

#include <cstdint>
#include <variant>

namespace twb {

// The messages of a training run: what the trainer reports to its observers and what
// `twb-cli train --progress jsonl` writes, one JSON object per line, for the window and for
// scripts. Each struct has its encoder (toJson) and the stream has one decoder
// (parseTrainingEvent); tests/core/protocol/tst_trainingmessages.cpp round-trips every one.
//
// Numbering: epochs and batches are counted from 1 everywhere a user sees them, here too
// (epoch 1 is the first), so that the structs, the stream, the log and the window agree. The
// trainer counts from 0 internally and adds 1 when it fills a message. Losses are on the
// normalised scale; times in seconds. Plain values; any thread.

struct TrainStartEvent
{
    std::int64_t epochs = 0;          ///< epochs of the whole run (not only those still to do)
    std::int64_t batchesPerEpoch = 0; ///< training batches of one epoch
    std::int64_t trainWindows = 0;    ///< training samples (windows or cases)
    std::int64_t valWindows = 0;      ///< validation samples
    std::int64_t startEpoch = 1;      ///< the first epoch this process trains (> 1: resumed)
    std::int64_t startBatch = 0;      ///< batches of startEpoch already done before a resume
    std::int64_t trainableParameters = 0;
    std::int64_t frozenParameters = 0;
    /// The run's summary (model, data, lookback ...), written into the same JSON object.
    QJsonObject summary;

    /// {"event":"start", ...summary, "epochs", "batches_per_epoch", "train_windows",
    ///  "val_windows", "start_epoch", "start_batch", "trainable_parameters",
    ///  "frozen_parameters"}
    QJsonObject toJson() const;
};

struct BatchEvent
{
    std::int64_t epoch = 0;     ///< from 1
    std::int64_t batch = 0;     ///< from 1 within the epoch
    std::int64_t batches = 0;   ///< per epoch
    double loss = 0.0;          ///< loss of this batch
    double lr = 0.0;            ///< learning rate of this batch
    double samplesPerSec = 0.0; ///< training samples per second, recent average
    double etaSec = 0.0;        ///< estimate for the remaining batches of all epochs

    /// {"event":"batch","epoch","batch","batches","loss","lr","samples_per_sec","eta_sec"}
    QJsonObject toJson() const;
};

struct EpochEvent
{
    std::int64_t epoch = 0; ///< from 1
    double trainLoss = 0.0; ///< mean over the epoch's samples
    double valLoss = 0.0;   ///< mean over every validation sample
    double lr = 0.0;        ///< the rate of the epoch's last batch
    double seconds = 0.0;   ///< wall time of the epoch in this process
    bool best = false;      ///< the new best validation loss

    /// {"event":"epoch","epoch","train_loss","val_loss","lr","seconds","best"}
    QJsonObject toJson() const;
};

struct EarlyStopEvent
{
    std::int64_t epoch = 0;     ///< the last epoch trained, from 1
    std::int64_t bestEpoch = 0; ///< from 1
    double bestValLoss = 0.0;
    std::int64_t patience = 0; ///< epochs without a better validation loss that stopped it

    /// {"event":"early_stop","epoch","best_epoch","best_val_loss","patience"}
    QJsonObject toJson() const;
};

/// The end of a run that trained to its end: the test part's metrics.
struct TrainDoneEvent
{
    std::int64_t bestEpoch = 0; ///< from 1
    /// The metrics as written: forecast ForecastMetrics ("mse", "mae", "mse_original",
    /// "mae_original", "windows", ...); classify ClassificationMetrics::toJson ("accuracy", ...).
    QJsonObject test;

    // Read from `test` by the decoder (0 when absent).
    bool classification = false; ///< `test` holds "accuracy"
    double mse = 0.0, mae = 0.0, mseOriginal = 0.0, maeOriginal = 0.0;
    std::int64_t windows = 0; ///< test windows evaluated
    double accuracy = 0.0, macroF1 = 0.0, logLoss = 0.0;
    std::int64_t examples = 0; ///< test cases evaluated

    /// {"event":"done","best_epoch","test":{...}}
    QJsonObject toJson() const;
};

/// A run that ends without results: an error, or interrupted (checkpoint written).
struct TrainEndMessage
{
    enum class Kind { Error, Interrupted };
    Kind kind = Kind::Error;
    QString message;

    /// {"event":"error","message"} or {"event":"interrupted","message"}
    QJsonObject toJson() const;
};

/// A line that is not a training message (a log line, or a JSON object of another kind).
struct OtherLine
{
};

using TrainingEvent = std::variant<OtherLine, TrainStartEvent, BatchEvent, EpochEvent,
                                   EarlyStopEvent, TrainDoneEvent, TrainEndMessage>;

/// One line of the stream (no newline): `message.toJson()` compact.
QByteArray encodeTrainingLine(const QJsonObject &message);

/// Decodes one line of the stream (without its newline). Never fails: anything that is not a
/// JSON object with a known "event" is OtherLine. Missing numbers read as 0 (start_epoch as 1).
TrainingEvent parseTrainingEvent(const QByteArray &line);

} // namespace twb

Q_DECLARE_METATYPE(twb::TrainStartEvent)
Q_DECLARE_METATYPE(twb::BatchEvent)
Q_DECLARE_METATYPE(twb::EpochEvent)
Q_DECLARE_METATYPE(twb::EarlyStopEvent)
Q_DECLARE_METATYPE(twb::TrainDoneEvent)
