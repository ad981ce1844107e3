#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace twb {

/// One labelled sound file found by an audio data set layout (internal to twb_audio).
struct AudioEntry
{
    QString file;  ///< absolute path
    QString label; ///< as written (folder name, file-name prefix or manifest cell)
    QString split; ///< manifest split tag, empty otherwise
    QString group; ///< manifest group (speaker, session, device, subject), empty otherwise
};

/// Files of root/<class>/** with an audio extension, in natural order of relative path.
/// Audio files directly in `root` are listed in `skipped` (they have no class folder).
Expected<std::vector<AudioEntry>>
listClassFolders(const QString &root, const QStringList &extensions, QStringList &skipped);

/// Files root/<label>_*.ext (not recursive), in natural order of name. Names without a
/// non-empty label before '_' are listed in `skipped`.
Expected<std::vector<AudioEntry>>
listLabelPrefixed(const QString &root, const QStringList &extensions, QStringList &skipped);

/// Every file with an audio extension in `root` and its sub-folders, in natural order of
/// relative path, label empty; or `root` itself when it is a file (an error when its extension
/// is not one of them, or when a folder holds none).
Expected<std::vector<AudioEntry>> listUnlabelled(const QString &root,
                                                 const QStringList &extensions);

/// The rows of a manifest CSV (see loadAudioDataset), in file order, paths made absolute
/// against the manifest's folder. Lines with a blank path or label go to `skipped`.
Expected<std::vector<AudioEntry>> readAudioManifest(const QString &csvPath, QStringList &skipped);

/// `file` relative to `root` with '/' separators; a plain string operation when `file` lies
/// inside `root` (both absolute and clean), QDir::relativeFilePath otherwise.
QString relativeAudioPath(const QString &root, const QString &file);

/// True if `path` has a folder inside it that holds, at any depth, a file with one of the
/// extensions.
bool hasAudioSubfolder(const QString &root, const QStringList &extensions);

} // namespace twb
