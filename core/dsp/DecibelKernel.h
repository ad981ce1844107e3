#pragma once

#include <cstddef>

namespace twb::dsp::detail {

/// v[i] = scale * ln(max(floor, v[i])) - offset for n finite values (no NaN, no infinity).
/// Compiled with -ffast-math so that GCC vectorises the logarithm through glibc's libmvec
/// (about 4x faster than scalar logf on x86-64; max error a few float ulps). Callers must
/// route non-finite data to a scalar loop.
void logScaleFinite(float *v, std::size_t n, float floor, float scale, float offset);

} // namespace twb::dsp::detail
