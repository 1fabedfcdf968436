// Handing a freed server to whoever waits: the one rule of every pool with a line (a team's caseload places,
// a front door's screeners), written once.
#pragma once

#include "sim/kernel/server_pool.hpp"
#include "sim/kernel/simulation.hpp"
#include "sim/kernel/waiting_line.hpp"

namespace ehsim::kernel {

// A server has finished: it goes straight to the first in line, unless nobody waits or a cut has left the
// pool over its capacity, in which case it is released (a cut takes effect as servers are freed).
template <class Serve>
void hand_over_or_release(ServerPool& pool, WaitingLine& line, Simulation& simulation, Serve&& serve) {
    if (pool.in_use() > pool.capacity() || line.empty()) {
        pool.release(simulation.now());
        return;
    }
    serve(line.serve_next(simulation).subject);
}

// Capacity that has grown serves those waiting at once, in the line's order.
template <class Serve>
void fill_free_servers(ServerPool& pool, WaitingLine& line, Simulation& simulation, Serve&& serve) {
    while (!line.empty() && pool.try_seize(simulation.now())) serve(line.serve_next(simulation).subject);
}

}  // namespace ehsim::kernel
