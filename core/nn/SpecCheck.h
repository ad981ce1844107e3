#pragma once

#include "EncoderSize.h"
#include "common/Expected.h"
#include "common/ModelSpec.h"

#include <cstdint>
#include <initializer_list>
#include <string>

namespace twb {

/// Checks what every forecasting model needs of a spec: task Forecast, lookback, horizon and
/// channels positive, channelNames empty or one per channel. The Error names `model`.
Status checkForecastSpec(const ModelSpec &spec, const QString &model);

/// Checks what every model pretrained by masked reconstruction needs of a spec: task
/// Reconstruct, lookback and channels positive (the horizon is not read), channelNames empty or
/// one per channel. The Error names `model`.
Status checkReconstructSpec(const ModelSpec &spec, const QString &model);

/// Checks what every classification model needs of a spec: task Classify, lookback (time
/// steps) and channels positive, at least two classes, channelNames empty or one per channel.
Status checkClassifySpec(const ModelSpec &spec, const QString &model);

/// Checks what every separation model needs of a spec: task Separate, lookback (samples per
/// mixture) positive, one channel (the mixture), sources between 2 and `maxSources`.
Status checkSeparateSpec(const ModelSpec &spec, const QString &model, std::int64_t maxSources = 5);

/// Checks the sizes every Transformer encoder needs: dModel, numHeads, dFF and numLayers
/// positive, dModel divisible by numHeads, size.dropout and then every one of `otherDropouts`
/// in [0, 1). The Error names `model` and uses the plugins' hyperparameter keys (d_model,
/// n_heads, ...).
Status checkEncoderSizes(const QString &model, const EncoderSize &size,
                         std::initializer_list<double> otherDropouts = {});

/// The name of channel `channel`: spec.channelNames[channel], or "ch<channel>" when the spec
/// has no names.
std::string channelName(const ModelSpec &spec, std::int64_t channel);

} // namespace twb
