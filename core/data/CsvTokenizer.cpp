#include "CsvTokenizer.h"

#include <QString>

#include <array>
#include <cstring>

namespace twb {

CsvTokenizer::CsvTokenizer(std::string_view data, char delimiter)
    : m_data(data)
    , m_delimiter(delimiter)
{
    m_ends[(unsigned char)delimiter] = true;
    m_ends['\n'] = true;
    m_ends['\r'] = true;
}

void CsvTokenizer::consumeLineBreak()
{
    if (m_data[m_pos] == '\r' && m_pos + 1 < m_data.size() && m_data[m_pos + 1] == '\n')
        ++m_pos;
    ++m_pos;
    ++m_line;
}

void CsvTokenizer::countLineBreaks(std::string_view segment)
{
    for (std::size_t i = 0; i < segment.size(); ++i) {
        if (segment[i] == '\n')
            ++m_line;
        else if (segment[i] == '\r' && (i + 1 == segment.size() || segment[i + 1] != '\n'))
            ++m_line;
    }
}

Expected<std::string_view> CsvTokenizer::quotedField(std::size_t fieldIndex)
{
    const std::size_t n = m_data.size();
    const std::int64_t quoteLine = m_line;
    ++m_pos; // the opening quote
    const std::size_t begin = m_pos;
    std::string *unescaped = nullptr;
    for (;;) {
        const void *hit = std::memchr(m_data.data() + m_pos, '"', n - m_pos);
        if (!hit) {
            return Error{QStringLiteral("the quoted field that starts on line %1 is never closed "
                                        "(a '\"' is missing)")
                             .arg(quoteLine),
                         QString(), quoteLine};
        }
        const std::size_t quote = std::size_t(static_cast<const char *>(hit) - m_data.data());
        const std::string_view segment = m_data.substr(m_pos, quote - m_pos);
        countLineBreaks(segment);
        m_pos = quote + 1;
        const bool escaped = m_pos < n && m_data[m_pos] == '"';
        if (escaped && !unescaped)
            unescaped = &m_unescaped.emplace_back();
        if (unescaped) {
            unescaped->append(segment);
            if (escaped) {
                unescaped->push_back('"');
                ++m_pos;
            }
        }
        if (!escaped)
            break;
    }
    const std::string_view field =
        unescaped ? std::string_view(*unescaped) : m_data.substr(begin, m_pos - 1 - begin);
    while (m_pos < n && m_data[m_pos] == ' ' && m_delimiter != ' ')
        ++m_pos;
    if (m_pos < n && !m_ends[(unsigned char)m_data[m_pos]]) {
        return Error{QStringLiteral("unexpected character '%2' on line %1 after the closing "
                                    "quote of field %3")
                         .arg(m_line)
                         .arg(QChar::fromLatin1(m_data[m_pos]))
                         .arg(fieldIndex + 1),
                     QString(), m_line};
    }
    return field;
}

Expected<bool> CsvTokenizer::next(CsvRecord &record)
{
    record.fields.clear();
    const std::size_t n = m_data.size();
    while (m_pos < n && (m_data[m_pos] == '\n' || m_data[m_pos] == '\r'))
        consumeLineBreak();
    if (m_pos >= n)
        return false;
    record.line = m_line;

    for (;;) {
        if (m_pos < n && m_data[m_pos] == '"') {
            auto field = quotedField(record.fields.size());
            if (!field)
                return field.error();
            record.fields.push_back(*field);
        } else {
            const std::size_t begin = m_pos;
            while (m_pos < n && !m_ends[(unsigned char)m_data[m_pos]])
                ++m_pos;
            record.fields.push_back(m_data.substr(begin, m_pos - begin));
        }
        if (m_pos >= n)
            return true;
        if (m_data[m_pos] == m_delimiter) {
            ++m_pos;
            continue;
        }
        consumeLineBreak();
        return true;
    }
}

char detectCsvDelimiter(std::string_view data)
{
    static constexpr std::array<char, 4> candidates = {',', ';', '\t', '|'};
    constexpr int maxLines = 20;
    constexpr std::size_t maxBytes = 4 << 20;

    std::vector<std::array<std::int64_t, 4>> counts;
    std::array<std::int64_t, 4> current = {};
    bool inQuotes = false;
    bool lineHasContent = false;
    const std::size_t n = std::min(data.size(), maxBytes);
    for (std::size_t i = 0; i < n && int(counts.size()) < maxLines; ++i) {
        const char c = data[i];
        if (c == '"') {
            inQuotes = !inQuotes;
        } else if (!inQuotes && (c == '\n' || c == '\r')) {
            if (lineHasContent)
                counts.push_back(current);
            current = {};
            lineHasContent = false;
            continue;
        } else if (!inQuotes) {
            for (std::size_t k = 0; k < candidates.size(); ++k)
                if (c == candidates[k])
                    ++current[k];
        }
        lineHasContent = true;
    }
    if (lineHasContent && int(counts.size()) < maxLines && n == data.size())
        counts.push_back(current);
    if (counts.empty())
        return ',';

    int best = -1;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
        bool consistent = counts.front()[k] > 0;
        for (const auto &line : counts)
            consistent = consistent && line[k] == counts.front()[k];
        if (consistent && (best < 0 || counts.front()[k] > counts.front()[std::size_t(best)]))
            best = int(k);
    }
    if (best < 0) {
        for (std::size_t k = 0; k < candidates.size(); ++k)
            if (counts.front()[k] > 0 &&
                (best < 0 || counts.front()[k] > counts.front()[std::size_t(best)]))
                best = int(k);
    }
    return best < 0 ? ',' : candidates[std::size_t(best)];
}

} // namespace twb
