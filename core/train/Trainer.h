#pragma once

#include "BatchSampler.h"
#include "Checkpoint.h"
#include "ExampleSet.h"
#include "ForecastWindows.h"
#include "LrSchedule.h"
#include "Optimizer.h"
#include "common/Expected.h"

#include <QString>

#include <chrono>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

namespace twb {

class GradientAverager;
class Model;
class ProcessGroup;
class TrainControl;
class TrainObserver;

struct TrainerOptions
{
    std::int64_t epochs = 10;
    std::int64_t batchSize = 32;
    /// Early stopping: stop after this many epochs without a better validation loss; 0 = off.
    std::int64_t patience = 3;
    /// Clip the gradient norm to this value; 0 = off.
    double clipGradNorm = 0.0;
    /// Seeds the window order (BatchSampler) and, for a fresh run, torch's global generator
    /// (dropout). Same seed, same model initialisation, same data: identical loss sequence.
    std::uint64_t seed = 2021;
    bool dropLastTrainBatch = false;
    LossKind loss = LossKind::MeanSquaredError;
    /// Forecasting: only this channel (last axis of prediction and target) counts in the loss,
    /// the papers' "MS" setting; -1 = every channel.
    std::int64_t scoredChannel = -1;
    OptimizerOptions optimizer;
    ScheduleOptions schedule; ///< baseLr is taken from optimizer.lr
    /// Folder of best.pt and last.pt; empty = the best weights are kept in memory only.
    QString checkpointDir;
    /// Also keep the weights after every N-th epoch as epoch_<NNN>.pt (1-based epoch, zero
    /// padded to 3 digits) in checkpointDir; 0 = off. An existing file is overwritten (resume).
    std::int64_t checkpointEvery = 0;
    /// Stochastic weight averaging (Izmailov et al. 2018): from this 1-based epoch on, the
    /// weights after every epoch join a running mean (swa.pt in checkpointDir); early stopping
    /// no longer ends the run once averaging has begun. When training ends the model takes the
    /// mean, its BatchNorm1d/2d statistics are recomputed over the training part (unaugmented,
    /// torch.optim.swa_utils.update_bn), and that is the run's result (best.pt). 0 = off.
    std::int64_t swaStart = 0;
    /// Fine-tuning "head first" (FineTuneRecipe.h): parameters (state_dict names) frozen for
    /// the first `thawEpoch` epochs and trained from then on. They are in the optimizer from
    /// the start (Adam skips a parameter without gradient), so a resume finds them there.
    std::vector<std::string> thawLater;
    std::int64_t thawEpoch = 0; ///< 0-based epoch from which thawLater trains
    /// Data-parallel training (not owned; null = this process alone): the training windows
    /// are sharded over the ranks (BatchSampler), rank 0's weights are broadcast when run()
    /// starts, gradients are averaged after every backward (GradientAverager), the batch loss,
    /// the stop decision and the validation loss are reduced over the ranks (so every rank
    /// sees the same numbers and takes the same decisions), and only rank 0 writes
    /// checkpoints. batchSize is per rank. BatchNorm statistics stay local to each rank
    /// (not synchronised); rank 0's are the ones saved.
    ProcessGroup *distributed = nullptr;
    /// Bucket size of the gradient all-reduce in bytes (DistributedDataParallel's bucket_cap).
    std::int64_t bucketBytes = 25 * 1024 * 1024;
};

/// "epoch_002.pt" for the 1-based epoch 2.
QString epochCheckpointName(std::int64_t epoch);

enum class TrainOutcome {
    Finished,     ///< every epoch done
    EarlyStopped, ///< patience exhausted
    Interrupted,  ///< stop requested: last.pt holds the position after the last full batch
    Diverged,     ///< the loss became NaN or Inf
    Failed,       ///< an error (checkpoint not writable, model threw ...)
};

struct TrainResult
{
    TrainOutcome outcome = TrainOutcome::Failed;
    QString message; ///< for Interrupted, Diverged and Failed
    TrainState state;
    std::vector<double> batchLosses; ///< every batch trained by this run() call, in order
    /// Weight averaging: the validation loss of the averaged weights (NaN when it is off or
    /// had not begun; then the best epoch's weights are the result).
    double averagedValLoss = std::numeric_limits<double>::quiet_NaN();
};

/// Trains a model on an ExampleSet: MSE on the normalised scale (forecasting) or cross-entropy
/// on logits (classification, options.loss), Adam/AdamW, a learning-rate
/// schedule, optional gradient clipping, early stopping on the validation loss keeping the best
/// weights (the model holds them after run()), atomic checkpoints best.pt and last.pt
/// (last.pt after every epoch and on interruption) from which resume() continues exactly.
///
/// Frozen parameters (requires_grad false, see FineTune.h) are left out of the optimizer.
/// A model fitted in one pass (nn/OnePassFit.h) is not trained by batches: run()
/// fits it (runFit) and records one epoch; epochs, the schedule and the optimizer do not apply.
/// Threading: construct and run on one thread; control it from others via TrainControl.
class Trainer
{
public:
    /// The model is shared with the caller, who must not use it while run() is going on.
    Trainer(std::shared_ptr<Model> model, std::shared_ptr<const ExampleSet> train,
            std::shared_ptr<const ExampleSet> validation, TrainerOptions options);
    /// Forecasting convenience: copies the windows (the series tensor is shared).
    Trainer(std::shared_ptr<Model> model, ForecastWindows train, ForecastWindows validation,
            TrainerOptions options);
    ~Trainer();

