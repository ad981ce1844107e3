#pragma once

#include "common/Expected.h"
#include "data/LabelledDataset.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// How the files of an audio data set are labelled.
enum class AudioLayout {
    Auto, ///< a .csv file -> Manifest; a folder with sub-folders -> ClassFolders; else LabelPrefix
    ClassFolders, ///< root/<class>/**/file.wav: the first-level folder is the label
    LabelPrefix,  ///< root/<label>_anything.wav (FSDD: 7_jackson_32.wav)
    Manifest,     ///< a CSV "path,label[,split]" (see loadAudioDataset)
    /// No labels (prediction): every audio file of the folder and below, or the one sound file
    /// given; every case has label -1 and the classes are options.classNames.
    Unlabelled,
};

struct AudioDatasetOptions
{
    /// Resample every clip to this rate (Hz, libsoxr HQ); 0 = the rate of the first readable
    /// file (in load order), other rates are resampled to it.
    double sampleRate = 0.0;
    /// Empty: the labels found, sorted naturally ("2" < "10", then case-insensitively).
    /// Otherwise the class list to use (a training set's); a file with another label is skipped.
    QStringList classNames;
    AudioLayout layout = AudioLayout::Auto;
    /// File name endings (lowercase, without dot) taken as audio in folders; others are ignored.
    /// Files are decoded on this many threads (the calling one included); 0 = one per core.
    int threads = 0;
    QStringList extensions = {QStringLiteral("wav"), QStringLiteral("flac"),
                              QStringLiteral("ogg"), QStringLiteral("oga"),
                              QStringLiteral("aif"), QStringLiteral("aiff")};
};

/// An audio data set and, per case, the manifest's split tag.
struct AudioDataset
{
    /// One case per readable file: mono, channels() == 1, channelNames {"audio"}, sampleRate =
    /// the common rate, values = samples ([length, 1]). source = the file's path relative to
    /// the data set's root (the folder, or the manifest's folder), with '/' separators.
    /// Unreadable files, files without a usable label and files whose label is not in
    /// options.classNames are listed in `skipped` as "path: reason" and left out.
    LabelledDataset data;
    /// Size == data.size(): the manifest's split column as written, trimmed (e.g. "train",
    /// "test"); empty strings when there is no split column or for folder layouts.
    QStringList splitTags;
};

/// Loads a labelled audio data set from a folder or a manifest CSV.
///
/// Folders are scanned for files with one of options.extensions (case-insensitive); cases are
/// in natural order of their relative paths. A manifest is a CSV (delimiter detected, RFC 4180
/// quotes) with the columns path, label and optionally split: by position, or by name when the
/// first record is a header naming "path"/"file" and "label"/"class" (and "split", and a group
/// column "group", "speaker", "session", "device" or "subject" for LabelledCase::group). Relative
/// paths are taken against the manifest's folder; a blank path or label skips the line (listed
/// in `skipped`); cases keep the manifest's order.
///
/// Errors (the whole load fails): the path does not exist, a folder without audio files, a
/// manifest that cannot be parsed or has fewer than two columns, or no file could be loaded
/// (the error then quotes the first skip reason). Files are decoded on options.threads worker
/// threads (std::thread, joined before returning); the result does not depend on their number.
/// Thread-safe.
Expected<AudioDataset> loadAudioDataset(const QString &path,
                                        const AudioDatasetOptions &options = {});

/// Which cases a glob selects, e.g. "*_[0-4].wav" for the usual FSDD test takes: 1 where the
/// case's file name (its source after the last '/') matches, 0 elsewhere; a glob containing '/'
/// is matched against the whole relative source instead. Wildcards as
/// QRegularExpression::wildcardToRegularExpression ('*', '?', '[...]'), anchored, case-sensitive.
/// Size == data.size(). An invalid glob selects nothing.
std::vector<std::uint8_t> casesMatchingGlob(const LabelledDataset &data, const QString &glob);

/// Natural order for labels and file names: digit runs compare as numbers ("2" < "10",
/// "a9" < "a10"), the rest case-insensitively, ties broken by plain comparison.
bool naturalLess(const QString &a, const QString &b);

} // namespace twb
