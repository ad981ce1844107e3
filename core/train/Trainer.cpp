#include "Trainer.h"
#include "DataParallel.h"
#include "FineTuneRecipe.h"
#include "GradientAverager.h"
#include "MaskedLoss.h"
#include "ProcessGroup.h"
#include "TrainControl.h"
#include "TrainObserver.h"
#include "common/Errors.h"
#include "nn/Model.h"

#include <ATen/CPUGeneratorImpl.h>

#include <QDir>
#include <QFileInfo>

#include <chrono>
#include <cmath>
#include <csignal>
#include <mutex>

namespace twb {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

QString nonFinite(double v)
{
    return std::isnan(v) ? QStringLiteral("NaN") : QStringLiteral("Inf");
}

QString stopReason(const TrainControl *control)
{
    const int sig = control ? control->stopSignal() : 0;
    if (sig == SIGTERM)
        return QStringLiteral("SIGTERM");
    if (sig == SIGINT)
        return QStringLiteral("SIGINT");
    return QStringLiteral("a stop request");
}

/// The loss of `prediction` against `target`, reduced as asked (mean by default); for MSE over
/// channel `scored` of the last axis alone when it is >= 0; masked MSE over `hidden` values.
torch::Tensor computeLoss(const torch::Tensor &prediction, const torch::Tensor &target,
                          LossKind kind, std::int64_t scored,
                          torch::Reduction::Reduction reduction = torch::Reduction::Mean,
                          const torch::Tensor &hidden = {})
{
    if (kind == LossKind::CrossEntropy)
        return torch::nll_loss(torch::log_softmax(prediction, 1), target, {}, reduction);
    if (kind == LossKind::MaskedMeanSquaredError)
        return maskedMseLoss(prediction, target, hidden, reduction);
    if (scored >= 0)
        return torch::mse_loss(prediction.select(-1, scored), target.select(-1, scored), reduction);
    return torch::mse_loss(prediction, target, reduction);
}

/// Forecast: prediction and target have the same shape. Classify: logits [batch, classes] for
/// int64 targets [batch].
bool predictionFits(const torch::Tensor &prediction, const torch::Tensor &target, LossKind kind)
{
    if (!prediction.defined())
        return false;
    if (kind == LossKind::CrossEntropy)
        return prediction.dim() == 2 && target.dim() == 1 && prediction.size(0) == target.size(0);
    return prediction.sizes() == target.sizes();
}

/// mean <- mean + (weights - mean) / count, the running mean of `count` weight sets of which
/// `weights` is the last; integer buffers (BatchNorm's batch counter) take the latest value.
void addToMean(TensorDict &mean, const TensorDict &weights, std::int64_t count)
{
    torch::NoGradGuard noGrad;
    for (const auto &entry : weights) {
        const torch::Tensor &w = entry.value();
        if (count <= 1 || !mean.contains(entry.key()) || !w.is_floating_point()) {
            mean.insert_or_assign(entry.key(), w.detach().clone());
            continue;
        }
        torch::Tensor m = mean.at(entry.key());
        m.add_((w - m) / double(count));
    }
}

/// Recomputes every BatchNorm layer's running statistics as the plain average over one pass of
/// `examples` in training mode, without gradients (torch.optim.swa_utils.update_bn). A model
/// without BatchNorm is left alone.
void recomputeBatchNorm(Model &model, const ExampleSet &examples, std::int64_t batchSize)
{
    std::vector<std::pair<torch::nn::BatchNorm1dImpl *, c10::optional<double>>> layers1d;
    std::vector<std::pair<torch::nn::BatchNorm2dImpl *, c10::optional<double>>> layers2d;
    for (const auto &module : model.modules(/*include_self=*/false)) {
        if (auto *bn = module->as<torch::nn::BatchNorm1dImpl>();
            bn && bn->options.track_running_stats()) {
            layers1d.emplace_back(bn, bn->options.momentum());
            bn->reset_running_stats();
            bn->options.momentum(c10::nullopt); // cumulative average
        } else if (auto *bn2 = module->as<torch::nn::BatchNorm2dImpl>();
                   bn2 && bn2->options.track_running_stats()) {
            layers2d.emplace_back(bn2, bn2->options.momentum());
            bn2->reset_running_stats();
            bn2->options.momentum(c10::nullopt);
        }
    }
    if (layers1d.empty() && layers2d.empty())
        return;
    const bool wasTraining = model.is_training();
    model.train();
    {
        torch::NoGradGuard noGrad;
        for (std::int64_t begin = 0; begin < examples.size(); begin += batchSize) {
            const ExampleBatch batch =
                examples.range(begin, std::min(examples.size(), begin + batchSize));
            model.forward(batch.x, batchForwardOptions(batch));
        }
    }
    for (auto &[bn, momentum] : layers1d)
        bn->options.momentum(momentum);
    for (auto &[bn, momentum] : layers2d)
        bn->options.momentum(momentum);
    model.train(wasTraining);
}

} // namespace

