#pragma once

#include "SeriesDataset.h"
#include "common/Expected.h"

#include <QString>

namespace twb {

/// A path spec split into the file and, for HDF5, the dataset inside it.
struct SeriesPathSpec
{
    QString file;
    QString dataset; ///< "/group/name", empty if none was given
};

/// Splits "file.h5:/group/ds" into file and dataset. A spec that names an existing file as a
/// whole is never split (file names may contain ':'); otherwise it is split at the last ":/"
/// whose left part is an existing file, else at the last ":/" of the spec.
SeriesPathSpec parseSeriesPathSpec(const QString &pathSpec);

/// Loads a series from a path spec: ".csv", ".tsv", ".txt" -> loadCsv (delimiter and time
/// column detected); ".h5", ".hdf5", ".he5" -> loadHdf5Series, "file.h5:/group/ds" picks a
/// dataset; any other extension -> HDF5 if the file has the HDF5 signature, else CSV.
/// Thread-safe.
Expected<SeriesDataset> loadSeries(const QString &pathSpec);

} // namespace twb
