#pragma once

#include "common/Expected.h"
#include "runs/ClassPredictionsFile.h"
#include "runs/ClassificationMetrics.h"

#include <QString>

#include <memory>

namespace twb {

/// What the classification view shows of a finished classification run (plain data): the
/// stored test predictions, the metrics computed from them, and from config.json the model and
/// where the test cases came from.
struct ClassificationRunData
{
    QString runDir; ///< absolute path of the run folder
    QString model;  ///< config "model" (may be empty)
    /// config "test-data" when set, else "data": the root the cases' sources are relative to
    /// (ExampleSources).
    QString sourcesRoot;
    /// predictions.h5 (readClassPredictionsFile); never null in a value readClassificationRun
    /// returns. Shared read-only with whoever shows it.
    std::shared_ptr<const ClassPredictions> predictions;
    /// computeClassificationMetrics of the stored probabilities and labels.
    ClassificationMetrics metrics;
};

/// Reads the run in `runDir` (RunStore layout): config.json (its "task" must be "classify"),
/// then predictions.h5, and computes the metrics. Errors name the file and the problem: no run
/// folder or no config.json, "<dir>/config.json: not a classification run (task "forecast")",
/// a missing or malformed predictions.h5 ("... /sources has 1 entries, expected 10"), or
/// predictions the metrics cannot be computed from, or a predictions.h5 that crashed or hung the
/// child that read it first (probeFileInChild). Never throws.
///
/// Threading: any thread (reads files only). A few MB at most, but call it on a worker like the
/// other run readers.
Expected<ClassificationRunData> readClassificationRun(const QString &runDir);

} // namespace twb