QString epochCheckpointName(std::int64_t epoch)
{
    return QStringLiteral("epoch_%1.pt").arg(epoch, 3, 10, QLatin1Char('0'));
}

Trainer::Trainer(std::shared_ptr<Model> model, ForecastWindows train, ForecastWindows validation,
                 TrainerOptions options)
    : Trainer(std::move(model), std::make_shared<ForecastWindows>(std::move(train)),
              std::make_shared<ForecastWindows>(std::move(validation)), std::move(options))
{}

Trainer::Trainer(std::shared_ptr<Model> model, std::shared_ptr<const ExampleSet> train,
                 std::shared_ptr<const ExampleSet> validation, TrainerOptions options)
    : m_model(std::move(model))
    , m_train(std::move(train))
    , m_validation(std::move(validation))
    , m_options(std::move(options))
    , m_sampler(m_train->size(), m_options.batchSize, true, m_options.seed,
                m_options.dropLastTrainBatch, shardRank(m_options.distributed),
                shardCount(m_options.distributed))
{
    m_parameters = optimizedParameters(*m_model, m_options.thawLater);
    m_state.worldSize = shardCount(m_options.distributed);
    m_optimizer = makeOptimizer(m_options.optimizer, m_parameters);
    m_options.schedule.baseLr = m_options.optimizer.lr;
    m_lastLr = m_options.optimizer.lr;
    Expected<LrSchedule> schedule =
        LrSchedule::create(m_options.schedule, m_options.epochs,
                           std::max<std::int64_t>(1, m_sampler.batchesPerEpoch()));
    if (schedule)
        m_schedule = std::make_unique<LrSchedule>(*schedule);
    else
        m_setupError = schedule.error();
}

Trainer::~Trainer() = default;

Status Trainer::checkSetup() const
{
    if (m_setupError)
        return *m_setupError;
    if (m_options.epochs < 1)
        return makeError(QStringLiteral("epochs must be at least 1"));
    if (m_options.batchSize < 1)
        return makeError(QStringLiteral("batch size must be at least 1"));
    if (m_options.checkpointEvery < 0)
        return makeError(QStringLiteral("checkpoint-every must be 0 (off) or more"));
    if (m_options.swaStart < 0 || m_options.swaStart > m_options.epochs)
        return makeError(QStringLiteral("weight averaging must start at an epoch from 1 to the "
                                        "last (%1), or be 0 (off); got %2")
                             .arg(m_options.epochs)
                             .arg(m_options.swaStart));
    if (m_sampler.batchesPerEpoch() < 1)
        return makeError(QStringLiteral("the training part has no complete batch (%1 windows)")
                             .arg(m_train->size()));
    if (m_validation->empty())
        return makeError(QStringLiteral("the validation part has no windows"));
    if (m_parameters.empty())
        return makeError(QStringLiteral("the model has no trainable parameter (all frozen?)"));
    return {};
}

QString Trainer::checkpointPath(const QString &name) const
{
    return QDir(m_options.checkpointDir).filePath(name);
}

void Trainer::message(const QString &text)
{
    if (m_observer)
        m_observer->onMessage(text);
}

