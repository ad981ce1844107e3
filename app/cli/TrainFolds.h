#pragma once

#include "CliCommon.h"
#include "train/TrainConfig.h"

namespace twb {
class ProgressReporter;
class TrainControl;
} // namespace twb

namespace twb::cli {

/// `twb-cli train --cv ...`: runs every fold of `config` (planFolds) one after the other as a
/// child run folder of `parentDir` (fold-<name>), writing parentDir/cv.json after each fold.
/// `resume`: the plan is read back from cv.json; finished folds are kept, interrupted ones
/// resumed, missing ones started. Stops at the first interrupted fold (exit 3). Prints the
/// per-fold table and the mean (or, with `json`, the summary as one JSON line).
int runFolds(Context &ctx, const TrainConfig &config, const QString &parentDir, bool resume,
             bool json, ProgressReporter &reporter, TrainControl &control);

} // namespace twb::cli
