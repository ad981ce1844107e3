#pragma once

#include "common/Expected.h"

#include <QByteArray>
#include <QString>

namespace twb {

/// Replaces `path` with `bytes` atomically: the bytes go to a temporary file in the same
/// folder, which is flushed, fsync'ed and renamed over `path` (QSaveFile). A reader sees the
/// old or the new content, never a torn file, and nothing is left behind on failure.
Status writeFileAtomically(const QString &path, const QByteArray &bytes);

/// Reads a whole file; the error names the file and the reason.
Expected<QByteArray> readWholeFile(const QString &path);

} // namespace twb
