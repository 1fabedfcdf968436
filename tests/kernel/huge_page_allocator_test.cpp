#include "sim/kernel/huge_page_allocator.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>

namespace ehsim::kernel {
namespace {

struct ThreeLines {
    double values[23];
};

TEST(HugePageAllocator, ASmallArrayIsAnOrdinaryOneAndALargeOneStartsOnAHugePage) {
    HugePageAllocator<ThreeLines> allocator;
    ThreeLines* small = allocator.allocate(10);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(small) % alignof(ThreeLines), 0u);
    const std::size_t large_count = HugePageAllocator<ThreeLines>::kHugePage / sizeof(ThreeLines) + 1;
    ThreeLines* large = allocator.allocate(large_count);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(large) % HugePageAllocator<ThreeLines>::kHugePage, 0u);
    large[large_count - 1].values[22] = 1.0;  // the whole range is usable (AddressSanitizer checks it)
    small[9].values[22] = 1.0;
    allocator.deallocate(large, large_count);
    allocator.deallocate(small, 10);
}

TEST(HugePageAllocator, AnImpossibleSizeIsRefused) {
    HugePageAllocator<ThreeLines> allocator;
    EXPECT_THROW((void)allocator.allocate(static_cast<std::size_t>(-1) / sizeof(ThreeLines) + 1),
                 std::bad_array_new_length);
    // A size that fits in size_t but cannot be rounded up to whole huge pages.
    HugePageAllocator<char> bytes;
    EXPECT_THROW((void)bytes.allocate(static_cast<std::size_t>(-1)), std::bad_array_new_length);
}

TEST(HugePageAllocator, AVectorGrowingThroughTheThresholdKeepsItsContents) {
    LargeVector<std::uint64_t> values;
    const std::size_t count = 3 * HugePageAllocator<std::uint64_t>::kHugePage / sizeof(std::uint64_t);
    for (std::size_t i = 0; i < count; ++i) values.push_back(i * 7);
    std::uint64_t expected = 0;
    for (std::size_t i = 0; i < count; ++i) expected += i * 7;
    EXPECT_EQ(std::accumulate(values.begin(), values.end(), std::uint64_t{0}), expected);
    LargeVector<std::uint64_t> copy = values;
    EXPECT_EQ(copy, values);
}

}  // namespace
}  // namespace ehsim::kernel
