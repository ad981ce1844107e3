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

/// Reports a training run to the user: as JSON lines on stdout (the messages of
/// protocol/TrainingMessages.h, one per line, each flushed at once; batches at most about 10
/// per second, the last batch of an epoch always), or as a progress bar on stderr.
/// Threading: the training thread only.
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
    void done(const TrainDoneEvent &event, const QString &summary);
    void error(const QString &message);
    /// A line for the person at the terminal (stderr, "note: ..."), in every mode but none:
    /// jsonl keeps stdout for the events, and the window logs a child's stderr.
    void note(const QString &text);

private:
    void emitJson(const QJsonObject &message);
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
