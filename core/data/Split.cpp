#include "Split.h"

#include <QJsonValue>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace twb {

namespace {

constexpr std::int64_t ettMonthHours = 30 * 24;
constexpr const char *jsonKeys[] = {"trainBegin", "trainEnd",  "valBegin",
                                    "valEnd",     "testBegin", "testEnd"};

SplitBorders ettSplit(std::int64_t rows, std::int64_t rowsPerHour)
{
    const std::int64_t month = ettMonthHours * rowsPerHour;
    auto clamp = [rows](std::int64_t row) {
        return std::clamp<std::int64_t>(row, 0, rows);
    };
    SplitBorders b;
    b.trainBegin = 0;
    b.trainEnd = clamp(12 * month);
    b.valBegin = b.trainEnd;
    b.valEnd = clamp(16 * month);
    b.testBegin = b.valEnd;
    b.testEnd = clamp(20 * month);
    return b;
}

constexpr std::int64_t SplitBorders::*jsonMembers[] = {
    &SplitBorders::trainBegin, &SplitBorders::trainEnd,  &SplitBorders::valBegin,
    &SplitBorders::valEnd,     &SplitBorders::testBegin, &SplitBorders::testEnd};

/// The fixed seed of the shuffled split's hash: changing it changes every shuffled run.
constexpr std::uint64_t shuffledSeed = 0x7477622d73706c74ULL; // "twb-splt"

bool goodFractions(double train, double test)
{
    return train > 0 && train < 1 && test > 0 && test < 1 && train + test < 1;
}

enum class SplitKind { EttHour, EttMinute, Ratio, Shuffled };

struct ParsedSplit
{
    SplitKind kind = SplitKind::Ratio;
    double train = 0.7;
    double test = 0.2;
};

/// The name's kind and fractions ("ratio", "ratio:0.6:0.2", "shuffled:0.7:0.2", ...).
Expected<ParsedSplit> parseSplitName(const QString &name)
{
    const QString key = name.trimmed().toLower();
    ParsedSplit parsed;
    if (key == QLatin1String("ett-hour")) {
        parsed.kind = SplitKind::EttHour;
        return parsed;
    }
    if (key == QLatin1String("ett-minute")) {
        parsed.kind = SplitKind::EttMinute;
        return parsed;
    }
    for (const SplitKind kind : {SplitKind::Ratio, SplitKind::Shuffled}) {
        const QString base =
            kind == SplitKind::Ratio ? QStringLiteral("ratio") : QStringLiteral("shuffled");
        parsed.kind = kind;
        if (key == base)
            return parsed;
        if (!key.startsWith(base + QLatin1Char(':')))
            continue;
        const QStringList parts = key.split(QLatin1Char(':'));
        bool trainOk = false;
        bool testOk = false;
        if (parts.size() == 3) {
            parsed.train = parts[1].toDouble(&trainOk);
            parsed.test = parts[2].toDouble(&testOk);
        }
        if (!trainOk || !testOk || !goodFractions(parsed.train, parsed.test))
            return Error{QStringLiteral("bad %1 split '%2': write %1:TRAIN:TEST with fractions "
                                        "above 0 whose sum is below 1, e.g. %1:0.7:0.2")
                             .arg(base, name),
                         QString()};
        return parsed;
    }
    return Error{QStringLiteral("unknown split '%1'; use ett-hour, ett-minute, ratio, "
                                "ratio:TRAIN:TEST, shuffled or shuffled:TRAIN:TEST")
                     .arg(name),
                 QString()};
}

} // namespace

std::int64_t SplitBorders::begin(SplitPart part) const
{
    switch (part) {
    case SplitPart::Train:
        return trainBegin;
    case SplitPart::Validation:
        return valBegin;
    case SplitPart::Test:
        return testBegin;
    }
    return 0;
}

std::int64_t SplitBorders::end(SplitPart part) const
{
    switch (part) {
    case SplitPart::Train:
        return trainEnd;
    case SplitPart::Validation:
        return valEnd;
    case SplitPart::Test:
        return testEnd;
    }
    return 0;
}

QJsonObject SplitBorders::toJson() const
{
    QJsonObject json;
    for (int i = 0; i < 6; ++i)
        json.insert(QLatin1String(jsonKeys[i]), qint64(this->*jsonMembers[i]));
    if (shuffled) {
        json.insert(QStringLiteral("shuffled"), true);
        json.insert(QStringLiteral("trainFraction"), trainFraction);
        json.insert(QStringLiteral("testFraction"), testFraction);
    }
    return json;
}

Expected<SplitBorders> SplitBorders::fromJson(const QJsonObject &json)
{
    SplitBorders b;
    for (int i = 0; i < 6; ++i) {
        const QString key = QLatin1String(jsonKeys[i]);
        const QJsonValue value = json.value(key);
        if (!value.isDouble())
            return Error{QStringLiteral("split borders: '%1' is missing or not a number").arg(key),
                         QString()};
        const double number = value.toDouble();
        if (number < 0 || number != std::floor(number) || number > 9.0e15)
            return Error{
                QStringLiteral("split borders: '%1' = %2 is not a row number").arg(key).arg(number),
                QString()};
        b.*jsonMembers[i] = std::int64_t(number);
    }
    if (b.trainBegin > b.trainEnd || b.valBegin > b.valEnd || b.testBegin > b.testEnd)
        return Error{QStringLiteral("split borders: a part ends before it begins"), QString()};
    const QJsonValue shuffled = json.value(QStringLiteral("shuffled"));
    if (!shuffled.isUndefined() && !shuffled.isBool())
        return Error{QStringLiteral("split borders: 'shuffled' is not true or false"), QString()};
    if (shuffled.toBool()) {
        const QJsonValue train = json.value(QStringLiteral("trainFraction"));
        const QJsonValue test = json.value(QStringLiteral("testFraction"));
        if (!train.isDouble() || !test.isDouble() ||
            !goodFractions(train.toDouble(), test.toDouble()))
            return Error{QStringLiteral("split borders: a shuffled split needs 'trainFraction' "
                                        "and 'testFraction' above 0 with a sum below 1"),
                         QString()};
        if (b.valBegin != b.trainBegin || b.testBegin != b.trainBegin || b.valEnd != b.trainEnd ||
            b.testEnd != b.trainEnd)
            return Error{QStringLiteral("split borders: the parts of a shuffled split must "
                                        "cover the same rows"),
                         QString()};
        b.shuffled = true;
        b.trainFraction = train.toDouble();
        b.testFraction = test.toDouble();
        return b;
    }
    if (b.trainEnd > b.valBegin || b.valEnd > b.testBegin)
        return Error{QStringLiteral("split borders: the parts overlap or are out of order "
                                    "(train, validation, test)"),
                     QString()};
    return b;
}

