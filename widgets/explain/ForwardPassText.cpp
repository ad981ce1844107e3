#include "ForwardPassText.h"

#include "attention/ForwardTrace.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace twb {

namespace {

const QJsonObject &explanations()
{
    static const QJsonObject root = [] {
        QFile file(QStringLiteral(":/twb/explain/stages.json"));
        if (!file.open(QIODevice::ReadOnly))
            return QJsonObject();
        return QJsonDocument::fromJson(file.readAll()).object();
    }();
    return root;
}

StageExplanation fromEntry(const QJsonObject &entry)
{
    StageExplanation e;
    e.text = entry.value(QLatin1String("text")).toString();
    for (const QJsonValue &axis : entry.value(QLatin1String("axes")).toArray())
        e.axes << axis.toString();
    return e;
}

/// The exact entry, else the longest matching "prefix*" entry; an empty result otherwise.
StageExplanation lookIn(const QJsonObject &table, const QString &stage)
{
    if (table.contains(stage))
        return fromEntry(table.value(stage).toObject());
    QString best;
    for (auto it = table.begin(); it != table.end(); ++it) {
        const QString key = it.key();
        if (!key.endsWith(QLatin1Char('*')))
            continue;
        const QString prefix = key.chopped(1);
        if (stage.startsWith(prefix) && prefix.size() > best.size())
            best = key;
    }
    return best.isEmpty() ? StageExplanation() : fromEntry(table.value(best).toObject());
}

} // namespace

StageExplanation stageExplanation(const QString &modelId, const QString &stageName)
{
    const QJsonObject &root = explanations();
    const StageExplanation own = lookIn(root.value(modelId.toLower()).toObject(), stageName);
    if (own.isFound())
        return own;
    return lookIn(root.value(QLatin1String("default")).toObject(), stageName);
}

QString describeShape(const std::vector<std::int64_t> &shape, const QStringList &axes)
{
    const QString text = explain::shapeText(shape);
    if (axes.size() != qsizetype(shape.size()))
        return text;
    // Each axis with its size, comma-separated: an axis name may itself be a product
    // ("batch × channels" for PatchTST's channel-independent tokens).
    QStringList parts;
    for (qsizetype i = 0; i < axes.size(); ++i)
        parts << QStringLiteral("%1 %2").arg(shape[std::size_t(i)]).arg(axes[i]);
    return text + QStringLiteral(" = ") + parts.join(QStringLiteral(", "));
}

} // namespace twb
