#include "ArffLoader.h"

#include "CsvValues.h"
#include "TextFile.h"

#include <QFileInfo>
#include <QHash>

#include <limits>
#include <optional>
#include <string_view>

namespace twb {

namespace {

QString text(std::string_view bytes)
{
    return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
}

bool isQuote(char c)
{
    return c == '\'' || c == '"';
}

// Removes one pair of matching quotes and the spaces around them.
std::string_view unquoted(std::string_view value)
{
    value = trimmedCell(value);
    if (value.size() >= 2 && isQuote(value.front()) && value.back() == value.front())
        return value.substr(1, value.size() - 2);
    return value;
}

// Splits at `separator` outside quotes; an unterminated quote runs to the end.
std::vector<std::string_view> splitOutsideQuotes(std::string_view line, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t begin = 0;
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote) {
            if (c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;
        } else if (isQuote(c)) {
            quote = c;
        } else if (c == separator) {
            parts.push_back(line.substr(begin, i - begin));
            begin = i + 1;
        }
    }
    parts.push_back(line.substr(begin));
    return parts;
}

// The first word (or quoted name) of `rest`, which is advanced past it.
std::string_view nextWord(std::string_view &rest)
{
    rest = trimmedCell(rest);
    std::size_t end = 0;
    if (!rest.empty() && isQuote(rest.front())) {
        end = rest.find(rest.front(), 1);
        end = end == std::string_view::npos ? rest.size() : end + 1;
    } else {
        while (end < rest.size() && rest[end] != ' ' && rest[end] != '\t' && rest[end] != '{')
            ++end;
    }
    const std::string_view word = rest.substr(0, end);
    rest = trimmedCell(rest.substr(end));
    return word;
}

enum class Kind { Numeric, Nominal, Relational };

class ArffParser
{
public:
    ArffParser(const QString &path, const ArffLoadOptions &options)
        : m_path(path)
        , m_name(QFileInfo(path).fileName())
        , m_options(options)
    {}

    Expected<LabelledDataset> run(std::string_view data);

private:
    Error error(std::int64_t line, const QString &reason) const { return {reason, m_path, line}; }
    std::optional<Error> attribute(std::string_view rest, std::int64_t number);
    std::optional<Error> startData(std::int64_t number);
    std::optional<Error> dataLine(std::string_view line, std::int64_t number);
    std::optional<Error> parseValues(std::string_view cells, std::int64_t number, int channel,
                                     std::vector<float> &out, std::int64_t &missing) const;

