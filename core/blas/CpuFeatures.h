#pragma once

#include <string>

namespace twb::blas {

/// What the processor and the operating system allow, as far as the choice of a BLAS kernel set
/// is concerned. An instruction set counts only when the CPU reports it (cpuid) *and* the OS
/// saves its registers on a context switch (XCR0 read with xgetbv): `osSavesYmm` for AVX/AVX2,
/// `osSavesZmm` for AVX-512. On a CPU that is not x86-64 everything is false.
struct CpuFeatures
{
    std::string vendor; ///< "GenuineIntel", "AuthenticAMD", ... (empty when unknown)
    int family = 0;     ///< display family (base + extended)
    int model = 0;      ///< display model (base + extended << 4 where the vendor uses it)
    bool avx = false;
    bool fma = false;
    bool avx2 = false;
    bool avx512f = false;
    bool avx512cd = false;
    bool avx512bw = false;
    bool avx512dq = false;
    bool avx512vl = false;
    bool osSavesYmm = false; ///< XCR0 bits 1 and 2 (SSE and AVX state)
    bool osSavesZmm = false; ///< XCR0 bits 5, 6 and 7 (opmask and the upper ZMM state)

    /// AVX2 and FMA usable: what OpenBLAS's Haswell kernels need.
    bool allowsHaswell() const { return avx && avx2 && fma && osSavesYmm; }
    /// The AVX-512 subsets of Skylake-SP (F, CD, BW, DQ, VL) usable: OpenBLAS's SkylakeX kernels.
    bool allowsSkylakeX() const
    {
        return allowsHaswell() && avx512f && avx512cd && avx512bw && avx512dq && avx512vl &&
               osSavesZmm;
    }
    /// "GenuineIntel family 6 model 207: avx2 fma avx512f ..." for reports.
    std::string describe() const;
};

/// This machine's features (cpuid and xgetbv; cheap, no allocation besides the strings).
CpuFeatures detectCpuFeatures();

} // namespace twb::blas
