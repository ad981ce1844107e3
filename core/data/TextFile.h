#pragma once

#include "common/Expected.h"

#include <QByteArray>
#include <QString>

namespace twb {

/// The whole content of a text file the loaders parse (CSV, .ts, .arff), as bytes with a leading
/// UTF-8 byte-order mark removed. Errors name the file: "the file does not exist", "this is a
/// folder, not a file", "cannot read the file: <reason>", "the file is empty" (no bytes or only
/// white space). `kind` names the expected format in the folder message ("a CSV file").
/// Threading: any thread.
Expected<QByteArray> readTextFile(const QString &path,
                                  const QString &kind = QStringLiteral("a file"));

} // namespace twb
