#include "TsLoader.h"

#include "CsvValues.h"
#include "TextFile.h"

#include <QFileInfo>
#include <QHash>

#include <cmath>
#include <limits>
#include <optional>
#include <string_view>

namespace twb {

namespace {

QString text(std::string_view bytes)
{
    return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
}

std::string_view nextToken(std::string_view &rest)
{
    rest = trimmedCell(rest);
    std::size_t end = 0;
    while (end < rest.size() && rest[end] != ' ' && rest[end] != '\t')
        ++end;
    const std::string_view token = rest.substr(0, end);
    rest = trimmedCell(rest.substr(end));
    return token;
}

std::optional<bool> parseBool(std::string_view value)
{
    const QString v = text(trimmedCell(value)).toLower();
    if (v == QLatin1String("true"))
        return true;
    if (v == QLatin1String("false"))
        return false;
    return std::nullopt;
}

std::optional<std::int64_t> parsePositive(std::string_view value)
{
    bool ok = false;
    const qint64 n = text(trimmedCell(value)).toLongLong(&ok);
    if (!ok || n <= 0)
        return std::nullopt;
    return n;
}

struct Header
{
    bool univariate = false;
    bool univariateGiven = false;
    std::int64_t dimensions = 0;
    bool equalLength = false;
    std::int64_t seriesLength = 0;
    bool hasClassLabel = false;
    bool noLabels = false; ///< @classLabel false, accepted with TsLoadOptions::unlabelled
    QStringList labels;
};

class TsParser
{
public:
    TsParser(const QString &path, const TsLoadOptions &options)
        : m_path(path)
        , m_name(QFileInfo(path).fileName())
        , m_options(options)
    {}

    Expected<LabelledDataset> run(std::string_view data);

private:
    Error error(std::int64_t line, const QString &reason) const { return {reason, m_path, line}; }
    std::optional<Error> headerLine(std::string_view line, std::int64_t number, bool &dataStarts);
    std::optional<Error> startData(std::int64_t number);
    std::optional<Error> dataLine(std::string_view line, std::int64_t number);

