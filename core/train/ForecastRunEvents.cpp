// ForecastRun, second half: recording a run's events and results in its folder and on the
// progress reporter.

#include "ForecastData.h"
#include "ForecastRun.h"
#include "PredictionsFile.h"
#include "ProgressReporter.h"
#include "model/Model.h"

#include <unistd.h>

namespace twb {

Status ForecastRun::finish(Model &model, const ForecastData &data, const TrainConfig &config,
                           const TrainState &state, RunResult &result)
{
    PredictionsRecord record;
    result.test = evaluateForecast(model, data.test, data.scaler, config.batchSize, &record.values);
    record.windowStartRows = data.test.starts();
    record.channelNames = data.dataset.channelNames;
    if (data.dataset.hasTimestamps())
        for (std::int64_t start : record.windowStartRows) {
            record.windowStartTimes.push_back(data.dataset.timestamps[std::size_t(start)]);
            record.forecastStartTimes.push_back(
                data.dataset.timestamps[std::size_t(start + config.lookback)]);
        }
    if (Status s =
            writePredictionsFile(m_store->filePath(QStringLiteral("predictions.h5")), record);
        !s)
        return s;
    const QJsonObject test = result.test.toJson();
    const QString outcome = result.outcome == TrainOutcome::EarlyStopped
                                ? QStringLiteral("early_stopped")
                                : QStringLiteral("finished");
    m_store->log(QStringLiteral("%1; best epoch %2 (val %3); test mse %4 mae %5, original units "
                                "mse %6 mae %7, %8 windows")
                     .arg(outcome)
                     .arg(state.bestEpoch + 1)
                     .arg(state.bestValLoss)
                     .arg(result.test.mse)
                     .arg(result.test.mae)
                     .arg(result.test.mseOriginal)
                     .arg(result.test.maeOriginal)
                     .arg(result.test.windows));
    if (Status s =
            m_store->writeStatus(RunState::Finished, QString(),
                                 {{QStringLiteral("outcome"), outcome},
                                  {QStringLiteral("best_epoch"), qint64(state.bestEpoch + 1)},
                                  {QStringLiteral("best_val_loss"), state.bestValLoss},
                                  {QStringLiteral("epochs_trained"), qint64(state.epoch)},
                                  {QStringLiteral("test"), test}});
        !s)
        return s;
    if (m_reporter)
        m_reporter->done(state.bestEpoch, test);
    return {};
}

void ForecastRun::onStart(const TrainStartEvent &event)
{
    if (m_reporter)
        m_reporter->onStart(event);
    onMessage(QStringLiteral("start at epoch %1, batch %2: %3 epochs x %4 batches, %5 trainable "
                             "and %6 frozen parameters")
                  .arg(event.startEpoch + 1)
                  .arg(event.startBatch)
                  .arg(event.epochs)
                  .arg(event.batchesPerEpoch)
                  .arg(event.trainableParameters)
                  .arg(event.frozenParameters));
}

void ForecastRun::onBatch(const BatchEvent &event)
{
    if (m_reporter)
        m_reporter->onBatch(event);
}

void ForecastRun::onEpoch(const EpochEvent &event)
{
    EpochRecord record{event.epoch + 1, event.trainLoss, event.valLoss,
                       event.lr,        event.seconds,   event.best};
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
        m_store->writeStatus(RunState::Running, QString(),
                             {{QStringLiteral("pid"), qint64(getpid())},
                              {QStringLiteral("epoch"), qint64(record.epoch)}});
    }
    if (m_reporter)
        m_reporter->onEpoch(event);
}

void ForecastRun::onEarlyStop(const EarlyStopEvent &event)
{
    onMessage(QStringLiteral("early stop after epoch %1: no better validation loss for %2 epochs")
                  .arg(event.epoch + 1)
                  .arg(event.patience));
    if (m_reporter)
        m_reporter->onEarlyStop(event);
}

void ForecastRun::onMessage(const QString &text)
{
    if (m_store)
        m_store->log(text);
}

} // namespace twb
