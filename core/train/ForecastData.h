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
/// part only, cut into the windows of each part. Windows holding a NaN anywhere are excluded
/// and counted (never silently). The three ForecastWindows share one normalised series tensor.
struct ForecastData
{
    SeriesDataset dataset; ///< original units
    QString splitName;     ///< "ett-hour", "ratio", ...
    SplitBorders borders;
    StandardScaler scaler;
    std::int64_t lookback = 0;
    std::int64_t horizon = 0;
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
/// `fixedScaler` is given (a saved run), normalises and builds the windows. Errors: a bad split
/// name or data too short for it, a scaler of another channel count, a part without windows.
Expected<ForecastData> prepareForecastData(SeriesDataset dataset, const QString &splitName,
                                           std::int64_t lookback, std::int64_t horizon,
                                           std::int64_t stride = 1,
                                           const std::optional<StandardScaler> &fixedScaler = {});

/// "train", "val" (or "validation"), "test".
std::optional<SplitPart> splitPartFromName(const QString &name);
QString splitPartName(SplitPart part);

} // namespace twb
