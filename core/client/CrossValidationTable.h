#pragma once

#include "common/Expected.h"

#include <QString>

#include <limits>
#include <vector>

namespace twb {

/// One fold of a cross-validation as cv.json records it. Numbers are NaN and `examples` -1
/// while the fold has no test result (pending, interrupted or failed).
struct FoldResult
{
    QString name;   ///< the held-out group ("george") or "fold 3" for stratified K-fold
    QString runDir; ///< absolute path of the fold's run folder
    QString status; ///< "finished", "early_stopped", "pending", "interrupted", "failed"
    double accuracy = std::numeric_limits<double>::quiet_NaN();
    double balancedAccuracy = std::numeric_limits<double>::quiet_NaN();
    double macroF1 = std::numeric_limits<double>::quiet_NaN();
    double logLoss = std::numeric_limits<double>::quiet_NaN();
    qint64 examples = -1;

    bool hasResult() const { return accuracy == accuracy; }
};

/// A cross-validation's parent folder (twb-cli train --cv): what cv.json says about each fold
/// and the summary over the finished ones (accuracy mean, standard deviation, min, max).
struct CrossValidationTable
{
    QString dir;     ///< the parent folder, absolute
    QString cv;      ///< "groups" (leave one group out) or the number of stratified folds
    QString groupBy; ///< the --group-by of a "groups" cross-validation, else empty
    QString model;
    std::vector<FoldResult> folds;
    int finished = 0; ///< folds with a test result
    double meanAccuracy = std::numeric_limits<double>::quiet_NaN();
    double sdAccuracy = std::numeric_limits<double>::quiet_NaN();
    double minAccuracy = std::numeric_limits<double>::quiet_NaN();
    double maxAccuracy = std::numeric_limits<double>::quiet_NaN();

    /// "leave one speaker out · 5 of 5 folds · mean accuracy 79.2 % ± 5.0 (73.0–85.2 %)".
    QString describe() const;
    /// The fold whose run folder is `runDir` (same absolute path), -1 when none.
    int indexOf(const QString &runDir) const;
};

/// Reads `parentDir`/cv.json. Errors name the file: missing, not JSON, not a cross-validation.
/// Small and fast: meant for the GUI thread.
Expected<CrossValidationTable> readCrossValidation(const QString &parentDir);

/// The cross-validation `runDir` is a fold of: its parent folder when that holds a cv.json
/// (and no config.json of its own), else empty.
QString crossValidationOf(const QString &runDir);

/// A cross-validation's parent folder: cv.json and no config.json.
bool isCrossValidationDir(const QString &dir);

} // namespace twb
