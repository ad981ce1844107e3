#include "CpuDispatch.h"

#include "blas/CpuFeatures.h"

namespace twb::nn {

bool cpuAllowsAvx2Fma()
{
    static const bool allowed = blas::detectCpuFeatures().allowsHaswell();
    return allowed;
}

} // namespace twb::nn