SplitBorders ettHourSplit(std::int64_t rows)
{
    return ettSplit(rows, 1);
}

SplitBorders ettMinuteSplit(std::int64_t rows)
{
    return ettSplit(rows, 4);
}

SplitBorders ratioSplit(std::int64_t rows, double train, double test)
{
    rows = std::max<std::int64_t>(rows, 0);
    // Python's int(rows * train): the same double product, truncated.
    const std::int64_t numTrain = std::int64_t(double(rows) * train);
    const std::int64_t numTest = std::int64_t(double(rows) * test);
    const std::int64_t numVal = rows - numTrain - numTest;
    SplitBorders b;
    b.trainBegin = 0;
    b.trainEnd = numTrain;
    b.valBegin = numTrain;
    b.valEnd = numTrain + numVal;
    b.testBegin = rows - numTest;
    b.testEnd = rows;
    return b;
}

SplitBorders shuffledSplit(std::int64_t rows, double train, double test)
{
    rows = std::max<std::int64_t>(rows, 0);
    SplitBorders b;
    b.trainEnd = b.valEnd = b.testEnd = rows;
    b.shuffled = true;
    b.trainFraction = train;
    b.testFraction = test;
    return b;
}

SplitPart shuffledPart(std::int64_t start, double train, double test)
{
    // SplitMix64 (Steele, Lea and Flood 2014) of the start row: a fixed, well-mixed hash.
    std::uint64_t z = std::uint64_t(start) ^ shuffledSeed;
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    const double u = double(z >> 11) * 0x1.0p-53; // the top 53 bits: [0, 1)
    if (u < train)
        return SplitPart::Train;
    if (u >= 1.0 - test)
        return SplitPart::Test;
    return SplitPart::Validation;
}

Status checkSplitName(const QString &name)
{
    const Expected<ParsedSplit> parsed = parseSplitName(name);
    if (!parsed)
        return parsed.error();
    return {};
}

Expected<SplitBorders> splitByName(const QString &name, std::int64_t rows)
{
    const Expected<ParsedSplit> parsed = parseSplitName(name);
    if (!parsed)
        return parsed.error();
    const QString key = name.trimmed().toLower();
    if (parsed->kind == SplitKind::EttHour || parsed->kind == SplitKind::EttMinute) {
        const bool hour = parsed->kind == SplitKind::EttHour;
        const std::int64_t needed = 20 * ettMonthHours * (hour ? 1 : 4);
        if (rows < needed)
            return Error{QStringLiteral("the %1 split needs at least %2 rows (12/4/4 months of "
                                        "30 days), the data has %3")
                             .arg(key)
                             .arg(needed)
                             .arg(rows),
                         QString()};
        return hour ? ettHourSplit(rows) : ettMinuteSplit(rows);
    }
    if (parsed->kind == SplitKind::Shuffled) {
        if (rows < 1)
            return Error{QStringLiteral("the data has no rows to split"), QString()};
        return shuffledSplit(rows, parsed->train, parsed->test);
    }
    const SplitBorders b = ratioSplit(rows, parsed->train, parsed->test);
    if (b.trainEnd <= b.trainBegin || b.valEnd <= b.valBegin || b.testEnd <= b.testBegin)
        return Error{QStringLiteral("the data has %1 rows, too few for a %2 split with rows "
                                    "in every part (train %3, validation %4, test %5)")
                         .arg(rows)
                         .arg(name)
                         .arg(b.trainEnd - b.trainBegin)
                         .arg(b.valEnd - b.valBegin)
                         .arg(b.testEnd - b.testBegin),
                     QString()};
    return b;
}

std::vector<std::int64_t> windowStarts(const SplitBorders &borders, SplitPart part,
                                       std::int64_t lookback, std::int64_t horizon,
                                       std::int64_t stride)
{
    std::vector<std::int64_t> starts;
    if (lookback <= 0 || horizon < 0 || stride <= 0)
        return starts;
    const std::int64_t end = borders.end(part);
    if (borders.shuffled) {
        for (std::int64_t s = borders.begin(part); s + lookback + horizon <= end; s += stride)
            if (shuffledPart(s, borders.trainFraction, borders.testFraction) == part)
                starts.push_back(s);
        return starts;
    }
    const std::int64_t first = part == SplitPart::Train
                                   ? borders.trainBegin
                                   : std::max<std::int64_t>(0, borders.begin(part) - lookback);
    const std::int64_t last = end - lookback - horizon; // the last admissible start
    if (last < first)
        return starts;
    starts.reserve(std::size_t((last - first) / stride + 1));
    for (std::int64_t s = first; s <= last; s += stride)
        starts.push_back(s);
    return starts;
}

} // namespace twb
