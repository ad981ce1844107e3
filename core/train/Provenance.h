#pragma once

#include "ModelFactory.h"

#include <QJsonObject>

namespace twb {

class TaskPipeline;

/// Where a run came from, saved as "provenance" in its config.json: the data as the task's
/// pipeline describes it (file, content fingerprint, split, parts, scaler statistics ...), the
/// plugin (id, name, version), the versions of twb, LibTorch and Qt, the threads used and the
/// start time (ISO 8601, UTC).
QJsonObject runProvenance(const TaskPipeline &pipeline, const ModelSource &source, int threads);

} // namespace twb
