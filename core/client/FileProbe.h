#pragma once

#include "common/Expected.h"

#include <QString>

#include <optional>

namespace twb {

/// What a file is read as (`twb-cli inspect --as KIND`).
enum class ProbeKind {
    Series,           ///< loadSeries: a CSV or HDF5 series ("file.h5:/group/ds" allowed)
    Labelled,         ///< loadLabelled: labelled cases (here: the labelled HDF5 layout)
    Predictions,      ///< readPredictions: a forecasting run's predictions.h5
    ClassPredictions, ///< readClassPredictionsFile: a classification run's predictions.h5
};

/// The word `twb-cli inspect --as` takes for `kind`: "series", "labelled", "predictions",
/// "class-predictions".
QString probeKindName(ProbeKind kind);

struct ProbeOptions
{
    /// The twb-cli to run; empty: CliProcess::defaultProgram().
    QString program;
    /// How long the child may read before it is killed, in ms; 0: 60 s plus 1 s for every
    /// 10 MB of the file.
    int timeoutMs = 0;
};

/// Reads an HDF5 file once in a `twb-cli inspect --as KIND` child before the window reads it
/// in its own process. Debian's HDF5 1.10.8 crashes, loops forever or smashes its stack on some
/// corrupted object headers (fuzz/known-library-issues): such a file must cost the child, not
/// the window and the user's unsaved work.
///
/// Returns an Error naming the file when the child crashed ("reading it crashed the HDF5
/// library (Segmentation fault) …"), ended with an error code but without twb-cli's own "error:"
/// message (a sanitizer's report, a broken installation), or did not finish in time; nothing
/// when the file may be read in-process: the child read it, or refused it with its message
/// (the in-process read gives the same message), or twb-cli could not be started (then the
/// file is read in-process, as before). Files without the HDF5 signature are not probed: the
/// project's own parsers read them, and they are fuzzed. A file that passed is remembered (path,
/// size and modification time) and not probed again.
///
/// Without a QCoreApplication nothing is probed. Blocking: call it from a worker thread (it runs a
/// local event loop for the child, so the thread needs none of its own). Thread-safe.
std::optional<Error> probeFileInChild(const QString &pathSpec, ProbeKind kind,
                                      const ProbeOptions &options = {});

} // namespace twb
