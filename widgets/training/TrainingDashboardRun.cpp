// What the dashboard shows of a run: its start, progress events, log lines and end.
#include "TrainingDashboard.h"

#include "protocol/Duration.h"
#include "widgets/training/TrainingCurves.h"

#include <QCheckBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>

#include <algorithm>

#include <climits>

namespace twb {

QString TrainingDashboard::resultText(const TrainDoneEvent &e)
{
    if (e.test.contains(QLatin1String("si_snri"))) {
        const auto dB = [&e](const char *key) {
            return e.test.value(QLatin1String(key)).toDouble();
        };
        return tr("best epoch %1, test SI-SNRi %2 dB (SI-SNR %3 dB), SDRi %4 dB over %5 "
                  "mixtures")
            .arg(e.bestEpoch)
            .arg(dB("si_snri"), 0, 'f', 2)
            .arg(dB("si_snr"), 0, 'f', 2)
            .arg(dB("sdri"), 0, 'f', 2)
            .arg(e.test.value(QLatin1String("mixtures")).toInteger());
    }
    if (e.classification)
        return tr("best epoch %1, test accuracy %2 %, macro-F1 %3, log-loss %4 over %5 cases")
            .arg(e.bestEpoch)
            .arg(100.0 * e.accuracy, 0, 'f', 1)
            .arg(e.macroF1, 0, 'f', 3)
            .arg(e.logLoss, 0, 'g', 4)
            .arg(e.examples);
    return tr("best epoch %1, test MSE %2, MAE %3 (original units: MSE %4, MAE %5) over %6 "
              "windows")
        .arg(e.bestEpoch)
        .arg(e.mse, 0, 'g', 5)
        .arg(e.mae, 0, 'g', 5)
        .arg(e.mseOriginal, 0, 'g', 5)
        .arg(e.maeOriginal, 0, 'g', 5)
        .arg(e.windows);
}

void TrainingDashboard::setSeparation(bool on)
{
    m_separation = on;
    m_curves->setLossName(on ? tr("\u2212SI-SNR (dB)") : tr("loss"));
    if (on)
        m_logScale->setChecked(false); // the loss is negative once the model separates
    m_logScale->setEnabled(!on);
    m_logScale->setToolTip(on ? tr("The loss of a separation run, \u2212SI-SNR in dB, is "
                                   "negative: no log scale")
                              : QString());
}

void TrainingDashboard::showRunStarting(const TrainRequest &request)
{
    setSeparation(request.isSeparation());
    m_epochs = request.epochs;
    m_curves->clear(int(request.epochs));
    m_log->clear();
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("starting\u2026"));
    m_speed->clear();
    m_lastLoss->clear();
    setStatus(tr("Running %1").arg(request.displayName()), false);
}

void TrainingDashboard::showTrainStart(const TrainStartEvent &event)
{
    m_epochs = event.epochs;
    m_curves->clear(int(event.epochs));
    const std::int64_t total = std::max<std::int64_t>(1, event.epochs * event.batchesPerEpoch);
    m_progress->setRange(0, int(std::min<std::int64_t>(total, INT_MAX)));
    m_progress->setValue(0);
    m_progress->setFormat(tr("epoch %1/%2").arg(event.startEpoch).arg(event.epochs));
    const QString task = event.summary.value(QLatin1String("task")).toString();
    setSeparation(task == QLatin1String("separate"));
    if (m_separation) {
        m_log->appendPlainText(
            tr("%1 training mixtures per epoch, %2 validation mixtures, %3 batches per epoch, %4 "
               "trainable parameters; %5 speakers per mixture, %6 samples at %7 Hz")
                .arg(event.trainWindows)
                .arg(event.valWindows)
                .arg(event.batchesPerEpoch)
                .arg(event.trainableParameters)
                .arg(event.summary.value(QLatin1String("sources")).toInteger())
                .arg(event.summary.value(QLatin1String("samples")).toInteger())
                .arg(event.summary.value(QLatin1String("sample_rate")).toDouble()));
        return;
    }
    const bool classify = task == QLatin1String("classify");
    m_log->appendPlainText((classify ? tr("%1 training cases, %2 validation cases, %3 batches per "
                                          "epoch, %4 trainable parameters")
                                     : tr("%1 train windows, %2 validation windows, %3 batches "
                                          "per epoch, %4 trainable parameters"))
                               .arg(event.trainWindows)
                               .arg(event.valWindows)
                               .arg(event.batchesPerEpoch)
                               .arg(event.trainableParameters));
}

