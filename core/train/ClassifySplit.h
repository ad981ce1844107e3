#pragma once

#include "ClassifyData.h"
#include "TrainConfig.h"
#include "common/Expected.h"
#include "data/LabelledDataset.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// The train, validation and test parts of a classification run's data, before features and
/// scaling, and what they were made from.
struct ClassifyParts
{
    LabelledDataset train;
    LabelledDataset validation;
    LabelledDataset test;
    QString splitName;   ///< "test-data", "test-glob" or "stratified"
    QString fingerprint; ///< of the training file, "+" that of the --test-data file if any
    QStringList skipped; ///< what the loaders of both files skipped, "path: reason"
};

/// Splits `data` (the training file config.dataPath, loaded) into parts. The test part is the
/// file config.testData (loaded with `load` and the training file's classes and rate), the cases
/// matching config.testGlob, or a stratified share config.testFraction; the validation part is a
/// stratified share config.valFraction of the cases that are not test (seed config.seed).
/// Errors name the file: the test file's own errors or another channel count, a glob that
/// matches nothing, a split that cannot be made, an empty part.
Expected<ClassifyParts> splitClassifyParts(const TrainConfig &config,
                                           const LabelledLoadFunction &load,
                                           const LabelledDataset &data);

/// 0, 1, ..., data.size() - 1.
std::vector<std::int64_t> allCaseIndices(const LabelledDataset &data);

} // namespace twb