Status Trainer::resume(const QString &lastCheckpoint)
{
    Expected<Checkpoint> last = loadCheckpoint(lastCheckpoint);
    if (!last)
        return last.error();
    // Written by another number of ranks: the position moves to the same windows.
    if (const QString note = adaptToWorldSize(last->state, shardCount(m_options.distributed));
        !note.isEmpty())
        message(note);
    const std::string kind = optimizerName(m_options.optimizer.kind).toStdString();
    if (last->optimizerKind != kind)
        return makeError(
            QStringLiteral("checkpoint was written with optimizer %1, the run uses %2")
                .arg(QString::fromStdString(last->optimizerKind), QString::fromStdString(kind)),
            lastCheckpoint);
    if (last->state.batch > m_sampler.batchesPerEpoch())
        return makeError(
            QStringLiteral("checkpoint position (batch %1) does not fit %2 batches per "
                           "epoch: was the batch size or the data changed?")
                .arg(last->state.batch)
                .arg(m_sampler.batchesPerEpoch()),
            lastCheckpoint);
    if (Status s = loadModuleStateDict(*m_model, last->model, lastCheckpoint); !s)
        return s;
    if (Status s = restoreOptimizerState(*m_optimizer, m_options.optimizer.kind, m_parameters,
                                         last->optimizer);
        !s)
        return makeError(s.error().reason, lastCheckpoint);
    if (last->state.bestEpoch >= 0) {
        const QString bestPath =
            QFileInfo(lastCheckpoint).dir().filePath(QStringLiteral("best.pt"));
        Expected<Checkpoint> best = loadCheckpoint(bestPath);
        if (!best)
            return best.error();
        m_bestWeights = best->model;
    }
    if (last->state.swaCount > 0) {
        // swa.pt is written after last.pt: a process killed in between left it one epoch
        // behind, and last.pt's weights are the epoch it misses.
        const QString swaPath = QFileInfo(lastCheckpoint).dir().filePath(QStringLiteral("swa.pt"));
        const std::int64_t count = last->state.swaCount;
        std::int64_t averaged = 0;
        if (QFileInfo::exists(swaPath)) {
            Expected<Checkpoint> swa = loadCheckpoint(swaPath);
            if (!swa)
                return swa.error();
            m_averageWeights = swa->model;
            averaged = swa->state.swaCount;
        }
        if (averaged == count - 1)
            addToMean(m_averageWeights, last->model, count);
        else if (averaged != count)
            return makeError(QStringLiteral("weight averaging: last.pt counts %1 averaged epochs "
                                            "and swa.pt %2; they do not belong together")
                                 .arg(count)
                                 .arg(averaged),
                             swaPath);
    }
    if (last->rngState.numel() > 0)
        setRngState(last->rngState);
    m_state = last->state;
    m_lastLr = last->lr;
    m_resumed = true;
    message(QStringLiteral("resumed from %1 at epoch %2, batch %3")
                .arg(lastCheckpoint)
                .arg(m_state.epoch + 1)
                .arg(m_state.batch));
    return {};
}

Checkpoint Trainer::makeCheckpoint(const TensorDict &weights) const
{
    Checkpoint c;
    c.model = weights;
    c.optimizer = optimizerState(*m_optimizer, m_options.optimizer.kind, m_parameters);
    c.optimizerKind = optimizerName(m_options.optimizer.kind).toStdString();
    c.state = m_state;
    c.rngState = rngState();
    c.lr = m_lastLr;
    return c;
}

Status Trainer::writeCheckpoint(const QString &name)
{
    if (m_options.checkpointDir.isEmpty() ||
        (m_options.distributed && !m_options.distributed->isMain()))
        return {};
    const TensorDict weights = name == QLatin1String("best.pt")  ? m_bestWeights
                               : name == QLatin1String("swa.pt") ? m_averageWeights
                                                                 : moduleStateDict(*m_model);
    return saveCheckpoint(checkpointPath(name), makeCheckpoint(weights));
}