void TrainingDashboard::showBatch(const BatchEvent &e)
{
    const std::int64_t batches = std::max<std::int64_t>(1, e.batches);
    m_curves->addBatch(double(e.epoch - 1) + double(e.batch) / double(batches), e.loss, e.lr);
    const std::int64_t done = (e.epoch - 1) * batches + e.batch;
    if (m_progress->maximum() <= 1)
        m_progress->setRange(0, int(std::max<std::int64_t>(1, m_epochs * batches)));
    m_progress->setValue(int(std::min<std::int64_t>(done, m_progress->maximum())));
    m_progress->setFormat(tr("epoch %1/%2 \u00b7 batch %3/%4 \u00b7 ETA %5")
                              .arg(e.epoch)
                              .arg(m_epochs)
                              .arg(e.batch)
                              .arg(e.batches)
                              .arg(formatDuration(e.etaSec)));
    m_speed->setText(tr("%1 samples/s").arg(e.samplesPerSec, 0, 'f', 0));
    // A separation run's loss is minus the SI-SNR: the words give the SI-SNR itself.
    m_lastLoss->setText(
        m_separation ? tr("SI-SNR %1 dB \u00b7 lr %2").arg(-e.loss, 0, 'f', 2).arg(e.lr, 0, 'g', 3)
                     : tr("loss %1 \u00b7 lr %2").arg(e.loss, 0, 'g', 4).arg(e.lr, 0, 'g', 3));
}

void TrainingDashboard::showEpoch(const EpochEvent &e)
{
    m_curves->addEpoch(int(e.epoch), e.trainLoss, e.valLoss);
    if (m_separation) {
        m_log->appendPlainText(tr("epoch %1: SI-SNR train %2 dB, validation %3 dB%4 (%5)")
                                   .arg(e.epoch)
                                   .arg(-e.trainLoss, 0, 'f', 2)
                                   .arg(-e.valLoss, 0, 'f', 2)
                                   .arg(e.best ? tr(", best") : QString())
                                   .arg(formatDuration(e.seconds)));
        return;
    }
    m_log->appendPlainText(tr("epoch %1: train %2, validation %3%4 (%5)")
                               .arg(e.epoch)
                               .arg(e.trainLoss, 0, 'g', 6)
                               .arg(e.valLoss, 0, 'g', 6)
                               .arg(e.best ? tr(", best") : QString())
                               .arg(formatDuration(e.seconds)));
}

void TrainingDashboard::showEarlyStop(const EarlyStopEvent &e)
{
    m_log->appendPlainText(
        (m_separation ? tr("Early stop after epoch %1: best epoch %2 (validation SI-SNR %3 dB)")
                            .arg(e.epoch)
                            .arg(e.bestEpoch)
                            .arg(-e.bestValLoss, 0, 'f', 2)
                      : tr("Early stop after epoch %1: best epoch %2 (validation %3)")
                            .arg(e.epoch)
                            .arg(e.bestEpoch)
                            .arg(e.bestValLoss, 0, 'g', 5)));
}

void TrainingDashboard::showDone(const TrainDoneEvent &e)
{
    m_log->appendPlainText(tr("Done: %1").arg(resultText(e)));
}

void TrainingDashboard::appendLog(const QString &line)
{
    m_log->appendPlainText(line);
}

void TrainingDashboard::showPaused(const TrainRequest &request, bool paused)
{
    setStatus(paused ? tr("Paused: %1").arg(request.displayName())
                     : tr("Running %1").arg(request.displayName()),
              false);
}

void TrainingDashboard::showStopping(const TrainRequest &request)
{
    setStatus(tr("Stopping %1 after the current batch\u2026").arg(request.displayName()), false);
}

void TrainingDashboard::showRunEnded(const TrainRequest &request, Outcome outcome,
                                     const QString &message, const QStringList &lastLines)
{
    switch (outcome) {
    case Outcome::Finished:
        m_progress->setValue(m_progress->maximum());
        m_progress->setFormat(tr("finished"));
        setStatus(tr("Finished %1: %2").arg(request.displayName(), message), false);
        break;
    case Outcome::Interrupted:
        m_progress->setFormat(tr("stopped"));
        setStatus(tr("Stopped %1 (checkpoint kept; resume with twb-cli train --run-dir %2 "
                     "--resume): %3")
                      .arg(request.displayName(), request.runDir, message),
                  false);
        break;
    case Outcome::Failed:
        m_progress->setFormat(tr("failed"));
        setStatus(tr("Failed: %1: %2").arg(request.displayName(), message), true);
        // The log view already holds the lines as they came; end with the last ones in a block
        // so that the reason is next to them even if the view was cleared or scrolled.
        m_log->appendPlainText(tr("\n--- the run failed: %1 ---\nlast log lines:").arg(message));
        for (const QString &line : lastLines)
            m_log->appendPlainText(QStringLiteral("  ") + line);
        break;
    }
}

} // namespace twb
