#pragma once

#include "SeriesDataset.h"
#include "common/Expected.h"

#include <QString>

namespace twb {

/// The project's own HDF5 layout for a series ("twb-series-1"):
///   /values         float32 [time, channels]
///   /channel_names  variable-length UTF-8 strings [channels]
///   /timestamps     int64 [time], ms since epoch UTC (optional)
///   root attributes "format" = "twb-series-1", "time_column" (optional string)
inline constexpr char hdf5SeriesFormat[] = "twb-series-1";

/// Loads a series from an HDF5 file.
/// With `datasetPath` ("/group/name"): that dataset, which must be numeric and 1-D ([time], one
/// channel named after the dataset) or 2-D ([time, channels]). Channel names come from the
/// dataset's string-list attribute "channel_names" if present, else "<dataset>[i]". If the
/// file has the project's layout and the path is its "/values", the whole layout is loaded.
/// Without `datasetPath`: the project's layout if the file has it, else the only 1-D/2-D
/// numeric dataset, else an error listing the candidates.
/// Missing values are the NaNs of the data (counted, without line numbers).
/// Errors name the file and the problem. Thread-safe (no shared state besides HDF5's lock).
Expected<SeriesDataset> loadHdf5Series(const QString &path, const QString &datasetPath = {});

/// Saves `data` in the project's layout, atomically (see Hdf5Writer).
Status saveHdf5Series(const SeriesDataset &data, const QString &path);

} // namespace twb
