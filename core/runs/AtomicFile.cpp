#include "AtomicFile.h"
#include "common/Errors.h"

#include <QFile>

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

} // namespace twb
