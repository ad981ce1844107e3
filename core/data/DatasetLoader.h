#pragma once

#include "LabelledDataset.h"
#include "SeriesDataset.h"
#include "common/Expected.h"

#include <QString>
#include <QStringList>

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

/// Options for loading labelled sequences (classification data).
struct LabelledLoadOptions
{
    /// Empty: the classes the source declares. Otherwise the class list to map labels to (a
    /// TRAIN file's, when loading its TEST file); a label outside it is an error.
    QStringList classNames;
    /// Audio only (see core/audio): the rate to resample every clip to, Hz; 0 = keep the rate
    /// of the files (the first readable file's when they differ).
    double sampleRate = 0.0;
    /// The data may carry no labels (prediction of new cases); such cases get label -1 and the
    /// classes are classNames. Audio (see core/audio): every sound file of the folder and its
    /// sub-folders, or the one sound file. `.ts`: `@classLabel false` is accepted. A manifest,
    /// `.arff` and HDF5 still need their labels.
    bool unlabelled = false;
};

/// Loads labelled sequences stored in a single table-like file: ".ts" -> loadTs, ".arff" ->
/// loadArff, ".h5"/".hdf5"/".he5" (or any file with the HDF5 signature) -> loadLabelledHdf5.
/// Audio data sets (folders, manifest CSVs, sound files) live in twb_audio, which has
/// loadLabelled() for every kind and calls this function for the rest. Errors for a missing
/// file or another extension. Thread-safe.
Expected<LabelledDataset> loadLabelledTable(const QString &path,
                                            const LabelledLoadOptions &options = {});

} // namespace twb
