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

Expected<SplitBorders> splitByName(const QString &name, std::int64_t rows)
{
    const QString key = name.trimmed().toLower();
    if (key == QLatin1String("ett-hour") || key == QLatin1String("ett-minute")) {
        const bool hour = key == QLatin1String("ett-hour");
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

    double train = 0.7;
    double test = 0.2;
    if (key.startsWith(QLatin1String("ratio:"))) {
        const QStringList parts = key.split(QLatin1Char(':'));
        bool trainOk = false;
        bool testOk = false;
        if (parts.size() == 3) {
            train = parts[1].toDouble(&trainOk);
            test = parts[2].toDouble(&testOk);
        }
        if (!trainOk || !testOk || !(train > 0 && train < 1) || !(test > 0 && test < 1) ||
            train + test >= 1)
            return Error{QStringLiteral("bad ratio split '%1': write ratio:TRAIN:TEST with "
                                        "fractions above 0 whose sum is below 1, e.g. "
                                        "ratio:0.7:0.2")
                             .arg(name),
                         QString()};
    } else if (key != QLatin1String("ratio")) {
        return Error{QStringLiteral("unknown split '%1'; use ett-hour, ett-minute, ratio or "
                                    "ratio:TRAIN:TEST")
                         .arg(name),
                     QString()};
    }
    const SplitBorders b = ratioSplit(rows, train, test);
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
    if (lookback <= 0 || horizon <= 0 || stride <= 0)
        return starts;
    const std::int64_t end = borders.end(part);
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
