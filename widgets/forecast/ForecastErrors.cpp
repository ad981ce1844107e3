#include "ForecastErrors.h"

#include <algorithm>
#include <cmath>

namespace twb {

ForecastErrors forecastErrors(const ForecastPredictions &p, std::int64_t windowBegin,
                              std::int64_t windowEnd, int channel)
{
    ForecastErrors e;
    const std::int64_t size = p.windows * p.horizon * p.channels;
    if (std::int64_t(p.prediction.size()) != size || std::int64_t(p.truth.size()) != size ||
        std::int64_t(p.predictionOriginal.size()) != size ||
        std::int64_t(p.truthOriginal.size()) != size || channel >= p.channels)
        return e;
    windowBegin = std::clamp<std::int64_t>(windowBegin, 0, p.windows);
    windowEnd = std::clamp<std::int64_t>(windowEnd, windowBegin, p.windows);
    const std::int64_t c0 = channel < 0 ? 0 : channel;
    const std::int64_t c1 = channel < 0 ? p.channels : channel + 1;
    double se = 0.0, ae = 0.0, seOriginal = 0.0, aeOriginal = 0.0;
    for (std::int64_t w = windowBegin; w < windowEnd; ++w)
        for (std::int64_t h = 0; h < p.horizon; ++h)
            for (std::int64_t c = c0; c < c1; ++c) {
                const std::size_t i = std::size_t((w * p.horizon + h) * p.channels + c);
                const double d = double(p.prediction[i]) - double(p.truth[i]);
                const double dOriginal =
                    double(p.predictionOriginal[i]) - double(p.truthOriginal[i]);
                if (std::isnan(d) || std::isnan(dOriginal))
                    continue;
                se += d * d;
                ae += std::abs(d);
                seOriginal += dOriginal * dOriginal;
                aeOriginal += std::abs(dOriginal);
                ++e.elements;
            }
    if (e.elements > 0) {
        const double n = double(e.elements);
        e.mse = se / n;
        e.mae = ae / n;
        e.mseOriginal = seOriginal / n;
        e.maeOriginal = aeOriginal / n;
    }
    return e;
}

} // namespace twb
