#include "AudioDatasetLoader.h"

#include "AudioManifest.h"
#include "AudioReader.h"
#include "Resampler.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

namespace twb {

namespace {

Expected<std::vector<AudioEntry>> listEntries(const QString &path, const QFileInfo &info,
                                              const AudioDatasetOptions &options,
                                              QStringList &skipped)
{
    AudioLayout layout = options.layout;
    if (layout == AudioLayout::Auto) {
        if (info.isFile())
            layout = AudioLayout::Manifest;
        else if (hasAudioSubfolder(path, options.extensions))
            layout = AudioLayout::ClassFolders;
        else
            layout = AudioLayout::LabelPrefix;
    }
    if (layout == AudioLayout::Unlabelled)
        return listUnlabelled(path, options.extensions);
    if ((layout == AudioLayout::Manifest) != info.isFile())
        return Error{layout == AudioLayout::Manifest
                         ? QStringLiteral("a manifest must be a CSV file, this is a folder")
                         : QStringLiteral("a folder layout needs a folder, this is a file"),
                     path};
    switch (layout) {
    case AudioLayout::ClassFolders:
        return listClassFolders(path, options.extensions, skipped);
    case AudioLayout::LabelPrefix:
        return listLabelPrefixed(path, options.extensions, skipped);
    default:
        return readAudioManifest(path, skipped);
    }
}

QStringList classList(const std::vector<AudioEntry> &entries, const QStringList &given)
{
    if (!given.isEmpty())
        return given;
    QStringList names;
    for (const AudioEntry &entry : entries)
        names.append(entry.label);
    names.removeDuplicates();
    std::sort(names.begin(), names.end(), naturalLess);
    return names;
}

// Reads the files on `threads` workers (0 = one per core, at most one per file); results in the
// order of `entries`.
std::vector<std::optional<Expected<AudioClip>>>
readClips(const std::vector<const AudioEntry *> &entries, const AudioReadOptions &read, int threads)
{
    std::vector<std::optional<Expected<AudioClip>>> clips(entries.size());
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
        for (std::size_t i = next++; i < entries.size(); i = next++)
            clips[i].emplace(readAudio(entries[i]->file, read));
    };
    std::size_t workers =
        threads > 0 ? std::size_t(threads) : std::size_t(std::max(1, QThread::idealThreadCount()));
    workers = std::min(workers, entries.size());
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < workers; ++t)
        pool.emplace_back(work);
    work(); // the calling thread is the first worker
    for (std::thread &thread : pool)
        thread.join();
    return clips;
}

Expected<AudioClip> resampled(AudioClip clip, double rate)
{
    auto samples = Resampler(clip.sampleRate, rate).resample(clip.samples);
    if (!samples)
        return Error{samples.error().reason, clip.path};
    clip.samples = std::move(*samples);
    clip.sampleRate = rate;
    return clip;
}

int compareDigits(const QString &a, qsizetype &i, const QString &b, qsizetype &j)
{
    // Compare two digit runs as numbers without converting them (they may be long).
    while (i < a.size() && a.at(i) == QLatin1Char('0') && i + 1 < a.size() && a.at(i + 1).isDigit())
        ++i;
    while (j < b.size() && b.at(j) == QLatin1Char('0') && j + 1 < b.size() && b.at(j + 1).isDigit())
        ++j;
    qsizetype endA = i, endB = j;
    while (endA < a.size() && a.at(endA).isDigit())
        ++endA;
    while (endB < b.size() && b.at(endB).isDigit())
        ++endB;
    int result = 0;
    if (endA - i != endB - j)
        result = endA - i < endB - j ? -1 : 1;
    else
        result = QStringView(a).mid(i, endA - i).compare(QStringView(b).mid(j, endB - j));
    i = endA;
    j = endB;
    return result;
}

} // namespace

