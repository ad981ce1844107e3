#include "SplitPreview.h"

#include "data/Split.h"

#include <QFileInfo>

namespace twb {

QString previewSplitName(const QString &dataPath, const QString &chosen)
{
    if (!chosen.isEmpty() && chosen != QLatin1String("auto"))
        return chosen;
    const QString name = QFileInfo(dataPath.section(QLatin1String(":/"), 0, 0)).fileName();
    if (name.startsWith(QLatin1String("ETTh")))
        return QStringLiteral("ett-hour");
    if (name.startsWith(QLatin1String("ETTm")))
        return QStringLiteral("ett-minute");
    return QStringLiteral("ratio");
}

QList<qint64> previewSplitBorders(const QString &dataPath, const QString &chosen, std::int64_t rows)
{
    const Expected<SplitBorders> borders = splitByName(previewSplitName(dataPath, chosen), rows);
    if (!borders)
        return {};
    QList<qint64> result;
    for (const std::int64_t row : {borders->trainEnd, borders->valEnd, borders->testEnd})
        if (row > 0 && row < rows && !result.contains(row))
            result << row;
    return result;
}

} // namespace twb
