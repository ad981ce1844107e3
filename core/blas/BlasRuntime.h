#pragma once

#include "BlasSelfCheck.h"

#include <string>

namespace twb::blas {

/// The BLAS library a process uses, asked through the dynamic loader (no link-time dependency:
/// LibTorch links libblas.so.3, which Debian's alternatives point at OpenBLAS or at the slow
/// reference BLAS).
struct BlasRuntime
{
    bool found = false;      ///< a cblas_sgemm is reachable
    bool isOpenBlas = false; ///< openblas_get_corename is reachable
    std::string library;     ///< the file that holds cblas_sgemm (dladdr, symlinks resolved)
    std::string config;      ///< openblas_get_config(): "OpenBLAS 0.3.21 DYNAMIC_ARCH ..."
    std::string core;        ///< openblas_get_corename(): "Haswell", "Prescott", ...
    int threads = 0;         ///< openblas_get_num_threads() (0 when not OpenBLAS)
    SgemmFn sgemm = nullptr;
    DgemmFn dgemm = nullptr;
};

/// The BLAS already loaded into this process (programs that link LibTorch). Thread-safe.
BlasRuntime loadedBlas();

/// Loads libblas.so.3 — the library a LibTorch process would use — into a process that does not
/// link it (the window, tests) and describes it. Loading it initialises OpenBLAS, which reads
/// OPENBLAS_CORETYPE at that moment. The library stays loaded.
BlasRuntime openSystemBlas();

} // namespace twb::blas
