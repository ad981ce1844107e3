#pragma once

#include "common/Expected.h"
#include "data/AtomicWrite.h" // writeFileAtomically: every whole-file write goes through it

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace twb {

/// Reads a whole file; the error names the file and the reason.
Expected<QByteArray> readWholeFile(const QString &path);
/// Reads a file holding one JSON object; errors name the file (missing, unreadable, "not a
/// JSON object: <parser's reason>").
Expected<QJsonObject> readJsonObjectFile(const QString &path);

} // namespace twb
