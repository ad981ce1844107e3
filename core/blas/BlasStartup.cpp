#include "BlasStartup.h"

#include "BlasCoreChoice.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <strings.h>
#include <unistd.h>

namespace twb::blas {

namespace {

using Outcome = BlasStartupReport::Outcome;

constexpr const char *kCoreTypeVariable = "OPENBLAS_CORETYPE";
constexpr const char *kAssumeDetected = "TWB_BLAS_ASSUME_DETECTED";
constexpr const char *kCorruptSelfCheck = "TWB_BLAS_SELF_CHECK_CORRUPT";

BlasStartupReport &state()
{
    static BlasStartupReport report;
    return report;
}

struct Marker
{
    std::string verdict; ///< "chosen" or "refused"
    std::string core;
    std::string detected;
    std::string why;
};

/// Splits "verdict:core:detected[:why]"; `why` may itself hold colons.
bool parseMarker(const char *text, Marker &marker)
{
    if (text == nullptr)
        return false;
    std::string rest = text;
    std::string *fields[] = {&marker.verdict, &marker.core, &marker.detected};
    for (std::string *field : fields) {
        const auto colon = rest.find(':');
        *field = rest.substr(0, colon);
        rest = colon == std::string::npos ? std::string() : rest.substr(colon + 1);
    }
    marker.why = rest;
    return (marker.verdict == "chosen" || marker.verdict == "refused") && !marker.core.empty();
}

std::string detectedCoreOf(const BlasRuntime &runtime)
{
    const char *assumed = std::getenv(kAssumeDetected);
    return (assumed != nullptr && *assumed != '\0') ? std::string(assumed) : runtime.core;
}

SgemmFn g_realSgemm = nullptr;

/// The real product with one element made wrong (TWB_BLAS_SELF_CHECK_CORRUPT=1 only).
void corruptingSgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
                     const float *a, int lda, const float *b, int ldb, float beta, float *c,
                     int ldc)
{
    g_realSgemm(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    if (m == 17)
        c[0] += 1.0f;
}

/// Re-executes this program; returns only on failure, with errno's text.
std::string restart(char **argv)
{
    std::fflush(stdout);
    std::fflush(stderr);
    execv("/proc/self/exe", argv);
    return std::strerror(errno);
}

void describeRunning(BlasStartupReport &report)
{
    if (!report.runtime.found) {
        report.outcome = Outcome::NoBlas;
        report.reason = "no BLAS library (cblas_sgemm) is reachable in this process";
    } else if (!report.runtime.isOpenBlas) {
        report.outcome = Outcome::NotOpenBlas;
        report.reason = "the BLAS in use (" + report.runtime.library +
                        ") is not OpenBLAS: LibTorch's matrix products run several times slower "
                        "(on Debian, install libopenblas0-openmp)";
    }
}

/// A process started with the "chosen" marker: check the core it runs on.
void checkChosenCore(const Marker &marker, char **argv, BlasStartupReport &report)
{
    report.detectedCore = marker.detected;
    SgemmFn sgemm = report.runtime.sgemm;
    const char *corrupt = std::getenv(kCorruptSelfCheck);
    if (corrupt != nullptr && std::strcmp(corrupt, "1") == 0 && sgemm != nullptr) {
        g_realSgemm = sgemm;
        sgemm = &corruptingSgemm;
    }
    std::string why;
    if (strcasecmp(report.runtime.core.c_str(), marker.core.c_str()) != 0) {
        why = "OpenBLAS runs " +
              (report.runtime.core.empty() ? std::string("an unnamed core") : report.runtime.core) +
              " instead";
    } else {
        const SelfCheckResult check = checkGemm(sgemm, report.runtime.dgemm);
        report.selfCheck = check.detail;
        if (!check.ok)
            why = "its self-check failed (" + check.detail + ")";
    }
    const BlasCoreDecision decision = chooseBlasCore(report.cpu, marker.detected, nullptr);
    if (why.empty()) {
        report.outcome = Outcome::Chosen;
        report.reason = decision.reason + "; the self-check passed";
        return;
    }
    if (argv != nullptr) {
        setenv(kCoreTypeVariable, marker.detected.c_str(), 1);
        const std::string refused = "refused:" + marker.core + ":" + marker.detected + ":" + why;
        setenv(kChoiceVariable, refused.c_str(), 1);
        const std::string error = restart(argv);
        report.outcome = Outcome::RestartFailed;
        report.reason = marker.core + " was chosen but " + why + ", and restarting on " +
                        marker.detected + " failed (" + error + "): results may be wrong";
        std::fprintf(stderr, "twb: warning: %s\n", report.reason.c_str());
        return;
    }
    report.outcome = Outcome::Refused;
    report.reason = marker.core + " was chosen but " + why;
}

/// Sets the process up from a marker found at start; true when there was one.
bool followMarker(char **argv, BlasStartupReport &report)
{
    Marker marker;
    if (!parseMarker(std::getenv(kChoiceVariable), marker))
        return false;
    // A marker whose core is not the variable's is stale (the user set OPENBLAS_CORETYPE after
    // it was written): the variable is then the user's, and never overridden.
    const char *variable = std::getenv(kCoreTypeVariable);
    const std::string &expected = marker.verdict == "chosen" ? marker.core : marker.detected;
    if (variable == nullptr || strcasecmp(variable, expected.c_str()) != 0)
        return false;
    if (marker.verdict == "chosen") {
        checkChosenCore(marker, argv, report);
    } else {
        report.outcome = Outcome::Refused;
        report.detectedCore = marker.detected;
        report.reason = "Transformer Workbench chose " + marker.core + " for this CPU but " +
                        marker.why + "; it stays on OpenBLAS's own pick, " + marker.detected;
    }
    return true;
}

/// Applies chooseBlasCore to this process's BLAS. Returns the decision; fills the report.
BlasCoreDecision decide(BlasStartupReport &report)
{
    report.detectedCore = detectedCoreOf(report.runtime);
    const BlasCoreDecision decision =
        chooseBlasCore(report.cpu, report.detectedCore, std::getenv(kCoreTypeVariable));
    report.reason = decision.reason;
    report.outcome = std::getenv(kCoreTypeVariable) != nullptr ? Outcome::UserSet : Outcome::Kept;
    return decision;
}

void setChoice(const BlasCoreDecision &decision, const std::string &detected)
{
    setenv(kCoreTypeVariable, decision.core.c_str(), 1);
    const std::string marker = "chosen:" + decision.core + ":" + detected;
    setenv(kChoiceVariable, marker.c_str(), 1);
}

} // namespace

void selectBlasCoreAtStartup(char **argv)
{
    BlasStartupReport &report = state();
    report = {};
    report.cpu = detectCpuFeatures();
    report.runtime = loadedBlas();
    if (!report.runtime.found) // a program that does not link LibTorch (the window)
        report.runtime = openSystemBlas();
    describeRunning(report);
    if (!report.runtime.isOpenBlas)
        return;
    if (followMarker(argv, report))
        return;
    const BlasCoreDecision decision = decide(report);
    if (decision.action != BlasCoreDecision::Action::Choose)
        return;
    if (argv == nullptr) { // nothing to restart with (a test calling in-process)
        report.reason = decision.reason + ", but not applied: there is no command to restart";
        return;
    }
    setChoice(decision, report.detectedCore);
    const std::string error = restart(argv);
    unsetenv(kCoreTypeVariable);
    unsetenv(kChoiceVariable);
    report.outcome = Outcome::RestartFailed;
    report.reason = decision.reason + ", but restarting with it failed (" + error +
                    "); OpenBLAS's own pick " + report.detectedCore + " stays";
}

const BlasStartupReport &blasStartupReport()
{
    return state();
}

const char *outcomeName(BlasStartupReport::Outcome outcome)
{
    switch (outcome) {
    case Outcome::NoBlas:
        return "no_blas";
    case Outcome::NotOpenBlas:
        return "not_openblas";
    case Outcome::Kept:
        return "kept";
    case Outcome::UserSet:
        return "user_set";
    case Outcome::Chosen:
        return "chosen";
    case Outcome::Refused:
        return "refused";
    case Outcome::RestartFailed:
        return "restart_failed";
    }
    return "unknown";
}

} // namespace twb::blas
