#include "DecibelKernel.h"

#include <algorithm>
#include <cmath>

namespace twb::dsp::detail {

#if defined(__x86_64__) && defined(__GNUC__)
// An AVX2 clone runs on CPUs that have it (libmvec's 8-wide logf), the baseline elsewhere.
__attribute__((target_clones("avx2", "default")))
#endif
void logScaleFinite(float *v, std::size_t n, float floor, float scale, float offset)
{
#pragma omp simd
    for (std::size_t i = 0; i < n; ++i)
        v[i] = scale * std::log(std::max(floor, v[i])) - offset;
}

} // namespace twb::dsp::detail
