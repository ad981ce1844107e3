#pragma once

#include "BlasRuntime.h"
#include "CpuFeatures.h"

#include <string>

namespace twb::blas {

/// What start-up did about OpenBLAS's kernel set, for `twb-cli info` and Help > About.
struct BlasStartupReport
{
    enum class Outcome {
        NoBlas,       ///< no BLAS reachable (before start-up looked, or a broken install)
        NotOpenBlas,  ///< a BLAS that is not OpenBLAS (Debian's reference BLAS: very slow)
        Kept,         ///< OpenBLAS's own pick is kept (see chooseBlasCore)
        UserSet,      ///< OPENBLAS_CORETYPE came from the user or the system: untouched
        Chosen,       ///< this program chose the core, and the self-check passed
        Refused,      ///< a chosen core failed its self-check: back on OpenBLAS's own pick
        RestartFailed ///< the restart with the variable set failed: on OpenBLAS's own pick
    };
    Outcome outcome = Outcome::NoBlas;
    std::string detectedCore; ///< OpenBLAS's own pick, when known
    std::string reason;       ///< plain sentences: what was decided and why
    std::string selfCheck;    ///< the self-check's result (empty when none ran)
    BlasRuntime runtime;      ///< the library as this process sees it
    CpuFeatures cpu;
};

/// The environment variable through which a choice travels to the restarted program and to
/// child processes: "chosen:<core>:<detected>" or "refused:<core>:<detected>:<why>". A process
/// that finds it never chooses again; one that finds "chosen" runs the self-check. A marker
/// whose core is not OPENBLAS_CORETYPE's (the user changed the variable) is ignored.
inline constexpr const char *kChoiceVariable = "TWB_BLAS_CORE_CHOICE";

/// For twb-cli and the window. Call first in main(), before any other work. A program that does
/// not link LibTorch (the window) loads libblas.so.3 for it (about 10 ms); children started
/// later inherit the variable and the marker, so they check the core but never choose again.
/// OpenBLAS reads OPENBLAS_CORETYPE only when it loads (before main), so when chooseBlasCore
/// says Choose, this sets the variable and the marker and re-executes the program
/// (/proc/self/exe, same arguments, same open files); the new process runs the self-check
/// (checkGemm) and, on a mismatch or when OpenBLAS did not take the name, re-executes once more
/// on the core OpenBLAS picked itself, saying so in the report. Not thread-safe (touches the
/// environment): call before threads start. With `argv` nullptr nothing is restarted.
///
/// Two variables exist for tests and support only: TWB_BLAS_ASSUME_DETECTED=<core> pretends
/// OpenBLAS picked <core>; TWB_BLAS_SELF_CHECK_CORRUPT=1 makes one product of the self-check
/// wrong, to exercise the fall-back.
void selectBlasCoreAtStartup(char **argv);

/// What selectBlasCoreAtStartup decided (Outcome::NoBlas before any call).
const BlasStartupReport &blasStartupReport();

/// "kept", "chosen", ... for JSON.
const char *outcomeName(BlasStartupReport::Outcome outcome);

} // namespace twb::blas
