#include "ForecastData.h"
#include "common/Errors.h"
#include "data/CalendarFeatures.h"

namespace twb {

const ForecastWindows &ForecastData::windows(SplitPart part) const
{
    switch (part) {
    case SplitPart::Train:
        return train;
    case SplitPart::Validation:
        return validation;
    case SplitPart::Test:
        break;
    }
    return test;
}

std::int64_t ForecastData::excluded(SplitPart part) const
{
    switch (part) {
    case SplitPart::Train:
        return excludedTrain;
    case SplitPart::Validation:
        return excludedValidation;
    case SplitPart::Test:
        break;
    }
    return excludedTest;
}

Expected<SeriesMarks> seriesMarks(const SeriesDataset &dataset, const QString &frequency)
{
    if (!dataset.hasTimestamps())
        return SeriesMarks{};
    TimeFrequency unit = frequencyOfStep(medianStepMs(dataset.timestamps));
    if (!frequency.isEmpty()) {
        Expected<TimeFrequency> parsed = parseFrequency(frequency);
        if (!parsed)
            return makeError(QStringLiteral("freq: %1").arg(parsed.error().reason));
        unit = *parsed;
    }
    CalendarFeatures calendar = calendarFeatures(dataset.timestamps, unit);
    SeriesMarks out;
    out.frequency = frequency.isEmpty() ? frequencyName(unit) : frequency;
    out.names = calendar.names;
    if (!calendar.names.isEmpty())
        out.marks =
            torch::from_blob(calendar.values.data(),
                             {calendar.steps(), std::int64_t(calendar.names.size())}, torch::kFloat)
                .clone();
    return out;
}

std::optional<SplitPart> splitPartFromName(const QString &name)
{
    if (name == QLatin1String("train"))
        return SplitPart::Train;
    if (name == QLatin1String("val") || name == QLatin1String("validation"))
        return SplitPart::Validation;
    if (name == QLatin1String("test"))
        return SplitPart::Test;
    return std::nullopt;
}

QString splitPartName(SplitPart part)
{
    switch (part) {
    case SplitPart::Train:
        return QStringLiteral("train");
    case SplitPart::Validation:
        return QStringLiteral("val");
    case SplitPart::Test:
        break;
    }
    return QStringLiteral("test");
}

Expected<ForecastData> prepareForecastData(SeriesDataset dataset, const QString &splitName,
                                           std::int64_t lookback, std::int64_t horizon,
                                           std::int64_t stride,
                                           const std::optional<StandardScaler> &fixedScaler,
                                           const QString &frequency)
{
    const QString source = dataset.sourcePath;
    Expected<SeriesMarks> marks = seriesMarks(dataset, frequency);
    if (!marks)
        return makeError(marks.error().reason, source);
    Expected<SplitBorders> borders = splitByName(splitName, dataset.rows());
    if (!borders)
        return makeError(borders.error().reason, source);

    ForecastData d;
    d.splitName = splitName;
    d.borders = *borders;
    d.lookback = lookback;
    d.horizon = horizon;
    d.frequency = marks->frequency;
    d.markNames = marks->names;
    if (fixedScaler) {
        if (fixedScaler->channelCount() != dataset.channels())
            return makeError(QStringLiteral("the run's scaler has %1 channels, the data %2")
                                 .arg(fixedScaler->channelCount())
                                 .arg(dataset.channels()),
                             source);
        d.scaler = *fixedScaler;
    } else if (d.borders.shuffled) {
        d.scaler.fit(dataset, 0, dataset.rows()); // the second half of the mistake: all rows
    } else {
        d.scaler.fit(dataset, d.borders.trainBegin, d.borders.trainEnd);
    }

    std::vector<float> normalised = dataset.values;
    d.scaler.transform(normalised, dataset.channels());
    const std::int64_t rows = dataset.rows(), channels = dataset.channels();
    const torch::Tensor series =
        torch::from_blob(normalised.data(), {rows, channels}, torch::kFloat).clone();

    struct PartSpec
    {
        SplitPart part;
        std::int64_t stride;
        ForecastWindows *windows;
        std::int64_t *excluded;
    };
    const PartSpec parts[] = {
        {SplitPart::Train, stride, &d.train, &d.excludedTrain},
        {SplitPart::Validation, 1, &d.validation, &d.excludedValidation},
        {SplitPart::Test, 1, &d.test, &d.excludedTest},
    };
    for (const PartSpec &p : parts) {
        std::vector<std::int64_t> starts =
            windowStarts(d.borders, p.part, lookback, horizon, p.stride);
        const bool hadWindows = !starts.empty();
        *p.excluded = ForecastWindows::dropWindowsWithNan(normalised.data(), rows, channels,
                                                          lookback + horizon, starts);
        if (starts.empty() && hadWindows)
            return makeError(QStringLiteral("every window of the %1 part contains a missing value")
                                 .arg(splitPartName(p.part)),
                             source);
        if (starts.empty() && d.borders.shuffled)
            return makeError(QStringLiteral("the shuffled split drew no %1 window from %2 rows "
                                            "with lookback %3 + horizon %4")
                                 .arg(splitPartName(p.part))
                                 .arg(rows)
                                 .arg(lookback)
                                 .arg(horizon),
                             source);
        if (starts.empty())
            return makeError(QStringLiteral("the %1 part (rows %2 to %3) is too short for "
                                            "lookback %4 + horizon %5")
                                 .arg(splitPartName(p.part))
                                 .arg(d.borders.begin(p.part))
                                 .arg(d.borders.end(p.part))
                                 .arg(lookback)
                                 .arg(horizon),
                             source);
        *p.windows = ForecastWindows(series, std::move(starts), lookback, horizon, marks->marks);
    }
    d.dataset = std::move(dataset);
    return d;
}

} // namespace twb
