#pragma once

#include "ClassifyData.h"
#include "TrainConfig.h"
#include "common/Expected.h"

#include <QJsonObject>
#include <QString>

#include <vector>

namespace twb {

/// One fold of a cross-validation: a complete run configuration whose test part is the fold.
struct CvFold
{
    QString name;   ///< the held-out group ("george") or the fold number ("3")
    QString folder; ///< the child run folder's name under the parent: "fold-george", "fold-3"
    TrainConfig config;
};

/// The folds of `config` (config.cv "groups" or "K"; classification only), in order: one per
/// group of config.groupBy, sorted (each then the test part alone, validation as the
/// configuration says), or K stratified folds (seeded by config.seed). Group folds need the data
/// loaded to learn the groups (`load`, default twb_audio's loadLabelled). Errors name the data:
/// no cv setting, a case without a group, fewer than two groups, more folds than cases.
Expected<std::vector<CvFold>> planFolds(const TrainConfig &config,
                                        const LabelledLoadFunction &load = {});

/// A fold's outcome as written to cv.json.
struct CvFoldResult
{
    QString name;
    QString folder;
    QString status;      ///< "finished", "early_stopped", "failed", "interrupted", "pending"
    QString message;     ///< why it failed or stopped
    QJsonObject metrics; ///< the test metrics (status.json "test") when it finished
};

/// The parent folder's cv.json: the plan, each fold and, over the finished folds, the mean,
/// the sample standard deviation, the minimum and the maximum of every numeric test metric
/// ("accuracy", "balanced_accuracy", "macro_f1", "log_loss", ...):
///   {"kind": "cv", "cv": "groups", "group_by": "speaker", "config": {...},
///    "folds": [{"name", "run_dir", "status", "message", "test"}...],
///    "finished": N, "summary": {"accuracy": {"mean", "sd", "min", "max"}, ...}}
QJsonObject cvSummary(const TrainConfig &config, const std::vector<CvFoldResult> &folds);

/// Reads a parent folder's cv.json back (for --resume and the window). Errors name the file.
Expected<QJsonObject> readCvSummary(const QString &parentDir);

/// The name of the summary file in a cross-validation's parent folder.
inline QString cvSummaryFileName()
{
    return QStringLiteral("cv.json");
}

} // namespace twb
