#pragma once

#include "FineTunePlan.h"
#include "MemoryEstimate.h"
#include "ModelFactory.h"
#include "TrainConfig.h"
#include "TrainObserver.h"
#include "Trainer.h"
#include "runs/RunStore.h"

#include <QJsonObject>
#include <QString>

#include <memory>
#include <optional>

namespace twb {

class ProcessGroup;
class ProgressReporter;
class TaskPipeline;
class TrainControl;

/// How a training process ended.
struct RunResult
{
    TrainOutcome outcome = TrainOutcome::Failed;
    QString message; ///< why it stopped (interrupted, diverged, failed)
    /// Finished / EarlyStopped: the test metrics as in status.json "test" (forecast: "mse",
    /// "mae", "mse_original", "mae_original", "windows"; classify: ClassificationMetrics).
    QJsonObject testMetrics;
    QString testSummary; ///< one line describing the test metrics
    std::int64_t bestEpoch = -1;
    QString runDir;

    bool succeeded() const
    {
        return outcome == TrainOutcome::Finished || outcome == TrainOutcome::EarlyStopped;
    }
};

/// One training run from configuration to results, in a run folder (RunStore), for the task of
/// the configuration (a TaskPipeline: forecast or classify): load the data, split and scale it
/// (train statistics only), create the model through its plugin (seeded), optionally
/// initialise it from another run and freeze parameters, train with checkpoints, evaluate the
/// best weights on the whole test set and write predictions.h5, config.json (configuration +
/// provenance), metrics, log and status.
///
/// Threading: run on one thread. The control (stop/pause/step) may be driven from others.
class TrainingRun : public TrainObserver
{
public:
    /// `reporter` and `control` are not owned and may be null.
    TrainingRun(PluginLookup lookup, ProgressReporter *reporter, TrainControl *control);

    /// A new run in `runDir` (which must not hold a run yet).
    RunResult start(const TrainConfig &config, const QString &runDir);

    /// Continues the run in `runDir` from checkpoints/last.pt with its saved configuration;
    /// a run killed before its first checkpoint starts over in place from that configuration.
    /// Refused while another process trains the run. Temporaries a killed writer left are
    /// removed first. If `expected` is given (the saved configuration with the command line's
    /// flags on top), it may differ from the saved one only in threads (a note says when the
    /// count differs from the run's: not bit-exact) and in more epochs when the schedule does
    /// not depend on them (config.json is updated); any other difference is refused, naming
    /// exactly the settings that differ.
    RunResult resume(const QString &runDir, const std::optional<TrainConfig> &expected = {});

    /// Data-parallel training (not owned; null = one process; set before start/resume): every
    /// rank trains, rank 0 alone writes the run folder (the others read it through
    /// RunStore::follower), config.json records "world_size", and the test set is evaluated
    /// by rank 0 over all its windows (the others end after training).
    /// See TrainingRunDistributed.cpp.
    void setDistributed(ProcessGroup *group) { m_group = group; }
    bool isFollower() const;

    /// Sets torch's intra-op threads: `threads`, or the physical cores when 0. Returns the count.
    static int applyThreads(int threads);

    void onStart(const TrainStartEvent &event) override;
    void onBatch(const BatchEvent &event) override;
    void onEpoch(const EpochEvent &event) override;
    void onEarlyStop(const EarlyStopEvent &event) override;
    void onMessage(const QString &text) override;

private:
    RunResult execute(RunStore store, TrainConfig config, bool resuming);
    RunResult fail(const QString &message);
    /// `saved` with the changes of `given` that a resume allows, or an error naming the others.
    Expected<TrainConfig> resumedConfig(const TrainConfig &saved, TrainConfig given,
                                        const QString &configPath);
    /// Logs `text` in the run and shows it on the terminal (ProgressReporter::note).
    void note(const QString &text);
    /// The task pipeline of `config`, its data prepared (prepare may complete `config`);
    /// resuming, continued from the saved provenance and refused if the data changed.
    Expected<std::unique_ptr<TaskPipeline>> preparePipeline(TrainConfig &config, bool resuming);
    /// Resuming: freezes what was frozen when the run started. Starting: makes the paths of
    /// `config` absolute, initialises and freezes as configured and writes config.json.
    Status setUpModel(Model &model, TrainConfig &config, QJsonObject provenance, bool resuming);
    Status initialise(Model &model, const TrainConfig &config, QJsonObject &provenance);
    /// Applies config.finetune to a model just initialised from `checkpoint` whose fresh
    /// parameters are `head`; records it as provenance "finetune" (TrainingRunFineTune.cpp).
    Status setUpRecipe(Model &model, const TrainConfig &config, const QStringList &head,
                       const QString &checkpoint, QJsonObject &provenance);
    /// Resuming: freezes what the recipe froze when the run started (its saved provenance).
    Status resumeRecipe(Model &model, const TrainConfig &config, const QJsonObject &saved);
    /// Loads checkpoints/last.pt into `trainer` and the metrics of the epochs it completed.
    Status resumeTrainer(Trainer &trainer);
    /// Estimates the run's peak memory (MemoryEstimate) and refuses a run that needs more than
    /// the machine has available, before the first batch.
    Status checkMemory(Model &model, const TaskPipeline &pipeline, std::int64_t batchSize);
    /// Data parallel: the run folder of a new run (rank 0 creates it, the others follow).
    Expected<RunStore> createStore(const QString &runDir) const;
    /// Data parallel: `json` (config.json) records the world size; resuming with another
    /// one, config.json is updated (rank 0) and a note says so.
    void recordWorldSize(QJsonObject &json) const;
    /// Data parallel: logs the ranks, who writes the log and the global batch.
    void noteRanks(std::int64_t batchSize);
    Status updateWorldSize();
    /// Records how the training ended: evaluates a finished run, marks an interrupted one, fails
    /// a diverged or failed one.
    RunResult conclude(const TrainResult &trained, Model &model, const TaskPipeline &pipeline,
                       const TrainConfig &config);
    Status finish(Model &model, const TaskPipeline &pipeline, const TrainConfig &config,
                  const TrainResult &trained, RunResult &result);

    PluginLookup m_lookup;
    ProgressReporter *m_reporter;
    TrainControl *m_control;
    std::optional<RunStore> m_store;
    bool m_keepStatus = false;
    MemoryEstimate m_memory; ///< made before the first batch, reported when the run finishes
    ProcessGroup *m_group = nullptr;
    /// What the fine-tuning recipe froze (set up with the model, read by the trainer options).
    FineTunePlan m_fineTune;
};

} // namespace twb
