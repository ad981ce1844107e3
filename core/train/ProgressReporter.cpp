#include "ProgressReporter.h"

#include "protocol/Duration.h"

#include <cmath>

#include <unistd.h>

namespace twb {

namespace {

constexpr auto batchInterval = std::chrono::milliseconds(100);

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

void ProgressReporter::emitJson(const QJsonObject &message)
{
    const QByteArray line = encodeTrainingLine(message);
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
        TrainStartEvent withSummary = e;
        withSummary.summary = m_summary;
        emitJson(withSummary.toJson());
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
    const bool last = e.batch == e.batches;
    if (!last && now - m_lastBatch < batchInterval)
        return;
    m_lastBatch = now;
    if (m_mode == ProgressMode::JsonLines) {
        emitJson(e.toJson());
        return;
    }
    constexpr int width = 30;
    const int filled =
        int(double(width) * double(e.batch) / double(std::max<std::int64_t>(1, e.batches)));
    const QString bar =
        QString(filled, QLatin1Char('#')) + QString(width - filled, QLatin1Char('-'));
    const QString line = QStringLiteral("\repoch %1/%2 [%3] %4/%5 loss %6 lr %7 %8/s ETA %9 ")
                             .arg(e.epoch)
                             .arg(m_epochs)
                             .arg(bar)
                             .arg(e.batch)
                             .arg(e.batches)
                             .arg(e.loss, 0, 'f', 4)
                             .arg(e.lr, 0, 'g', 3)
                             .arg(e.samplesPerSec, 0, 'f', 0)
                             .arg(formatDuration(e.etaSec));
    std::fputs(line.toLocal8Bit().constData(), m_err);
    std::fflush(m_err);
    m_barShown = true;
}

void ProgressReporter::onEpoch(const EpochEvent &e)
{
    if (m_mode == ProgressMode::JsonLines) {
        emitJson(e.toJson());
    } else if (m_mode == ProgressMode::Bar) {
        endBarLine();
        std::fprintf(m_err, "epoch %lld/%lld: train %.6f  val %.6f%s  (%.1f s)\n",
                     qlonglong(e.epoch), qlonglong(m_epochs), e.trainLoss, e.valLoss,
                     e.best ? "  best" : "", e.seconds);
    }
}

void ProgressReporter::onEarlyStop(const EarlyStopEvent &e)
{
    if (m_mode == ProgressMode::JsonLines)
        emitJson(e.toJson());
    else if (m_mode == ProgressMode::Bar)
        std::fprintf(m_err,
                     "early stop: no better validation loss for %lld epochs (best: epoch "
                     "%lld, %.6f)\n",
                     qlonglong(e.patience), qlonglong(e.bestEpoch), e.bestValLoss);
}

void ProgressReporter::interrupted(const QString &message)
{
    if (m_mode == ProgressMode::JsonLines)
        emitJson(TrainEndMessage{TrainEndMessage::Kind::Interrupted, message}.toJson());
    else
        endBarLine();
}

void ProgressReporter::done(const TrainDoneEvent &event, const QString &summary)
{
    if (m_mode == ProgressMode::JsonLines) {
        emitJson(event.toJson());
    } else if (m_mode == ProgressMode::Bar) {
        endBarLine();
        std::fprintf(m_err, "best epoch %lld: %s\n", qlonglong(event.bestEpoch),
                     summary.toUtf8().constData());
    }
}

void ProgressReporter::note(const QString &text)
{
    if (m_mode == ProgressMode::None)
        return;
    endBarLine();
    std::fprintf(m_err, "note: %s\n", text.toUtf8().constData());
    std::fflush(m_err);
}

void ProgressReporter::error(const QString &message)
{
    if (m_mode == ProgressMode::JsonLines)
        emitJson(TrainEndMessage{TrainEndMessage::Kind::Error, message}.toJson());
    else
        endBarLine();
}

} // namespace twb