    /// Not owned; may be null. Set before run().
    void setObserver(TrainObserver *observer) { m_observer = observer; }
    void setControl(TrainControl *control) { m_control = control; }

    /// Continues from a last.pt (weights, optimizer, position, patience, RNG); the best weights
    /// come from best.pt beside it. Call before run().
    Status resume(const QString &lastCheckpoint);

    TrainResult run();

    const TrainState &state() const { return m_state; }
    const TrainerOptions &options() const { return m_options; }

    /// Mean loss over every example of `examples` (eval mode, no gradient), in batches: MSE per
    /// element (of `scoredChannel` alone when >= 0), or cross-entropy per example.
    /// With a group (data parallel, a collective): the ranks take rank 0's buffers, each
    /// evaluates its share of whole batches (shardRange) and the sums are reduced, which
    /// equals one process's meanLoss of rank 0's model.
    static double meanLoss(Model &model, const ExampleSet &examples, std::int64_t batchSize,
                           LossKind loss = LossKind::MeanSquaredError,
                           std::int64_t scoredChannel = -1, ProcessGroup *group = nullptr);
    /// meanLoss's sum of losses and count of terms over examples [begin, end).
    static std::pair<double, std::int64_t> lossSums(Model &model, const ExampleSet &examples,
                                                    std::int64_t begin, std::int64_t end,
                                                    std::int64_t batchSize, LossKind loss,
                                                    std::int64_t scoredChannel);

private:
    Status checkSetup() const;
    /// run() for a model fitted in one pass (TrainerFit.cpp): fit on the training part, the
    /// validation loss of that fit, then the final fit on training and validation together,
    /// recorded as one epoch (best.pt, last.pt). No optimizer, no batches, no early stopping.
    TrainResult runFit();
    /// false when the run must end (result says why).
    bool trainEpoch(std::int64_t epoch, TrainResult &result);
    Status finishEpoch(std::int64_t epoch, std::chrono::steady_clock::time_point started,
                       TrainResult &result, bool &stop);
    Status writeCheckpoint(const QString &name);
    /// Weight averaging runs after `epochsDone` epochs (swaStart set and reached).
    bool averaging(std::int64_t epochsDone) const;
    /// Early stopping ends the run after `epochsDone` epochs: patience used up, not averaging.
    bool stopsEarly(std::int64_t epochsDone) const;
    /// Adds the model's weights to the running mean of weight averaging.
    void accumulateAverage();
    /// The model takes the averaged weights (BatchNorm statistics recomputed); they become the
    /// best weights, written to best.pt; result.averagedValLoss says how well they do.
    Status finishAveraging(TrainResult &result);
    Checkpoint makeCheckpoint(const TensorDict &weights) const;
    QString checkpointPath(const QString &name) const;
    void message(const QString &text);
    /// Weight averaging's running mean from swa.pt beside `lastCheckpoint` (caught up with
    /// last.pt's weights when a kill left it one epoch behind); nothing when not averaging.
    Status resumeAveraging(const QString &lastCheckpoint, const Checkpoint &last);
    /// Data parallel: true when any rank asks to stop (one all-reduce); else `local`.
    bool stopAgreed(bool local);
    /// Data parallel: (re)makes the gradient averager over the parameters that train now (a
    /// head-first recipe thaws more after its first epochs).
    void updateAverager();
    /// Data parallel: backward, then the gradients averaged over the ranks; `value` (the batch
    /// loss) and `n` (its examples) become the global batch's on every rank.
    void backwardAcrossRanks(const torch::Tensor &loss, double &value, std::int64_t &n);
    /// Data parallel: logs what the epoch's all-reduce cost (per step, share of the epoch).
    void reportAllReduce(std::int64_t epoch, double epochSeconds);
    /// The validation loss (meanLoss, across the ranks when data parallel).
    double validationLoss();

    std::shared_ptr<Model> m_model;
    std::shared_ptr<const ExampleSet> m_train;
    std::shared_ptr<const ExampleSet> m_validation;
    TrainerOptions m_options;
    NamedParameters m_parameters;
    std::unique_ptr<torch::optim::Optimizer> m_optimizer;
    BatchSampler m_sampler;
    std::unique_ptr<LrSchedule> m_schedule;
    std::optional<Error> m_setupError;
    TrainState m_state;
    TensorDict m_bestWeights;
    TensorDict m_averageWeights; ///< weight averaging's running mean (m_state.swaCount epochs)
    double m_lastLr = 0.0;
    bool m_resumed = false;
    TrainObserver *m_observer = nullptr;
    TrainControl *m_control = nullptr;
    std::unique_ptr<GradientAverager> m_averager; ///< data parallel only
    // Throughput estimate (this process only).
    double m_batchSecondsAverage = 0.0;
};

} // namespace twb
