#pragma once

#include <QString>

#include <optional>

namespace twb {

/// What a model is trained to do.
enum class Task {
    Forecast,    ///< [batch, lookback, channels] -> [batch, horizon, channels]
    Classify,    ///< [batch, time, channels] -> logits [batch, classes]
    Reconstruct, ///< self-supervised: masked input -> reconstructed input
    Separate,    ///< mixture waveform [batch, samples, 1] -> sources [batch, sources, samples]
};

/// Stable lowercase names used in JSON metadata, configs and the CLI.
QString taskName(Task task);
std::optional<Task> taskFromName(const QString &name);

} // namespace twb
