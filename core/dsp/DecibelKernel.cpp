#include "DecibelKernel.h"

#include <algorithm>
#include <cmath>

namespace twb::dsp::detail {

void logScaleFinite(float *v, std::size_t n, float floor, float scale, float offset)
{
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i)
        v[i] = scale * std::log(std::max(floor, v[i])) - offset;
}

} // namespace twb::dsp::detail
