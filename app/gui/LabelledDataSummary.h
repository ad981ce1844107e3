#pragma once

#include "audio/LabelledLoader.h"
#include "common/Expected.h"
#include "data/DatasetSummary.h"
#include "widgets/data/LabelledCasesPreview.h"

#include <QString>

#include <memory>
#include <optional>

namespace twb {

/// What the window shows after opening labelled cases for classification (File ▸ Open
/// Labelled Data, or a folder / .ts / .arff file dropped or chosen).
struct LabelledDataSummary
{
    QString path;            ///< absolute
    QString summary;         ///< "50 cases · 2 classes (1: 24, 2: 26) · 1 channel · length 150"
    QString testData;        ///< the matching _TEST file next to a _TRAIN file, if it exists
    double sampleRate = 0.0; ///< Hz when the cases are sound clips, else 0
    LabelledCasesPreview preview;           ///< the first cases of each class, for the Cases view
    std::vector<ChannelStats> channelStats; ///< over every step of every case
    /// The steps of the cases one after another, for the inspector's histogram: every step, or
    /// every k-th when there are more than kMaxPooledValues values (a large audio folder).
    std::shared_ptr<const SeriesDataset> allSteps;
    std::optional<Error> error; ///< the loader's message (names the file)
};

/// The most values LabelledDataSummary::allSteps keeps. The histogram sorts them on the GUI
/// thread (Freedman–Diaconis needs quartiles): 1 M doubles take ~100 ms here, FSDD's 8.2 M ~1 s.
inline constexpr std::int64_t kMaxPooledValues = 1'000'000;

/// Loads `path` with loadLabelled (audio folders, manifests, .ts, .arff, labelled .h5) and
/// describes it (an HDF5 file is first read once in a child process: probeFileInChild); a preview
/// of the cases and their values pooled (allSteps) are kept, the cases themselves are not (the run
/// reloads them in its own process). Runs on a worker thread; thread-safe. `include`: the source of
/// a case the preview must hold (see previewOf).
LabelledDataSummary summarizeLabelled(const QString &path, const QString &include = {});

/// "X_TRAIN.ts" -> "X_TEST.ts" (also .arff, any letter case of TRAIN), when that file exists;
/// otherwise empty.
QString matchingTestFile(const QString &trainPath);

} // namespace twb
