#include "CsvValues.h"

#include <cctype>
#include <string>

#include <charconv>
#include <chrono>
#include <cmath>

namespace twb {

namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i];
        char y = b[i];
        if (x >= 'A' && x <= 'Z')
            x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = char(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Reads between minDigits and maxDigits decimal digits at text[pos]; advances pos.
std::optional<int> readNumber(std::string_view text, std::size_t &pos, int minDigits, int maxDigits)
{
    int value = 0;
    int digits = 0;
    while (pos < text.size() && digits < maxDigits && isDigit(text[pos])) {
        value = value * 10 + (text[pos] - '0');
        ++pos;
        ++digits;
    }
    if (digits < minDigits || (pos < text.size() && isDigit(text[pos])))
        return std::nullopt;
    return value;
}

} // namespace

std::string_view trimmedCell(std::string_view text)
{
    std::size_t begin = 0;
    std::size_t end = text.size();
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t'))
        ++begin;
    while (end > begin && (text[end - 1] == ' ' || text[end - 1] == '\t'))
        --end;
    return text.substr(begin, end - begin);
}

bool isMissingCell(std::string_view text)
{
    const std::string_view t = trimmedCell(text);
    if (t.empty() || t == "?")
        return true;
    for (std::string_view token : {"na", "n/a", "nan", "null", "none"})
        if (equalsIgnoringCase(t, token))
            return true;
    return false;
}

namespace {

/// A decimal-comma number rewritten with a decimal point ("-1.234,5e3" -> "-1234.5e3"), or
/// nothing when its points are not between groups of three digits of the integer part.
std::optional<std::string> pointForm(std::string_view t)
{
    std::string out;
    out.reserve(t.size());
    std::size_t i = 0;
    if (i < t.size() && (t[i] == '+' || t[i] == '-'))
        out += t[i++];
    int digitsInGroup = 0;
    bool grouped = false;
    for (; i < t.size() && (isDigit(t[i]) || t[i] == '.'); ++i) {
        if (t[i] == '.') {
            if (digitsInGroup == 0 || (grouped && digitsInGroup != 3) || digitsInGroup > 3)
                return std::nullopt;
            grouped = true;
            digitsInGroup = 0;
            continue;
        }
        out += t[i];
        ++digitsInGroup;
    }
    if (grouped && digitsInGroup != 3)
        return std::nullopt;
    if (i < t.size() && t[i] == ',') {
        out += '.';
        ++i;
    }
    for (; i < t.size(); ++i) {
        if (t[i] == '.' || t[i] == ',')
            return std::nullopt;
        out += t[i];
    }
    return out;
}

} // namespace

DecimalMark detectDecimalMark(std::string_view text, char delimiter)
{
    if (delimiter == ',')
        return DecimalMark::Point;
    bool inQuotes = false;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '"')
            inQuotes = !inQuotes;
        else if (!inQuotes && text[i] == ',' && isDigit(text[i - 1]) && isDigit(text[i + 1]))
            return DecimalMark::Comma;
    }
    return DecimalMark::Point;
}

NumberParse parseFloatCell(std::string_view text, float &value, DecimalMark mark)
{
    std::string rewritten;
    if (mark == DecimalMark::Comma) {
        const std::string_view cell = trimmedCell(text);
        if (cell.find_first_of(".,") != std::string_view::npos) {
            std::optional<std::string> point = pointForm(cell);
            if (!point)
                return isMissingCell(cell) ? NumberParse::Missing : NumberParse::NotANumber;
            rewritten = std::move(*point);
            text = rewritten;
        }
    }
    std::string_view t = trimmedCell(text);
    if (!t.empty() && (isDigit(t.front()) || t.front() == '-' || t.front() == '.')) {
        // Fast path for the common case: a plain finite number.
        float fast = 0.0f;
        const auto result = std::from_chars(t.data(), t.data() + t.size(), fast);
        if (result.ec == std::errc() && result.ptr == t.data() + t.size() && std::isfinite(fast)) {
            value = fast;
            return NumberParse::Ok;
        }
    }
    if (isMissingCell(t))
        return NumberParse::Missing;
    if (t.size() > 1 && t.front() == '+' && t[1] != '-' && t[1] != '+')
        t.remove_prefix(1);
    const char *end = t.data() + t.size();
    float parsed = 0.0f;
    const auto result = std::from_chars(t.data(), end, parsed, std::chars_format::general);
    if (result.ptr != end ||
        (result.ec != std::errc() && result.ec != std::errc::result_out_of_range))
        return NumberParse::NotANumber;
    // from_chars accepts "inf", "infinity" and "nan(...)": none of them is a finite number.
    if (result.ec == std::errc::result_out_of_range) {
        double wide = 0.0;
        const auto again = std::from_chars(t.data(), end, wide, std::chars_format::general);
        if (again.ec == std::errc() && std::abs(wide) < 1.0) {
            value = 0.0f; // below the float32 range: rounds to zero like numpy's float32()
            return NumberParse::Ok;
        }
        return NumberParse::NotFinite;
    }
    if (!std::isfinite(parsed))
        return NumberParse::NotFinite;
    value = parsed;
    return NumberParse::Ok;
}

