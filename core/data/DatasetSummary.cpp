#include "DatasetSummary.h"

#include <cmath>
#include <limits>

namespace twb {

namespace {

/// Two passes (the mean first, then the squared deviations) over rows of `names.size()` floats.
/// `forEachRow(visit)` calls `visit(const float *row)` once per row, in any order.
template<typename ForEachRow>
std::vector<ChannelStats> summarizeRows(const QStringList &names, ForEachRow forEachRow)
{
    const std::size_t channels = std::size_t(names.size());
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<ChannelStats> stats(channels);
    std::vector<double> sum(channels, 0.0);
    for (std::size_t c = 0; c < channels; ++c) {
        ChannelStats &s = stats[c];
        s.name = names.at(qsizetype(c));
        s.min = std::numeric_limits<double>::infinity();
        s.max = -std::numeric_limits<double>::infinity();
    }
    forEachRow([&](const float *row) {
        for (std::size_t c = 0; c < channels; ++c) {
            ChannelStats &s = stats[c];
            const float x = row[c];
            if (std::isnan(x)) {
                ++s.missing;
                continue;
            }
            ++s.count;
            sum[c] += x;
            s.min = std::min(s.min, double(x));
            s.max = std::max(s.max, double(x));
        }
    });
    for (std::size_t c = 0; c < channels; ++c)
        stats[c].mean = stats[c].count > 0 ? sum[c] / double(stats[c].count) : nan;
    std::vector<double> squares(channels, 0.0);
    forEachRow([&](const float *row) {
        for (std::size_t c = 0; c < channels; ++c)
            if (const float x = row[c]; !std::isnan(x)) {
                const double d = x - stats[c].mean;
                squares[c] += d * d;
            }
    });
    for (std::size_t c = 0; c < channels; ++c) {
        ChannelStats &s = stats[c];
        if (s.count == 0)
            s.std = s.min = s.max = nan;
        else
            s.std = std::sqrt(squares[c] / double(s.count));
    }
    return stats;
}

} // namespace

std::vector<ChannelStats> summarize(const SeriesDataset &data)
{
    const std::int64_t channels = data.channels();
    return summarizeRows(data.channelNames, [&](auto visit) {
        for (std::int64_t r = 0; r < data.rows(); ++r)
            visit(data.values.data() + r * channels);
    });
}

std::vector<ChannelStats> summarize(const LabelledDataset &data)
{
    const std::int64_t channels = data.channels();
    return summarizeRows(data.channelNames, [&](auto visit) {
        for (const LabelledCase &c : data.cases)
            for (std::int64_t t = 0; t < c.length; ++t)
                visit(c.values.data() + t * channels);
    });
}

} // namespace twb
