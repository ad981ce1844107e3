#pragma once

#include "ModelFactory.h"

#include <QJsonObject>

namespace twb {

struct ForecastData;

/// Where a run came from, saved as "provenance" in its config.json: the data (absolute file,
/// content fingerprint, rows, channel names, time column), the split (name and row borders),
/// the windows per part and how many were excluded for missing values, the scaler statistics,
/// the plugin (id, name, version), the versions of twb, LibTorch and Qt, the threads used and
/// the start time (ISO 8601, UTC).
QJsonObject runProvenance(const ForecastData &data, const ModelSource &source, int threads);

} // namespace twb
