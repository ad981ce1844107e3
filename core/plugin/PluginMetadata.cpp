#include "PluginMetadata.h"

#include "ModelPlugin.h"

#include <QJsonArray>
#include <QJsonValue>

namespace twb {

namespace {

Error problem(const QString &reason)
{
    return Error{reason, {}, 0};
}

bool isValidId(const QString &id)
{
    if (id.isEmpty() || !(id.front() >= QLatin1Char('a') && id.front() <= QLatin1Char('z')))
        return false;
    for (QChar c : id) {
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                        (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') ||
                        c == QLatin1Char('-');
        if (!ok)
            return false;
    }
    return true;
}

/// The major of "api": 1, 1.0 or "1.2"; -1 if malformed.
int apiMajorOf(const QJsonValue &api)
{
    if (api.isDouble()) {
        const double d = api.toDouble();
        return d >= 0 && d < 1000 ? int(d) : -1;
    }
    if (api.isString()) {
        bool ok = false;
        const int major = api.toString().section(QLatin1Char('.'), 0, 0).toInt(&ok);
        return ok && major >= 0 ? major : -1;
    }
    return -1;
}

Expected<QString> requiredString(const QJsonObject &meta, const char *field)
{
    const QJsonValue v = meta.value(QLatin1String(field));
    if (v.isUndefined())
        return problem(QStringLiteral("metadata has no \"%1\"").arg(QLatin1String(field)));
    if (!v.isString() || v.toString().trimmed().isEmpty())
        return problem(
            QStringLiteral("metadata \"%1\" must be a non-empty string").arg(QLatin1String(field)));
    return v.toString().trimmed();
}

QString knownTasks()
{
    QStringList names;
    for (Task t : {Task::Forecast, Task::Classify, Task::Reconstruct, Task::Separate})
        names << taskName(t);
    return names.join(QLatin1String(", "));
}

} // namespace

QStringList PluginMetadata::taskNames() const
{
    QStringList names;
    for (Task t : tasks)
        names << taskName(t);
    return names;
}

Expected<PluginMetadata> parsePluginMetadata(const QJsonObject &qtMetaData)
{
    if (qtMetaData.isEmpty())
        return problem(QStringLiteral("not a Qt plugin (the library has no plugin metadata)"));

    PluginMetadata md;
    md.iid = qtMetaData.value(QLatin1String("IID")).toString();
    const QLatin1String prefix(ModelPluginIidPrefix);
    if (!md.iid.startsWith(prefix))
        return problem(QStringLiteral("not a Transformer Workbench model plugin (interface "
                                      "\"%1\", expected \"%2%3\")")
                           .arg(md.iid, prefix)
                           .arg(ModelPluginApiMajor));
    bool ok = false;
    md.apiMajor = md.iid.mid(prefix.size()).toInt(&ok);
    if (!ok)
        return problem(QStringLiteral("malformed interface id \"%1\"").arg(md.iid));
    if (md.apiMajor != ModelPluginApiMajor)
        return problem(QStringLiteral("built for plugin API %1, this build supports %2")
                           .arg(md.apiMajor)
                           .arg(ModelPluginApiMajor));

    const QJsonValue metaValue = qtMetaData.value(QLatin1String("MetaData"));
    if (!metaValue.isObject() || metaValue.toObject().isEmpty())
        return problem(QStringLiteral("missing metadata: Q_PLUGIN_METADATA has no FILE with "
                                      "id, name, version, api and tasks"));
    const QJsonObject meta = metaValue.toObject();

    auto id = requiredString(meta, "id");
    if (!id)
        return id.error();
    if (!isValidId(*id))
        return problem(QStringLiteral("metadata id \"%1\" must start with a lowercase letter "
                                      "and contain only a-z, 0-9, '_' and '-'")
                           .arg(*id));
    md.id = *id;
    auto name = requiredString(meta, "name");
    if (!name)
        return name.error();
    md.name = *name;
    auto version = requiredString(meta, "version");
    if (!version)
        return version.error();
    md.version = *version;

    const QJsonValue api = meta.value(QLatin1String("api"));
    if (api.isUndefined())
        return problem(QStringLiteral("metadata has no \"api\""));
    const int apiMajor = apiMajorOf(api);
    if (apiMajor < 0)
        return problem(QStringLiteral("metadata \"api\" must be a version number"));
    if (apiMajor != md.apiMajor)
        return problem(QStringLiteral("inconsistent metadata: \"api\" says plugin API %1 but "
                                      "the interface id says %2")
                           .arg(apiMajor)
                           .arg(md.apiMajor));

    const QJsonValue tasks = meta.value(QLatin1String("tasks"));
    if (!tasks.isArray() || tasks.toArray().isEmpty())
        return problem(
            QStringLiteral("metadata \"tasks\" must be a non-empty array of task names"));
    for (const QJsonValue &t : tasks.toArray()) {
        const auto task = taskFromName(t.toString());
        if (!task)
            return problem(QStringLiteral("metadata names an unknown task \"%1\" (known: %2)")
                               .arg(t.toString(), knownTasks()));
        if (!md.tasks.contains(*task))
            md.tasks << *task;
    }
    return md;
}

} // namespace twb
