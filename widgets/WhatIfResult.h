#pragma once

#include "common/Expected.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// One answer of `twb-cli whatif` (one JSON line of --serve, or the --json output): a sample's
/// prediction before and after an edit. Plain data; the JSON keys are those of
/// app/cli/WhatIfCommand.cpp.
struct WhatIfResult
{
    bool classify = false;
    std::int64_t index = 0;   ///< the test sample
    std::int64_t samples = 0; ///< samples in the test part
    QString label;            ///< "test window 12 (2017-10-20 08:00)", "0_george_0.wav"
    int rows = 0;             ///< forecast: horizon; classify: 1
    int cols = 0;             ///< forecast: channels; classify: classes
    QStringList names;        ///< channel names (forecast) or class names (classify)
    /// Row-major [rows, cols]: forecast values in the data's units, or class probabilities.
    std::vector<float> original;
    std::vector<float> edited;
    /// Forecast only, row-major in the data's units: lookback x cols, and horizon x cols (the
    /// truth may be empty). NaN where the JSON held null.
    std::vector<float> history;
    std::vector<float> editedHistory;
    std::vector<float> truth;
    int lookback = 0;
    QString truthClass; ///< classify: the true class name (may be empty)
    std::int64_t changedInputs = 0;
    std::int64_t inputValues = 0;
    QJsonObject summary;       ///< the CLI's summary numbers
    double milliseconds = 0.0; ///< time the CLI took for the answer

    /// Reads an answer; errors say what is missing or inconsistent ({"ok": false} answers give
    /// their "error" text).
    static Expected<WhatIfResult> fromJson(const QJsonObject &answer);

    /// The column of channel/class `col` of a row-major [rows, cols] array.
    std::vector<float> column(const std::vector<float> &values, int col) const;
    /// A one-line description of the change for a status line.
    QString describe() const;
};

} // namespace twb
