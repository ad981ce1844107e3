#pragma once

#include "ExampleSet.h"
#include "ModelFactory.h"
#include "TrainConfig.h"
#include "common/Expected.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <memory>

namespace twb {

class Model;
class ProcessGroup;
class RunStore;

/// What a finished run measured on its test part.
struct TestOutcome
{
    QJsonObject metrics; ///< as in status.json "test" and the "done" progress event
    QString summary;     ///< one line for log.txt and the terminal
};

/// The task-specific half of a training run (TrainingRun is the other): loading and preparing
/// the data, creating the model for it, and evaluating the best weights on the test part.
/// One pipeline per run. Threading: the run's thread only.
class TaskPipeline
{
public:
    using Note = std::function<void(const QString &)>;

    virtual ~TaskPipeline() = default;

    /// Called before prepare() when a run is resumed, with the provenance the run saved when it
    /// started: a pipeline keeps whatever the run was trained with (e.g. a classification run
    /// made before step masks existed goes on without them). Default: nothing to keep.
    virtual void continueRun(const QJsonObject &savedProvenance) { (void)savedProvenance; }

    /// Loads and prepares the data of `config` (may fill defaults into it, e.g. the split).
    /// `note` receives lines for the log. Errors name the file and the problem.
    virtual Status prepare(TrainConfig &config, const Note &note) = 0;

    /// SHA-256 of the loaded data (a resume refuses changed data).
    virtual QString dataFingerprint() const = 0;

    /// The model for the prepared data, seeded with config.seed.
    virtual Expected<CreatedModel> createModel(const ModelPlugin &plugin,
                                               const TrainConfig &config) const = 0;

    virtual std::shared_ptr<const ExampleSet> trainSet() const = 0;
    virtual std::shared_ptr<const ExampleSet> validationSet() const = 0;
    /// Examples of the test part (windows or cases) that evaluate() predicts.
    virtual std::int64_t testSize() const = 0;
    virtual LossKind loss() const = 0;
    /// Forecasting in the MS setting: the channel that alone counts (TrainerOptions); -1 = all.
    virtual std::int64_t scoredChannel() const { return -1; }

    /// The data half of config.json's "provenance" (file, fingerprint, split, scaler, ...).
    virtual QJsonObject dataProvenance() const = 0;
    /// One log line describing the prepared data.
    virtual QString describe() const = 0;
    /// Keys merged into the "start" progress event (shapes of the task).
    virtual QJsonObject startSummary() const = 0;

    /// Evaluates `model` (the best weights) on the whole test part and writes predictions.h5
    /// into `store` (not when the store is a follower's). Data parallel (`group` set, a
    /// collective: every rank calls it), the ranks share the forward passes and every rank
    /// gets the metrics one process would compute.
    virtual Expected<TestOutcome> evaluate(Model &model, const TrainConfig &config,
                                           const RunStore &store,
                                           ProcessGroup *group = nullptr) const = 0;
};

/// The pipeline for config.task ("forecast", "classify", "pretrain" or "separate"); null for
/// another task.
std::unique_ptr<TaskPipeline> makeTaskPipeline(const QString &task);

} // namespace twb