bool naturalLess(const QString &a, const QString &b)
{
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a.at(i).isDigit() && b.at(j).isDigit()) {
            if (const int c = compareDigits(a, i, b, j); c != 0)
                return c < 0;
            continue;
        }
        const QChar x = a.at(i).toCaseFolded();
        const QChar y = b.at(j).toCaseFolded();
        if (x != y)
            return x < y;
        ++i;
        ++j;
    }
    if ((i < a.size()) != (j < b.size()))
        return j < b.size();
    return a < b;
}

Expected<AudioDataset> loadAudioDataset(const QString &path, const AudioDatasetOptions &options)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error{QStringLiteral("the file or folder does not exist"), path};
    AudioDataset result;
    LabelledDataset &data = result.data;
    data.sourcePath = path;
    data.channelNames = {QStringLiteral("audio")};

    auto entries = listEntries(path, info, options, data.skipped);
    if (!entries)
        return entries.error();
    if (entries->empty())
        return Error{QStringLiteral("no audio files (%1) found")
                         .arg(options.extensions.join(QStringLiteral(", "))),
                     path};
    const bool unlabelled = options.layout == AudioLayout::Unlabelled;
    data.classNames = unlabelled ? options.classNames : classList(*entries, options.classNames);
    QHash<QString, int> labelIndex;
    for (int i = 0; i < data.classNames.size(); ++i)
        labelIndex.insert(data.classNames.at(i), i);

    const QString root =
        QDir::cleanPath(info.isFile() ? info.absolutePath() : info.absoluteFilePath());
    std::vector<const AudioEntry *> wanted;
    for (const AudioEntry &entry : *entries) {
        if (unlabelled || labelIndex.contains(entry.label))
            wanted.push_back(&entry);
        else
            data.skipped.append(QStringLiteral("%1: the label '%2' is not one of the classes")
                                    .arg(entry.file, entry.label));
    }
    AudioReadOptions read;
    read.targetRate = options.sampleRate;
    std::vector<std::optional<Expected<AudioClip>>> clips =
        readClips(wanted, read, options.threads);
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        Expected<AudioClip> &clip = *clips[i];
        if (clip && read.targetRate <= 0) // the first readable file fixes the rate of the set
            read.targetRate = clip->sampleRate;
        if (clip && clip->sampleRate != read.targetRate)
            clip = resampled(std::move(*clip), read.targetRate);
        if (!clip) {
            data.skipped.append(clip.error().toString());
            continue;
        }
        LabelledCase c;
        c.length = clip->frames();
        c.label = unlabelled ? -1 : labelIndex.value(wanted[i]->label);
        c.source = relativeAudioPath(root, wanted[i]->file);
        c.group = wanted[i]->group;
        c.values = std::move(clip->samples);
        data.cases.push_back(std::move(c));
        result.splitTags.append(wanted[i]->split);
        clips[i].reset();
    }
    data.sampleRate = read.targetRate;
    if (data.cases.empty())
        return Error{QStringLiteral("none of the %1 audio files could be loaded; first reason: %2")
                         .arg(entries->size())
                         .arg(data.skipped.value(0)),
                     path};
    return result;
}

std::vector<std::uint8_t> casesMatchingGlob(const LabelledDataset &data, const QString &glob)
{
    std::vector<std::uint8_t> selected(data.cases.size(), 0);
    // '*' and '?' do not cross '/' (Qt's default conversion), which suits file names and paths.
    const QRegularExpression pattern(QRegularExpression::wildcardToRegularExpression(glob));
    if (glob.isEmpty() || !pattern.isValid())
        return selected;
    const bool wholePath = glob.contains(QLatin1Char('/'));
    for (std::size_t i = 0; i < data.cases.size(); ++i) {
        const QString &source = data.cases[i].source;
        const QString subject = wholePath ? source : source.section(QLatin1Char('/'), -1);
        selected[i] = pattern.match(subject).hasMatch() ? 1 : 0;
    }
    return selected;
}

} // namespace twb
