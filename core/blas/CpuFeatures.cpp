#include "CpuFeatures.h"

#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define TWB_X86 1
#endif

namespace twb::blas {

std::string CpuFeatures::describe() const
{
    std::string text = vendor.empty() ? std::string("unknown CPU") : vendor;
    text += " family " + std::to_string(family) + " model " + std::to_string(model) + ":";
    const std::pair<const char *, bool> flags[] = {{"avx", avx},           {"fma", fma},
                                                   {"avx2", avx2},         {"avx512f", avx512f},
                                                   {"avx512cd", avx512cd}, {"avx512bw", avx512bw},
                                                   {"avx512dq", avx512dq}, {"avx512vl", avx512vl}};
    bool any = false;
    for (const auto &[name, present] : flags) {
        if (present) {
            text += std::string(" ") + name;
            any = true;
        }
    }
    if (!any)
        text += " none of avx, fma, avx2, avx512";
    if (avx && !osSavesYmm)
        text += " (the OS does not save AVX registers)";
    else if (avx512f && !osSavesZmm)
        text += " (the OS does not save AVX-512 registers)";
    return text;
}

#ifdef TWB_X86
namespace {

unsigned long long readXcr0()
{
    unsigned int eax = 0;
    unsigned int edx = 0;
    // xgetbv with ECX = 0; only valid when cpuid reports OSXSAVE, checked by the caller.
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return (static_cast<unsigned long long>(edx) << 32) | eax;
}

} // namespace
#endif

CpuFeatures detectCpuFeatures()
{
    CpuFeatures f;
#ifdef TWB_X86
    unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(0, &eax, &ebx, &ecx, &edx))
        return f;
    const unsigned int maxLeaf = eax;
    char vendor[13] = {};
    std::memcpy(vendor, &ebx, 4);
    std::memcpy(vendor + 4, &edx, 4);
    std::memcpy(vendor + 8, &ecx, 4);
    f.vendor = vendor;

    __get_cpuid(1, &eax, &ebx, &ecx, &edx);
    const int baseFamily = int((eax >> 8) & 0xf);
    const int baseModel = int((eax >> 4) & 0xf);
    f.family = baseFamily == 0xf ? baseFamily + int((eax >> 20) & 0xff) : baseFamily;
    f.model = (baseFamily == 0x6 || baseFamily == 0xf) ? baseModel + int(((eax >> 16) & 0xf) << 4)
                                                       : baseModel;
    const bool osxsave = (ecx >> 27) & 1;
    f.avx = (ecx >> 28) & 1;
    f.fma = (ecx >> 12) & 1;
    if (osxsave) {
        const unsigned long long xcr0 = readXcr0();
        f.osSavesYmm = (xcr0 & 0x6) == 0x6;
        f.osSavesZmm = f.osSavesYmm && (xcr0 & 0xe0) == 0xe0;
    }
    if (maxLeaf >= 7) {
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        f.avx2 = (ebx >> 5) & 1;
        f.avx512f = (ebx >> 16) & 1;
        f.avx512dq = (ebx >> 17) & 1;
        f.avx512cd = (ebx >> 28) & 1;
        f.avx512bw = (ebx >> 30) & 1;
        f.avx512vl = (ebx >> 31) & 1;
    }
#endif
    return f;
}

} // namespace twb::blas
