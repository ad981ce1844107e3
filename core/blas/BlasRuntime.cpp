#include "BlasRuntime.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

namespace twb::blas {

namespace {

using NameFn = char *(*)();
using IntFn = int (*)();

template<typename Fn>
Fn symbol(void *handle, const char *name)
{
    return reinterpret_cast<Fn>(dlsym(handle, name));
}

BlasRuntime describe(void *handle)
{
    BlasRuntime rt;
    rt.sgemm = symbol<SgemmFn>(handle, "cblas_sgemm");
    rt.dgemm = symbol<DgemmFn>(handle, "cblas_dgemm");
    rt.found = rt.sgemm != nullptr;
    if (rt.found) {
        Dl_info info{};
        if (dladdr(reinterpret_cast<void *>(rt.sgemm), &info) != 0 && info.dli_fname != nullptr) {
            // Through Debian's alternatives symlinks to the real file.
            char resolved[PATH_MAX];
            rt.library = realpath(info.dli_fname, resolved) ? resolved : info.dli_fname;
        }
    }
    const auto corename = symbol<NameFn>(handle, "openblas_get_corename");
    rt.isOpenBlas = corename != nullptr;
    if (!rt.isOpenBlas)
        return rt;
    if (const char *core = corename())
        rt.core = core;
    if (const auto config = symbol<NameFn>(handle, "openblas_get_config"))
        if (const char *text = config())
            rt.config = text;
    if (const auto threads = symbol<IntFn>(handle, "openblas_get_num_threads"))
        rt.threads = threads();
    return rt;
}

} // namespace

BlasRuntime loadedBlas()
{
    return describe(RTLD_DEFAULT);
}

BlasRuntime openSystemBlas()
{
    void *handle = dlopen("libblas.so.3", RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr)
        return {};
    return describe(handle);
}

} // namespace twb::blas
