#pragma once

#include "common/Expected.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <vector>

namespace twb {

/// One row of metrics.csv / metrics.jsonl.
struct EpochRecord
{
    std::int64_t epoch = 0; ///< 1-based
    double trainLoss = 0.0;
    double valLoss = 0.0;
    double lr = 0.0;
    double seconds = 0.0;
    bool best = false;

    QJsonObject toJson() const;
    static EpochRecord fromJson(const QJsonObject &json);
};

enum class RunState { Running, Finished, Interrupted, Failed };
QString runStateName(RunState state); ///< "running", "finished", "interrupted", "failed"

/// The folder of one run:
///   config.json       the full configuration and its provenance (TrainConfig + "provenance")
///   status.json       {"state", "message", "updated", ...}
///   metrics.csv       epoch,train_loss,val_loss,lr,seconds,best
///   metrics.jsonl     the same rows as JSON objects, one per line
///   log.txt           human-readable log, appended
///   checkpoints/      best.pt, last.pt (written by the Trainer)
///   predictions.h5    test predictions and truth (PredictionsFile.h)
/// Every JSON and CSV file is replaced atomically (QSaveFile). Threading: one thread.
class RunStore
{
public:
    /// A new run in `dir` (created with its parents if needed). Error if `dir` already holds a
    /// run (config.json or a checkpoint) — resume it or choose another folder. A folder left by
    /// a start killed before it wrote either is taken.
    static Expected<RunStore> create(const QString &dir);
    /// An existing run: `dir` must hold config.json. Reads only: nothing in `dir` is created
    /// (saveCheckpoint makes checkpoints/ when it first writes there).
    static Expected<RunStore> open(const QString &dir);
    /// A follower's view of the run in `dir` (a data-parallel rank other than 0): it reads
    /// the folder like open() (which need not exist yet), and every write (config, status,
    /// metrics, log, removing temporaries) does nothing and succeeds, so that the run folder
    /// is written by rank 0 alone. Checkpoints and predictions are not written through the
    /// store: their writers must skip them on followers themselves.
    static RunStore follower(const QString &dir);
    bool isFollower() const { return m_readOnly; }

    QString dir() const { return m_dir; }
    QString filePath(const QString &name) const;
    QString checkpointDir() const;
    QString checkpointPath(const QString &name) const; ///< checkpoints/<name>

    Status writeConfig(const QJsonObject &config) const;
    Expected<QJsonObject> readConfig() const;

    /// status.json: {"state", "message", "updated" (ISO 8601 UTC)} plus `extra`'s keys.
    Status writeStatus(RunState state, const QString &message, const QJsonObject &extra = {}) const;
    /// status.json "running" with this process's "pid" and "host" (so that a reader can tell a
    /// run whose process is gone), plus `extra`'s keys.
    Status writeRunningStatus(const QJsonObject &extra = {}) const;
    /// status.json as written, except that a "running" run whose process is gone (same host,
    /// no such pid: killed, or the machine restarted) reads as "interrupted", with a message
    /// saying so and "process_gone": true.
    Expected<QJsonObject> readStatus() const;
    /// The pid of the process training this run now (status "running" on this host, process
    /// alive), or 0.
    qint64 livePid() const;

    /// Deletes what a killed writer left behind: writeFileAtomically's "<name>.tmp-XXXXXX" in
    /// the run folder and checkpoints/. Only the run's owner may call it (a live writer's
    /// temporary would go too). Returns the names removed.
    QStringList removeStaleTemporaries() const;

    /// Re-reads metrics.jsonl keeping the epochs < `keepBefore` (1-based; resume), so that the
    /// files continue where the checkpoint was taken.
    Status loadMetrics(std::int64_t keepBefore);
    /// Forgets every row and deletes metrics.csv and metrics.jsonl (a run started over).
    void clearMetrics();
    /// Adds a row and rewrites metrics.csv and metrics.jsonl atomically.
    Status appendEpoch(const EpochRecord &record);
    const std::vector<EpochRecord> &epochs() const { return m_epochs; }

    /// Appends "<UTC time> <line>" to log.txt (not atomic: a log only grows).
    void log(const QString &line) const;

private:
    explicit RunStore(QString dir)
        : m_dir(std::move(dir))
    {}
    Expected<QJsonObject> readJson(const QString &name) const;

    QString m_dir;
    std::vector<EpochRecord> m_epochs;
    bool m_readOnly = false; ///< follower(): writes do nothing
};

} // namespace twb
