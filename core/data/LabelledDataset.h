#pragma once

#include "common/Expected.h"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace twb {

/// One labelled example: a sequence of `length` time steps x `channels` values, row-major
/// ([time, channels], the layout the models eat). Missing values are NaN.
struct LabelledCase
{
    std::vector<float> values; ///< size == length * channels
    std::int64_t length = 0;   ///< time steps (audio: samples at LabelledDataset::sampleRate)
    int label = -1;            ///< index into LabelledDataset::classNames
    QString source;            ///< where it came from: "file.wav" or "GunPoint_TRAIN.ts:17"
    QString group; ///< the manifest's group column (speaker, session...), empty otherwise
};

/// A set of labelled sequences for classification: UCR/UEA series (.ts, .arff, HDF5) or sound
/// clips (one case per file, mono, at `sampleRate`). Cases may have unequal lengths. Plain data,
/// no torch: loaders fill it, views read it, the engine turns it into batches.
struct LabelledDataset
{
    QString sourcePath;       ///< the file or folder it came from
    QStringList classNames;   ///< label i is classNames[i]; sorted as declared by the source
    QStringList channelNames; ///< size == channels ("dim_0", ... when the source has none)
    double sampleRate = 0.0;  ///< Hz for audio, 0 when the series have no rate
    std::vector<LabelledCase> cases;
    std::int64_t missingValues = 0; ///< NaNs over all cases
    /// Files or lines that were skipped, each "path: reason" (audio folders skip unreadable files
    /// and say so here; table formats refuse the whole file instead).
    QStringList skipped;

    std::int64_t channels() const { return channelNames.size(); }
    std::int64_t size() const { return std::int64_t(cases.size()); }
    std::int64_t maxLength() const;
    std::int64_t minLength() const;
    bool equalLength() const { return maxLength() == minLength(); }
    /// Cases per class, size == classNames.size().
    std::vector<std::int64_t> classCounts() const;
    /// Hex SHA-256 over class names, channel names, labels and values.
    QString fingerprint() const;
};

/// The end of parsing a .ts or .arff file at `path`: an error when the header never reached its
/// @data line or no case followed it (at line `dataLine`); otherwise the channels are named
/// "dim_0", "dim_1", ... (`channels` of them) and the data set returned.
Expected<LabelledDataset> finishParsedCases(LabelledDataset dataset, std::int64_t channels,
                                            bool reachedData, std::int64_t dataLine,
                                            const QString &path);

} // namespace twb
