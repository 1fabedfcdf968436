// M/M/c+M (Erlang A): customers give up after an exponential patience; the share who abandon, the
// share who wait and the mean queue length against the exact birth-death solution.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sim/queueing/formulas.hpp"
#include "tests/queueing/replicate.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::queueing {
namespace {

struct Case {
    int servers;
    double arrival_rate;
    double patience_mean;
};

class ErlangATest : public ::testing::TestWithParam<Case> {};

TEST_P(ErlangATest, AbandonmentWaitingAndQueueLengthMatchTheExactSolution) {
    const Case c = GetParam();
    QueueParameters parameters;
    parameters.servers = c.servers;
    parameters.service_rate = 1.0;
    parameters.arrival_rates = {c.arrival_rate};
    parameters.patience_mean = c.patience_mean;
    const auto exact = erlang_a(c.servers, c.arrival_rate, 1.0, 1.0 / c.patience_mean);
    // Abandonment makes the queue stable even when overloaded; 200 patience times forget the start.
    const auto results = testing::replicate(parameters, 20, 200.0 * c.patience_mean, 250000.0 / c.arrival_rate);
    kernel::RunningStatistics abandoning, all_busy, queue, little;
    for (const auto& result : results) {
        abandoning.add(result.probability_of_giving_up);
        all_busy.add(result.probability_all_busy);
        queue.add(result.mean_queue_length);
        little.add((result.queue_length_area - result.time_in_queue_sum) / result.window_days);
    }
    EXPECT_TRUE(testing::within_replication_interval(abandoning, exact.probability_of_abandoning)) << "P(abandon)";
    EXPECT_TRUE(testing::within_replication_interval(all_busy, exact.probability_of_waiting)) << "P(wait)";
    EXPECT_TRUE(testing::within_replication_interval(queue, exact.mean_queue_length)) << "Lq";
    EXPECT_TRUE(testing::within_replication_interval(little, 0.0)) << "Little's law with abandonment";
}

INSTANTIATE_TEST_SUITE_P(Cases, ErlangATest,
                         ::testing::Values(Case{5, 5.0, 2.0},    // critically loaded, impatient
                                           Case{10, 9.0, 10.0},  // rho 0.9, patient
                                           Case{3, 4.5, 1.0}));  // overloaded: abandonment balances it

}  // namespace
}  // namespace ehsim::queueing
