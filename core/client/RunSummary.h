#pragma once

#include "TrainRequest.h"
#include "runs/RunStore.h"

#include <QDateTime>
#include <QString>

#include <cstdint>
#include <limits>
#include <vector>

namespace twb {

/// What the runs table shows of one run folder (RunStore layout), read from config.json and
/// status.json. Never throws and never fails: a folder whose files cannot be read is returned
/// with readable == false and `problem` saying why ("config.json: not a JSON object: ...").
struct RunSummary
{
    QString dir;  ///< absolute path of the run folder
    QString name; ///< the folder's name
    bool readable = false;
    QString problem; ///< why the run is unreadable (empty when readable)

    QString model;    ///< "model" of config.json
    QString task;     ///< "task" of config.json ("forecast" when absent, as in older runs)
    QString dataPath; ///< "data" of config.json as written (a path spec, may be relative)
    QString dataFile; ///< file name of "data" (without folders)
    /// "split" of config.json as given ("ratio:0.6:0.2", "shuffled"); empty: the default for
    /// the file (and in classification runs)
    QString split;
    /// "init-from" of config.json: the run whose weights started this one (a pretraining run
    /// for a fine-tune), as written; empty for a fresh model.
    QString initFrom;
    std::int64_t lookback = 0;
    std::int64_t horizon = 0;
    std::int64_t epochs = 0; ///< configured maximum
    std::int64_t batchSize = 0;
    double lr = 0.0;
    /// "key=value" of config.json's "hyperparameters", sorted by key, joined by ", ".
    QString hyperparameters;
    QString state; ///< status.json "state" ("finished", "running", ...), "unknown" if absent
    std::int64_t bestEpoch = 0;                                ///< 1-based, 0 when not finished
    double testMse = std::numeric_limits<double>::quiet_NaN(); ///< normalised scale
    double testMae = std::numeric_limits<double>::quiet_NaN();
    double testMseOriginal = std::numeric_limits<double>::quiet_NaN();
    double testMaeOriginal = std::numeric_limits<double>::quiet_NaN();
    /// Classification runs: status.json "test" accuracy and macro-F1, fractions in [0, 1].
    double testAccuracy = std::numeric_limits<double>::quiet_NaN();
    double testMacroF1 = std::numeric_limits<double>::quiet_NaN();
    /// Separation runs: status.json "test" SI-SNR improvement, SI-SNR, SDR improvement and SDR
    /// of the estimated sources, dB (means over the test mixtures and their sources).
    double testSiSnri = std::numeric_limits<double>::quiet_NaN();
    double testSiSnr = std::numeric_limits<double>::quiet_NaN();
    double testSdri = std::numeric_limits<double>::quiet_NaN();
    double testSdr = std::numeric_limits<double>::quiet_NaN();
    /// provenance.start_time of config.json, else config.json's modification time (UTC).
    QDateTime created;
    /// A cross-validation's parent folder (cv.json, no config.json of its own): the settings
    /// come from cv.json's "config", state is "finished" when every fold finished, else
    /// "incomplete"; testAccuracy and testMacroF1 are the means over the finished folds and
    /// `hyperparameters` lists each fold's accuracy. Its folds are runs of their own.
    bool crossValidation = false;
};

/// Reads the summary of the run in `dir`. Threading: any thread (reads files only).
RunSummary readRunSummary(const QString &dir);

/// True for a run that can be continued: readable and "interrupted" (stopped with a
/// checkpoint, or killed: a "running" status whose process is gone reads as interrupted).
bool canResume(const RunSummary &run);
/// The request that continues `run` (TrainRequest::resume), described by its summary.
TrainRequest resumeRequest(const RunSummary &run);

/// The run folders of a workspace: every direct sub-folder that holds config.json, sorted by
/// name; a sub-folder holding a cross-validation (cv.json) is listed, followed by its folds
/// (its sub-folders with config.json). Other folders are not runs and are left out.
QStringList findRunFolders(const QString &workspace);

/// The epochs of metrics.jsonl of the run in `dir` (empty when it has none yet).
Expected<std::vector<EpochRecord>> readRunEpochs(const QString &dir);

} // namespace twb
