#include "Trainer.h"
#include "DataParallel.h"
#include "FineTunePlan.h"
#include "GradientAverager.h"
#include "ProcessGroup.h"
#include "TrainControl.h"
#include "TrainLoss.h"
#include "TrainObserver.h"
#include "common/Errors.h"
#include "nn/Model.h"
#include "nn/OnePassFit.h"

#include <QDir>
#include <QFileInfo>

#include <chrono>
#include <cmath>
#include <csignal>

namespace twb {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
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
    if (!onePassFit(*m_model))
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
    if (m_parameters.empty() && !onePassFit(*m_model))
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
    if (m_optimizer)
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
    if (Status s = resumeAveraging(lastCheckpoint, *last); !s)
        return s;
    if (last->rngState.numel() > 0)
        setRngState(last->rngState);
    m_state = last->state;
    // A finished run resumed with more epochs goes on (the checkpoint's "finished" was about
    // the old count); one that stopped early stays stopped unless the patience grew.
    m_state.finished = m_state.epoch >= m_options.epochs || stopsEarly(m_state.epoch);
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
    if (m_optimizer) // a model fitted in one pass has none
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
    if (onePassFit(*m_model))
        return runFit();
    if (m_options.distributed) {
        broadcastModel(*m_options.distributed, *m_model);
        updateAverager();
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
    if (!m_options.thawLater.empty() && epoch >= m_options.thawEpoch) {
        thawParameters(*m_model, m_options.thawLater);
        if (m_averager)
            updateAverager(); // every rank thaws at the same epoch
    }
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
        if (!m_schedule->followsValidation()) // plateau: the rate afterEpoch left
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
        if (m_averager)
            backwardAcrossRanks(loss, value, n);
        if (!std::isfinite(value)) {
            result.outcome = TrainOutcome::Diverged;
            result.message = QStringLiteral("loss became %1 at epoch %2, batch %3")
                                 .arg(nonFiniteName(value))
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

bool Trainer::averaging(std::int64_t epochsDone) const
{
    return m_options.swaStart > 0 && epochsDone >= m_options.swaStart;
}

bool Trainer::stopsEarly(std::int64_t epochsDone) const
{
    return !averaging(epochsDone) && m_options.patience > 0 &&
           m_state.badEpochs >= m_options.patience;
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
                             .arg(nonFiniteName(event.valLoss))
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
    // Plateau: the next epoch's rate, saved in last.pt below (Checkpoint::lr).
    if (m_schedule)
        m_lastLr = m_schedule->afterEpoch(m_lastLr, m_state.badEpochs);
    m_state.epoch = epoch + 1;
    m_state.batch = 0;
    m_state.epochLossSum = 0.0;
    m_state.epochSamples = 0;
    if (averaging(m_state.epoch))
        accumulateAverage();
    const bool early = stopsEarly(m_state.epoch);
    m_state.finished = early || m_state.epoch >= m_options.epochs;
    // The epoch's record (metrics.csv) first, last.pt after it: a process killed in between
    // resumes from the previous last.pt, which drops the record and trains the epoch again.
    // The other way round, a kill would leave a checkpoint past a record that never comes.
    event.seconds = secondsSince(started);
    reportAllReduce(epoch, event.seconds);
    if (m_observer)
        m_observer->onEpoch(event);
    if (event.best)
        if (Status s = writeCheckpoint(QStringLiteral("best.pt")); !s)
            return s;
    if (Status s = writeCheckpoint(QStringLiteral("last.pt")); !s)
        return s;
    if (averaging(m_state.epoch))
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

} // namespace twb
