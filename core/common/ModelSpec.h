#pragma once

#include "Task.h"

#include <cstdint>
#include <string>
#include <vector>

namespace twb {

/// The input/output contract a model is created for. Plain data, no torch.
///
/// Forecast: input [batch, lookback, channels] (normalised by the data pipeline),
///           output [batch, horizon, channels].
/// Classify: input [batch, lookback (= time steps), channels], output logits [batch, numClasses].
/// Separate: input the mixture [batch, lookback (= samples), 1], output the estimated sources
///           [batch, sources, lookback] (waveforms on the mixture's scale).
struct ModelSpec
{
    Task task = Task::Forecast;
    std::int64_t lookback = 0;             ///< input time steps
    std::int64_t horizon = 0;              ///< forecast steps (Forecast only)
    std::int64_t channels = 0;             ///< input variates
    std::vector<std::string> channelNames; ///< size == channels (may be empty: "ch0", "ch1", ...)
    std::int64_t numClasses = 0;           ///< Classify only
    std::int64_t sources = 0;              ///< Separate only: voices in each mixture (>= 2)
    /// Separate (and sound in general): samples per second of the input, so that a model can
    /// describe its tokens in seconds; 0 when the input has no rate.
    double sampleRate = 0.0;
    /// Forecast: calendar features per time step that come with every input
    /// (ForwardOptions::historyMarks / futureMarks; "timeF", see data/CalendarFeatures.h): 4
    /// for hourly data (hour of day, day of week, day of month, day of year), 0 when the data
    /// has no dates. Models that do not read marks ignore it.
    std::int64_t markFeatures = 0;
};

} // namespace twb
