#pragma once

#include "LabelledDataset.h"
#include "common/Expected.h"

#include <QString>
#include <QStringList>

namespace twb {

/// Options for loadArff.
struct ArffLoadOptions
{
    /// Empty: the classes are the values of the nominal class attribute, in declared order.
    /// Otherwise the class list to use (a TRAIN file's, for its TEST file).
    QStringList classNames;
};

/// Loads a UCR/UEA classification file in Weka's ARFF format (dense data only).
///
/// Two layouts are understood, the two the archive ships:
/// - univariate: N numeric attributes (`numeric`, `real`, `integer`) = N time steps, then the
///   nominal class attribute `{a,b,...}`; each data line holds N values and the label;
/// - multivariate: one `relational` attribute whose N numeric attributes are the time steps
///   (ended by `@end`), then the class; each data line is a quoted string with one channel per
///   row (rows separated by the two characters `\n` or by a real line break), values by ',',
///   followed by ',' and the label.
/// `%` starts a comment line, `?` is a missing value (NaN, counted). Keywords are
/// case-insensitive. Result as loadTs: channelNames "dim_0" ..., sampleRate 0, cases row-major
/// [length, channels], source "<file name>:<line>".
///
/// Errors name the file and line: an empty file, no @data, an unsupported attribute type
/// (string, date), no nominal class attribute last, sparse data, a wrong number of values, a
/// value that is not a number, an undeclared label. Thread-safe.
Expected<LabelledDataset> loadArff(const QString &path, const ArffLoadOptions &options = {});

} // namespace twb
