#pragma once

#include "TrainObserver.h"

#include <QJsonObject>
#include <QString>

#include <chrono>
#include <cstdio>
#include <optional>

namespace twb {

enum class ProgressMode {
    None,      ///< nothing
    JsonLines, ///< one JSON object per line on stdout (for the GUI and scripts)
    Bar,       ///< a one-line progress bar with ETA on stderr when it is a terminal
};

/// "none", "jsonl", "bar".
std::optional<ProgressMode> progressModeFromName(const QString &name);

/// Reports a training run to the user. JSON lines (1-based epochs and batches):
///   {"event":"start", ...config summary, "epochs", "batches_per_epoch", "train_windows",
///    "val_windows", "start_epoch", "start_batch", "trainable_parameters"}
///   {"event":"batch","epoch","batch","batches","loss","lr","samples_per_sec","eta_sec"}
///      at most about 10 per second (the last batch of an epoch always)
///   {"event":"epoch","epoch","train_loss","val_loss","lr","seconds","best"}
///   {"event":"early_stop","epoch","best_epoch","best_val_loss","patience"}
///   {"event":"interrupted","message"}
///   {"event":"done","best_epoch","test":{...}}  test: forecast {"mse","mae","mse_original",
///      "mae_original","windows"}; classify ClassificationMetrics::toJson ("accuracy", ...)
///   {"event":"error","message"}
/// Each line is flushed at once. Threading: the training thread only.
class ProgressReporter : public TrainObserver
{
public:
    explicit ProgressReporter(ProgressMode mode, std::FILE *out = stdout, std::FILE *err = stderr);

    /// Merged into the "start" event (model, data, lookback, ...). Set before the run.
    void setStartSummary(const QJsonObject &summary) { m_summary = summary; }

    void onStart(const TrainStartEvent &event) override;
    void onBatch(const BatchEvent &event) override;
    void onEpoch(const EpochEvent &event) override;
    void onEarlyStop(const EarlyStopEvent &event) override;

    void interrupted(const QString &message);
    /// `summary`: one line for the progress bar mode (TestOutcome::summary).
    void done(std::int64_t bestEpoch, const QJsonObject &testMetrics, const QString &summary);
    void error(const QString &message);

private:
    void emitJson(const QJsonObject &object);
    void endBarLine();

    ProgressMode m_mode;
    std::FILE *m_out;
    std::FILE *m_err;
    bool m_terminal = false;
    bool m_barShown = false;
    std::int64_t m_epochs = 0;
    QJsonObject m_summary;
    std::chrono::steady_clock::time_point m_lastBatch{};
};

} // namespace twb
