#pragma once

#include "common/Expected.h"

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace twb {

/// One CSV record: its fields (quotes removed, "" unescaped) and the 1-based physical line on
/// which it starts. The fields view the tokenizer's data (or, for fields with "" escapes, its
/// own storage): they stay valid while the tokenizer and its data live, also in copies.
struct CsvRecord
{
    std::int64_t line = 0;
    std::vector<std::string_view> fields;

    std::size_t size() const { return fields.size(); }
    std::string_view field(std::size_t i) const { return fields[i]; }
};

/// An RFC 4180 state machine over a whole file held in memory (UTF-8 or any ASCII superset).
/// Records end at LF, CRLF or CR; a field that starts with '"' is quoted and may contain the
/// delimiter, line breaks and "" (an escaped quote); spaces after a closing quote are ignored.
/// Blank lines (no characters at all) are not records and are skipped. Each byte is looked at
/// a constant number of times, so the cost is linear in the file size whatever the line length.
/// The tokenizer does not own `data`, which must outlive it. Not thread-safe; use one per thread.
class CsvTokenizer
{
public:
    CsvTokenizer(std::string_view data, char delimiter);

    /// Reads the next record into `record`: true if one was read, false at the end of the data,
    /// an Error (with the line, without file) for an unterminated quoted field or a character
    /// after a closing quote.
    Expected<bool> next(CsvRecord &record);

    /// The 1-based line at the current position.
    std::int64_t line() const { return m_line; }

private:
    void consumeLineBreak();
    void countLineBreaks(std::string_view segment);
    Expected<std::string_view> quotedField(std::size_t fieldIndex);

    std::array<bool, 256> m_ends = {};   ///< bytes that end an unquoted field
    std::deque<std::string> m_unescaped; ///< fields with "" escapes, kept for the views

    std::string_view m_data;
    std::size_t m_pos = 0;
    std::int64_t m_line = 1;
    char m_delimiter;
};

/// Picks the delimiter among ',' ';' '\t' '|' from the first lines (quotes respected): the one
/// that occurs the same, non-zero number of times on every sampled line, the most frequent
/// such; else the most frequent on the first line; else ',' (a single column).
char detectCsvDelimiter(std::string_view data);

} // namespace twb
