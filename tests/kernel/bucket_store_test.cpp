#include "sim/kernel/bucket_store.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <vector>

namespace ehsim::kernel {
namespace {

// Chunks of three records, so that every bag of a few records spans chunks.
using SmallStore = BucketStore<int, 3>;

std::vector<int> drained(SmallStore& store, std::size_t bag) {
    std::vector<int> records;
    store.drain(bag, [&](int record) { records.push_back(record); });
    return records;
}

TEST(BucketStore, DrainsEachBagInTheOrderItWasFilled) {
    SmallStore store(3);
    for (int i = 0; i < 10; ++i) store.add(static_cast<std::size_t>(i % 2), i);
    EXPECT_TRUE(store.empty(2));
    EXPECT_EQ(drained(store, 1), (std::vector<int>{1, 3, 5, 7, 9}));
    EXPECT_TRUE(store.empty(1));
    EXPECT_EQ(drained(store, 0), (std::vector<int>{0, 2, 4, 6, 8}));
    EXPECT_TRUE(drained(store, 2).empty());
}

// Property: against a deque per bag, over random adds, drains, filters and clears, every bag holds
// exactly the records it should, in order, and the chunks freed are reused (the pool never grows
// past what the records need plus one part-filled chunk per bag).
TEST(BucketStore, AgreesWithADequePerBag) {
    constexpr std::size_t kBags = 5;
    std::mt19937 random(7);
    SmallStore store(kBags);
    std::vector<std::deque<int>> reference(kBags);
    int next = 0;
    for (int step = 0; step < 20000; ++step) {
        const std::size_t bag = random() % kBags;
        const auto action = random() % 20;
        if (action < 12) {
            store.add(bag, next);
            reference[bag].push_back(next++);
        } else if (action < 15) {
            const std::vector<int> records = drained(store, bag);
            ASSERT_EQ(records, std::vector<int>(reference[bag].begin(), reference[bag].end()));
            reference[bag].clear();
        } else if (action < 19) {
            const int divisor = 2 + static_cast<int>(random() % 3);
            const int remainder = static_cast<int>(random() % 2);
            store.filter(bag, [&](int record) { return record % divisor != remainder; });
            std::erase_if(reference[bag], [&](int record) { return record % divisor == remainder; });
            ASSERT_EQ(store.empty(bag), reference[bag].empty());
        } else if (step % 1000 == 19) {
            store.clear();
            for (auto& records : reference) records.clear();
        }
    }
    for (std::size_t bag = 0; bag < kBags; ++bag)
        EXPECT_EQ(drained(store, bag), std::vector<int>(reference[bag].begin(), reference[bag].end()));
}

TEST(BucketStore, ReusesFreedChunksBeforeGrowing) {
    SmallStore store(2);
    for (int round = 0; round < 100; ++round) {
        for (int i = 0; i < 12; ++i) store.add(static_cast<std::size_t>(i % 2), i);
        store.filter(0, [](int record) { return record > 6; });
        EXPECT_EQ(drained(store, 0), (std::vector<int>{8, 10}));
        EXPECT_EQ(drained(store, 1), (std::vector<int>{1, 3, 5, 7, 9, 11}));
    }
    EXPECT_EQ(store.chunks_allocated(), 4u) << "two bags of six records: two chunks each, reused every round";
}

}  // namespace
}  // namespace ehsim::kernel
