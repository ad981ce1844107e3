#include "FineTuneSource.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace twb {

Expected<FineTuneSource> readFineTuneSource(const QString &runDir)
{
    const QString path = QDir(runDir).filePath(QStringLiteral("config.json"));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read it: %1").arg(file.errorString()), path};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject())
        return Error{QStringLiteral("not a JSON object: %1").arg(parseError.errorString()), path};
    const QJsonObject config = doc.object();
    FineTuneSource source;
    source.runDir = QFileInfo(runDir).absoluteFilePath();
    source.name = QFileInfo(source.runDir).fileName();
    source.modelId = config.value(QStringLiteral("model")).toString();
    if (source.modelId.isEmpty())
        return Error{QStringLiteral("no \"model\": not a run's configuration"), path};
    source.task = config.value(QStringLiteral("task")).toString(QStringLiteral("forecast"));
    source.hyperparameters =
        config.value(QStringLiteral("hyperparameters")).toObject().toVariantMap();
    source.lookback = config.value(QStringLiteral("lookback")).toInteger();
    return source;
}

bool isPretrainingHead(const QString &name)
{
    return name.startsWith(QLatin1String("pretrain_head."));
}

Expected<QList<ParameterEntry>> parseParameterList(const QByteArray &json, const QString &source)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject())
        return Error{QStringLiteral("not a JSON object: %1").arg(parseError.errorString()), source};
    const QJsonValue list = doc.object().value(QStringLiteral("parameters"));
    if (!list.isArray())
        return Error{QStringLiteral("no \"parameters\" list"), source};
    QList<ParameterEntry> entries;
    for (const QJsonValue &item : list.toArray()) {
        const QJsonObject o = item.toObject();
        ParameterEntry e;
        e.name = o.value(QStringLiteral("name")).toString();
        if (e.name.isEmpty())
            return Error{
                QStringLiteral("a parameter without a name (entry %1)").arg(entries.size() + 1),
                source};
        for (const QJsonValue &d : o.value(QStringLiteral("shape")).toArray())
            e.shape << d.toInteger();
        e.count = o.value(QStringLiteral("count")).toInteger();
        e.frozen = o.value(QStringLiteral("frozen")).toBool();
        entries << e;
    }
    return entries;
}

} // namespace twb