    QString m_path;
    QString m_name;
    TsLoadOptions m_options;
    Header m_header;
    QHash<QString, int> m_labelIndex;
    std::int64_t m_channels = 0; ///< 0 until known
    std::vector<std::vector<float>> m_channelValues;
    LabelledDataset m_result;
};

std::optional<Error> TsParser::headerLine(std::string_view line, std::int64_t number,
                                          bool &dataStarts)
{
    if (line.front() != '@')
        return error(number, QStringLiteral("expected a header tag such as @classLabel, or "
                                            "@data, before the data; found '%1'")
                                 .arg(text(line.substr(0, 40))));
    std::string_view rest = line;
    const QString tag = text(nextToken(rest)).toLower();
    const auto needBool = [&](bool &target) -> std::optional<Error> {
        const auto value = parseBool(rest);
        if (!value)
            return error(number, QStringLiteral("%1 must be true or false").arg(tag));
        target = *value;
        return std::nullopt;
    };
    const auto needCount = [&](std::int64_t &target) -> std::optional<Error> {
        const auto value = parsePositive(rest);
        if (!value)
            return error(number, QStringLiteral("%1 must be a positive integer").arg(tag));
        target = *value;
        return std::nullopt;
    };

    if (tag == QLatin1String("@data")) {
        dataStarts = true;
        return startData(number);
    }
    if (tag == QLatin1String("@timestamps")) {
        bool timeStamps = false;
        if (auto e = needBool(timeStamps))
            return e;
        if (timeStamps)
            return error(number, QStringLiteral("time-stamped series (@timeStamps true) are not "
                                                "supported; only @timeStamps false"));
        return std::nullopt;
    }
    if (tag == QLatin1String("@univariate")) {
        m_header.univariateGiven = true;
        return needBool(m_header.univariate);
    }
    if (tag == QLatin1String("@dimensions"))
        return needCount(m_header.dimensions);
    if (tag == QLatin1String("@equallength"))
        return needBool(m_header.equalLength);
    if (tag == QLatin1String("@serieslength"))
        return needCount(m_header.seriesLength);
    if (tag == QLatin1String("@missing")) {
        bool ignored = false;
        return needBool(ignored);
    }
    if (tag == QLatin1String("@targetlabel")) {
        if (parseBool(nextToken(rest)).value_or(false))
            return error(number, QStringLiteral("this is a regression data set (@targetLabel "
                                                "true); only classification sets are supported"));
        return std::nullopt;
    }
    if (tag == QLatin1String("@classlabel")) {
        const auto has = parseBool(nextToken(rest));
        if (!has)
            return error(number, QStringLiteral("@classLabel must be followed by true or false"));
        if (!*has && m_options.unlabelled) {
            m_header.noLabels = true;
            return std::nullopt;
        }
        if (!*has)
            return error(number, QStringLiteral("@classLabel false: a data set without class "
                                                "labels is read only to predict classes "
                                                "(twb-cli predict --unlabelled)"));
        m_header.hasClassLabel = true;
        while (!rest.empty()) {
            const QString label = text(nextToken(rest));
            if (m_header.labels.contains(label))
                return error(number,
                             QStringLiteral("class label '%1' is declared twice").arg(label));
            m_header.labels.append(label);
        }
        if (m_header.labels.isEmpty())
            return error(number, QStringLiteral("@classLabel true declares no labels"));
        return std::nullopt;
    }
    return std::nullopt; // @problemName and tags of later format versions
}

std::optional<Error> TsParser::startData(std::int64_t number)
{
    if (!m_header.hasClassLabel && !m_header.noLabels)
        return error(number, QStringLiteral("no '@classLabel true <labels>' before @data"));
    m_result.classNames = m_options.classNames.isEmpty() ? m_header.labels : m_options.classNames;
    for (int i = 0; i < m_result.classNames.size(); ++i)
        m_labelIndex.insert(m_result.classNames.at(i), i);
    if (m_header.dimensions > 0)
        m_channels = m_header.dimensions;
    else if (m_header.univariateGiven && m_header.univariate)
        m_channels = 1;
    return std::nullopt;
}

std::optional<Error> TsParser::dataLine(std::string_view line, std::int64_t number)
{
    std::vector<std::string_view> segments;
    std::size_t begin = 0;
    for (std::size_t i = 0; i <= line.size(); ++i)
        if (i == line.size() || line[i] == ':') {
            segments.push_back(line.substr(begin, i - begin));
            begin = i + 1;
        }
    const bool labelled = !m_header.noLabels;
    const std::int64_t channels = std::int64_t(segments.size()) - (labelled ? 1 : 0);
    if (channels < 1)
        return error(number, QStringLiteral("expected the values and a class label separated by "
                                            "':', found no ':'"));
    if (m_channels == 0)
        m_channels = channels;
    if (channels != m_channels)
        return error(number, QStringLiteral("the line has %1 channel(s), expected %2 (%3)")
                                 .arg(channels)
                                 .arg(m_channels)
                                 .arg(m_header.dimensions > 0
                                          ? QStringLiteral("@dimensions %1").arg(m_channels)
                                      : m_header.univariate ? QStringLiteral("@univariate true")
                                                            : QStringLiteral("the first case")));

    int labelIndex = -1;
    if (labelled) {
        const QString label = text(trimmedCell(segments.back()));
        const auto found = m_labelIndex.constFind(label);
        if (found == m_labelIndex.constEnd())
            return error(number, QStringLiteral("class label '%1' is not one of the declared "
                                                "labels (%2)")
                                     .arg(label, m_result.classNames.join(QLatin1Char(' '))));
        labelIndex = *found;
    }

    m_channelValues.resize(std::size_t(channels));
    std::int64_t missing = 0;
    for (std::int64_t ch = 0; ch < channels; ++ch) {
        std::vector<float> &values = m_channelValues[std::size_t(ch)];
        values.clear();
        const std::string_view segment = segments[std::size_t(ch)];
        std::size_t from = 0;
        for (std::size_t i = 0; i <= segment.size(); ++i) {
            if (i < segment.size() && segment[i] != ',')
                continue;
            const std::string_view cell = segment.substr(from, i - from);
            from = i + 1;
            float value = 0.0f;
            switch (parseFloatCell(cell, value)) {
            case NumberParse::Ok:
                values.push_back(value);
                break;
            case NumberParse::Missing:
                if (trimmedCell(cell).empty())
                    return error(number, QStringLiteral("channel %1 has an empty value at "
                                                        "position %2")
                                             .arg(ch + 1)
                                             .arg(values.size() + 1));
                values.push_back(std::numeric_limits<float>::quiet_NaN());
                ++missing;
                break;
            case NumberParse::NotANumber:
            case NumberParse::NotFinite:
                return error(number, QStringLiteral("'%1' (channel %2, position %3) is not a "
                                                    "finite number")
                                         .arg(text(trimmedCell(cell).substr(0, 40)))
                                         .arg(ch + 1)
                                         .arg(values.size() + 1));
            }
        }
        if (ch > 0 && values.size() != m_channelValues[0].size())
            return error(number, QStringLiteral("channel %1 has %2 values but channel 1 has %3")
                                     .arg(ch + 1)
                                     .arg(values.size())
                                     .arg(m_channelValues[0].size()));
    }

    const std::int64_t length = std::int64_t(m_channelValues[0].size());
    if (m_header.equalLength && m_header.seriesLength > 0 && length != m_header.seriesLength)
        return error(number, QStringLiteral("the case has %1 time steps, but the header says "
                                            "@equalLength true and @seriesLength %2")
                                 .arg(length)
                                 .arg(m_header.seriesLength));

    LabelledCase c;
    c.length = length;
    c.label = labelIndex;
    c.source = m_name + QLatin1Char(':') + QString::number(number);
    c.values.resize(std::size_t(length * channels));
    for (std::int64_t ch = 0; ch < channels; ++ch) {
        const std::vector<float> &values = m_channelValues[std::size_t(ch)];
        for (std::int64_t t = 0; t < length; ++t)
            c.values[std::size_t(t * channels + ch)] = values[std::size_t(t)];
    }
    m_result.missingValues += missing;
    m_result.cases.push_back(std::move(c));
    return std::nullopt;
}

Expected<LabelledDataset> TsParser::run(std::string_view data)
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
        const std::string_view line = trimmedCell(data.substr(pos, end - pos));
        pos = end + 1;
        ++number;
        std::string_view content = line;
        if (!content.empty() && content.back() == '\r')
            content = trimmedCell(content.substr(0, content.size() - 1));
        if (content.empty() || content.front() == '#')
            continue;
        std::optional<Error> failure;
        if (inData) {
            failure = dataLine(content, number);
        } else {
            failure = headerLine(content, number, inData);
            if (inData)
                dataLineNumber = number;
        }
        if (failure)
            return *failure;
    }
    return finishParsedCases(std::move(m_result), m_channels, inData, dataLineNumber, m_path);
}

} // namespace

Expected<LabelledDataset> loadTs(const QString &path, const TsLoadOptions &options)
{
    const Expected<QByteArray> bytes = readTextFile(path);
    if (!bytes)
        return bytes.error();
    TsParser parser(path, options);
    return parser.run(std::string_view(bytes->constData(), std::size_t(bytes->size())));
}

} // namespace twb
