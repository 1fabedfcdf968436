// M/M/1 with two non-preemptive priority classes against Cobham's formula, class by class.
#include <gtest/gtest.h>

#include "sim/queueing/formulas.hpp"
#include "tests/queueing/replicate.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::queueing {
namespace {

void expect_cobham(const std::vector<double>& arrival_rates) {
    QueueParameters parameters;
    parameters.servers = 1;
    parameters.service_rate = 1.0;
    parameters.arrival_rates = arrival_rates;
    double total = 0.0;
    for (const double rate : arrival_rates) total += rate;
    const double warm_up = 20.0 * testing::relaxation_time(1, 1.0, total);
    const auto results = testing::replicate(parameters, 20, warm_up, 250000.0 / total);
    const auto exact = cobham_priority_waits(arrival_rates, 1.0);
    for (std::size_t priority = 0; priority < arrival_rates.size(); ++priority) {
        kernel::RunningStatistics wait;
        for (const auto& result : results) wait.add(result.mean_wait_by_class[priority]);
        EXPECT_TRUE(testing::within_replication_interval(wait, exact[priority])) << "class " << priority;
    }
}

TEST(PriorityQueue, TwoClassesAtUtilisation07MatchCobham) { expect_cobham({0.3, 0.4}); }

TEST(PriorityQueue, TwoClassesAtUtilisation09MatchCobham) { expect_cobham({0.45, 0.45}); }

}  // namespace
}  // namespace ehsim::queueing
