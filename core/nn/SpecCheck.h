#pragma once

#include "common/Expected.h"
#include "model/ModelSpec.h"

#include <cstdint>
#include <string>

namespace twb {

/// Checks what every forecasting model needs of a spec: task Forecast, lookback, horizon and
/// channels positive, channelNames empty or one per channel. The Error names `model`.
Status checkForecastSpec(const ModelSpec &spec, const QString &model);

/// Checks what every classification model needs of a spec: task Classify, lookback (time
/// steps) and channels positive, at least two classes, channelNames empty or one per channel.
Status checkClassifySpec(const ModelSpec &spec, const QString &model);

/// The name of channel `channel`: spec.channelNames[channel], or "ch<channel>" when the spec
/// has no names.
std::string channelName(const ModelSpec &spec, std::int64_t channel);

} // namespace twb