TrainResult Trainer::run()
{
    TrainResult result;
    if (Status s = checkSetup(); !s) {
        result.message = s.error().toString();
        return result;
    }
    if (!m_resumed)
        torch::manual_seed(m_options.seed);
    if (m_options.distributed) {
        broadcastModel(*m_options.distributed, *m_model);
        std::vector<torch::Tensor> parameters;
        for (const auto &named : m_parameters)
            parameters.push_back(named.second);
        m_averager = std::make_unique<GradientAverager>(
            *m_options.distributed, std::move(parameters), m_options.bucketBytes);
    }

    std::int64_t frozen = 0;
    for (const auto &p : m_model->parameters())
        if (!p.requires_grad())
            frozen += p.numel();
    std::int64_t trainable = 0;
    for (const auto &named : m_parameters)
        trainable += named.second.numel();
    if (m_observer)
        m_observer->onStart({m_options.epochs,
                             m_sampler.batchesPerEpoch(),
                             m_train->size(),
                             m_validation->size(),
                             m_state.epoch + 1,
                             m_state.batch,
                             trainable,
                             frozen,
                             {}});

    result.outcome = TrainOutcome::Finished;
    try {
        bool stop = m_state.finished;
        for (std::int64_t epoch = m_state.epoch; !stop && epoch < m_options.epochs; ++epoch) {
            const auto t0 = Clock::now();
            if (!trainEpoch(epoch, result))
                break;
            if (Status s = finishEpoch(epoch, t0, result, stop); !s) {
                result.outcome = TrainOutcome::Failed;
                result.message = s.error().toString();
                break;
            }
            if (!stop && stopAgreed(m_control && m_control->stopRequested())) {
                result.outcome = TrainOutcome::Interrupted;
                result.message = QStringLiteral("stopped by %1 after epoch %2; last.pt written")
                                     .arg(stopReason(m_control))
                                     .arg(epoch + 1);
                break;
            }
        }
    } catch (const c10::Error &e) {
        result.outcome = TrainOutcome::Failed;
        result.message = QString::fromStdString(e.what_without_backtrace());
    } catch (const std::exception &e) {
        result.outcome = TrainOutcome::Failed;
        result.message = QString::fromUtf8(e.what());
    }
    const bool done =
        result.outcome == TrainOutcome::Finished || result.outcome == TrainOutcome::EarlyStopped;
    if (done && m_state.swaCount > 0) {
        try {
            if (Status s = finishAveraging(result); !s) {
                result.outcome = TrainOutcome::Failed;
                result.message = s.error().toString();
            }
        } catch (const std::exception &e) {
            result.outcome = TrainOutcome::Failed;
            result.message = QStringLiteral("weight averaging: ") + QString::fromUtf8(e.what());
        }
    }
    if ((result.outcome == TrainOutcome::Finished ||
         result.outcome == TrainOutcome::EarlyStopped) &&
        m_bestWeights.size() > 0) {
        if (Status s = loadModuleStateDict(*m_model, m_bestWeights, QStringLiteral("best weights"));
            !s) {
            result.outcome = TrainOutcome::Failed;
            result.message = s.error().toString();
        }
    }
    result.state = m_state;
    return result;
}

bool Trainer::trainEpoch(std::int64_t epoch, TrainResult &result)
{
    m_sampler.setEpoch(epoch);
    if (!m_options.thawLater.empty() && epoch >= m_options.thawEpoch)
        thawParameters(*m_model, m_options.thawLater);
    m_model->train();
    const std::int64_t batches = m_sampler.batchesPerEpoch();
    std::vector<torch::Tensor> parameters;
    for (const auto &named : m_parameters)
        parameters.push_back(named.second);

    for (std::int64_t b = m_state.batch; b < batches; ++b) {
        if (stopAgreed(m_control && !m_control->waitUntilRunnable())) {
            Status s = writeCheckpoint(QStringLiteral("last.pt"));
            result.outcome = s ? TrainOutcome::Interrupted : TrainOutcome::Failed;
            result.message = s ? QStringLiteral("stopped by %1 after batch %2 of epoch %3; "
                                                "last.pt written")
                                     .arg(stopReason(m_control))
                                     .arg(b)
                                     .arg(epoch + 1)
                               : s.error().toString();
            return false;
        }
        const auto t0 = Clock::now();
        m_lastLr = m_schedule->lr(epoch, b);
        setLearningRate(*m_optimizer, m_lastLr);
        const ExampleBatch batch =
            m_train->trainingBatch(m_sampler.batch(b), m_options.seed, epoch, b);
        m_optimizer->zero_grad();
        const torch::Tensor prediction =
            m_model->forward(batch.x, batchForwardOptions(batch)).prediction;
        if (!predictionFits(prediction, batch.y, m_options.loss)) {
            result.outcome = TrainOutcome::Failed;
            result.message =
                QStringLiteral("the model predicted shape %1 for a target of %2")
                    .arg(QString::fromStdString(prediction.defined() ? c10::str(prediction.sizes())
                                                                     : std::string("(none)")),
                         QString::fromStdString(c10::str(batch.y.sizes())));
            return false;
        }
        torch::Tensor loss =
            computeLoss(prediction, batch.y, m_options.loss, m_options.scoredChannel,
                        torch::Reduction::Mean, batch.hidden);
        if (batch.mixTargets.defined())
            loss = batch.mixWeight * loss +
                   (1.0 - batch.mixWeight) * computeLoss(prediction, batch.mixTargets,
                                                         m_options.loss, m_options.scoredChannel);
        double value = loss.item<double>();
        std::int64_t n = batch.x.size(0);
        if (m_averager) {
            // Every rank's gradients become the mean over the ranks; the batch loss the mean
            // over the global batch, so that every rank sees (and stops on) the same value.
            loss.backward();
            const torch::Tensor sums =
                torch::tensor({value * double(n), double(n)}, torch::kDouble);
            m_averager->average(sums);
            n = std::int64_t(sums[1].item<double>());
            value = sums[0].item<double>() / double(n);
        }
        if (!std::isfinite(value)) {
            result.outcome = TrainOutcome::Diverged;
            result.message = QStringLiteral("loss became %1 at epoch %2, batch %3")
                                 .arg(nonFinite(value))
                                 .arg(epoch + 1)
                                 .arg(b + 1);
            return false;
        }
        if (!m_averager)
            loss.backward();
        if (m_options.clipGradNorm > 0.0)
            torch::nn::utils::clip_grad_norm_(parameters, m_options.clipGradNorm);
        m_optimizer->step();

        m_state.batch = b + 1;
        ++m_state.globalStep;
        m_state.epochLossSum += value * double(n);
        m_state.epochSamples += n;
        result.batchLosses.push_back(value);

        const double seconds = secondsSince(t0);
        m_batchSecondsAverage =
            m_batchSecondsAverage > 0.0 ? 0.9 * m_batchSecondsAverage + 0.1 * seconds : seconds;
        if (m_observer) {
            const std::int64_t remaining =
                (batches - b - 1) + (m_options.epochs - epoch - 1) * batches;
            m_observer->onBatch(
                {epoch + 1, b + 1, batches, value, m_lastLr,
                 double(m_options.batchSize) / std::max(1e-9, m_batchSecondsAverage),
                 double(remaining) * m_batchSecondsAverage});
        }
    }
    return true;
}

