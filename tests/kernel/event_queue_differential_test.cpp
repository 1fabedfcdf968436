// The event set against the simplest correct one: an ordered map keyed by (time, rank, sequence). Random
// pushes near and far (same instant, bucket edges, years ahead, beyond the ring, huge and infinite times),
// cancellations (of pending, run and cancelled events), bursts of cancellations that force a compaction,
// clear(), and the clock driven by run_until to random ends; every event popped must be the reference's
// first, so the whole sequence is the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/kernel/event_queue.hpp"
#include "sim/kernel/simulation.hpp"

namespace ehsim::kernel {
namespace {

using Key = std::tuple<Time, std::uint32_t, std::uint64_t>;  // time, rank, scheduling sequence

// What the tests schedule: times drawn to hit every path of the queue, and the reference order.
class Driver {
public:
    explicit Driver(std::uint64_t seed) : random_(seed) {}

    // A time at or after `now`: mostly near, often tied, sometimes years ahead or huge.
    Time draw_time(Time now, bool allow_huge) { return std::max(now, draw_time_near(now, allow_huge)); }

    // The same, before rounding at huge times (where a day added to a time can be lost) is corrected.
    Time draw_time_near(Time now, bool allow_huge) {
        const Time day = std::floor(now);
        switch (random_() % 16) {
            case 0:
                return now;
            case 1:
                return now + static_cast<Time>(random_() % 4) * 0.25;
            case 2:
                return day + static_cast<Time>(1 + random_() % 3);  // exactly on a bucket edge
            case 3:
                return std::nextafter(day + 1.0, 0.0);  // just before one
            case 4:
                return now + uniform(0.0, 3.0);
            case 5:
                return now + uniform(0.0, 60.0);
            case 6:
                return day + static_cast<Time>(1 + random_() % 400);  // whole days: ties across buckets
            case 7:
                return now + uniform(365.0, 3650.0);
            case 8:
                return now + uniform(3650.0, 40000.0);  // beyond the ring
            case 9:
                return day + static_cast<Time>(EventQueue::kBuckets) + static_cast<Time>(random_() % 3) - 1.0;
            case 10:
                if (allow_huge && random_() % 8 == 0) return huge();
                return now + uniform(0.0, 1.0);
            default:
                if (!used_.empty()) {
                    const Time earlier = used_[random_() % used_.size()];
                    if (earlier >= now) return earlier;  // a far tie with an event already waiting
                }
                return now + uniform(0.0, 10.0);
        }
    }

    std::uint32_t draw_rank() { return static_cast<std::uint32_t>(random_() % 3); }
    bool chance(unsigned in) { return random_() % in == 0; }
    std::size_t index(std::size_t size) { return static_cast<std::size_t>(random_() % size); }
    Time uniform(Time low, Time high) { return std::uniform_real_distribution<Time>(low, high)(random_); }

    // Records a scheduled event in the reference; kinds number events so that a pop names its event.
    EventKind record(Time time, std::uint32_t rank) {
        const auto kind = static_cast<EventKind>(sequence_);
        pending_.emplace(Key{time, rank, sequence_++}, kind);
        if (used_.size() < 256) used_.push_back(time);
        return kind;
    }

    void remember(EventHandle handle, Time time, std::uint32_t rank) {
        handles_.emplace_back(handle, Key{time, rank, sequence_ - 1});
    }

    // Cancels a random handle, pending or not, and checks the queue's answer.
    template <class Cancel>
    void cancel_one(Cancel&& cancel) {
        if (handles_.empty()) return;
        const std::size_t at = index(handles_.size());
        const bool pending = pending_.erase(handles_[at].second) > 0;
        EXPECT_EQ(cancel(handles_[at].first), pending);
        if (chance(3)) {  // keep some handles to run or cancelled events, to cancel them again later
            handles_[at] = handles_.back();
            handles_.pop_back();
        }
    }

    // The event popped must be the reference's first.
    void expect_first(const Event& event) {
        ASSERT_FALSE(pending_.empty());
        const auto first = pending_.begin();
        ASSERT_EQ(event.kind, first->second)
            << "popped at " << event.time << ", expected the event at " << std::get<0>(first->first);
        ASSERT_EQ(event.time, std::get<0>(first->first));
        ASSERT_EQ(event.subject, static_cast<SubjectId>(event.kind * 7));
        pending_.erase(first);
        ++popped_;
    }

    void forget(const Key& key) { pending_.erase(key); }

    void forget_all() {
        pending_.clear();
        handles_.clear();
        used_.clear();
        sequence_ = 0;
    }

    Time huge() {
        static constexpr Time kHuge[] = {1e15, 1e15 + 0.125, 1e300, std::numeric_limits<Time>::max()};
        return kHuge[random_() % 4];
    }

