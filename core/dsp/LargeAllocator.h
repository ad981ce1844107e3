#pragma once

#include <cstddef>
#include <new>
#include <utility>

namespace twb::dsp {

namespace detail {
/// Allocations of at least 4 MiB are 2 MiB-aligned and advised for transparent huge pages
/// (madvise MADV_HUGEPAGE, as NumPy does): a 10-minute spectrogram (60 MB) then costs ~30 page
/// faults instead of ~15,000. Smaller ones use operator new. Throws std::bad_alloc.
///
/// The large block freed last (up to kMaxKeptBytes) is kept and handed to the next allocation
/// of the same size (rounded up to 2 MiB): computing spectrograms of the same length again and
/// again (a batch of files, a setting changed in the view) then skips the kernel's page faults
/// and zero-filling of fresh memory, which cost a quarter of a 10-minute STFT. At most one block
/// is kept. Thread-safe (a mutex around the kept block).
void *allocateLarge(std::size_t bytes);
void deallocateLarge(void *p, std::size_t bytes) noexcept;
/// The largest block kept after it is freed (the power matrix of ~20 min of 16 kHz audio at hop
/// 160).
inline constexpr std::size_t kMaxKeptBytes = std::size_t(128) << 20;
} // namespace detail

/// std::allocator replacement for the value storage of Matrix (see detail::allocateLarge).
template<typename T>
struct LargeAllocator
{
    using value_type = T;
    LargeAllocator() = default;
    template<typename U>
    LargeAllocator(const LargeAllocator<U> &) noexcept
    {}
    T *allocate(std::size_t n) { return static_cast<T *>(detail::allocateLarge(n * sizeof(T))); }
    void deallocate(T *p, std::size_t n) noexcept { detail::deallocateLarge(p, n * sizeof(T)); }
    /// Default-initialises instead of value-initialising: `resize(n)` leaves floats
    /// uninitialised (Matrix uses it only where every element is written right after).
    template<typename U>
    void construct(U *p) noexcept(noexcept(::new (static_cast<void *>(p)) U))
    {
        ::new (static_cast<void *>(p)) U;
    }
    template<typename U, typename... Args>
    void construct(U *p, Args &&...args)
    {
        ::new (static_cast<void *>(p)) U(std::forward<Args>(args)...);
    }
    template<typename U>
    bool operator==(const LargeAllocator<U> &) const noexcept
    {
        return true;
    }
};

} // namespace twb::dsp
