// Every operator new in the test program is counted (allocation_counter.cpp replaces the global one), so
// that a test can prove a stretch of the event loop allocates nothing.
#pragma once

#include <cstdint>

namespace ehsim::testing {
std::uint64_t allocations_so_far();
}  // namespace ehsim::testing
