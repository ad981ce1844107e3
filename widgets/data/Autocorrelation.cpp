#include "Autocorrelation.h"

#include <algorithm>
#include <cmath>

namespace twb {

Autocorrelation computeAutocorrelation(const float *values, std::int64_t count,
                                       std::ptrdiff_t stride, int maxLag)
{
    Autocorrelation acf;
    if (count < 2 || maxLag < 0)
        return acf;
    std::vector<double> d(std::size_t(count), 0.0);
    std::vector<bool> present(std::size_t(count), false);
    double sum = 0.0;
    for (std::int64_t t = 0; t < count; ++t) {
        const double v = values[t * stride];
        if (std::isfinite(v)) {
            d[std::size_t(t)] = v;
            present[std::size_t(t)] = true;
            sum += v;
            ++acf.values;
        }
    }
    if (acf.values < 2)
        return acf;
    const double mean = sum / double(acf.values);
    double denominator = 0.0;
    for (std::size_t t = 0; t < d.size(); ++t) {
        d[t] = present[t] ? d[t] - mean : 0.0;
        denominator += d[t] * d[t];
    }
    if (!(denominator > 0.0))
        return acf;

    const int lags = int(std::min<std::int64_t>(maxLag, count - 1));
    acf.r.resize(std::size_t(lags) + 1);
    for (int k = 0; k <= lags; ++k) {
        double s = 0.0;
        const std::size_t end = d.size() - std::size_t(k);
        for (std::size_t t = 0; t < end; ++t)
            s += d[t] * d[t + std::size_t(k)];
        acf.r[std::size_t(k)] = s / denominator;
    }
    acf.r[0] = 1.0;
    acf.band = 1.96 / std::sqrt(double(acf.values));
    return acf;
}

} // namespace twb
