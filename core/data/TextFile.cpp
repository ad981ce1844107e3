#include "TextFile.h"

#include "LoadLimits.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace twb {

namespace {

constexpr qint64 chunkBytes = qint64(1) << 20;

} // namespace

Expected<QByteArray> readTextFile(const QString &path, const QString &kind)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("the file does not exist"), path};
    if (info.isDir())
        return Error{QStringLiteral("this is a folder, not %1").arg(kind), path};
    const LoadLimits limits = loadLimits();
    const auto tooLarge = [&](double bytes) {
        return Error{QStringLiteral("the file has %1, more than the %2 a loader reads whole")
                         .arg(byteSizeText(bytes), byteSizeText(double(limits.maxArrayBytes))),
                     path};
    };
    if (info.size() > limits.maxArrayBytes)
        return tooLarge(double(info.size()));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read the file: %1").arg(file.errorString()), path};

    // Read in chunks, following the current line: a file that is one enormous line (or a device
    // that never ends) is refused once the limit is passed, not after reading all of it.
    QByteArray bytes;
    bytes.reserve(qsizetype(std::clamp<qint64>(info.size(), 0, 16 * chunkBytes)));
    qint64 lineLength = 0;
    qint64 line = 1;
    bool afterCr = false;
    for (;;) {
        const qsizetype at = bytes.size();
        const qint64 want = std::min(chunkBytes, limits.maxArrayBytes - qint64(at) + 1);
        if (bytes.capacity() < at + qsizetype(want))
            bytes.reserve(std::max(2 * bytes.capacity(), at + qsizetype(want)));
        bytes.resize(at + qsizetype(want));
        const qint64 got = file.read(bytes.data() + at, want);
        if (got < 0) {
            return Error{QStringLiteral("cannot read the file: %1").arg(file.errorString()), path};
        }
        bytes.resize(at + qsizetype(got));
        if (got == 0)
            break;
        if (qint64(bytes.size()) > limits.maxArrayBytes)
            return tooLarge(double(bytes.size()));
        for (qsizetype i = at; i < bytes.size(); ++i) {
            const char c = bytes.at(i);
            if (c == '\n' || c == '\r') {
                if (!(c == '\n' && afterCr))
                    ++line;
                afterCr = c == '\r';
                lineLength = 0;
                continue;
            }
            afterCr = false;
            if (++lineLength > limits.maxLineBytes) {
                return Error{QStringLiteral("line %1 is longer than %2, the limit for one line; "
                                            "is this really %3?")
                                 .arg(line)
                                 .arg(byteSizeText(double(limits.maxLineBytes)), kind),
                             path, line};
            }
        }
    }
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
