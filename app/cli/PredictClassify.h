#pragma once

#include "train/RunLoader.h"

#include <QString>

namespace twb::cli {

/// `twb-cli predict` for a classification run: every case of `dataPath` (labelled, same
/// classes) with its true label, the predicted class and the class probabilities, as CSV
/// (source,label,predicted,p_<class>...) or HDF5 (/probabilities [cases, classes], /labels,
/// /predicted, /sources, /class_names). `unlabelled`: `dataPath` is a sound file or a folder of
/// them without labels (new recordings); the CSV's label cells are empty and /labels holds -1.
/// Returns the exit code.
int runPredictClassify(const LoadedRun &run, const QString &dataPath, const QString &out,
                       bool unlabelled);

} // namespace twb::cli
