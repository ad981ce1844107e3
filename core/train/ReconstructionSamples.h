#pragma once

#include "common/Expected.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

class ExampleSet;
class Model;
class StandardScaler;

/// What a pretraining run writes beside its test metrics so that the window can show what
/// self-supervision learns: a few test windows (evenly spaced over the test part) with the
/// values hidden from the model and the model's reconstruction of every value.
///
/// reconstruction.json:
///   {"format": "twb-reconstruction", "version": 1, "lookback": L, "channels": [names],
///    "masking": {...the run's masking scheme...},
///    "windows": [{"index": i, "start_row": r, "masked_mse": m,
///                 "values": [[channel 0's L values], ...],          original units
///                 "reconstruction": [[channel 0's L values], ...],  original units
///                 "hidden": [[channel 0's L 0/1 flags], ...]}, ...]}
/// masked_mse is on the normalised scale over the window's hidden values (the loss the run
/// minimised). Values are written as float32 decimals.
struct ReconstructionSampleSource
{
    const ExampleSet *test = nullptr;       ///< MaskedWindows: x, y [n, L, C], hidden [n, L, C]
    const StandardScaler *scaler = nullptr; ///< back to original units (fitted, C channels)
    std::vector<std::int64_t> startRows;    ///< first row of each test window in the series
    QStringList channelNames;
    QJsonObject masking; ///< the provenance's masking scheme, copied
};

/// Runs `model` (eval mode, no gradients) on `count` test windows of `source` and writes
/// reconstruction.json to `path` atomically. Errors name the file; nothing is written then.
Status writeReconstructionSamples(Model &model, const ReconstructionSampleSource &source,
                                  const QString &path, std::int64_t count = 6);

} // namespace twb