Status Trainer::finishEpoch(std::int64_t epoch, Clock::time_point started, TrainResult &result,
                            bool &stop)
{
    EpochEvent event;
    event.epoch = epoch + 1;
    event.trainLoss =
        m_state.epochSamples > 0 ? m_state.epochLossSum / double(m_state.epochSamples) : 0.0;
    event.valLoss = validationLoss();
    event.lr = m_lastLr;
    if (!std::isfinite(event.valLoss)) {
        result.outcome = TrainOutcome::Diverged;
        result.message = QStringLiteral("validation loss became %1 at epoch %2")
                             .arg(nonFinite(event.valLoss))
                             .arg(epoch + 1);
        stop = true;
        return {};
    }
    event.best = event.valLoss < m_state.bestValLoss;
    if (event.best) {
        m_state.bestValLoss = event.valLoss;
        m_state.bestEpoch = epoch;
        m_state.badEpochs = 0;
        m_bestWeights = moduleStateDict(*m_model);
    } else {
        ++m_state.badEpochs;
    }
    m_state.epoch = epoch + 1;
    m_state.batch = 0;
    m_state.epochLossSum = 0.0;
    m_state.epochSamples = 0;
    const bool averaging = m_options.swaStart > 0 && epoch + 1 >= m_options.swaStart;
    if (averaging)
        accumulateAverage();
    const bool early =
        !averaging && m_options.patience > 0 && m_state.badEpochs >= m_options.patience;
    m_state.finished = early || m_state.epoch >= m_options.epochs;
    // The epoch's record (metrics.csv) first, last.pt after it: a process killed in between
    // resumes from the previous last.pt, which drops the record and trains the epoch again.
    // The other way round, a kill would leave a checkpoint past a record that never comes.
    event.seconds = secondsSince(started);
    if (m_averager && m_averager->calls() > 0) {
        // What data parallelism costs: the all-reduce of the gradients (with the wait for the
        // slowest rank), per optimizer step and as a share of the epoch (validation included).
        message(
            QStringLiteral("epoch %1: gradient all-reduce %2 ms per step over %3 steps "
                           "(%4 bucket(s)), %5 % of the epoch's %6 s")
                .arg(epoch + 1)
                .arg(1000.0 * m_averager->totalSeconds() / double(m_averager->calls()), 0, 'f', 2)
                .arg(m_averager->calls())
                .arg(m_averager->bucketCount())
                .arg(100.0 * m_averager->totalSeconds() / std::max(1e-9, event.seconds), 0, 'f', 1)
                .arg(event.seconds, 0, 'f', 1));
        m_averager->resetTotals();
    }
    if (m_observer)
        m_observer->onEpoch(event);
    if (event.best)
        if (Status s = writeCheckpoint(QStringLiteral("best.pt")); !s)
            return s;
    if (Status s = writeCheckpoint(QStringLiteral("last.pt")); !s)
        return s;
    if (averaging)
        if (Status s = writeCheckpoint(QStringLiteral("swa.pt")); !s)
            return s;
    if (m_options.checkpointEvery > 0 && m_state.epoch % m_options.checkpointEvery == 0)
        if (Status s = writeCheckpoint(epochCheckpointName(m_state.epoch)); !s)
            return s;
    if (early) {
        result.outcome = TrainOutcome::EarlyStopped;
        if (m_observer)
            m_observer->onEarlyStop(
                {epoch + 1, m_state.bestEpoch + 1, m_state.bestValLoss, m_options.patience});
        stop = true;
    }
    return {};
}

