#pragma once

#include "common/Expected.h"
#include "data/DatasetSummary.h"
#include "data/SeriesDataset.h"

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace twb {

/// What the window needs after opening a file: the data set and its channel summary, or the
/// error. Plain data, copied between threads.
struct LoadedDataset
{
    QString path;
    std::shared_ptr<const SeriesDataset> data; ///< null on error
    std::vector<ChannelStats> stats;
    std::optional<Error> error;
};

/// Loads `pathSpec` with loadSeries() and summarizes it; an HDF5 file is first read once in a
/// child process (probeFileInChild), so a file that crashes the HDF5 library costs the child.
/// Never throws: an exception (out of memory on a huge file) becomes an Error naming the file.
/// Runs on a worker thread.
LoadedDataset loadAndSummarize(const QString &pathSpec);

/// How a path spec is shown to the user: "co2.csv", "run.h5:/data/x".
QString displayNameOf(const QString &pathSpec);

} // namespace twb
