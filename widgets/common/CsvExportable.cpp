#include "CsvExportable.h"

#include <QLocale>
#include <QSaveFile>

#include <cmath>

namespace twb {

namespace {

QByteArray csvField(const QString &cell)
{
    QByteArray bytes = cell.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') ||
        bytes.contains('\r')) {
        bytes.replace("\"", "\"\"");
        return '"' + bytes + '"';
    }
    return bytes;
}

void appendRow(QByteArray &out, const QStringList &cells)
{
    for (qsizetype i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += ',';
        out += csvField(cells[i]);
    }
    out += '\n';
}

} // namespace

QByteArray csvText(const CsvTable &table)
{
    QByteArray out;
    if (!table.header.isEmpty())
        appendRow(out, table.header);
    for (const QStringList &row : table.rows)
        appendRow(out, row);
    return out;
}

Status writeCsvTable(const QString &path, const CsvTable &table)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write: %1").arg(file.errorString()), path};
    const QByteArray bytes = csvText(table);
    if (file.write(bytes) != bytes.size() || !file.commit())
        return Error{QStringLiteral("cannot write: %1").arg(file.errorString()), path};
    return {};
}

QString csvNumber(double value)
{
    if (std::isnan(value))
        return QStringLiteral("nan");
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace twb
