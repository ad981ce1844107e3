#pragma once

#include "LabelledDataset.h"
#include "common/Expected.h"

#include <QString>

namespace twb {

/// The project's own HDF5 layout for labelled sequences ("twb-labelled-1"), readable by h5py:
///   /values    float32 [total_samples, channels]: every case's [length, channels] rows,
///              concatenated in case order; missing values are NaN
///   /offsets   int64 [cases + 1]: case i is rows [offsets[i], offsets[i+1]) of /values,
///              offsets[0] == 0, offsets[cases] == total_samples
///   /labels    int64 [cases]: index into class_names
///   /sources   variable-length UTF-8 strings [cases]: LabelledCase::source
///   /skipped   strings [n], only when the data set lists skipped inputs
///   root attributes: "format" = "twb-labelled-1", "class_names" and "channel_names" (string
///   arrays), "sample_rate" (float64, Hz, 0 = none), "source_path" (string)
inline constexpr char hdf5LabelledFormat[] = "twb-labelled-1";

/// Saves `data` atomically (temp file + rename, see Hdf5Writer). Errors for a data set without
/// cases or channels, a case whose values do not match length x channels, or a label outside
/// classNames; the file is then not created.
Status saveLabelledHdf5(const LabelledDataset &data, const QString &path);

/// Loads a file written by saveLabelledHdf5. `sourcePath` of the result is `path`; the
/// missing-value count is recomputed. Errors name the file and the inconsistency (another
/// layout, offsets not increasing or not matching /values, a label out of range, ...).
/// Thread-safe (no shared state besides HDF5's lock).
Expected<LabelledDataset> loadLabelledHdf5(const QString &path);

/// True if `path` is an HDF5 file whose root attribute "format" is hdf5LabelledFormat.
bool isLabelledHdf5(const QString &path);

} // namespace twb
