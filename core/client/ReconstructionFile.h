#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// One test window of a pretraining run as reconstruction.json holds it (layout:
/// core/train/ReconstructionSamples.h). Per channel, `lookback` values each.
struct ReconstructionWindow
{
    std::int64_t index = 0;                 ///< the window's index in the test part
    std::int64_t startRow = -1;             ///< its first row in the series (-1: not recorded)
    double maskedMse = 0.0;                 ///< normalised scale, over this window's hidden values
    std::vector<std::vector<float>> values; ///< [channel][step], original units
    std::vector<std::vector<float>> reconstruction; ///< [channel][step], original units
    std::vector<std::vector<bool>> hidden;          ///< [channel][step], true = hidden
};

/// The reconstruction samples of a pretraining run (plain data, no torch).
struct ReconstructionSamples
{
    QString runDir;
    std::int64_t lookback = 0;
    QStringList channels;
    QString masking;              ///< "patches of 12, 40 % hidden", "spans of mean 3, 15 % hidden"
    std::int64_t testWindows = 0; ///< windows of the test part (the samples are a few of them)
    std::vector<ReconstructionWindow> windows;
};

/// Reads `runDir`/reconstruction.json. Errors name the file: missing ("written when a
/// pretraining run finishes"), not JSON, another format, arrays of the wrong length.
/// Never throws. Threading: any thread (reads one file of about a megabyte).
Expected<ReconstructionSamples> readReconstructionSamples(const QString &runDir);

} // namespace twb
