#pragma once

#include "ForecastWindows.h"
#include "data/StandardScaler.h"
#include "runs/ForecastMetrics.h"

#include <QJsonObject>

#include <cstdint>
#include <vector>

namespace twb {

class Model;
class ProcessGroup;

/// Runs the model over every window (eval mode, no gradient, batches of `batchSize`, the last
/// partial batch kept) and computes the metrics on both scales, over every channel or, with
/// `scoredChannel` >= 0, over that channel alone (the MS setting; the caller names it in
/// ForecastMetrics::target). With `keep`, the predictions and truth of every channel are
/// returned as well. The model's training mode is restored afterwards.
/// With a group (data parallel, a collective), the ranks share the forward passes
/// (predictAll) and every rank returns the metrics one process would compute, bit for bit.
ForecastMetrics evaluateForecast(Model &model, const ForecastWindows &windows,
                                 const StandardScaler &scaler, std::int64_t batchSize,
                                 ForecastPredictions *keep = nullptr,
                                 std::int64_t scoredChannel = -1, ProcessGroup *group = nullptr);

} // namespace twb
