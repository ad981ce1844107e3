#pragma once

#include <QList>
#include <QString>

#include <cstdint>

namespace twb {

/// The split `twb-cli train` uses for `dataPath` when the model panel says "auto" (or
/// nothing): "ett-hour" for files named ETTh*, "ett-minute" for ETTm*, else "ratio". The same
/// rule as core/train's defaultSplitFor, repeated here so the window does not link LibTorch.
QString previewSplitName(const QString &dataPath, const QString &chosen);

/// The rows where the train/validation/test parts of `rows` rows end (trainEnd, valEnd,
/// testEnd; duplicates and the end of the data dropped) for the split `chosen` ("auto", empty,
/// or any name splitByName accepts). Empty when the split does not apply (data too short,
/// unknown name) and for the shuffled split (its parts have no borders). Cheap: no data is
/// read.
QList<qint64> previewSplitBorders(const QString &dataPath, const QString &chosen,
                                  std::int64_t rows);

/// The names of the parts that previewSplitBorders' borders delimit, in order: one per border
/// (the part that ends there: "train", "validation", "test") and one for the rows after the last
/// border ("test", or "not used" when the split leaves the end of the data out, as the ETT
/// convention does). Empty when there are no borders, except for the shuffled split: one name,
/// "shuffled windows (leaks the future)", for the whole series.
QStringList previewSplitLabels(const QString &dataPath, const QString &chosen, std::int64_t rows);

} // namespace twb
