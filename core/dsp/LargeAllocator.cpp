#include "LargeAllocator.h"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>

namespace twb::dsp::detail {

namespace {

constexpr std::size_t threshold = std::size_t(4) << 20;
constexpr std::size_t hugePage = std::size_t(2) << 20;

/// The block freed last, kept for the next allocation of the same rounded size.
struct KeptBlock
{
    std::mutex mutex;
    void *block = nullptr;
    std::size_t bytes = 0;
};

KeptBlock &kept()
{
    static KeptBlock k; // never freed at exit: the block goes back with the process
    return k;
}

std::size_t rounded(std::size_t bytes)
{
    return (bytes + hugePage - 1) / hugePage * hugePage;
}

} // namespace

void *allocateLarge(std::size_t bytes)
{
    if (bytes < threshold)
        return ::operator new(bytes);
    const std::size_t size = rounded(bytes);
    {
        KeptBlock &k = kept();
        const std::lock_guard lock(k.mutex);
        if (k.block && k.bytes == size)
            return std::exchange(k.block, nullptr);
    }
    void *p = std::aligned_alloc(hugePage, size);
    if (!p)
        throw std::bad_alloc();
    ::madvise(p, size, MADV_HUGEPAGE); // advice only: failure is harmless
    return p;
}

void deallocateLarge(void *p, std::size_t bytes) noexcept
{
    if (bytes < threshold) {
        ::operator delete(p);
        return;
    }
    const std::size_t size = rounded(bytes);
    if (size > kMaxKeptBytes) {
        std::free(p);
        return;
    }
    void *previous = nullptr;
    {
        KeptBlock &k = kept();
        const std::lock_guard lock(k.mutex);
        previous = std::exchange(k.block, p);
        k.bytes = size;
    }
    std::free(previous); // null is fine
}

} // namespace twb::dsp::detail
