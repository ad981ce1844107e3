#pragma once

#include "client/SeparationFile.h"
#include "common/Expected.h"
#include "widgets/common/CsvExportable.h"

#include <QString>
#include <QStringList>

namespace twb {

/// Writes the estimated sources of the listenable mixture `example` (0-based, < m) as mono
/// 32-bit float WAV files at the results' sample rate into `folder` (created when missing):
/// "mixture-<k>-estimate-<s>.wav", k = example + 1, s = 1..S in the references' order. Each
/// file is written atomically (writeWavFloat). Returns the paths written; errors name the file
/// (or the folder) and the reason. Threading: any thread.
Expected<QStringList> writeSeparationSourcesWav(const SeparationResults &results, int example,
                                                const QString &folder);

/// Writes the listenable mixture `example` (0-based, < m) as an HDF5 file (Hdf5Writer: built in
/// memory, then written atomically over `path`), h5py-readable:
///   /mixture float32 [T]; /references, /estimates float32 [S, T] (estimates in the references'
///   order); /si_snr, /si_snri, /sdr, /sdri, /levels_db float64 [S] (dB); /sources strings [S];
///   attributes of "/": "sample_rate" (Hz), "mixture" (its row in predictions.h5), "sources"
///   ("a.wav + b.wav"), "predictions" (the predictions.h5 it came from), "task" = "separate".
/// Errors name `path`. Threading: any thread.
Status writeSeparationExampleHdf5(const SeparationResults &results, int example,
                                  const QString &path);

/// Every scored test mixture, one row each: "mixture" (1-based, the row of predictions.h5 + 1),
/// "sources", then per source s = 1..S "si_snr_<s>", "si_snri_<s>", "sdr_<s>", "sdri_<s>",
/// "level_db_<s>" (dB). An empty table when there are no results.
CsvTable separationMetricsTable(const SeparationResults &results);

} // namespace twb
