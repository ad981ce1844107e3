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
    /// "test-data", "test-glob", "stratified", "groups" (test groups named or drawn) or
    /// "fold I/K" (stratified K-fold)
    QString splitName;
    /// With group-by: the groups of each part (sorted); validationByCases when validation is a
    /// share of the training groups' cases (too few groups to hold one out).
    QStringList trainGroups, validationGroups, testGroups;
    bool validationByCases = false;
    /// Of the training file, "+" that of the --test-data file if any, "+extra:" that of each
    /// extra-train file.
    QString fingerprint;
    std::int64_t extraTrainCases = 0; ///< cases of config.extraTrain, at the end of `train`
    QStringList skipped;              ///< what the loaders of both files skipped, "path: reason"
};

/// Splits `data` (the training file config.dataPath, loaded) into parts. The test part is the
/// file config.testData (loaded with `load` and the training file's classes and rate), the cases
/// matching config.testGlob, fold config.fold of a stratified config.folds-fold assignment, the
/// groups config.testGroups, or a share config.testFraction (stratified; whole groups drawn at
/// random with config.groupBy). The validation part is a share config.valFraction of the cases
/// that are not test: stratified, or with config.groupBy whole groups (config.valGroups, or
/// drawn, see GroupSplitOptions). Seed config.seed. With config.groupBy no group lies in two
/// parts, except that validation shares the training groups when too few are left. The cases of
/// every config.extraTrain file or folder (loaded like the test file) are then appended to the
/// training part, and to no other.
/// Errors name the file: the test file's own errors or another channel count, an extra-train file's
/// own errors, a glob that matches nothing, a case without a group, an unknown group, a split that
/// cannot be made, an empty part.
Expected<ClassifyParts> splitClassifyParts(const TrainConfig &config,
                                           const LabelledLoadFunction &load,
                                           const LabelledDataset &data);

/// 0, 1, ..., data.size() - 1.
std::vector<std::int64_t> allCaseIndices(const LabelledDataset &data);

} // namespace twb
