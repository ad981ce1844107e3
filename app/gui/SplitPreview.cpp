#include "SplitPreview.h"

#include "data/Split.h"

#include <QFileInfo>
#include <QObject>
#include <QPair>

#include <algorithm>

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

namespace {

/// The borders with the name of the part that ends at each, and the name of the rest.
QList<QPair<qint64, QString>> splitParts(const QString &dataPath, const QString &chosen,
                                         std::int64_t rows, QString *rest)
{
    const Expected<SplitBorders> borders = splitByName(previewSplitName(dataPath, chosen), rows);
    if (!borders)
        return {};
    if (borders->shuffled) { // no borders: the parts are windows drawn at random
        *rest = QObject::tr("shuffled windows (leaks the future)");
        return {};
    }
    const std::pair<std::int64_t, QString> ends[] = {{borders->trainEnd, QObject::tr("train")},
                                                     {borders->valEnd, QObject::tr("validation")},
                                                     {borders->testEnd, QObject::tr("test")}};
    QList<QPair<qint64, QString>> result;
    *rest = borders->testEnd < rows ? QObject::tr("not used") : QObject::tr("test");
    for (const auto &[row, name] : ends) {
        const bool known = std::any_of(result.begin(), result.end(),
                                       [row](const auto &part) { return part.first == row; });
        if (row > 0 && row < rows && !known)
            result.append({row, name});
    }
    return result;
}

} // namespace

QList<qint64> previewSplitBorders(const QString &dataPath, const QString &chosen, std::int64_t rows)
{
    QString rest;
    QList<qint64> result;
    for (const auto &part : splitParts(dataPath, chosen, rows, &rest))
        result << part.first;
    return result;
}

QStringList previewSplitLabels(const QString &dataPath, const QString &chosen, std::int64_t rows)
{
    QString rest;
    QStringList result;
    for (const auto &part : splitParts(dataPath, chosen, rows, &rest))
        result << part.second;
    if (!result.isEmpty() || !rest.isEmpty())
        result << rest;
    return result;
}

} // namespace twb
