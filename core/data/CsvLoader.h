#pragma once

#include "SeriesDataset.h"
#include "common/Expected.h"

#include <QChar>
#include <QString>

namespace twb {

struct CsvOptions
{
    /// Field delimiter; a null QChar detects it among ',' ';' '\t' '|'. Must be ASCII.
    QChar delimiter = QChar();
    /// Name of the date/time column; empty detects it (the first column whose first non-empty
    /// cells all parse as dates, see parseDateTimeCell in CsvValues.h).
    QString timeColumn;
};

/// Loads a CSV/TSV file with a header row into a SeriesDataset.
///
/// The file is UTF-8 (a BOM is skipped), with LF, CRLF or CR line ends and RFC 4180 quoting.
/// Numbers have a decimal point, or a decimal comma (detectDecimalMark: fields not separated by
/// commas and a comma between two digits somewhere, as a European spreadsheet writes them with
/// ';' between the fields; "1.234,5" is then 1234.5).
/// The date/time column (if any) goes to `timestamps` (ms since epoch, UTC; a time without
/// offset is taken as UTC) and `timeColumn`; every other column must be numeric and becomes a
/// float32 channel named by its header (an empty header cell is named "column N", 1-based).
/// Empty cells and NA, N/A, NaN, null, None, "?" are NaN and counted in `missing`, with the
/// file line of the first 20. A column that is entirely missing is kept. Blank lines are
/// skipped; every other line is a row or an error: nothing is dropped silently.
///
/// Errors carry the path, the 1-based line where there is one, and the reason: missing or
/// unreadable file, empty file, no data rows, ragged row, text in a numeric column or a bad
/// date, an unterminated quote, invalid UTF-8, duplicate column names, no numeric column, and
/// a time column that goes backwards, repeats a time or mixes times with and without an offset
/// from UTC (TimeAxis.h): every time must come after the one before.
///
/// Reads the whole file into memory; linear time. Thread-safe (no shared state).
Expected<SeriesDataset> loadCsv(const QString &path, const CsvOptions &options = {});

} // namespace twb
