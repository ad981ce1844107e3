#include "DtwDistance.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace twb {

namespace {

double stepCost(const float *a, std::int64_t i, const float *b, std::int64_t j,
                std::int64_t channels)
{
    double sum = 0.0;
    for (std::int64_t c = 0; c < channels; ++c) {
        const double d = double(a[i * channels + c]) - double(b[j * channels + c]);
        sum += d * d;
    }
    return sum;
}

std::int64_t bandOf(std::int64_t la, std::int64_t lb, std::int64_t window)
{
    return std::max(window, std::abs(la - lb));
}

} // namespace

double dtwCost(const float *a, std::int64_t la, const float *b, std::int64_t lb,
               std::int64_t channels, std::int64_t window, double abandonAbove)
{
    const std::int64_t band = bandOf(la, lb, window);
    const double inf = std::numeric_limits<double>::infinity();
    // Rows of the accumulated cost, with a leading sentinel column (index 0 = j of -1).
    std::vector<double> previous(std::size_t(lb + 1), inf), current(std::size_t(lb + 1), inf);
    previous[0] = 0.0;
    for (std::int64_t i = 0; i < la; ++i) {
        const std::int64_t from = std::max<std::int64_t>(0, i - band);
        const std::int64_t to = std::min(lb - 1, i + band);
        std::fill(current.begin(), current.end(), inf);
        double rowMinimum = inf;
        for (std::int64_t j = from; j <= to; ++j) {
            const double best = std::min(
                {previous[std::size_t(j)], previous[std::size_t(j + 1)], current[std::size_t(j)]});
            const double value = best + stepCost(a, i, b, j, channels);
            current[std::size_t(j + 1)] = value;
            rowMinimum = std::min(rowMinimum, value);
        }
        if (rowMinimum > abandonAbove)
            return dtwAbandoned;
        std::swap(previous, current);
        previous[0] = inf; // only (0, 0) starts from the corner
    }
    return previous[std::size_t(lb)];
}

std::pair<std::vector<std::pair<std::int64_t, std::int64_t>>, double>
dtwPath(const float *a, std::int64_t la, const float *b, std::int64_t lb, std::int64_t channels,
        std::int64_t window)
{
    const std::int64_t band = bandOf(la, lb, window);
    const double inf = std::numeric_limits<double>::infinity();
    const auto width = std::size_t(lb);
    std::vector<double> d(std::size_t(la) * width, inf);
    auto at = [&](std::int64_t i, std::int64_t j) -> double {
        return i < 0 || j < 0 ? inf : d[std::size_t(i) * width + std::size_t(j)];
    };
    for (std::int64_t i = 0; i < la; ++i)
        for (std::int64_t j = std::max<std::int64_t>(0, i - band); j <= std::min(lb - 1, i + band);
             ++j) {
            const double best =
                i == 0 && j == 0 ? 0.0 : std::min({at(i - 1, j - 1), at(i - 1, j), at(i, j - 1)});
            d[std::size_t(i) * width + std::size_t(j)] = best + stepCost(a, i, b, j, channels);
        }
    std::vector<std::pair<std::int64_t, std::int64_t>> path;
    std::int64_t i = la - 1, j = lb - 1;
    path.emplace_back(i, j);
    while (i > 0 || j > 0) {
        const double diagonal = at(i - 1, j - 1), up = at(i - 1, j), left = at(i, j - 1);
        if (diagonal <= up && diagonal <= left) {
            --i;
            --j;
        } else if (up <= left) {
            --i;
        } else {
            --j;
        }
        path.emplace_back(i, j);
    }
    std::reverse(path.begin(), path.end());
    return {std::move(path), at(la - 1, lb - 1)};
}

std::int64_t dtwWindowSteps(double percent, std::int64_t length)
{
    return std::int64_t(std::llround(percent / 100.0 * double(length)));
}

} // namespace twb
