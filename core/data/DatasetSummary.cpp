#include "DatasetSummary.h"

#include <cmath>
#include <limits>

namespace twb {

std::vector<ChannelStats> summarize(const SeriesDataset &data)
{
    const std::int64_t channels = data.channels();
    const std::int64_t rows = data.rows();
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<ChannelStats> stats(static_cast<std::size_t>(channels));
    std::vector<double> sum(std::size_t(channels), 0.0);
    for (std::int64_t c = 0; c < channels; ++c) {
        ChannelStats &s = stats[std::size_t(c)];
        s.name = data.channelNames.at(c);
        s.min = std::numeric_limits<double>::infinity();
        s.max = -std::numeric_limits<double>::infinity();
    }
    for (std::int64_t r = 0; r < rows; ++r) {
        for (std::int64_t c = 0; c < channels; ++c) {
            ChannelStats &s = stats[std::size_t(c)];
            const float x = data.at(r, c);
            if (std::isnan(x)) {
                ++s.missing;
                continue;
            }
            ++s.count;
            sum[std::size_t(c)] += x;
            s.min = std::min(s.min, double(x));
            s.max = std::max(s.max, double(x));
        }
    }
    std::vector<double> squares(std::size_t(channels), 0.0);
    for (std::int64_t c = 0; c < channels; ++c) {
        ChannelStats &s = stats[std::size_t(c)];
        s.mean = s.count > 0 ? sum[std::size_t(c)] / double(s.count) : nan;
    }
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < channels; ++c)
            if (const float x = data.at(r, c); !std::isnan(x)) {
                const double d = x - stats[std::size_t(c)].mean;
                squares[std::size_t(c)] += d * d;
            }
    for (std::int64_t c = 0; c < channels; ++c) {
        ChannelStats &s = stats[std::size_t(c)];
        if (s.count == 0) {
            s.std = s.min = s.max = nan;
            continue;
        }
        s.std = std::sqrt(squares[std::size_t(c)] / double(s.count));
    }
    return stats;
}

} // namespace twb
