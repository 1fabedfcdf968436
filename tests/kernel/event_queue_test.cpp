#include "sim/kernel/event_queue.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <tuple>
#include <vector>

namespace ehsim::kernel {
namespace {

TEST(EventQueue, PopsInTimeOrder) {
    EventQueue queue;
    queue.push(3.0, 3, 0, 0);
    queue.push(1.0, 1, 0, 0);
    queue.push(2.0, 2, 0, 0);
    std::vector<EventKind> kinds;
    while (!queue.empty()) kinds.push_back(queue.pop().kind);
    EXPECT_EQ(kinds, (std::vector<EventKind>{1, 2, 3}));
}

TEST(EventQueue, SimultaneousEventsRunByRankThenInSchedulingOrder) {
    EventQueue queue;
    queue.push(5.0, 10, 0, 1);
    queue.push(5.0, 11, 0, 0);
    queue.push(5.0, 12, 0, 1);
    queue.push(5.0, 13, 0, 0);
    queue.push(4.0, 14, 0, 7);
    std::vector<EventKind> kinds;
    while (!queue.empty()) kinds.push_back(queue.pop().kind);
    EXPECT_EQ(kinds, (std::vector<EventKind>{14, 11, 13, 10, 12}));
}

TEST(EventQueue, CancelledEventsNeverRunAndCancelOnlyOnce) {
    EventQueue queue;
    const EventHandle first = queue.push_cancellable(1.0, 1, 0, 0);
    const EventHandle second = queue.push_cancellable(2.0, 2, 0, 0);
    queue.push(3.0, 3, 0, 0);
    EXPECT_EQ(queue.size(), 3u);
    EXPECT_TRUE(queue.cancel(first));
    EXPECT_FALSE(queue.cancel(first));
    EXPECT_EQ(queue.size(), 2u);
    EXPECT_EQ(queue.pop().kind, 2u);
    EXPECT_FALSE(queue.cancel(second)) << "an event that already ran cannot be cancelled";
    EXPECT_EQ(queue.pop().kind, 3u);
    EXPECT_TRUE(queue.empty());
    EXPECT_EQ(queue.peek(), nullptr);
}

TEST(EventQueue, AStaleHandleDoesNotCancelTheEventThatReusedItsSlot) {
    EventQueue queue;
    const EventHandle old = queue.push_cancellable(1.0, 1, 0, 0);
    EXPECT_EQ(queue.pop().kind, 1u);
    const EventHandle reused = queue.push_cancellable(2.0, 2, 0, 0);
    EXPECT_EQ(reused.slot, old.slot);
    EXPECT_FALSE(queue.cancel(old));
    EXPECT_EQ(queue.size(), 1u);
    EXPECT_EQ(queue.pop().kind, 2u);
}

TEST(EventQueue, DefaultHandleCancelsNothing) {
    EventQueue queue;
    queue.push_cancellable(1.0, 1, 0, 0);
    EXPECT_FALSE(queue.cancel(EventHandle{}));
    EXPECT_EQ(queue.size(), 1u);
}

TEST(EventQueue, RejectsARankOutOfRange) {
    EventQueue queue;
    EXPECT_THROW(queue.push(1.0, 1, 0, EventQueue::kMaxRank + 1), std::invalid_argument);
}

// Property: against an ordered multimap keyed by (time, rank, sequence), over random pushes, pops
// and cancellations with many ties, the heap yields exactly the same sequence.
TEST(EventQueue, AgreesWithAReferenceOrderUnderRandomOperations) {
    std::mt19937_64 random(42);
    EventQueue queue;
    using Key = std::tuple<double, std::uint32_t, std::uint64_t>;
    std::map<Key, EventKind> reference;
    std::vector<std::pair<EventHandle, Key>> cancellable;
    std::uint64_t sequence = 0;
    for (int step = 0; step < 200000; ++step) {
        const auto action = random() % 10;
        if (action < 5) {
            const double time = static_cast<double>(random() % 50);  // many ties on purpose
            const auto rank = static_cast<std::uint32_t>(random() % 3);
            const auto kind = static_cast<EventKind>(sequence);
            const Key key{time, rank, sequence++};
            if (random() % 2) {
                cancellable.emplace_back(queue.push_cancellable(time, kind, 0, rank), key);
            } else {
                queue.push(time, kind, 0, rank);
            }
            reference.emplace(key, kind);
        } else if (action < 7 && !cancellable.empty()) {
            const std::size_t index = random() % cancellable.size();
            const bool pending = reference.count(cancellable[index].second) > 0;
            EXPECT_EQ(queue.cancel(cancellable[index].first), pending);
            reference.erase(cancellable[index].second);
            cancellable[index] = cancellable.back();
            cancellable.pop_back();
        } else if (!reference.empty()) {
            ASSERT_FALSE(queue.empty());
            const Event event = queue.pop();
            ASSERT_EQ(event.kind, reference.begin()->second);
            ASSERT_EQ(event.time, std::get<0>(reference.begin()->first));
            reference.erase(reference.begin());
        }
        ASSERT_EQ(queue.size(), reference.size());
    }
}

}  // namespace
}  // namespace ehsim::kernel
