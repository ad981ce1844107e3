#pragma once

#include "common/Expected.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace twb {

/// The data behind a view as a table: one header row and rows of already formatted cells
/// (numbers in C locale, full precision). Cells are written as RFC 4180 CSV.
struct CsvTable
{
    QStringList header;
    QList<QStringList> rows;
};

/// Implemented by every view that can hand out the data it draws (histogram bins, ACF, runs
/// table, forecast window). Threading: called on the GUI thread, like the view itself.
class CsvExportable
{
public:
    virtual ~CsvExportable() = default;
    /// The data currently shown; an empty table (no header) when the view shows nothing.
    virtual CsvTable csvTable() const = 0;
};

/// RFC 4180 text of `table`: comma separated, fields with a comma, quote or line break quoted
/// (quotes doubled), "\n" line ends, UTF-8.
QByteArray csvText(const CsvTable &table);

/// Writes csvText(table) to `path` atomically (QSaveFile). Errors name the path and reason.
Status writeCsvTable(const QString &path, const CsvTable &table);

/// Formats a number for a CSV cell: shortest round-trip text ("nan" for NaN).
QString csvNumber(double value);

} // namespace twb
