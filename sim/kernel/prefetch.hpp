// A hint to start loading memory that is about to be read, for state too large for the cache.
#pragma once

#include <cstddef>

namespace ehsim::kernel {

// Starts loading the cache lines of [address, address + bytes). Changes nothing a program can observe.
inline void prefetch(const void* address, std::size_t bytes = 1) {
    const char* first = static_cast<const char*>(address);
    // GCC 12 deletes a prefetch whose address it sees is not loaded nearby; the empty asm keeps it.
    asm volatile("" : : "r"(first));
    for (std::size_t line = 0; line < bytes; line += 64) __builtin_prefetch(first + line);
}

}  // namespace ehsim::kernel
