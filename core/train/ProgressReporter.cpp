#include "ProgressReporter.h"

#include <QJsonDocument>

#include <cmath>

#include <unistd.h>

namespace twb {

namespace {

constexpr auto batchInterval = std::chrono::milliseconds(100);

QString duration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("?");
    const qint64 s = qint64(seconds + 0.5);
    if (s >= 3600)
        return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (s >= 60)
        return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1s").arg(s);
}

} // namespace

std::optional<ProgressMode> progressModeFromName(const QString &name)
{
    if (name == QLatin1String("none"))
        return ProgressMode::None;
    if (name == QLatin1String("jsonl"))
        return ProgressMode::JsonLines;
    if (name == QLatin1String("bar"))
        return ProgressMode::Bar;
    return std::nullopt;
}

ProgressReporter::ProgressReporter(ProgressMode mode, std::FILE *out, std::FILE *err)
    : m_mode(mode)
    , m_out(out)
    , m_err(err)
    , m_terminal(isatty(fileno(err)) == 1)
{}

void ProgressReporter::emitJson(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    std::fwrite(line.constData(), 1, std::size_t(line.size()), m_out);
    std::fputc('\n', m_out);
    std::fflush(m_out);
}

void ProgressReporter::endBarLine()
{
    if (m_barShown) {
        std::fputc('\n', m_err);
        m_barShown = false;
    }
}

void ProgressReporter::onStart(const TrainStartEvent &e)
{
    m_epochs = e.epochs;
    if (m_mode == ProgressMode::JsonLines) {
        QJsonObject o = m_summary;
        o[QStringLiteral("event")] = QStringLiteral("start");
        o[QStringLiteral("epochs")] = qint64(e.epochs);
        o[QStringLiteral("batches_per_epoch")] = qint64(e.batchesPerEpoch);
        o[QStringLiteral("train_windows")] = qint64(e.trainWindows);
        o[QStringLiteral("val_windows")] = qint64(e.valWindows);
        o[QStringLiteral("start_epoch")] = qint64(e.startEpoch + 1);
        o[QStringLiteral("start_batch")] = qint64(e.startBatch);
        o[QStringLiteral("trainable_parameters")] = qint64(e.trainableParameters);
        o[QStringLiteral("frozen_parameters")] = qint64(e.frozenParameters);
        emitJson(o);
    } else if (m_mode == ProgressMode::Bar) {
        std::fprintf(m_err, "training: %lld epochs x %lld batches, %lld train / %lld val windows\n",
                     qlonglong(e.epochs), qlonglong(e.batchesPerEpoch), qlonglong(e.trainWindows),
                     qlonglong(e.valWindows));
    }
}

void ProgressReporter::onBatch(const BatchEvent &e)
{
    if (m_mode == ProgressMode::None || (m_mode == ProgressMode::Bar && !m_terminal))
        return;
    const auto now = std::chrono::steady_clock::now();
    const bool last = e.batch + 1 == e.batches;
    if (!last && now - m_lastBatch < batchInterval)
        return;
    m_lastBatch = now;
    if (m_mode == ProgressMode::JsonLines) {
        emitJson({{QStringLiteral("event"), QStringLiteral("batch")},
                  {QStringLiteral("epoch"), qint64(e.epoch + 1)},
                  {QStringLiteral("batch"), qint64(e.batch + 1)},
                  {QStringLiteral("batches"), qint64(e.batches)},
                  {QStringLiteral("loss"), e.loss},
                  {QStringLiteral("lr"), e.lr},
                  {QStringLiteral("samples_per_sec"), e.samplesPerSec},
                  {QStringLiteral("eta_sec"), e.etaSec}});
        return;
    }
    constexpr int width = 30;
    const int filled =
        int(double(width) * double(e.batch + 1) / double(std::max<std::int64_t>(1, e.batches)));
    const QString bar =
        QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('-'));
    const QString line = QStringLiteral("\repoch %1/%2 [%3] %4/%5 loss %6 lr %7 %8/s ETA %9 ")
                             .arg(e.epoch + 1)
                             .arg(m_epochs)
                             .arg(bar)
                             .arg(e.batch + 1)
                             .arg(e.batches)
                             .arg(e.loss, 0, 'f', 4)
                             .arg(e.lr, 0, 'g', 3)
                             .arg(e.samplesPerSec, 0, 'f', 0)
                             .arg(duration(e.etaSec));
    std::fputs(line.toLocal8Bit().constData(), m_err);
    std::fflush(m_err);
    m_barShown = true;
}

void ProgressReporter::onEpoch(const EpochEvent &e)
{
    if (m_mode == ProgressMode::JsonLines) {
        emitJson({{QStringLiteral("event"), QStringLiteral("epoch")},
                  {QStringLiteral("epoch"), qint64(e.epoch + 1)},
                  {QStringLiteral("train_loss"), e.trainLoss},
                  {QStringLiteral("val_loss"), e.valLoss},
                  {QStringLiteral("lr"), e.lr},
                  {QStringLiteral("seconds"), e.seconds},
                  {QStringLiteral("best"), e.best}});
    } else if (m_mode == ProgressMode::Bar) {
        endBarLine();
        std::fprintf(m_err, "epoch %lld/%lld: train %.6f  val %.6f%s  (%.1f s)\n",
                     qlonglong(e.epoch + 1), qlonglong(m_epochs), e.trainLoss, e.valLoss,
                     e.best ? "  best" : "", e.seconds);
    }
}

void ProgressReporter::onEarlyStop(const EarlyStopEvent &e)
{
    if (m_mode == ProgressMode::JsonLines)
        emitJson({{QStringLiteral("event"), QStringLiteral("early_stop")},
                  {QStringLiteral("epoch"), qint64(e.epoch + 1)},
                  {QStringLiteral("best_epoch"), qint64(e.bestEpoch + 1)},
                  {QStringLiteral("best_val_loss"), e.bestValLoss},
                  {QStringLiteral("patience"), qint64(e.patience)}});
    else if (m_mode == ProgressMode::Bar)
        std::fprintf(m_err,
                     "early stop: no better validation loss for %lld epochs (best: epoch "
                     "%lld, %.6f)\n",
                     qlonglong(e.patience), qlonglong(e.bestEpoch + 1), e.bestValLoss);
}

void ProgressReporter::interrupted(const QString &message)
{
    if (m_mode == ProgressMode::JsonLines)
        emitJson({{QStringLiteral("event"), QStringLiteral("interrupted")},
                  {QStringLiteral("message"), message}});
    else
        endBarLine();
}

void ProgressReporter::done(std::int64_t bestEpoch, const QJsonObject &testMetrics,
                            const QString &summary)
{
    if (m_mode == ProgressMode::JsonLines) {
        emitJson({{QStringLiteral("event"), QStringLiteral("done")},
                  {QStringLiteral("best_epoch"), qint64(bestEpoch + 1)},
                  {QStringLiteral("test"), testMetrics}});
    } else if (m_mode == ProgressMode::Bar) {
        endBarLine();
        std::fprintf(m_err, "best epoch %lld: %s\n", qlonglong(bestEpoch + 1),
                     summary.toUtf8().constData());
    }
}

void ProgressReporter::error(const QString &message)
{
    if (m_mode == ProgressMode::JsonLines)
        emitJson({{QStringLiteral("event"), QStringLiteral("error")},
                  {QStringLiteral("message"), message}});
    else
        endBarLine();
}

} // namespace twb
