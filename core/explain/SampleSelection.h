#pragma once

#include "common/Expected.h"
#include "nn/Model.h"

#include <QString>
#include <QStringList>

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace twb {
struct LoadedRun;
}

namespace twb::explain {

/// One sample of a run's test part, as the model sees it.
struct ExplainSample
{
    torch::Tensor input;     ///< [1, lookback (frames), channels (mel bins)], normalised scale
    std::string label;       ///< "test window 12 (2017-10-20 08:00)", "0_george_0.wav"
    std::int64_t index = 0;  ///< in the test part
    std::int64_t count = 0;  ///< samples in the test part
    std::int64_t truth = -1; ///< classify: the true class index; -1 for forecasts
    torch::Tensor target;    ///< forecast: the true future [1, horizon, channels], normalised
                             ///< scale; undefined for classification
    torch::Tensor stepMask;  ///< classify: [1, frames] bool, true = a real step, for a case
                             ///< padded to the run's length (ForwardOptions); else undefined
    /// Forecast with dates: the calendar marks of the input [1, lookback, F] and of the
    /// horizon [1, horizon, F] (ForwardOptions); undefined without a time column.
    torch::Tensor historyMarks;
    torch::Tensor futureMarks;

    /// What goes with `input` into a forward pass: step mask and marks, no captures.
    ForwardOptions forwardOptions(bool captureAttention = false,
                                  bool captureIntermediates = false) const
    {
        ForwardOptions options(captureAttention, captureIntermediates, stepMask);
        options.historyMarks = historyMarks;
        options.futureMarks = futureMarks;
        return options;
    }
};

/// Rebuilds sample `index` of the test part of `run`, the same way `twb-cli eval` does:
///   forecast: test window `index` of the data split with the run's split, lookback, horizon
///             and train scaler (the file's channels must be the run's, in its order); the
///             label holds the window's first timestamp (or row);
///   classify: test case `index` of the run's data prepared from its config; when `dataPath`
///             is another file than the run's, case `index` of that file prepared with the
///             run's classes, features and scaler. The label is the case's source file;
///   separate: test mixture `index` (input [1, samples, 1], target the sources [1, S,
///             samples]) drawn again from the run's seed, or of mixtures of another folder's
///             utterances; the label names the mixture's files.
/// `dataPath` empty = the run's own data. Errors name the file: unreadable data, other
/// channels, an index out of range (with the number of samples).
Expected<ExplainSample> selectSample(const LoadedRun &run, const QString &dataPath,
                                     std::int64_t index);

/// Samples index .. index + count - 1 of the same test part, the data prepared once. The error
/// for a range past the end names the last sample asked for and the number of samples.
Expected<std::vector<ExplainSample>> selectSamples(const LoadedRun &run, const QString &dataPath,
                                                   std::int64_t index, std::int64_t count);

} // namespace twb::explain
