#pragma once

#include "common/Expected.h"
#include "data/AtomicWrite.h" // writeFileAtomically: every whole-file write goes through it

#include <QByteArray>
#include <QString>

namespace twb {

/// Reads a whole file; the error names the file and the reason.
Expected<QByteArray> readWholeFile(const QString &path);

} // namespace twb
