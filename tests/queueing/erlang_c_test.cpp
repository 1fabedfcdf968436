// M/M/c on the kernel against Erlang C and Little's law, c = 1, 5, 20 at utilisation 0.5, 0.8, 0.95.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "sim/queueing/formulas.hpp"
#include "tests/queueing/replicate.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::queueing {
namespace {

constexpr std::uint64_t kReplications = 20;
constexpr double kArrivalsPerReplication = 250000;  // about 500,000 events each

struct Case {
    int servers;
    double utilisation;
};

class ErlangCTest : public ::testing::TestWithParam<Case> {
protected:
    static std::vector<QueueResults> simulate(const Case& c, double service_rate = 1.0) {
        QueueParameters parameters;
        parameters.servers = c.servers;
        parameters.service_rate = service_rate;
        parameters.arrival_rates = {c.utilisation * c.servers * service_rate};
        const double warm_up = 20.0 * testing::relaxation_time(c.servers, service_rate, c.utilisation);
        return testing::replicate(parameters, kReplications, warm_up,
                                  kArrivalsPerReplication / parameters.arrival_rates[0]);
    }
};

TEST_P(ErlangCTest, MeanWaitProbabilityOfWaitingQueueLengthAndLittlesLaw) {
    const Case c = GetParam();
    const double arrival_rate = c.utilisation * c.servers;
    const auto exact = erlang_c(c.servers, arrival_rate, 1.0);
    kernel::RunningStatistics wait, waiting, queue, in_system, utilisation, little_queue, little_system;
    for (const auto& result : simulate(c)) {
        wait.add(result.mean_wait);
        waiting.add(result.probability_of_waiting);
        queue.add(result.mean_queue_length);
        in_system.add(result.mean_number_in_system);
        utilisation.add(result.utilisation);
        // Little's law on each path: the area under the queue length equals the summed time in queue,
        // up to customers straddling the window's edges, whose effects cancel in expectation.
        little_queue.add((result.queue_length_area - result.time_in_queue_sum) / result.window_days);
        little_system.add((result.number_in_system_area - result.time_in_system_sum) / result.window_days);
    }
    EXPECT_TRUE(testing::within_replication_interval(wait, exact.mean_wait)) << "Wq";
    EXPECT_TRUE(testing::within_replication_interval(waiting, exact.probability_of_waiting)) << "P(wait > 0)";
    EXPECT_TRUE(testing::within_replication_interval(queue, exact.mean_queue_length)) << "Lq";
    EXPECT_TRUE(testing::within_replication_interval(in_system, exact.mean_number_in_system)) << "L";
    EXPECT_TRUE(testing::within_replication_interval(utilisation, c.utilisation)) << "utilisation";
    EXPECT_TRUE(testing::within_replication_interval(little_queue, 0.0)) << "Lq = lambda Wq";
    EXPECT_TRUE(testing::within_replication_interval(little_system, 0.0)) << "L = lambda W";
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    // snprintf rather than string concatenation: GCC 12 warns falsely (-Wrestrict) on the latter.
    char name[32];
    std::snprintf(name, sizeof name, "c%d_rho%d", info.param.servers,
                  static_cast<int>(info.param.utilisation * 100 + 0.5));
    return name;
}

INSTANTIATE_TEST_SUITE_P(ServersAndUtilisations, ErlangCTest,
                         ::testing::Values(Case{1, 0.5}, Case{1, 0.8}, Case{1, 0.95}, Case{5, 0.5}, Case{5, 0.8},
                                           Case{5, 0.95}, Case{20, 0.5}, Case{20, 0.8}, Case{20, 0.95}),
                         case_name);

// Negative control: the same check must reject a kernel that is slightly wrong. A service rate 3%
// too fast (as a bug in a distribution's parameters would give) must fall outside the interval.
TEST(ErlangCNegativeControl, AThreePerCentErrorInTheServiceRateIsDetected) {
    const Case c{5, 0.8};
    QueueParameters parameters;
    parameters.servers = c.servers;
    parameters.service_rate = 1.03;
    parameters.arrival_rates = {4.0};
    const auto results = testing::replicate(parameters, kReplications, 200.0, kArrivalsPerReplication / 4.0);
    kernel::RunningStatistics wait;
    for (const auto& result : results) wait.add(result.mean_wait);
    EXPECT_FALSE(testing::within_replication_interval(wait, erlang_c(5, 4.0, 1.0).mean_wait));
}

}  // namespace
}  // namespace ehsim::queueing
