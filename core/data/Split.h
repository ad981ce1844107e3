#pragma once

#include "common/Expected.h"

#include <QJsonObject>
#include <QString>

#include <cstdint>
#include <vector>

namespace twb {

/// The chronological forecasting protocols of the long-horizon papers (Informer, Autoformer,
/// PatchTST, DLinear, iTransformer). Rows are 0-based positions in the series.

enum class SplitPart { Train, Validation, Test };

/// Target rows [begin, end) of each part. Rows after testEnd (ETT files are longer than
/// 12/4/4 months) belong to no part.
///
/// The shuffled split (`shuffled` true) is the classic mistake kept for teaching: every part
/// covers all rows [0, rows) and each window belongs to the part shuffledPart draws for its
/// start row, so training windows overlap test windows and the test score leaks the future.
struct SplitBorders
{
    std::int64_t trainBegin = 0, trainEnd = 0, valBegin = 0, valEnd = 0, testBegin = 0, testEnd = 0;
    bool shuffled = false;    ///< windows assigned at random (see shuffledPart), not in time
    double trainFraction = 0; ///< shuffled only: the share of windows drawn for train
    double testFraction = 0;  ///< shuffled only: for test; validation gets the rest

    std::int64_t begin(SplitPart part) const;
    std::int64_t end(SplitPart part) const;

    /// {"trainBegin": 0, "trainEnd": 8640, ...}; a shuffled split adds "shuffled": true,
    /// "trainFraction" and "testFraction" (the keys are absent otherwise).
    QJsonObject toJson() const;
    /// Requires the six integer keys with 0 <= begin <= end for each part. Without "shuffled"
    /// (as older runs wrote it) or with "shuffled": false, the parts must be in order
    /// (trainEnd <= valBegin, valEnd <= testBegin). With "shuffled": true, the three parts must
    /// cover the same rows and "trainFraction"/"testFraction" be numbers above 0 whose sum is
    /// below 1.
    static Expected<SplitBorders> fromJson(const QJsonObject &json);

    friend bool operator==(const SplitBorders &, const SplitBorders &) = default;
};

/// ETT hourly files: 12/4/4 months of 30 days = 8640/2880/2880 rows from row 0. Borders are
/// clamped to `rows`; splitByName rejects data shorter than 14,400 rows.
SplitBorders ettHourSplit(std::int64_t rows);
/// ETT 15-minute files: the same months, 4 rows per hour (34560/11520/11520).
SplitBorders ettMinuteSplit(std::int64_t rows);
/// As the LTSF-Linear / PatchTST loaders for other data: numTrain = int(rows * train),
/// numTest = int(rows * test), numVal = rows - numTrain - numTest; train first, test last.
SplitBorders ratioSplit(std::int64_t rows, double train = 0.7, double test = 0.2);

/// The shuffled split of `rows` rows: every part [0, rows), `shuffled` set, the fractions kept.
SplitBorders shuffledSplit(std::int64_t rows, double train = 0.7, double test = 0.2);

/// The part of the window starting at row `start` in a shuffled split with these fractions:
/// a fixed hash of `start` (SplitMix64 of start and a constant seed, no global random state)
/// gives u in [0, 1); u < train is Train, u >= 1 - test is Test, else Validation. The same
/// start always falls in the same part, on any machine; over many starts the parts' shares
/// approach the fractions.
SplitPart shuffledPart(std::int64_t start, double train, double test);

/// "ett-hour", "ett-minute", "ratio" (0.7 / 0.1 / 0.2), "ratio:TRAIN:TEST" fractions
/// ("ratio:0.6:0.2"), "shuffled" (0.7 / 0.1 / 0.2 of the windows at random, see shuffledSplit;
/// deliberately leaks the future, for teaching) or "shuffled:TRAIN:TEST". Errors for an unknown
/// name, bad fractions, or data too short for every part to have at least one row (ETT: at
/// least the full 12/4/4 months; shuffled: at least one row).
Expected<SplitBorders> splitByName(const QString &name, std::int64_t rows);

/// The errors of splitByName that do not depend on the data (an unknown name, bad fractions),
/// so that a command line can refuse them before it loads anything.
Status checkSplitName(const QString &name);

/// One training sample: input rows [inputBegin, inputBegin + lookback), target rows
/// [inputBegin + lookback, inputBegin + lookback + horizon).
struct Window
{
    std::int64_t inputBegin;
};

/// The input start rows of all windows of a part, in increasing order.
/// Train: inputs start at trainBegin. Validation and Test: the segment starts `lookback` rows
/// before the part's border (clamped at row 0), so that the first target row is the border
/// (Informer/PatchTST: border1 = border - seq_len). Every start s from the segment start with
/// s + lookback + horizon <= end of the part, step `stride`, is a window (the full set, no
/// drop_last). Shuffled split: the starts s = begin, begin + stride, ... with
/// s + lookback + horizon <= end whose shuffledPart is `part`; with the same stride, every
/// start is in exactly one part. Horizon 0 (pretraining: the window is its lookback alone) is
/// allowed. Empty if lookback or stride is not positive, or horizon is negative.
std::vector<std::int64_t> windowStarts(const SplitBorders &borders, SplitPart part,
                                       std::int64_t lookback, std::int64_t horizon,
                                       std::int64_t stride = 1);

} // namespace twb
