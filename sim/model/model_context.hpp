// What every component of the model shares: the clock and event set, the random streams, the parameters
// in force and the monthly ledger. Components schedule through it, so each event's same-time rank comes
// from the one table in event_kinds.hpp.
#pragma once

#include <cstdint>

#include "sim/kernel/random_streams.hpp"
#include "sim/kernel/simulation.hpp"
#include "sim/model/calendar.hpp"
#include "sim/model/event_kinds.hpp"
#include "sim/model/ledger.hpp"
#include "sim/model/parameters.hpp"

namespace ehsim::model {

struct ModelContext {
    const Scenario* parameters = nullptr;  // in force now: the scenario run, or its latest change
    const Scenario* run = nullptr;         // the scenario run: its sites at the start and its changes
    kernel::RandomStreams streams{0};
    std::uint64_t replication = 0;
    kernel::Simulation simulation;
    Calendar calendar;  // the warm-up's months, then the reported ones
    int warm_up_months = 0;
    Ledger ledger;

    double now() const { return simulation.now(); }

    void schedule_at(double time, EventKind kind, std::uint32_t subject) {
        simulation.schedule_at(time, static_cast<kernel::EventKind>(kind), subject, same_time_rank(kind));
    }
    void schedule_in(double delay, EventKind kind, std::uint32_t subject) {
        simulation.schedule_in(delay, static_cast<kernel::EventKind>(kind), subject, same_time_rank(kind));
    }
    kernel::EventHandle schedule_cancellable_at(double time, EventKind kind, std::uint32_t subject) {
        return simulation.schedule_cancellable_at(time, static_cast<kernel::EventKind>(kind), subject,
                                                  same_time_rank(kind));
    }
    kernel::EventHandle schedule_cancellable_in(double delay, EventKind kind, std::uint32_t subject) {
        return simulation.schedule_cancellable_in(delay, static_cast<kernel::EventKind>(kind), subject,
                                                  same_time_rank(kind));
    }
};

}  // namespace ehsim::model