    QString m_path;
    QString m_name;
    ArffLoadOptions m_options;
    std::vector<Kind> m_kinds; ///< top-level attributes
    std::int64_t m_relationalSteps = 0;
    bool m_inRelational = false;
    QStringList m_nominalValues; ///< of the last nominal attribute
    std::int64_t m_steps = 0;    ///< numeric attributes = time steps per channel
    bool m_multivariate = false;
    QHash<QString, int> m_labelIndex;
    LabelledDataset m_result;
    std::int64_t m_channels = 0;
};

std::optional<Error> ArffParser::attribute(std::string_view rest, std::int64_t number)
{
    const QString name = text(unquoted(nextWord(rest)));
    if (name.isEmpty())
        return error(number, QStringLiteral("@attribute without a name"));
    const QString type = text(trimmedCell(rest));
    const QString lower = type.toLower();
    Kind kind;
    if (lower == QLatin1String("numeric") || lower == QLatin1String("real") ||
        lower == QLatin1String("integer")) {
        kind = Kind::Numeric;
    } else if (lower == QLatin1String("relational")) {
        if (m_inRelational)
            return error(number, QStringLiteral("nested relational attributes are not supported"));
        kind = Kind::Relational;
    } else if (type.startsWith(QLatin1Char('{')) && type.endsWith(QLatin1Char('}'))) {
        kind = Kind::Nominal;
        m_nominalValues.clear();
        const QByteArray list = type.mid(1, type.size() - 2).toUtf8();
        for (std::string_view value :
             splitOutsideQuotes(std::string_view(list.constData(), std::size_t(list.size())), ','))
            m_nominalValues.append(text(unquoted(value)));
    } else {
        return error(number, QStringLiteral("attribute '%1' has the type '%2'; only numeric, "
                                            "relational and nominal {...} attributes are "
                                            "supported")
                                 .arg(name, type));
    }
    if (m_inRelational) {
        if (kind != Kind::Numeric)
            return error(number, QStringLiteral("attribute '%1' inside a relational attribute "
                                                "must be numeric")
                                     .arg(name));
        ++m_relationalSteps;
        return std::nullopt;
    }
    m_kinds.push_back(kind);
    m_inRelational = kind == Kind::Relational;
    return std::nullopt;
}

std::optional<Error> ArffParser::startData(std::int64_t number)
{
    if (m_inRelational)
        return error(number, QStringLiteral("@data inside a relational attribute (no @end)"));
    if (m_kinds.size() < 2 || m_kinds.back() != Kind::Nominal)
        return error(number, QStringLiteral("the last attribute must be the nominal class "
                                            "attribute {a,b,...}, after the series attributes"));
    const std::size_t series = m_kinds.size() - 1;
    if (m_kinds.front() == Kind::Relational) {
        if (series != 1)
            return error(number, QStringLiteral("a multivariate file must have exactly one "
                                                "relational attribute before the class"));
        m_multivariate = true;
        m_steps = m_relationalSteps;
    } else {
        for (std::size_t i = 0; i < series; ++i)
            if (m_kinds[i] != Kind::Numeric)
                return error(number, QStringLiteral("attribute %1 is not numeric; a univariate "
                                                    "file has numeric attributes, then the class")
                                         .arg(i + 1));
        m_steps = std::int64_t(series);
        m_channels = 1;
    }
    m_result.classNames = m_options.classNames.isEmpty() ? m_nominalValues : m_options.classNames;
    for (int i = 0; i < m_result.classNames.size(); ++i)
        m_labelIndex.insert(m_result.classNames.at(i), i);
    return std::nullopt;
}

std::optional<Error> ArffParser::parseValues(std::string_view cells, std::int64_t number,
                                             int channel, std::vector<float> &out,
                                             std::int64_t &missing) const
{
    std::size_t from = 0;
    for (std::size_t i = 0; i <= cells.size(); ++i) {
        if (i < cells.size() && cells[i] != ',')
            continue;
        const std::string_view cell = unquoted(cells.substr(from, i - from));
        from = i + 1;
        float value = 0.0f;
        switch (parseFloatCell(cell, value)) {
        case NumberParse::Ok:
            out.push_back(value);
            break;
        case NumberParse::Missing:
            out.push_back(std::numeric_limits<float>::quiet_NaN());
            ++missing;
            break;
        default:
            return error(number, QStringLiteral("'%1' (channel %2, position %3) is not a "
                                                "finite number")
                                     .arg(text(cell.substr(0, 40)))
                                     .arg(channel + 1)
                                     .arg(out.size() + 1));
        }
    }
    return std::nullopt;
}

std::optional<Error> ArffParser::dataLine(std::string_view line, std::int64_t number)
{
    if (line.front() == '{')
        return error(number, QStringLiteral("sparse ARFF data ({index value, ...}) is not "
                                            "supported"));
    // The label is the last field outside quotes (a quoted label may contain commas).
    const std::vector<std::string_view> fields = splitOutsideQuotes(line, ',');
    const std::string_view labelField = fields.back();
    const QString label = text(unquoted(labelField));
    const auto found = m_labelIndex.constFind(label);
    if (found == m_labelIndex.constEnd())
        return error(number, QStringLiteral("class label '%1' is not one of the declared labels "
                                            "(%2)")
                                 .arg(label, m_result.classNames.join(QLatin1Char(','))));

    const std::string_view series = line.substr(0, line.size() - labelField.size() - 1);
    std::vector<std::vector<float>> channels;
    std::int64_t missing = 0;
    if (m_multivariate) {
        if (fields.size() != 2)
            return error(number, QStringLiteral("expected one quoted series and the label, "
                                                "found %1 fields")
                                     .arg(fields.size()));
        const std::string_view inner = unquoted(series);
        std::size_t from = 0;
        while (from <= inner.size()) {
            std::size_t end = inner.find("\\n", from);
            std::size_t skip = 2;
            const std::size_t newline = inner.find('\n', from);
            if (newline < end) {
                end = newline;
                skip = 1;
            }
            if (end == std::string_view::npos)
                end = inner.size();
            channels.emplace_back();
            if (auto e = parseValues(inner.substr(from, end - from), number,
                                     int(channels.size() - 1), channels.back(), missing))
                return e;
            from = end + skip;
        }
        if (m_channels == 0)
            m_channels = std::int64_t(channels.size());
        if (std::int64_t(channels.size()) != m_channels)
            return error(number, QStringLiteral("the case has %1 channel(s), expected %2 (the "
                                                "first case)")
                                     .arg(channels.size())
                                     .arg(m_channels));
    } else {
        channels.emplace_back();
        if (auto e = parseValues(series, number, 0, channels.back(), missing))
            return e;
    }
    for (std::size_t ch = 0; ch < channels.size(); ++ch)
        if (std::int64_t(channels[ch].size()) != m_steps)
            return error(number, QStringLiteral("channel %1 has %2 values, the header declares "
                                                "%3 numeric attributes")
                                     .arg(ch + 1)
                                     .arg(channels[ch].size())
                                     .arg(m_steps));

    LabelledCase c;
    c.length = m_steps;
    c.label = *found;
    c.source = m_name + QLatin1Char(':') + QString::number(number);
    c.values.resize(std::size_t(m_steps * m_channels));
    for (std::int64_t ch = 0; ch < m_channels; ++ch)
        for (std::int64_t t = 0; t < m_steps; ++t)
            c.values[std::size_t(t * m_channels + ch)] = channels[std::size_t(ch)][std::size_t(t)];
    m_result.missingValues += missing;
    m_result.cases.push_back(std::move(c));
    return std::nullopt;
}

Expected<LabelledDataset> ArffParser::run(std::string_view data)
{
    m_result.sourcePath = m_path;
    bool inData = false;
    std::int64_t number = 0;
    std::int64_t dataLineNumber = 0;
    std::size_t pos = 0;
    while (pos < data.size()) {
        std::size_t end = data.find('\n', pos);
        if (end == std::string_view::npos)
            end = data.size();
        std::string_view line = trimmedCell(data.substr(pos, end - pos));
        pos = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r')
            line = trimmedCell(line.substr(0, line.size() - 1));
        if (line.empty() || line.front() == '%')
            continue;
        std::optional<Error> failure;
        if (inData) {
            failure = dataLine(line, number);
        } else {
            std::string_view rest = line;
            const QString keyword = text(nextWord(rest)).toLower();
            if (keyword == QLatin1String("@relation")) {
            } else if (keyword == QLatin1String("@attribute")) {
                failure = attribute(rest, number);
            } else if (keyword == QLatin1String("@end")) {
                m_inRelational = false;
            } else if (keyword == QLatin1String("@data")) {
                inData = true;
                dataLineNumber = number;
                failure = startData(number);
            } else {
                failure = error(number, QStringLiteral("expected @relation, @attribute, @end or "
                                                       "@data, found '%1'")
                                            .arg(text(line.substr(0, 40))));
            }
        }
        if (failure)
            return *failure;
    }
    return finishParsedCases(std::move(m_result), m_channels, inData, dataLineNumber, m_path);
}

} // namespace

Expected<LabelledDataset> loadArff(const QString &path, const ArffLoadOptions &options)
{
    const Expected<QByteArray> bytes = readTextFile(path);
    if (!bytes)
        return bytes.error();
    ArffParser parser(path, options);
    return parser.run(std::string_view(bytes->constData(), std::size_t(bytes->size())));
}

} // namespace twb
