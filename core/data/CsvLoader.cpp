#include "CsvLoader.h"

#include "CsvTokenizer.h"
#include "CsvValues.h"
#include "TextFile.h"
#include "TimeAxis.h"

#include <QStringDecoder>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

namespace twb {

namespace {

constexpr int detectionRows = 10;
constexpr qsizetype maxQuotedChars = 40;

QString quoted(std::string_view cell)
{
    QString text = QString::fromUtf8(cell.data(), qsizetype(cell.size()));
    if (text.size() > maxQuotedChars)
        text = text.left(maxQuotedChars) + QStringLiteral("... (%1 characters)").arg(text.size());
    return QLatin1Char('\'') + text + QLatin1Char('\'');
}

// True if no byte has the high bit set; ORs blocks so that the compiler can vectorise it.
bool isAscii(std::string_view data)
{
    constexpr std::size_t block = 64;
    std::size_t i = 0;
    for (; i + block <= data.size(); i += block) {
        unsigned char bits = 0;
        for (std::size_t k = 0; k < block; ++k)
            bits |= (unsigned char)data[i + k];
        if (bits & 0x80)
            return false;
    }
    for (; i < data.size(); ++i)
        if ((unsigned char)data[i] & 0x80)
            return false;
    return true;
}

// Finds the first line that is not valid UTF-8 and explains it; nullopt if the data is valid.
std::optional<Error> checkUtf8(std::string_view data, const QString &path)
{
    if (isAscii(data))
        return std::nullopt;
    {
        QStringDecoder whole(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString decoded = whole.decode(QByteArrayView(data.data(), qsizetype(data.size())));
        if (!whole.hasError())
            return std::nullopt;
    }
    std::int64_t line = 1;
    std::size_t begin = 0;
    while (begin < data.size()) {
        std::size_t end = begin;
        while (end < data.size() && data[end] != '\n' && data[end] != '\r')
            ++end;
        const std::string_view bytes = data.substr(begin, end - begin);
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        const QString text = decoder.decode(QByteArrayView(bytes.data(), qsizetype(bytes.size())));
        if (decoder.hasError()) {
            // The first replacement character that does not stand for a literal U+FFFD; the
            // byte offset advances by the UTF-8 length of each valid character before it.
            std::size_t offset = 0;
            for (qsizetype i = 0; i < text.size() && offset < bytes.size(); ++i) {
                const char16_t c = text.at(i).unicode();
                if (c == QChar::ReplacementCharacter && bytes.substr(offset, 3) != "\xEF\xBF\xBD") {
                    return Error{
                        QStringLiteral("line %1 is not valid UTF-8: byte 0x%2 at "
                                       "character %3 (Latin-1 or Windows-1252?); save "
                                       "the file as UTF-8")
                            .arg(line)
                            .arg(uint((unsigned char)bytes[offset]), 2, 16, QLatin1Char('0'))
                            .arg(i + 1),
                        path, line};
                }
                if (QChar::isHighSurrogate(c)) {
                    offset += 4;
                    ++i;
                } else {
                    offset += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                }
            }
            return Error{
                QStringLiteral("line %1 is not valid UTF-8; save the file as UTF-8").arg(line),
                path, line};
        }
        if (end < data.size() && data[end] == '\r' && end + 1 < data.size() &&
            data[end + 1] == '\n')
            ++end;
        begin = end + 1;
        ++line;
    }
    return Error{QStringLiteral("the file is not valid UTF-8 (it ends inside a character)"), path,
                 line - 1};
}

Error withFile(Error error, const QString &path)
{
    error.file = path;
    return error;
}

DateForms dateFormsFor(const QString &columnName)
{
    const QByteArray utf8 = columnName.toUtf8();
    return isDateColumnName(std::string_view(utf8.constData(), std::size_t(utf8.size())))
               ? DateForms::AllowCompact
               : DateForms::Separated;
}

class CsvTableBuilder
{
public:
    CsvTableBuilder(const QString &path, const QStringList &names, int timeIndex, DecimalMark mark,
                    SeriesDataset &out)
        : m_path(path)
        , m_names(names)
        , m_timeIndex(timeIndex)
        , m_dateForms(timeIndex >= 0 ? dateFormsFor(names.at(timeIndex)) : DateForms::Separated)
        , m_mark(mark)
        , m_out(out)
    {
        const qsizetype channels = names.size() - (timeIndex >= 0 ? 1 : 0);
        m_out.missing.perChannel.assign(std::size_t(channels), 0);
    }

    Status addRow(const CsvRecord &record)
    {
        if (qsizetype(record.size()) != m_names.size()) {
            return Error{QStringLiteral("line %1 has %2 fields, the header has %3")
                             .arg(record.line)
                             .arg(record.size())
                             .arg(m_names.size()),
                         m_path, record.line};
        }
        int channel = 0;
        for (std::size_t column = 0; column < record.size(); ++column) {
            const std::string_view cell = record.field(column);
            if (int(column) == m_timeIndex) {
                const auto ms = parseDateTimeCell(cell, m_dateForms);
                if (!ms)
                    return cellError(record.line, column, cell,
                                     "is not a date/time (expected "
                                     "e.g. 2016-07-01 00:00:00)");
                if (const QString problem = m_timeAxis.add(*ms, cell); !problem.isEmpty())
                    return Error{QStringLiteral("line %1, column \"%2\": %3")
                                     .arg(record.line)
                                     .arg(m_names.at(qsizetype(column)), problem),
                                 m_path, record.line};
                m_out.timestamps.push_back(*ms);
                continue;
            }
            float value = 0.0f;
            switch (parseFloatCell(cell, value, m_mark)) {
            case NumberParse::Ok:
                break;
            case NumberParse::Missing:
                value = std::numeric_limits<float>::quiet_NaN();
                ++m_out.missing.perChannel[std::size_t(channel)];
                if (m_out.missing.firstCells.size() < 20)
                    m_out.missing.firstCells.push_back({m_row, record.line, channel});
                break;
            case NumberParse::NotANumber:
                return cellError(record.line, column, cell,
                                 m_mark == DecimalMark::Comma
                                     ? "is not a number (this file writes numbers with a decimal "
                                       "comma, e.g. 1.234,5)"
                                     : "is not a number");
            case NumberParse::NotFinite:
                return cellError(record.line, column, cell, "is not a finite float32 number");
            }
            m_out.values.push_back(value);
            ++channel;
        }
        ++m_row;
        return Status::ok();
    }

private:
    Error cellError(std::int64_t line, std::size_t column, std::string_view cell,
                    const char *what) const
    {
        const QString reason =
            trimmedCell(cell).empty()
                ? QStringLiteral("line %1, column '%2' is empty; the time "
                                 "column needs a date/time on every row")
                      .arg(line)
                      .arg(m_names.at(qsizetype(column)))
                : QStringLiteral("line %1, column '%2': %3 %4")
                      .arg(line)
                      .arg(m_names.at(qsizetype(column)), quoted(cell), QLatin1String(what));
        return Error{reason, m_path, line};
    }

    const QString &m_path;
    const QStringList &m_names;
    int m_timeIndex;
    DateForms m_dateForms;
    DecimalMark m_mark;
    SeriesDataset &m_out;
    TimeAxisCheck m_timeAxis;
    std::int64_t m_row = 0;
};

// The column names of the header record: trimmed, "column N" (1-based) for an empty one,
// duplicates rejected (the first repeat in file order is reported). Sorting views of the names
// keeps this O(n log n) and cache-friendly, also for a header of a million columns.
Expected<QStringList> headerNames(const CsvRecord &header, const QString &path)
{
    const std::size_t count = header.size();
    std::vector<std::string> generated;
    generated.reserve(std::size_t(
        std::count_if(header.fields.begin(), header.fields.end(),
                      [](std::string_view field) { return trimmedCell(field).empty(); })));
    std::vector<std::string_view> keys(count);
    for (std::size_t i = 0; i < count; ++i) {
        keys[i] = trimmedCell(header.field(i));
        if (keys[i].empty()) // reserved above: the views into `generated` stay valid
            keys[i] = generated.emplace_back("column " + std::to_string(i + 1));
    }

    std::vector<std::uint32_t> order(count);
    for (std::size_t i = 0; i < count; ++i)
        order[i] = std::uint32_t(i);
    std::stable_sort(order.begin(), order.end(),
                     [&keys](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
    std::size_t first = count;
    std::size_t repeat = count;
    for (std::size_t k = 1; k < count; ++k) {
        if (keys[order[k]] == keys[order[k - 1]] && order[k] < repeat &&
            (k < 2 || keys[order[k - 2]] != keys[order[k]])) {
            first = order[k - 1];
            repeat = order[k];
        }
    }
    if (repeat < count) {
        const std::string_view name = keys[repeat];
        return Error{QStringLiteral("the column name '%1' appears twice in the header "
                                    "(columns %2 and %3)")
                         .arg(QString::fromUtf8(name.data(), qsizetype(name.size())))
                         .arg(first + 1)
                         .arg(repeat + 1),
                     path, header.line};
    }

    QStringList names;
    names.reserve(qsizetype(count));
    for (std::string_view key : keys)
        names.append(QString::fromUtf8(key.data(), qsizetype(key.size())));
    return names;
}

// The first column whose first non-missing cell is a date/time and whose sampled cells are
// mostly dates (so that one bad date is reported as such, not as "not a number").
int detectTimeColumn(const std::vector<CsvRecord> &rows, const QStringList &names)
{
    const qsizetype columns = names.size();
    for (qsizetype column = 0; column < columns; ++column) {
        const DateForms forms = dateFormsFor(names.at(column));
        int dates = 0;
        int others = 0;
        for (const CsvRecord &row : rows) {
            if (qsizetype(row.size()) != columns)
                continue;
            const std::string_view cell = row.field(std::size_t(column));
            if (isMissingCell(cell))
                continue;
            if (parseDateTimeCell(cell, forms))
                ++dates;
            else if (dates == 0)
                break;
            else
                ++others;
        }
        if (dates > others)
            return int(column);
    }
    return -1;
}

} // namespace

Expected<SeriesDataset> loadCsv(const QString &path, const CsvOptions &options)
{
    const Expected<QByteArray> bytes = readTextFile(path, QStringLiteral("a CSV file"));
    if (!bytes)
        return bytes.error();
    const std::string_view data(bytes->constData(), std::size_t(bytes->size()));
    if (auto error = checkUtf8(data, path))
        return *error;

    char delimiter = 0;
    if (options.delimiter.isNull()) {
        delimiter = detectCsvDelimiter(data);
    } else {
        const char16_t d = options.delimiter.unicode();
        if (d == 0 || d >= 0x80 || d == '"' || d == '\n' || d == '\r')
            return Error{QStringLiteral("the delimiter must be one ASCII character other than a "
                                        "quote or a line break"),
                         path};
        delimiter = char(d);
    }

    CsvTokenizer tokenizer(data, delimiter);
    CsvRecord record;
    auto more = tokenizer.next(record);
    if (!more)
        return withFile(more.error(), path);
    if (!*more)
        return Error{QStringLiteral("the file is empty"), path};

    const std::int64_t headerLine = record.line;
    const auto header = headerNames(record, path);
    if (!header)
        return header.error();
    const QStringList &names = *header;

    std::vector<CsvRecord> firstRows;
    while (int(firstRows.size()) < detectionRows) {
        more = tokenizer.next(record);
        if (!more)
            return withFile(more.error(), path);
        if (!*more)
            break;
        firstRows.push_back(record);
    }
    if (firstRows.empty())
        return Error{QStringLiteral("the file has a header but no data rows"), path, headerLine};

    int timeIndex = -1;
    if (!options.timeColumn.isEmpty()) {
        timeIndex = int(names.indexOf(options.timeColumn.trimmed()));
        if (timeIndex < 0)
            return Error{QStringLiteral("there is no column named '%1' in the header (columns: %2)")
                             .arg(options.timeColumn,
                                  names.size() <= 20
                                      ? names.join(QStringLiteral(", "))
                                      : names.first(20).join(QStringLiteral(", ")) +
                                            QStringLiteral(", ... (%1 in all)").arg(names.size())),
                         path, headerLine};
    } else {
        timeIndex = detectTimeColumn(firstRows, names);
    }
    if (names.size() - (timeIndex >= 0 ? 1 : 0) == 0)
        return Error{QStringLiteral("the file has no numeric column, only the time column '%1'")
                         .arg(names.at(timeIndex)),
                     path, headerLine};

    SeriesDataset out;
    out.sourcePath = path;
    out.channelNames = names;
    if (timeIndex >= 0) {
        out.timeColumn = names.at(timeIndex);
        out.channelNames.removeAt(timeIndex);
    }
    const auto lineBreaks = std::count(data.begin(), data.end(), '\n');
    out.values.reserve(std::size_t(lineBreaks + 1) * std::size_t(out.channelNames.size()));
    if (timeIndex >= 0)
        out.timestamps.reserve(std::size_t(lineBreaks + 1));

    CsvTableBuilder builder(path, names, timeIndex, detectDecimalMark(data, delimiter), out);
    for (const CsvRecord &row : firstRows)
        if (const Status status = builder.addRow(row); !status)
            return status.error();
    for (;;) {
        more = tokenizer.next(record);
        if (!more)
            return withFile(more.error(), path);
        if (!*more)
            break;
        if (const Status status = builder.addRow(record); !status)
            return status.error();
    }
    return out;
}

} // namespace twb
