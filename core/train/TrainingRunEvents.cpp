// TrainingRun, second half: recording a run's events and results in its folder and on the
// progress reporter.

#include "MemoryEstimate.h"
#include "ProgressReporter.h"
#include "TaskPipeline.h"
#include "TrainingRun.h"
#include "nn/Model.h"
#include "runs/RunStore.h"

#include <cmath>

namespace twb {

Status TrainingRun::finish(Model &model, const TaskPipeline &pipeline, const TrainConfig &config,
                           const TrainResult &trained, RunResult &result)
{
    const TrainState &state = trained.state;
    Expected<TestOutcome> tested = pipeline.evaluate(model, config, *m_store, m_group);
    if (!tested)
        return tested.error();
    result.testMetrics = tested->metrics;
    result.testSummary = tested->summary;
    const QJsonObject test = tested->metrics;
    const QString outcome = result.outcome == TrainOutcome::EarlyStopped
                                ? QStringLiteral("early_stopped")
                                : QStringLiteral("finished");
    m_store->log(QStringLiteral("%1; best epoch %2 (val %3); %4")
                     .arg(outcome)
                     .arg(state.bestEpoch + 1)
                     .arg(state.bestValLoss)
                     .arg(tested->summary));
    // The estimate made before the first batch beside what this process really reached.
    QJsonObject memory = m_memory.toJson();
    memory[QStringLiteral("measured_peak_mb")] =
        std::round(double(peakResidentMemory()) / (1024.0 * 1024.0) * 10.0) / 10.0;
    m_store->log(QStringLiteral("memory: %1; measured peak %2")
                     .arg(m_memory.describe(), formatBytes(peakResidentMemory())));
    QJsonObject status{{QStringLiteral("outcome"), outcome},
                       {QStringLiteral("best_epoch"), qint64(state.bestEpoch + 1)},
                       {QStringLiteral("best_val_loss"), state.bestValLoss},
                       {QStringLiteral("epochs_trained"), qint64(state.epoch)},
                       {QStringLiteral("test"), test},
                       {QStringLiteral("memory"), memory}};
    if (state.swaCount > 0 && std::isfinite(trained.averagedValLoss))
        status[QStringLiteral("weight_averaging")] =
            QJsonObject{{QStringLiteral("first_epoch"), qint64(state.epoch - state.swaCount + 1)},
                        {QStringLiteral("epochs"), qint64(state.swaCount)},
                        {QStringLiteral("val_loss"), trained.averagedValLoss}};
    if (Status s = m_store->writeStatus(RunState::Finished, QString(), status); !s)
        return s;
    if (m_reporter) {
        TrainDoneEvent done;
        done.bestEpoch = state.bestEpoch + 1;
        done.test = test;
        m_reporter->done(done, tested->summary);
    }
    return {};
}

void TrainingRun::onStart(const TrainStartEvent &event)
{
    if (m_reporter)
        m_reporter->onStart(event);
    onMessage(QStringLiteral("start at epoch %1, batch %2: %3 epochs x %4 batches, %5 trainable "
                             "and %6 frozen parameters")
                  .arg(event.startEpoch)
                  .arg(event.startBatch)
                  .arg(event.epochs)
                  .arg(event.batchesPerEpoch)
                  .arg(event.trainableParameters)
                  .arg(event.frozenParameters));
}

void TrainingRun::onBatch(const BatchEvent &event)
{
    if (m_reporter)
        m_reporter->onBatch(event);
}

void TrainingRun::onEpoch(const EpochEvent &event)
{
    EpochRecord record{event.epoch, event.trainLoss, event.valLoss,
                       event.lr,    event.seconds,   event.best};
    if (m_store) {
        if (Status s = m_store->appendEpoch(record); !s)
            m_store->log(QStringLiteral("warning: ") + s.error().toString());
        m_store->log(QStringLiteral("epoch %1: train %2 val %3 lr %4 %5 s%6")
                         .arg(record.epoch)
                         .arg(record.trainLoss, 0, 'g', 8)
                         .arg(record.valLoss, 0, 'g', 8)
                         .arg(record.lr, 0, 'g', 6)
                         .arg(record.seconds, 0, 'f', 2)
                         .arg(record.best ? QStringLiteral(" (best)") : QString()));
        m_store->writeRunningStatus({{QStringLiteral("epoch"), qint64(record.epoch)}});
    }
    if (m_reporter)
        m_reporter->onEpoch(event);
}

void TrainingRun::onEarlyStop(const EarlyStopEvent &event)
{
    onMessage(QStringLiteral("early stop after epoch %1: no better validation loss for %2 epochs")
                  .arg(event.epoch)
                  .arg(event.patience));
    if (m_reporter)
        m_reporter->onEarlyStop(event);
}

void TrainingRun::onMessage(const QString &text)
{
    if (m_store)
        m_store->log(text);
}

} // namespace twb
