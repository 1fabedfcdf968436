// Runs a queueing model over independent replications for the statistical tests.
#pragma once

#include <cmath>
#include <vector>

#include "sim/kernel/replications.hpp"
#include "sim/queueing/queueing_model.hpp"

namespace ehsim::testing {

// The time for an M/M/c queue to forget its start, 1 / (c mu (1 - sqrt(rho))^2) (the relaxation time
// of heavy-traffic theory); twenty of them make the warm-up, so the empty start does not bias results.
inline double relaxation_time(int servers, double service_rate, double utilisation) {
    const double gap = 1.0 - std::sqrt(utilisation);
    return 1.0 / (servers * service_rate * gap * gap);
}

inline std::vector<queueing::QueueResults> replicate(const queueing::QueueParameters& parameters,
                                                     std::uint64_t replications, double warm_up, double window,
                                                     std::uint64_t seed = 20261123) {
    const kernel::RandomStreams streams(seed);
    return kernel::run_replications(replications, kernel::default_thread_count(), [&](std::uint64_t replication) {
        return queueing::QueueingModel(parameters, streams, replication).run_window(warm_up, window);
    });
}

}  // namespace ehsim::testing
