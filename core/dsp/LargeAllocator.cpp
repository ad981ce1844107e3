#include "LargeAllocator.h"

#include <sys/mman.h>

#include <cstdlib>

namespace twb::dsp::detail {

namespace {
constexpr std::size_t threshold = std::size_t(4) << 20;
constexpr std::size_t hugePage = std::size_t(2) << 20;
} // namespace

void *allocateLarge(std::size_t bytes)
{
    if (bytes < threshold)
        return ::operator new(bytes);
    const std::size_t rounded = (bytes + hugePage - 1) / hugePage * hugePage;
    void *p = std::aligned_alloc(hugePage, rounded);
    if (!p)
        throw std::bad_alloc();
    ::madvise(p, rounded, MADV_HUGEPAGE); // advice only: failure is harmless
    return p;
}

void deallocateLarge(void *p, std::size_t bytes) noexcept
{
    if (bytes < threshold)
        ::operator delete(p);
    else
        std::free(p);
}

} // namespace twb::dsp::detail
