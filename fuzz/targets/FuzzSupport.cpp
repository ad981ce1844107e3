#include "FuzzSupport.h"

#include "data/LoadLimits.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

namespace twb::fuzz {

namespace {

const QTemporaryDir &scratchDir()
{
    static const QTemporaryDir dir(QDir::tempPath() + QStringLiteral("/twb-fuzz-XXXXXX"));
    return dir;
}

} // namespace

QString scratchPath(const QString &name)
{
    return scratchDir().filePath(name);
}

QString writeInput(const std::uint8_t *data, std::size_t size, const QString &name)
{
    const QString path = scratchPath(name);
    const QByteArray encoded = QFile::encodeName(path);
    if (std::FILE *file = std::fopen(encoded.constData(), "wb")) {
        if (size > 0)
            std::fwrite(data, 1, size, file);
        std::fclose(file);
    }
    return path;
}

std::vector<QByteArray> splitInput(const std::uint8_t *data, std::size_t size, int parts)
{
    std::vector<QByteArray> result;
    const char *text = reinterpret_cast<const char *>(data);
    std::size_t begin = 0;
    for (std::size_t i = 0; i < size && int(result.size()) + 1 < parts; ++i) {
        if (text[i] == '\0') {
            result.emplace_back(text + begin, qsizetype(i - begin));
            begin = i + 1;
        }
    }
    result.emplace_back(text + begin, qsizetype(size - begin));
    return result;
}

std::vector<QByteArray> inputLines(const std::uint8_t *data, std::size_t size)
{
    std::vector<QByteArray> lines;
    const char *text = reinterpret_cast<const char *>(data);
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= size; ++i) {
        if (i == size || text[i] == '\n') {
            lines.emplace_back(text + begin, qsizetype(i - begin));
            begin = i + 1;
        }
    }
    return lines;
}

void useFuzzLimits()
{
    static const bool done = [] {
        LoadLimits limits;
        limits.maxArrayBytes = std::int64_t(256) << 20;
        limits.maxLineBytes = std::int64_t(1) << 20;
        setLoadLimits(limits);
        return true;
    }();
    (void)done;
}

} // namespace twb::fuzz
