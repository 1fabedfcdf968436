#include "sim/kernel/simulation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace ehsim::kernel {
namespace {

struct Recorder {
    Simulation* simulation;
    std::vector<std::pair<double, EventKind>> seen;
    void operator()(const Event& event) { seen.emplace_back(simulation->now(), event.kind); }
};

TEST(Simulation, ClockFollowsEventsAndRunUntilStopsBeforeTheEnd) {
    Simulation simulation;
    Recorder recorder{&simulation, {}};
    simulation.schedule_at(1.5, 1);
    simulation.schedule_at(3.0, 2);
    simulation.schedule_at(4.0, 3);
    simulation.run_until(3.0, recorder);
    // The event at exactly 3.0 belongs to the next interval: [0, 3) then [3, ...).
    EXPECT_EQ(recorder.seen, (std::vector<std::pair<double, EventKind>>{{1.5, 1}}));
    EXPECT_EQ(simulation.now(), 3.0);
    simulation.run_for(1.0, recorder);
    EXPECT_EQ(recorder.seen, (std::vector<std::pair<double, EventKind>>{{1.5, 1}, {3.0, 2}}));
    EXPECT_EQ(simulation.now(), 4.0);
    simulation.run(recorder);
    EXPECT_EQ(recorder.seen.back(), (std::pair<double, EventKind>{4.0, 3}));
    EXPECT_EQ(simulation.events_processed(), 3u);
}

TEST(Simulation, HandlersScheduleRelativeToNowAndZeroDelayRunsAfterEarlierSameTimeEvents) {
    Simulation simulation;
    std::vector<std::pair<double, EventKind>> seen;
    auto handler = [&](const Event& event) {
        seen.emplace_back(simulation.now(), event.kind);
        if (event.kind == 1) {
            simulation.schedule_in(0.0, 3);  // a same-day hand-off
            simulation.schedule_in(2.0, 4);
        }
    };
    simulation.schedule_at(1.0, 1);
    simulation.schedule_at(1.0, 2);
    simulation.run(handler);
    EXPECT_EQ(seen, (std::vector<std::pair<double, EventKind>>{{1.0, 1}, {1.0, 2}, {1.0, 3}, {3.0, 4}}));
}

TEST(Simulation, CancelledEventDoesNotRun) {
    Simulation simulation;
    Recorder recorder{&simulation, {}};
    const EventHandle handle = simulation.schedule_cancellable_in(2.0, 7);
    simulation.schedule_in(1.0, 1);
    EXPECT_TRUE(simulation.cancel(handle));
    simulation.run(recorder);
    EXPECT_EQ(recorder.seen, (std::vector<std::pair<double, EventKind>>{{1.0, 1}}));
    EXPECT_EQ(simulation.pending_events(), 0u);
}

TEST(Simulation, StopReturnsAfterTheCurrentEvent) {
    Simulation simulation;
    int handled = 0;
    auto handler = [&](const Event&) {
        if (++handled == 2) simulation.stop();
    };
    for (int i = 1; i <= 5; ++i) simulation.schedule_at(i, 0);
    simulation.run_until(100.0, handler);
    EXPECT_EQ(handled, 2);
    EXPECT_EQ(simulation.now(), 2.0);
    EXPECT_EQ(simulation.pending_events(), 3u);
}

TEST(Simulation, StepRunsOneEvent) {
    Simulation simulation;
    Recorder recorder{&simulation, {}};
    simulation.schedule_at(2.0, 1);
    EXPECT_TRUE(simulation.step(recorder));
    EXPECT_FALSE(simulation.step(recorder));
    EXPECT_EQ(simulation.now(), 2.0);
}

TEST(Simulation, RejectsEventsInThePastOrAtNonFiniteTimes) {
    Simulation simulation;
    Recorder recorder{&simulation, {}};
    simulation.run_until(10.0, recorder);
    EXPECT_THROW(simulation.schedule_at(9.0, 0), std::invalid_argument);
    EXPECT_THROW(simulation.schedule_in(-1.0, 0), std::invalid_argument);
    EXPECT_THROW(simulation.schedule_at(std::numeric_limits<double>::quiet_NaN(), 0), std::invalid_argument);
    EXPECT_THROW(simulation.schedule_at(std::numeric_limits<double>::infinity(), 0), std::invalid_argument);
    EXPECT_THROW(simulation.run_until(5.0, recorder), std::invalid_argument);
    EXPECT_NO_THROW(simulation.schedule_at(10.0, 0));
}

// A handler's prefetch(...) is a hint only: it sees every event before it runs (the events of a slice as they
// enter the heap, and the next event), and the events that run, their order and their clock are those of
// the same handler without it.
struct HintedRecorder {
    Simulation* simulation;
    std::vector<std::pair<double, EventKind>> seen;
    mutable std::vector<std::pair<std::size_t, EventKind>> hinted;  // (events run by then, kind hinted)
    std::vector<std::pair<std::size_t, EventKind>> scheduled;       // (events run by then, kind scheduled)
    void operator()(const Event& event) {
        seen.emplace_back(simulation->now(), event.kind);
        if (event.kind % 3 == 0) {
            simulation->schedule_in(0.5 * (event.kind % 5), event.kind + 1);
            scheduled.emplace_back(seen.size(), event.kind + 1);
        }
    }
    void prefetch(const Event& event) const { hinted.emplace_back(seen.size(), event.kind); }
};

TEST(Simulation, APrefetchHintSeesEveryEventBeforeItRunsAndChangesNothing) {
    Simulation plain, hinted;
    Recorder recorder{&plain, {}};
    HintedRecorder hinted_recorder{&hinted, {}, {}, {}};
    for (EventKind kind = 0; kind < 40; ++kind) {
        plain.schedule_at(0.25 * ((kind * 7) % 13), kind);
        hinted.schedule_at(0.25 * ((kind * 7) % 13), kind);
    }
    auto rescheduling = [&](const Event& event) {
        recorder(event);
        if (event.kind % 3 == 0) plain.schedule_in(0.5 * (event.kind % 5), event.kind + 1);
    };
    plain.run_until(100.0, rescheduling);
    hinted.run_until(100.0, hinted_recorder);
    EXPECT_EQ(hinted_recorder.seen, recorder.seen);
    ASSERT_FALSE(hinted_recorder.hinted.empty());
    // Event j (from the second) was hinted before it ran, that is while event j - 1 or an earlier one ran,
    // unless event j - 1's handler scheduled it (then the model has just touched what it touches); and the
    // last hint given before it mostly names it.
    const auto& hints = hinted_recorder.hinted;
    const auto& seen = hinted_recorder.seen;
    std::size_t named_last = 0;
    for (std::size_t j = 1; j < seen.size(); ++j) {
        bool before = false;
        const EventKind* last = nullptr;
        for (const auto& [events_run, kind] : hints)
            if (events_run < j) {
                before = before || kind == seen[j].second;
                last = &kind;
            }
        const bool just_scheduled = std::find(hinted_recorder.scheduled.begin(), hinted_recorder.scheduled.end(),
                                              std::pair{j, seen[j].second}) != hinted_recorder.scheduled.end();
        EXPECT_TRUE(before || just_scheduled) << "event " << j << " (kind " << seen[j].second << ") ran unhinted";
        named_last += last != nullptr && *last == seen[j].second;
    }
    EXPECT_GT(2 * named_last, seen.size());
}

}  // namespace
}  // namespace ehsim::kernel
