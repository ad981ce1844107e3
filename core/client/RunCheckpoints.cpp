#include "RunCheckpoints.h"

#include <QDir>
#include <QRegularExpression>

#include <algorithm>

namespace twb {

int checkpointEpoch(const QString &checkpointName)
{
    static const QRegularExpression pattern(QStringLiteral("^epoch_(\\d+)\\.pt$"));
    const QRegularExpressionMatch match = pattern.match(checkpointName);
    if (!match.hasMatch())
        return -1;
    bool ok = false;
    const int epoch = match.captured(1).toInt(&ok);
    return ok ? epoch : -1;
}

bool hasEpochCheckpoint(const QStringList &checkpointNames)
{
    return std::any_of(checkpointNames.begin(), checkpointNames.end(),
                       [](const QString &name) { return checkpointEpoch(name) >= 0; });
}

QStringList listCheckpoints(const QString &runDir)
{
    if (runDir.isEmpty())
        return {};
    const QDir dir(QDir(runDir).filePath(QStringLiteral("checkpoints")));
    QStringList names;
    for (const QString &name : dir.entryList({QStringLiteral("epoch_*.pt")}, QDir::Files))
        if (checkpointEpoch(name) >= 0)
            names << name;
    std::sort(names.begin(), names.end(), [](const QString &a, const QString &b) {
        return checkpointEpoch(a) < checkpointEpoch(b);
    });
    for (const QString &name : {QStringLiteral("best.pt"), QStringLiteral("last.pt")})
        if (dir.exists(name))
            names << name;
    return names;
}

} // namespace twb
