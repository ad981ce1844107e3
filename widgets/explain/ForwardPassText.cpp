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

/// Whether `text` matches `pattern`, in which every '*' stands for any run of characters
/// (possibly empty) and everything else for itself.
bool globMatches(QStringView pattern, QStringView text)
{
    const qsizetype star = pattern.indexOf(QLatin1Char('*'));
    if (star < 0)
        return pattern == text;
    if (!text.startsWith(pattern.left(star)))
        return false;
    const QStringView rest = pattern.mid(star + 1);
    for (qsizetype from = star; from <= text.size(); ++from)
        if (globMatches(rest, text.mid(from)))
            return true;
    return false;
}

/// The exact entry, else the matching pattern entry with the most literal characters
/// ("encoder_layer_*.delays" before "encoder_layer_*"); an empty result otherwise.
StageExplanation lookIn(const QJsonObject &table, const QString &stage)
{
    if (table.contains(stage))
        return fromEntry(table.value(stage).toObject());
    QString best;
    qsizetype bestLiterals = -1;
    for (auto it = table.begin(); it != table.end(); ++it) {
        const QString key = it.key();
        if (!key.contains(QLatin1Char('*')) || !globMatches(key, stage))
            continue;
        const qsizetype literals = key.size() - key.count(QLatin1Char('*'));
        if (literals > bestLiterals) {
            best = key;
            bestLiterals = literals;
        }
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