void Trainer::accumulateAverage()
{
    ++m_state.swaCount;
    addToMean(m_averageWeights, moduleStateDict(*m_model), m_state.swaCount);
}

Status Trainer::finishAveraging(TrainResult &result)
{
    if (Status s =
            loadModuleStateDict(*m_model, m_averageWeights, QStringLiteral("averaged weights"));
        !s)
        return s;
    recomputeBatchNorm(*m_model, *m_train, m_options.batchSize);
    result.averagedValLoss = validationLoss();
    if (!std::isfinite(result.averagedValLoss))
        return makeError(QStringLiteral("weight averaging: the averaged weights give a validation "
                                        "loss of %1")
                             .arg(nonFinite(result.averagedValLoss)));
    m_bestWeights = moduleStateDict(*m_model);
    if (Status s = writeCheckpoint(QStringLiteral("best.pt")); !s)
        return s;
    const std::int64_t first = m_state.epoch - m_state.swaCount + 1;
    message(QStringLiteral("weight averaging: the mean of epochs %1 to %2 (%3) has validation loss "
                           "%4; the best single epoch (%5) had %6. The run keeps the mean "
                           "(best.pt).")
                .arg(first)
                .arg(m_state.epoch)
                .arg(m_state.swaCount)
                .arg(result.averagedValLoss)
                .arg(m_state.bestEpoch + 1)
                .arg(m_state.bestValLoss));
    return {};
}

double Trainer::meanLoss(Model &model, const ExampleSet &examples, std::int64_t batchSize,
                         LossKind loss, std::int64_t scoredChannel)
{
    const auto [sum, count] =
        lossSums(model, examples, 0, examples.size(), batchSize, loss, scoredChannel);
    return count > 0 ? sum / double(count) : std::nan("");
}

std::pair<double, std::int64_t> Trainer::lossSums(Model &model, const ExampleSet &examples,
                                                  std::int64_t first, std::int64_t last,
                                                  std::int64_t batchSize, LossKind loss,
                                                  std::int64_t scoredChannel)
{
    const bool wasTraining = model.is_training();
    model.eval();
    torch::NoGradGuard noGrad;
    double sum = 0.0;
    std::int64_t count = 0;
    for (std::int64_t begin = first; begin < last; begin += batchSize) {
        const std::int64_t end = std::min(last, begin + batchSize);
        const ExampleBatch batch = examples.range(begin, end);
        const torch::Tensor prediction =
            model.forward(batch.x, batchForwardOptions(batch)).prediction;
        sum += computeLoss(prediction, batch.y, loss, scoredChannel, torch::Reduction::Sum,
                           batch.hidden)
                   .item<double>();
        count += loss == LossKind::CrossEntropy ? batch.y.size(0)
                 : loss == LossKind::MaskedMeanSquaredError
                     ? batch.hidden.sum().item<std::int64_t>()
                 : scoredChannel >= 0 ? batch.y.numel() / batch.y.size(-1)
                                      : batch.y.numel();
    }
    model.train(wasTraining);
    return {sum, count};
}

bool Trainer::stopAgreed(bool local)
{
    return m_options.distributed ? anyRankStops(*m_options.distributed, local) : local;
}

double Trainer::validationLoss()
{
    if (!m_options.distributed)
        return meanLoss(*m_model, *m_validation, m_options.batchSize, m_options.loss,
                        m_options.scoredChannel);
    const auto [first, last] = shardRange(*m_options.distributed, m_validation->size());
    const auto [sum, count] = lossSums(*m_model, *m_validation, first, last, m_options.batchSize,
                                       m_options.loss, m_options.scoredChannel);
    return reducedMean(*m_options.distributed, sum, count);
}

} // namespace twb
