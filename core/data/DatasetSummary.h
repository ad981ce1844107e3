#pragma once

#include "LabelledDataset.h"
#include "SeriesDataset.h"

#include <QString>

#include <cstdint>
#include <vector>

namespace twb {

/// Statistics of one channel over all rows, NaNs excluded (mean, std, min and max are NaN
/// when the channel has no value). `std` is the population standard deviation (ddof 0, as
/// the scaler; pandas' describe() uses ddof 1).
struct ChannelStats
{
    QString name;
    std::int64_t count = 0;   ///< values present
    std::int64_t missing = 0; ///< NaN cells
    double mean = 0.0;
    double std = 0.0;
    double min = 0.0;
    double max = 0.0;
};

/// One entry per channel, in channel order. Accumulates in double; linear time; thread-safe.
std::vector<ChannelStats> summarize(const SeriesDataset &data);

/// The same over every time step of every case of labelled data (audio: every sample of every
/// clip), one entry per channel.
std::vector<ChannelStats> summarize(const LabelledDataset &data);

} // namespace twb
