#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace twb {

/// Cell-level parsing for text tables: missing-value tokens, numbers and date/times.
/// Pure functions over UTF-8 bytes; thread-safe.

/// `text` without leading and trailing spaces and tabs.
std::string_view trimmedCell(std::string_view text);

/// True for an empty cell and for the missing-value tokens NA, N/A, NaN, nan, null, NULL,
/// None and "?" (surrounding spaces ignored).
bool isMissingCell(std::string_view text);

enum class NumberParse {
    Ok,         ///< a finite number, in `value`
    Missing,    ///< a missing-value token (see isMissingCell)
    NotANumber, ///< text that is not a decimal number
    NotFinite,  ///< inf, or a number outside the float32 range
};

/// The decimal mark of a table's numbers.
enum class DecimalMark {
    Point, ///< 1234.5
    /// 1234,5 or 1.234,5: a comma before the fraction, a point only between groups of three
    /// digits (a European spreadsheet's export, with ';' between the fields)
    Comma,
};

/// Parses a decimal number ("12", "-3.5", "+1e-3", " 7 "; with DecimalMark::Comma "-3,5",
/// "1.234,5") as float32, correctly rounded.
NumberParse parseFloatCell(std::string_view text, float &value,
                           DecimalMark mark = DecimalMark::Point);

/// Comma when fields are not separated by commas and the text holds a comma between two digits
/// (outside quotes), else Point. Linear in the text.
DecimalMark detectDecimalMark(std::string_view text, char delimiter);

/// Parses a date or date/time as milliseconds since 1970-01-01 00:00 UTC. Accepted forms:
/// YYYY-MM-DD or YYYY/MM/DD (month and day may have one digit), optionally followed by ' ' or
/// 'T' and H:MM, H:MM:SS or H:MM:SS.fff (hour may have one digit), optionally followed by 'Z'
/// or a UTC offset (+HH:MM, +HHMM, +HH). A time without offset is taken as UTC. Invalid
/// calendar dates (2017-02-29) and out-of-range times are rejected.
/// With `DateForms::AllowCompact`, an 8-digit YYYYMMDD date (19580329) is accepted too; the
/// loader allows it only in a column whose name says it holds dates, since such a cell is
/// otherwise an ordinary number.
enum class DateForms { Separated, AllowCompact };
std::optional<std::int64_t> parseDateTimeCell(std::string_view text,
                                              DateForms forms = DateForms::Separated);

/// True for column names that announce dates or times ("date", "Time", "timestamp", "ds").
bool isDateColumnName(std::string_view name);

} // namespace twb