    const std::map<Key, EventKind>& pending() const { return pending_; }
    std::uint64_t popped() const { return popped_; }

private:
    std::mt19937_64 random_;
    std::map<Key, EventKind> pending_;
    std::vector<std::pair<EventHandle, Key>> handles_;
    std::vector<Time> used_;
    std::uint64_t sequence_ = 0;
    std::uint64_t popped_ = 0;
};

void push_one(EventQueue& queue, Driver& driver, Time time) {
    const std::uint32_t rank = driver.draw_rank();
    const EventKind kind = driver.record(time, rank);
    if (driver.chance(2)) {
        driver.remember(queue.push_cancellable(time, kind, kind * 7, rank), time, rank);
    } else {
        queue.push(time, kind, kind * 7, rank);
    }
}

TEST(EventQueueDifferential, PopsExactlyTheReferenceOrder) {
    for (std::uint64_t seed = 1; seed <= 6; ++seed) {
        Driver driver(seed);
        EventQueue queue;
        Time now = 0.0;
        for (int step = 0; step < 60000; ++step) {
            const auto action = driver.index(100);
            if (action < 45) {
                push_one(queue, driver, driver.draw_time(now, true));
            } else if (action < 47) {
                push_one(queue, driver, now - driver.uniform(0.0, 40.0));  // the queue alone allows the past
            } else if (action < 48) {
                push_one(queue, driver, std::numeric_limits<Time>::infinity());
            } else if (action < 60) {
                driver.cancel_one([&](EventHandle handle) { return queue.cancel(handle); });
            } else if (!driver.pending().empty()) {
                ASSERT_FALSE(queue.empty());
                ASSERT_NE(queue.peek(), nullptr);
                const Event event = queue.pop();
                driver.expect_first(event);
                if (::testing::Test::HasFatalFailure()) return;
                now = event.time;
            }
            ASSERT_EQ(queue.size(), driver.pending().size());
            if (step % 20000 == 19999) {  // start again at day 0: cleared, or drained (huge times included)
                if (step % 40000 == 19999) {
                    queue.clear();
                    driver.forget_all();
                } else {
                    while (!driver.pending().empty() && !::testing::Test::HasFatalFailure())
                        driver.expect_first(queue.pop());
                }
                now = 0.0;
                ASSERT_TRUE(queue.empty());
                ASSERT_EQ(queue.peek(), nullptr);
            }
        }
        while (!driver.pending().empty()) driver.expect_first(queue.pop());
        EXPECT_TRUE(queue.empty());
        EXPECT_EQ(queue.peek(), nullptr);
    }
}

// Busy days, as a national model has them: tens of thousands of events a day, so that each day opened is
// cut into slices (up to EventQueue::kMaxSlices), with ties on slice edges (multiples of 1/1024 day and just
// below them), events scheduled into the open day's flushed and unflushed slices as it runs, cancellations
// and compactions among the slices.
TEST(EventQueueDifferential, BusyDaysCutIntoSlicesKeepTheOrder) {
    Driver driver(31);
    EventQueue queue;
    Time now = 0.0;
    std::vector<std::pair<EventHandle, Key>> cancellable;
    const auto on_an_edge = [&](Time day) {
        const Time edge = day + static_cast<Time>(driver.index(1024)) / 1024.0;
        return driver.chance(2) ? edge : std::nextafter(edge, 0.0);
    };
    const auto schedule = [&](Time time) {
        const std::uint32_t rank = driver.draw_rank();
        const EventKind kind = driver.record(time, rank);
        if (driver.chance(3)) {
            cancellable.emplace_back(queue.push_cancellable(time, kind, kind * 7, rank), Key{time, rank, kind});
        } else {
            queue.push(time, kind, kind * 7, rank);
        }
    };
    // Days 0 to 3 hold 20,000, 50,000 (beyond a thousand slices' worth), 40 and 3,000 events.
    const std::size_t per_day[] = {20000, 50000, 40, 3000};
    for (std::size_t day = 0; day < 4; ++day)
        for (std::size_t i = 0; i < per_day[day]; ++i)
            schedule(driver.chance(4) ? on_an_edge(static_cast<Time>(day))
                                      : static_cast<Time>(day) + driver.uniform(0.0, 1.0));
    while (!driver.pending().empty()) {
        const Event event = queue.pop();
        driver.expect_first(event);
        if (::testing::Test::HasFatalFailure()) return;
        now = event.time;
        // As a model runs: now, later in the open day (on and off slice edges), the next days.
        switch (driver.index(8)) {
            case 0:
                schedule(now);
                break;
            case 1:
                schedule(std::max(now, on_an_edge(std::floor(now))));
                break;
            case 2:
                schedule(now + driver.uniform(0.0, 0.01));
                break;
            case 3:
                schedule(now + driver.uniform(0.0, 2.0));
                break;
            case 4:
                if (!cancellable.empty() && driver.chance(2)) {
                    const std::size_t at = driver.index(cancellable.size());
                    const bool pending = driver.pending().count(cancellable[at].second) > 0;
                    EXPECT_EQ(queue.cancel(cancellable[at].first), pending);
                    driver.forget(cancellable[at].second);
                    cancellable[at] = cancellable.back();
                    cancellable.pop_back();
                }
                break;
            default:
                break;
        }
        ASSERT_EQ(queue.size(), driver.pending().size());
        if (driver.popped() == 30000) {  // a burst: most cancellable events cancelled, forcing compactions
            for (const auto& [handle, key] : cancellable)
                if (driver.pending().count(key) > 0 && !driver.chance(8)) {
                    EXPECT_TRUE(queue.cancel(handle));
                    driver.forget(key);
                }
            cancellable.clear();
        }
    }
    EXPECT_TRUE(queue.empty());
    EXPECT_GT(driver.popped(), 60000u);
}

// Bursts of cancellations: the cancelled entries outnumber the live ones, in the heap (due within a day or
// two) and in the ring and the overflow, and are compacted away; the heap is rebuilt without them.
TEST(EventQueueDifferential, CompactionKeepsTheOrder) {
    Driver driver(11);
    EventQueue queue;
    Time now = 0.0;
    for (int round = 0; round < 8; ++round) {
        for (int i = 0; i < 500; ++i) push_one(queue, driver, driver.draw_time(now, false));
        std::vector<std::pair<EventHandle, Key>> burst;
        for (int i = 0; i < 6000; ++i) {
            const Time time = now + (i % 3 == 0 ? driver.uniform(0.0, 2.0) : driver.uniform(0.0, 5000.0));
            const std::uint32_t rank = driver.draw_rank();
            const EventKind kind = driver.record(time, rank);
            burst.emplace_back(queue.push_cancellable(time, kind, kind * 7, rank), Key{time, rank, kind});
        }
        for (std::size_t i = 0; i < burst.size(); ++i) {
            if (i % 6 == 5) continue;  // a sixth stays pending
            ASSERT_TRUE(queue.cancel(burst[i].first));
            ASSERT_FALSE(queue.cancel(burst[i].first));
            driver.forget(burst[i].second);
            ASSERT_EQ(queue.size(), driver.pending().size());
        }
        for (int i = 0; i < 1500 && !driver.pending().empty(); ++i) {
            const Event event = queue.pop();
            driver.expect_first(event);
            if (::testing::Test::HasFatalFailure()) return;
            now = event.time;
        }
    }
    while (!driver.pending().empty() && !::testing::Test::HasFatalFailure()) driver.expect_first(queue.pop());
    EXPECT_TRUE(queue.empty());
}

// The clock as the model drives it: run_until to random ends (on pending events' times, on bucket edges,
// far ahead), with the handler scheduling and cancelling as it runs. Events at exactly `end` stay pending.
TEST(EventQueueDifferential, RunUntilBoundariesKeepTheOrder) {
    for (std::uint64_t seed = 21; seed <= 24; ++seed) {
        Driver driver(seed);
        Simulation simulation;
        const auto schedule = [&](Time time) {
            const std::uint32_t rank = driver.draw_rank();
            const EventKind kind = driver.record(time, rank);
            if (driver.chance(2)) {
                driver.remember(simulation.schedule_cancellable_at(time, kind, kind * 7, rank), time, rank);
            } else {
                simulation.schedule_at(time, kind, kind * 7, rank);
            }
        };
        const auto handler = [&](const Event& event) {
            if (::testing::Test::HasFatalFailure()) return simulation.stop();
            driver.expect_first(event);
            ASSERT_EQ(simulation.now(), event.time);
            const auto more = driver.index(3);
            for (std::size_t i = 0; i < more; ++i) schedule(driver.draw_time(simulation.now(), false));
            if (driver.chance(3)) driver.cancel_one([&](EventHandle handle) { return simulation.cancel(handle); });
        };
        for (int i = 0; i < 2000; ++i) schedule(driver.draw_time(0.0, false));
        for (int call = 0; call < 3000 && !driver.pending().empty(); ++call) {
            Time end = simulation.now();
            switch (driver.index(4)) {
                case 0:
                    end = std::get<0>(driver.pending().begin()->first);
                    break;  // exactly the next event
                case 1:
                    end = std::floor(simulation.now()) + 1.0;
                    break;
                case 2:
                    end += driver.uniform(0.0, 5.0);
                    break;
                default:
                    end += driver.uniform(0.0, 200.0);
                    break;
            }
            simulation.run_until(end, handler);
            if (::testing::Test::HasFatalFailure()) return;
            ASSERT_EQ(simulation.now(), end);
            ASSERT_EQ(simulation.pending_events(), driver.pending().size());
            if (!driver.pending().empty()) {
                ASSERT_GE(std::get<0>(driver.pending().begin()->first), end);
            }
        }
        // Huge but finite times: the ring cannot tell their days apart, and the order still holds.
        for (int i = 0; i < 200; ++i) schedule(driver.huge());
        simulation.run_until(1e300, handler);
        ASSERT_EQ(simulation.now(), 1e300);
        ASSERT_FALSE(driver.pending().empty());
        ASSERT_GE(std::get<0>(driver.pending().begin()->first), 1e300) << "events at exactly 1e300 stay pending";
        simulation.run(handler);
        EXPECT_TRUE(driver.pending().empty());
        EXPECT_EQ(simulation.pending_events(), 0u);
        EXPECT_GT(driver.popped(), 5000u);
    }
}

}  // namespace
}  // namespace ehsim::kernel
