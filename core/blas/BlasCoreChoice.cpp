#include "BlasCoreChoice.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <string_view>

namespace twb::blas {

namespace {

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

// OpenBLAS's names (driver/others/dynamic.c, corename[]) of the x86-64 cores without AVX2
// kernels. Everything else — AVX2 and AVX-512 cores, other architectures, names added by later
// releases — is left alone.
constexpr std::string_view kGenericCores[] = {
    "katmai",       "coppermine", "northwood",   "prescott", "banias",    "atom",
    "core2",        "penryn",     "dunnington",  "nehalem",  "athlon",    "opteron",
    "opteron_sse3", "barcelona",  "nano",        "bobcat",   "bulldozer", "piledriver",
    "steamroller",  "excavator",  "sandybridge", "unknown"};

} // namespace

bool isGenericCore(const std::string &core)
{
    const std::string name = lowered(core);
    return std::find(std::begin(kGenericCores), std::end(kGenericCores), name) !=
           std::end(kGenericCores);
}

BlasCoreDecision chooseBlasCore(const CpuFeatures &cpu, const std::string &detectedCore,
                                const char *userCoreType)
{
    using Action = BlasCoreDecision::Action;
    if (userCoreType != nullptr) {
        return {Action::Keep, userCoreType,
                std::string("OPENBLAS_CORETYPE=") + userCoreType +
                    " is set in the environment; it is left as it is"};
    }
    if (detectedCore.empty())
        return {Action::Keep, detectedCore, "OpenBLAS did not name its core; nothing is changed"};
    if (!isGenericCore(detectedCore)) {
        return {Action::Keep, detectedCore,
                "OpenBLAS picked " + detectedCore + " for this CPU; it is kept"};
    }
    const std::string best = cpu.allowsSkylakeX()  ? "SkylakeX"
                             : cpu.allowsHaswell() ? "Haswell"
                                                   : std::string();
    if (best.empty()) {
        return {Action::Keep, detectedCore,
                "OpenBLAS picked " + detectedCore +
                    " and the CPU (or the OS) allows no AVX2 kernels; it is kept"};
    }
    const std::string why = best == "SkylakeX"
                                ? "the CPU and the OS allow AVX-512 (F, CD, BW, DQ, VL)"
                                : "the CPU and the OS allow AVX2 and FMA";
    return {Action::Choose, best,
            "OpenBLAS picked its generic " + detectedCore + " kernels, but " + why + ": " + best +
                " is chosen"};
}

} // namespace twb::blas
