#pragma once

#include "common/Expected.h"

#include <QByteArray>
#include <QString>

namespace twb {

/// Replaces `path` with `bytes` atomically; every file the project writes whole (CSV, PNG,
/// JSON, HDF5 images, checkpoints) goes through here. The bytes go to a new temporary file
/// "<path>.tmp-XXXXXX" in the same folder, which is written in full, fsync'ed, closed and
/// renamed over `path`; the folder is then fsync'ed so that the rename survives a crash.
///
/// A reader sees the old or the new content, never a torn file. On any failure (a full disk,
/// a file-size limit, a read-only folder) `path` keeps its old bytes, the temporary file is
/// removed, and the error names `path` with the system's reason ("No space left on device",
/// "File too large"). The new file gets the usual permissions (0666 less the umask).
///
/// Threading: any thread; two concurrent writers of one path leave one of the two contents.
Status writeFileAtomically(const QString &path, const QByteArray &bytes);

/// Copies the file `source` to `path` with writeFileAtomically (read whole into memory first).
/// An unreadable source is named with the system's reason.
Status copyFileAtomically(const QString &source, const QString &path);

} // namespace twb
