#include "TextFile.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace twb {

Expected<QByteArray> readTextFile(const QString &path, const QString &kind)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("the file does not exist"), path};
    if (info.isDir())
        return Error{QStringLiteral("this is a folder, not %1").arg(kind), path};
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read the file: %1").arg(file.errorString()), path};
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return Error{QStringLiteral("cannot read the file: %1").arg(file.errorString()), path};
    if (bytes.startsWith("\xEF\xBB\xBF"))
        bytes.remove(0, 3);
    if (std::all_of(bytes.begin(), bytes.end(),
                    [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }))
        return Error{QStringLiteral("the file is empty"), path};
    return bytes;
}

} // namespace twb