bool isDateColumnName(std::string_view name)
{
    std::string lower(trimmedCell(name));
    for (char &c : lower)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return lower == "ds" || lower == "day" || lower.find("date") != std::string::npos ||
           lower.find("time") != std::string::npos;
}

std::optional<std::int64_t> parseDateTimeCell(std::string_view text, DateForms forms)
{
    using namespace std::chrono;
    const std::string_view t = trimmedCell(text);
    std::size_t pos = 0;
    if (forms == DateForms::AllowCompact && t.size() == 8) {
        int digits[8];
        for (std::size_t i = 0; i < 8; ++i) {
            if (!isDigit(t[i]))
                return std::nullopt;
            digits[i] = t[i] - '0';
        }
        const int y = ((digits[0] * 10 + digits[1]) * 10 + digits[2]) * 10 + digits[3];
        const unsigned mo = unsigned(digits[4] * 10 + digits[5]);
        const unsigned d = unsigned(digits[6] * 10 + digits[7]);
        const year_month_day date{year{y}, month{mo}, day{d}};
        if (!date.ok())
            return std::nullopt;
        return std::int64_t(sys_days{date}.time_since_epoch().count()) * 86'400'000;
    }
    const auto y = readNumber(t, pos, 4, 4);
    if (!y || pos >= t.size() || (t[pos] != '-' && t[pos] != '/'))
        return std::nullopt;
    const char separator = t[pos++];
    const auto mo = readNumber(t, pos, 1, 2);
    if (!mo || pos >= t.size() || t[pos] != separator)
        return std::nullopt;
    ++pos;
    const auto d = readNumber(t, pos, 1, 2);
    if (!d)
        return std::nullopt;
    const year_month_day date{year{*y}, month{unsigned(*mo)}, day{unsigned(*d)}};
    if (!date.ok())
        return std::nullopt;
    std::int64_t ms = std::int64_t(sys_days{date}.time_since_epoch().count()) * 86'400'000;
    if (pos == t.size())
        return ms;

    if (t[pos] != ' ' && t[pos] != 'T')
        return std::nullopt;
    ++pos;
    const auto h = readNumber(t, pos, 1, 2);
    if (!h || *h > 23 || pos >= t.size() || t[pos] != ':')
        return std::nullopt;
    ++pos;
    const auto mi = readNumber(t, pos, 2, 2);
    if (!mi || *mi > 59)
        return std::nullopt;
    int seconds = 0;
    int millis = 0;
    if (pos < t.size() && t[pos] == ':') {
        ++pos;
        const auto s = readNumber(t, pos, 2, 2);
        if (!s || *s > 59)
            return std::nullopt;
        seconds = *s;
        if (pos < t.size() && (t[pos] == '.' || t[pos] == ',')) {
            ++pos;
            int digits = 0;
            int scale = 100;
            while (pos < t.size() && isDigit(t[pos])) {
                millis += (t[pos] - '0') * scale;
                scale /= 10;
                ++pos;
                ++digits;
            }
            if (digits == 0 || digits > 9)
                return std::nullopt;
        }
    }
    ms += ((std::int64_t(*h) * 60 + *mi) * 60 + seconds) * 1000 + millis;
    if (pos == t.size())
        return ms;

    if (t[pos] == 'Z')
        return pos + 1 == t.size() ? std::optional<std::int64_t>(ms) : std::nullopt;
    if (t[pos] != '+' && t[pos] != '-')
        return std::nullopt;
    const int sign = t[pos] == '+' ? 1 : -1;
    ++pos;
    const auto oh = readNumber(t, pos, 2, 2);
    if (!oh || *oh > 14)
        return std::nullopt;
    int om = 0;
    if (pos < t.size()) {
        if (t[pos] == ':')
            ++pos;
        const auto m = readNumber(t, pos, 2, 2);
        if (!m || *m > 59)
            return std::nullopt;
        om = *m;
    }
    if (pos != t.size())
        return std::nullopt;
    // Local time = UTC + offset, so UTC = local time - offset.
    return ms - sign * (std::int64_t(*oh) * 60 + om) * 60'000;
}

} // namespace twb
