#pragma once

#include "LabelledDataset.h"
#include "common/Expected.h"

#include <QString>
#include <QStringList>

namespace twb {

/// Options for loadTs.
struct TsLoadOptions
{
    /// Empty: the classes are the file's own @classLabel list, in declared order. Otherwise the
    /// class list to use instead (give a TEST file the TRAIN file's classNames so that label i
    /// means the same class in both); a label outside it is an error.
    QStringList classNames;
    /// Accept `@classLabel false` (cases to classify): the lines then carry no label and every
    /// case gets label -1; the classes are classNames. Files with labels load as usual.
    bool unlabelled = false;
};

/// Loads a UCR/UEA classification file in the sktime `.ts` format.
///
/// Header (tags case-insensitive, before `@data`): `@problemName`, `@timeStamps false`,
/// `@missing`, `@univariate`, `@dimensions N`, `@equalLength`, `@seriesLength N`,
/// `@classLabel true <label> ...`; unknown tags are ignored, `#` lines are comments. Then one
/// case per line: channels separated by ':', values by ',', the class label last. `?` (and the
/// other tokens of isMissingCell) is a missing value: NaN, counted in `missingValues`.
///
/// Result: channelNames "dim_0" ... (one per channel), sampleRate 0, each case row-major
/// [length, channels] with source "<file name>:<line>". Unequal lengths between cases are
/// allowed; with `@equalLength true` and `@seriesLength N` every case must have N steps.
///
/// Refused with an Error naming the file and, where it applies, the 1-based line: an empty
/// file, `@timeStamps true`, `@classLabel false` (unless options.unlabelled) or
/// `@targetLabel true` (regression sets),
/// no `@classLabel`, no `@data`, no case after `@data`, a line whose channel count differs
/// from `@dimensions` (or from the first case), channels of one case with different lengths,
/// a value that is not a number, a label that was not declared. Thread-safe (no shared state).
Expected<LabelledDataset> loadTs(const QString &path, const TsLoadOptions &options = {});

} // namespace twb
