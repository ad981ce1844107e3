#include "AtomicFile.h"
#include "Errors.h"

#include <QFile>
#include <QSaveFile>

namespace twb {

Status writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("cannot open for writing: %1").arg(file.errorString()),
                         path);
    if (file.write(bytes) != bytes.size()) {
        const QString reason = file.errorString();
        file.cancelWriting();
        return makeError(QStringLiteral("write failed: %1").arg(reason), path);
    }
    // commit() flushes, fsyncs and renames the temporary file over the target.
    if (!file.commit())
        return makeError(QStringLiteral("cannot replace the file: %1").arg(file.errorString()),
                         path);
    return {};
}

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
