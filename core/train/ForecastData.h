#pragma once

#include "ForecastWindows.h"
#include "common/Expected.h"
#include "data/SeriesDataset.h"
#include "data/Split.h"
#include "data/StandardScaler.h"

#include <QString>

#include <cstdint>
#include <optional>

namespace twb {

/// A series ready for forecasting: split chronologically, scaled with statistics of the train
/// part only (the "shuffled" teaching split: windows at random, statistics of all rows), cut
/// into the windows of each part. Windows holding a NaN anywhere are excluded
/// and counted (never silently). The three ForecastWindows share one normalised series tensor.
struct ForecastData
{
    SeriesDataset dataset; ///< original units
    QString splitName;     ///< "ett-hour", "ratio", ...
    SplitBorders borders;
    StandardScaler scaler;
    std::int64_t lookback = 0;
    std::int64_t horizon = 0;
    /// The calendar features every window carries (ForecastWindows::marks): their frequency
    /// ("h") and names ("hour_of_day", ...); both empty when the data has no time column.
    QString frequency;
    QStringList markNames;
    ForecastWindows train;          ///< starts step by `stride`
    ForecastWindows validation;     ///< every start (stride 1)
    ForecastWindows test;           ///< every start (stride 1), no drop_last
    std::int64_t excludedTrain = 0; ///< windows dropped for NaN
    std::int64_t excludedValidation = 0;
    std::int64_t excludedTest = 0;

    const ForecastWindows &windows(SplitPart part) const;
    std::int64_t excluded(SplitPart part) const;
};

/// Splits with `splitName` (see splitByName), fits the scaler on the train rows unless
/// `fixedScaler` is given (a saved run), normalises and builds the windows. The "shuffled"
/// split (the teaching mistake) fits the scaler on all rows instead and takes each part's
/// windows by shuffledPart, so its test score leaks the future. When the data has
/// a time column, every window carries the calendar features of `frequency` (parseFrequency;
/// empty = the frequency of the data's median step). Errors: a bad split name or data too short
/// for it, a scaler of another channel count, a part without windows, a bad frequency.
Expected<ForecastData> prepareForecastData(SeriesDataset dataset, const QString &splitName,
                                           std::int64_t lookback, std::int64_t horizon,
                                           std::int64_t stride = 1,
                                           const std::optional<StandardScaler> &fixedScaler = {},
                                           const QString &frequency = {});

/// The calendar features of `dataset`'s time column at `frequency` (empty = from the median
/// step) as a [rows, F] float32 tensor, with the frequency used and the feature names.
/// Undefined tensor and empty names when the data has no time column. Errors: a bad frequency.
struct SeriesMarks
{
    torch::Tensor marks;
    QString frequency;
    QStringList names;
};
Expected<SeriesMarks> seriesMarks(const SeriesDataset &dataset, const QString &frequency);

/// "train", "val" (or "validation"), "test".
std::optional<SplitPart> splitPartFromName(const QString &name);
QString splitPartName(SplitPart part);

} // namespace twb
