#include "AudioManifest.h"

#include "AudioDatasetLoader.h"
#include "data/CsvTokenizer.h"
#include "data/TextFile.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace twb {

namespace {

bool hasExtension(const QString &fileName, const QStringList &extensions)
{
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    return !suffix.isEmpty() && extensions.contains(suffix);
}

void sortNaturally(std::vector<AudioEntry> &entries, const QString &root)
{
    std::vector<std::pair<QString, std::size_t>> keys;
    keys.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i)
        keys.emplace_back(relativeAudioPath(root, entries[i].file), i);
    std::stable_sort(keys.begin(), keys.end(),
                     [](const auto &a, const auto &b) { return naturalLess(a.first, b.first); });
    std::vector<AudioEntry> sorted;
    sorted.reserve(entries.size());
    for (const auto &key : keys)
        sorted.push_back(std::move(entries[key.second]));
    entries = std::move(sorted);
}

QString cell(std::string_view field)
{
    return QString::fromUtf8(field.data(), qsizetype(field.size())).trimmed();
}

} // namespace

QString relativeAudioPath(const QString &root, const QString &file)
{
    if (file.size() > root.size() + 1 && file.startsWith(root) &&
        file.at(root.size()) == QLatin1Char('/'))
        return file.mid(root.size() + 1);
    return QDir(root).relativeFilePath(file);
}

bool hasAudioSubfolder(const QString &root, const QStringList &extensions)
{
    const QStringList folders = QDir(root).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &folder : folders) {
        QDirIterator it(QDir(root).filePath(folder), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            if (hasExtension(it.next(), extensions))
                return true;
    }
    return false;
}

Expected<std::vector<AudioEntry>>
listClassFolders(const QString &root, const QStringList &extensions, QStringList &skipped)
{
    const QDir dir(root);
    std::vector<AudioEntry> entries;
    for (const QFileInfo &info : dir.entryInfoList(QDir::Files))
        if (hasExtension(info.fileName(), extensions))
            skipped.append(
                QStringLiteral("%1: not inside a class folder").arg(info.absoluteFilePath()));
    for (const QString &folder : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QDirIterator it(dir.filePath(folder), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            if (hasExtension(file, extensions))
                entries.push_back({QFileInfo(file).absoluteFilePath(), folder, {}, {}});
        }
    }
    sortNaturally(entries, dir.absolutePath());
    return entries;
}

Expected<std::vector<AudioEntry>>
listLabelPrefixed(const QString &root, const QStringList &extensions, QStringList &skipped)
{
    const QDir dir(root);
    std::vector<AudioEntry> entries;
    for (const QFileInfo &info : dir.entryInfoList(QDir::Files)) {
        if (!hasExtension(info.fileName(), extensions))
            continue;
        const qsizetype underscore = info.fileName().indexOf(QLatin1Char('_'));
        if (underscore <= 0) {
            skipped.append(QStringLiteral("%1: the name does not start with '<label>_'")
                               .arg(info.absoluteFilePath()));
            continue;
        }
        entries.push_back({info.absoluteFilePath(), info.fileName().left(underscore), {}, {}});
    }
    sortNaturally(entries, dir.absolutePath());
    return entries;
}

Expected<std::vector<AudioEntry>> listUnlabelled(const QString &root, const QStringList &extensions)
{
    const QFileInfo info(root);
    if (info.isFile()) {
        if (!hasExtension(info.fileName(), extensions))
            return Error{
                QStringLiteral("not a sound file (%1)").arg(extensions.join(QStringLiteral(", "))),
                root};
        return std::vector<AudioEntry>{{info.absoluteFilePath(), {}, {}, {}}};
    }
    std::vector<AudioEntry> entries;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        if (hasExtension(file, extensions))
            entries.push_back({QFileInfo(file).absoluteFilePath(), {}, {}, {}});
    }
    sortNaturally(entries, QDir(root).absolutePath());
    return entries;
}

Expected<std::vector<AudioEntry>> readAudioManifest(const QString &csvPath, QStringList &skipped)
{
    // readTextFile: the same size and line-length limits as every other text loader.
    const Expected<QByteArray> bytes = readTextFile(csvPath, QStringLiteral("a manifest CSV"));
    if (!bytes)
        return bytes.error();
    const std::string_view data(bytes->constData(), std::size_t(bytes->size()));
    CsvTokenizer tokenizer(data, detectCsvDelimiter(data));
    const QDir folder = QFileInfo(csvPath).absoluteDir();

    int pathColumn = 0, labelColumn = 1, splitColumn = 2, groupColumn = -1;
    bool first = true;
    std::vector<AudioEntry> entries;
    CsvRecord record;
    while (true) {
        auto more = tokenizer.next(record);
        if (!more)
            return Error{more.error().reason, csvPath, more.error().line};
        if (!*more)
            break;
        QStringList cells;
        for (std::string_view field : record.fields)
            cells.append(cell(field));
        if (first) {
            first = false;
            QStringList names;
            for (const QString &c : cells)
                names.append(c.toLower());
            const auto column = [&names](std::initializer_list<const char *> candidates) {
                for (const char *candidate : candidates) {
                    const qsizetype at = names.indexOf(QLatin1String(candidate));
                    if (at >= 0)
                        return int(at);
                }
                return -1;
            };
            const int p = column({"path", "file", "filename", "file_name"});
            const int l = column({"label", "class", "category"});
            if (p >= 0 && l >= 0) {
                pathColumn = p;
                labelColumn = l;
                splitColumn = column({"split", "fold", "set", "subset"});
                groupColumn = column({"group", "speaker", "session", "device", "subject"});
                continue;
            }
        }
        if (cells.size() < 2)
            return Error{QStringLiteral("a manifest line needs at least two columns (path, "
                                        "label); this one has %1")
                             .arg(cells.size()),
                         csvPath, record.line};
        const QString path = cells.value(pathColumn);
        const QString label = cells.value(labelColumn);
        if (path.isEmpty() || label.isEmpty()) {
            skipped.append(QStringLiteral("%1:%2: the path or the label is empty")
                               .arg(csvPath)
                               .arg(record.line));
            continue;
        }
        entries.push_back({QDir::cleanPath(folder.absoluteFilePath(path)), label,
                           splitColumn >= 0 ? cells.value(splitColumn) : QString(),
                           groupColumn >= 0 ? cells.value(groupColumn) : QString()});
    }
    if (entries.empty())
        return Error{QStringLiteral("the manifest lists no files"), csvPath};
    return entries;
}

} // namespace twb
