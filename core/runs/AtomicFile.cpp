#include "AtomicFile.h"
#include "common/Errors.h"

#include <QFile>
#include <QJsonDocument>

namespace twb {

Expected<QByteArray> readWholeFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return makeError(QStringLiteral("file does not exist"), path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot open: %1").arg(file.errorString()), path);
    return file.readAll();
}

Expected<QJsonObject> readJsonObjectFile(const QString &path)
{
    Expected<QByteArray> bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return makeError(QStringLiteral("not a JSON object: %1").arg(parseError.errorString()),
                         path);
    return doc.object();
}

} // namespace twb
