#include "ExampleSources.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

namespace twb {

ExampleSources::ExampleSources(const QString &dataPath)
{
    if (dataPath.isEmpty())
        return;
    const QFileInfo info(dataPath);
    m_root = QDir::cleanPath(info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

namespace {

/// "file:line" (a .ts/.arff case); captures the file.
const QRegularExpression &tableRow()
{
    static const QRegularExpression row(QStringLiteral("^(.+):\\d+$"));
    return row;
}

} // namespace

bool ExampleSources::isAudioSource(const QString &source)
{
    if (source.isEmpty() || tableRow().match(source).hasMatch())
        return false;
    const QString suffix = QFileInfo(source).suffix().toLower();
    static const QStringList audio{QStringLiteral("wav"), QStringLiteral("flac"),
                                   QStringLiteral("ogg"), QStringLiteral("oga"),
                                   QStringLiteral("aif"), QStringLiteral("aiff")};
    return audio.contains(suffix);
}

QString ExampleSources::audioPath(const QString &source) const
{
    if (!isAudioSource(source))
        return {};
    if (QFileInfo(source).isAbsolute())
        return QDir::cleanPath(source);
    if (m_root.isEmpty())
        return {};
    return QDir::cleanPath(QDir(m_root).absoluteFilePath(source));
}

QString ExampleSources::tablePath(const QString &source) const
{
    const QRegularExpressionMatch row = tableRow().match(source);
    if (!row.hasMatch())
        return {};
    const QString file = row.captured(1);
    if (QFileInfo(file).isAbsolute())
        return QDir::cleanPath(file);
    if (m_root.isEmpty())
        return {};
    return QDir::cleanPath(QDir(m_root).absoluteFilePath(file));
}

} // namespace twb
