#pragma once

#include "train/RunLoader.h"

#include <QString>

namespace twb::cli {

/// twb-cli eval for a separation run: the mixtures of the run's own part `splitName` (drawn
/// again from the saved seed and settings), or config.testMixtures mixtures of the utterances
/// of `dataPath` (held-out speakers). Prints the summary (SeparationEvaluation::summary) and,
/// with `json`, every mixture's SI-SNR, SI-SNRi and SDR per source. Returns the exit code.
int runEvalSeparation(const LoadedRun &run, const QString &splitName, const QString &dataPath,
                      bool json);

} // namespace twb::cli
