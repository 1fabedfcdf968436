// An allocator for the large arrays an event touches at random (a population's records, the event set's
// storage): arrays of 2 MiB or more are aligned to 2 MiB and offered to the kernel for huge pages.
//
// Why: a record read at random in a few hundred megabytes misses the translation cache as well as the data
// cache, and on a virtual machine that page walk costs as much as the read itself. With 2 MiB pages one
// translation covers 512 times as much memory. Linux backs the range with huge pages when transparent huge
// pages are "always" or "madvise" (Debian's default is madvise); elsewhere this is the plain allocator.
// Changes nothing a program can observe but its speed.
#pragma once

#include <cstddef>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ehsim::kernel {

template <class T>
struct HugePageAllocator {
    using value_type = T;
    static constexpr std::size_t kHugePage = std::size_t{1} << 21;

    HugePageAllocator() = default;
    template <class U>
    HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // implicit, as std::allocator's

    T* allocate(std::size_t count) {
        if (count > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
        const std::size_t bytes = count * sizeof(T);
        if (bytes < kHugePage) return static_cast<T*>(::operator new (bytes, std::align_val_t{alignof(T)}));
        // Whole huge pages: the tail of the last one is unused (and a size that cannot be rounded is refused).
        if (bytes > static_cast<std::size_t>(-1) - (kHugePage - 1)) throw std::bad_array_new_length();
        const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
        void* memory = ::operator new (rounded, std::align_val_t{kHugePage});
#if defined(__linux__) && defined(MADV_HUGEPAGE)
        madvise(memory, rounded, MADV_HUGEPAGE);  // a hint: refused, the pages are ordinary ones
#endif
        return static_cast<T*>(memory);
    }

    void deallocate(T* memory, std::size_t count) noexcept {
        if (count * sizeof(T) < kHugePage)
            ::operator delete (memory, std::align_val_t{alignof(T)});
        else
            ::operator delete (memory, std::align_val_t{kHugePage});
    }

    template <class U>
    friend bool operator==(const HugePageAllocator&, const HugePageAllocator<U>&) noexcept {
        return true;
    }
};

// A vector whose storage, once large, lives in huge pages.
template <class T>
using LargeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace ehsim::kernel
