#pragma once

#include "CpuFeatures.h"

#include <string>

namespace twb::blas {

/// Whether to replace the kernel set ("core") OpenBLAS picked for this CPU, and why.
///
/// OpenBLAS picks its core from the CPU model at load time; a release older than the CPU does
/// not know the model and falls back to its oldest x86-64 kernels ("Prescott", SSE3), three to
/// five times slower than AVX2 or AVX-512 kernels (OpenBLAS issue 4267, fixed in 0.3.25; Debian
/// 12 ships 0.3.21). The variable OPENBLAS_CORETYPE, read when OpenBLAS loads, overrides the pick.
struct BlasCoreDecision
{
    enum class Action {
        Keep,  ///< leave OpenBLAS's pick (or the user's variable) as it is
        Choose ///< set OPENBLAS_CORETYPE=core before OpenBLAS loads
    };
    Action action = Action::Keep;
    std::string core;   ///< the core to set (Choose) or the one in use (Keep)
    std::string reason; ///< one plain sentence for `twb-cli info` and Help > About
};

/// The pure rule, with everything it depends on passed in (tests simulate any CPU):
/// - `userCoreType` (OPENBLAS_CORETYPE, or nullptr when unset): set by the user or the system,
///   never overridden -> Keep.
/// - `detectedCore` (openblas_get_corename()): only a *generic* x86-64 core — one without
///   AVX2 kernels (Prescott, Core2, Nehalem, Sandybridge, Barcelona, ...) — is ever replaced;
///   Haswell, Zen, SkylakeX, Cooperlake, SapphireRapids and names this rule does not know are
///   kept.
/// - `cpu`: the replacement is the best core the CPU *and* the OS allow: SkylakeX when the
///   AVX-512 subsets of Skylake-SP are usable, Haswell for AVX2 + FMA; otherwise Keep.
BlasCoreDecision chooseBlasCore(const CpuFeatures &cpu, const std::string &detectedCore,
                                const char *userCoreType);

/// True for the x86-64 OpenBLAS cores without AVX2 kernels (case-insensitive).
bool isGenericCore(const std::string &core);

} // namespace twb::blas
