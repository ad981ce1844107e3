#include "MemoryEstimate.h"
#include "Checkpoint.h"
#include "nn/Model.h"

#include <QFile>

#include <malloc.h>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

/// Bytes glibc's malloc has handed out and not taken back (heap and mmap-ed blocks).
std::int64_t heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return std::int64_t(info.uordblks + info.hblkhd);
}

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

double mebibytes(std::int64_t bytes)
{
    return double(bytes) / (1024.0 * 1024.0);
}

} // namespace

QJsonObject MemoryEstimate::toJson() const
{
    auto mb = [](std::int64_t bytes) {
        return std::round(mebibytes(bytes) * 10.0) / 10.0;
    };
    return {{QStringLiteral("estimated_peak_mb"), mb(peak())},
            {QStringLiteral("resident_mb"), mb(resident)},
            {QStringLiteral("parameters_mb"), mb(parameters)},
            {QStringLiteral("activations_mb"), mb(activations)},
            {QStringLiteral("batch_size"), qint64(batchSize)}};
}

QString MemoryEstimate::describe() const
{
    return QStringLiteral("estimated peak %1: %2 now, parameters %3, activations of a batch of "
                          "%4: %5")
        .arg(formatBytes(peak()), formatBytes(resident), formatBytes(parameters))
        .arg(batchSize)
        .arg(formatBytes(activations));
}

Expected<MemoryEstimate> estimateTrainingMemory(Model &model, const ExampleSet &train,
                                                std::int64_t batchSize)
{
    MemoryEstimate estimate;
    estimate.batchSize = std::min(batchSize, train.size());
    for (const torch::Tensor &p : model.parameters())
        estimate.parameters += std::int64_t(p.numel() * p.element_size());
    if (estimate.batchSize <= 0) {
        estimate.resident = std::max<std::int64_t>(0, residentMemory());
        return estimate;
    }
    const ExampleBatch batch = train.range(0, estimate.batchSize);
    // Leave the model and the generator as they were: the run must not depend on the probe.
    const TensorDict before = moduleStateDict(model);
    const torch::Tensor generator = rngState();
    const bool training = model.is_training();
    model.train();
    try {
        const std::int64_t start = heapInUse();
        {
            torch::Tensor prediction =
                model.forward(batch.x, ForwardOptions{false, false, batch.mask}).prediction;
            estimate.activations = std::max<std::int64_t>(0, heapInUse() - start);
        }
    } catch (const std::exception &e) {
        model.train(training);
        setRngState(generator);
        return Error{QStringLiteral("the model failed on a first batch: %1")
                         .arg(QString::fromUtf8(e.what()).section(QLatin1Char('\n'), 0, 0)),
                     {},
                     0};
    }
    model.train(training);
    setRngState(generator);
    if (Status s = loadModuleStateDict(model, before, QStringLiteral("the model")); !s)
        return s.error();
    estimate.resident = std::max<std::int64_t>(0, residentMemory());
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
