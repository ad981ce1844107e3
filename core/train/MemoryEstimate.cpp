#include "MemoryEstimate.h"
#include "Checkpoint.h"
#include "nn/Model.h"

#include <QFile>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

/// A "Key:   1234 kB" line of a /proc file, in bytes; -1 when absent.
std::int64_t procKilobytes(const char *file, const char *key)
{
    QFile f(QString::fromLatin1(file));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray prefix = QByteArray(key) + ':';
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith(prefix)) {
            bool ok = false;
            const qint64 kb = line.mid(prefix.size()).trimmed().split(' ').value(0).toLongLong(&ok);
            return ok ? kb * 1024 : -1;
        }
    return -1;
}

/// Resets the resident set's high-water mark (VmHWM) to the current resident set (Linux 4.0+).
bool resetPeakResidentMemory()
{
    QFile f(QStringLiteral("/proc/self/clear_refs"));
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

double mebibytes(std::int64_t bytes)
{
    return double(bytes) / (1024.0 * 1024.0);
}

/// One forward and backward pass of `batch` in training mode; the gradients are dropped after.
void trainingStep(Model &model, const ExampleBatch &batch)
{
    torch::Tensor prediction = model.forward(batch.x, batchForwardOptions(batch)).prediction;
    torch::Tensor loss = batch.y.scalar_type() == torch::kLong
                             ? torch::nn::functional::cross_entropy(prediction, batch.y)
                             : torch::mse_loss(prediction, batch.y);
    loss.backward();
}

} // namespace

QJsonObject MemoryEstimate::toJson() const
{
    auto mb = [](std::int64_t bytes) {
        return std::round(mebibytes(bytes) * 10.0) / 10.0;
    };
    return {{QStringLiteral("estimated_peak_mb"), mb(peak())},
            {QStringLiteral("resident_mb"), mb(resident)},
            {QStringLiteral("step_mb"), mb(step)},
            {QStringLiteral("parameters_mb"), mb(parameters)},
            {QStringLiteral("predictions_mb"), mb(predictions)},
            {QStringLiteral("batch_size"), qint64(batchSize)}};
}

QString MemoryEstimate::describe() const
{
    return QStringLiteral("estimated peak %1: %2 before, a training step of %3: %4, parameters "
                          "%5, test predictions %6")
        .arg(formatBytes(peak()), formatBytes(resident))
        .arg(batchSize)
        .arg(formatBytes(step), formatBytes(parameters), formatBytes(predictions));
}

Expected<MemoryEstimate> estimateTrainingMemory(Model &model, const ExampleSet &train,
                                                std::int64_t batchSize, std::int64_t testExamples)
{
    MemoryEstimate estimate;
    estimate.batchSize = std::min(batchSize, train.size());
    for (const torch::Tensor &p : model.parameters())
        estimate.parameters += std::int64_t(p.numel() * p.element_size());
    estimate.resident = std::max<std::int64_t>(0, residentMemory());
    if (estimate.batchSize <= 0)
        return estimate;
    const ExampleBatch batch = train.range(0, estimate.batchSize);
    if (batch.y.dim() > 0 && batch.y.size(0) > 0 && batch.y.scalar_type() != torch::kLong)
        estimate.predictions = testExamples * (batch.y.numel() / batch.y.size(0)) * 4;
    // Leave the model and the generator as they were: the run must not depend on the probe.
    const TensorDict before = moduleStateDict(model);
    const torch::Tensor generator = rngState();
    const bool training = model.is_training();
    auto restore = [&] {
        for (torch::Tensor &p : model.parameters())
            p.mutable_grad() = torch::Tensor();
        model.train(training);
        setRngState(generator);
    };
    model.train();
    resetPeakResidentMemory();
    try {
        trainingStep(model, batch);
    } catch (const std::exception &e) {
        restore();
        return Error{QStringLiteral("the model failed on a first batch: %1")
                         .arg(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)),
                     {},
                     0};
    }
    estimate.step = std::max<std::int64_t>(0, peakResidentMemory() - estimate.resident);
    restore();
    if (Status s = loadModuleStateDict(model, before, QStringLiteral("the model")); !s)
        return s.error();
    return estimate;
}

std::int64_t availableMemory()
{
    return procKilobytes("/proc/meminfo", "MemAvailable");
}

std::int64_t residentMemory()
{
    return procKilobytes("/proc/self/status", "VmRSS");
}

std::int64_t peakResidentMemory()
{
    return procKilobytes("/proc/self/status", "VmHWM");
}

QString formatBytes(std::int64_t bytes)
{
    const double b = double(bytes);
    if (b >= 1024.0 * 1024.0 * 1024.0)
        return QStringLiteral("%1 GiB").arg(b / (1024.0 * 1024.0 * 1024.0), 0, 'f', 1);
    if (b >= 1024.0 * 1024.0)
        return QStringLiteral("%1 MiB").arg(b / (1024.0 * 1024.0), 0, 'f', 0);
    return QStringLiteral("%1 KiB").arg(std::max(0.0, b / 1024.0), 0, 'f', 0);
}

} // namespace twb
