#include "FuzzSupport.h"
#include "FuzzTargets.h"

#include "runs/RunStore.h"

#include <QDir>
#include <QFile>

namespace twb::fuzz {

// A run folder as `twb-cli eval/predict/train --resume` and the GUI open it: the input is split
// at NUL bytes into config.json, status.json and metrics.jsonl (a missing part is no file).
int fuzzRunFolder(const std::uint8_t *data, std::size_t size)
{
    useFuzzLimits();
    const QString dir = scratchPath(QStringLiteral("run"));
    QDir().mkpath(dir);
    static const char *const names[] = {"config.json", "status.json", "metrics.jsonl"};
    const std::vector<QByteArray> parts = splitInput(data, size, 3);
    for (std::size_t i = 0; i < std::size(names); ++i) {
        const QString name = QStringLiteral("run/") + QLatin1String(names[i]);
        if (i < parts.size())
            writeInput(reinterpret_cast<const std::uint8_t *>(parts[i].constData()),
                       std::size_t(parts[i].size()), name);
        else
            QFile::remove(scratchPath(name));
    }
    Expected<RunStore> store = RunStore::open(dir);
    if (!store)
        return 0;
    (void)store->readConfig();
    (void)store->readStatus();
    (void)store->loadMetrics(std::int64_t(1) << 40);
    (void)store->loadMetrics(3);
    return 0;
}

} // namespace twb::fuzz
