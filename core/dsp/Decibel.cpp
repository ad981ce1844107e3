#include "Decibel.h"

#include "DecibelKernel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace twb::dsp {

namespace {

double maxOf(std::span<const float> values)
{
    double m = -std::numeric_limits<double>::infinity();
    for (float v : values)
        if (v > m) // false for NaN
            m = v;
    return m;
}

/// v = scale ln(max(floor, v)) - offset, NaN kept. All-finite data (the usual case) takes the
/// vectorised kernel; anything else the scalar loop.
void logScale(std::span<float> values, float floor, float scale, float offset)
{
    bool finite = true;
    for (float v : values)
        finite &= std::isfinite(v);
    if (finite) {
        detail::logScaleFinite(values.data(), values.size(), floor, scale, offset);
        return;
    }
    for (float &v : values)
        if (!std::isnan(v))
            v = scale * std::log(std::max(floor, v)) - offset;
}

void clipTop(std::span<float> values, const DbOptions &options)
{
    if (!options.topDb)
        return;
    const double floor = maxOf(values) - *options.topDb;
    if (!std::isfinite(floor))
        return;
    for (float &v : values)
        if (v < floor)
            v = float(floor);
}

} // namespace

void powerToDb(std::span<float> values, const DbOptions &options)
{
    const double ref = options.refIsMax ? maxOf(values) : options.ref;
    const float offset = float(10.0 * std::log10(std::max(options.amin, std::abs(ref))));
    const float amin = float(options.amin);
    // 10 log10(x) as (10 / ln 10) ln(x) in float: logf is about 3x faster than double log10
    // and within a few float ulps (dB values are float32 anyway).
    const float scale = float(10.0 / std::numbers::ln10);
    logScale(values, amin, scale, offset);
    clipTop(values, options);
}

void amplitudeToDb(std::span<float> values, const DbOptions &options)
{
    double ref = options.ref;
    if (options.refIsMax) {
        ref = 0.0;
        for (float v : values)
            ref = std::max(ref, double(std::abs(v)));
    }
    const double amin = std::sqrt(options.amin);
    const float offset = float(20.0 * std::log10(std::max(amin, std::abs(ref))));
    const float aminF = float(amin);
    const float scale = float(20.0 / std::numbers::ln10);
    for (float &v : values)
        v = std::abs(v);
    logScale(values, aminF, scale, offset);
    clipTop(values, options);
}

} // namespace twb::dsp
