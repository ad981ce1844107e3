#pragma once

namespace twb::nn {

/// True when this CPU and its operating system allow AVX2 and FMA (blas::CpuFeatures::
/// allowsHaswell: cpuid and the OS's saved register state), detected once. The kernels of
/// core/nn compiled with `target("avx2,fma")` run only when it holds; otherwise their
/// baseline x86-64 twins do. Thread-safe.
bool cpuAllowsAvx2Fma();

} // namespace twb::nn
