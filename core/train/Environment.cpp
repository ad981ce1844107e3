#include "Environment.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <torch/version.h>

#include <QFile>
#include <QSet>
#include <QThread>

namespace twb {

QString twbVersion()
{
    return QStringLiteral(TWB_VERSION);
}

QString libtorchVersion()
{
    return QStringLiteral("%1.%2.%3")
        .arg(TORCH_VERSION_MAJOR)
        .arg(TORCH_VERSION_MINOR)
        .arg(TORCH_VERSION_PATCH);
}

QString qtVersion()
{
    return QString::fromLatin1(qVersion());
}

int physicalCoreCount()
{
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    QSet<QString> cores;
    if (cpuinfo.open(QIODevice::ReadOnly | QIODevice::Text)) {
        QString package = QStringLiteral("0");
        const QList<QByteArray> lines = cpuinfo.readAll().split('\n');
        for (const QByteArray &raw : lines) {
            const QString line = QString::fromLatin1(raw);
            const QString value = line.section(QLatin1Char(':'), 1).trimmed();
            if (line.startsWith(QLatin1String("physical id")))
                package = value;
            else if (line.startsWith(QLatin1String("core id")))
                cores.insert(package + QLatin1Char('/') + value);
        }
    }
    return cores.isEmpty() ? std::max(1, QThread::idealThreadCount()) : int(cores.size());
}

QJsonObject versionsJson()
{
    return {{QStringLiteral("twb"), twbVersion()},
            {QStringLiteral("libtorch"), libtorchVersion()},
            {QStringLiteral("qt"), qtVersion()}};
}

void keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    if (qEnvironmentVariableIntValue("TWB_MALLOC_DEFAULTS") == 1 ||
        qEnvironmentVariable("GLIBC_TUNABLES").contains(QLatin1String("glibc.malloc.")))
        return;
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024);
#endif
}

} // namespace twb
