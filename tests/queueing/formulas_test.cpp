// The analytic formulas themselves, against values published or derived independently.
#include "sim/queueing/formulas.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace ehsim::queueing {
namespace {

TEST(ErlangC, SingleServerReducesToMM1) {
    const auto result = erlang_c(1, 0.5, 1.0);
    EXPECT_NEAR(result.probability_of_waiting, 0.5, 1e-12);
    EXPECT_NEAR(result.mean_wait, 1.0, 1e-12);  // rho / (mu - lambda)
    EXPECT_NEAR(result.mean_queue_length, 0.5, 1e-12);
    EXPECT_NEAR(result.mean_number_in_system, 1.0, 1e-12);  // rho / (1 - rho)
}

TEST(ErlangC, MatchesThePeerKitsReferenceValue) {
    // ../shared/peers/erlang_c.py, M/M/10 at rho = 0.9: P(wait > 0) = Wq = 0.668732.
    const auto result = erlang_c(10, 9.0, 1.0);
    EXPECT_NEAR(result.probability_of_waiting, 0.668732, 1e-6);
    EXPECT_NEAR(result.mean_wait, 0.668732, 1e-6);
}

TEST(ErlangC, RejectsAnUnstableQueue) {
    EXPECT_THROW(erlang_c(2, 2.0, 1.0), std::invalid_argument);
    EXPECT_THROW(erlang_c(0, 0.5, 1.0), std::invalid_argument);
}

TEST(Cobham, OneClassIsMM1AndTwoClassesFollowTheFormula) {
    EXPECT_NEAR(cobham_priority_waits({0.7}, 1.0).at(0), 0.7 / 0.3, 1e-12);
    const auto waits = cobham_priority_waits({0.3, 0.4}, 1.0);
    EXPECT_NEAR(waits.at(0), 0.7 / (1.0 * 0.7), 1e-12);
    EXPECT_NEAR(waits.at(1), 0.7 / (0.7 * 0.3), 1e-12);
    // Conservation: the load-weighted mean wait equals the FIFO M/M/1 wait (Kleinrock).
    EXPECT_NEAR((0.3 * waits[0] + 0.4 * waits[1]) / 0.7, 0.7 / 0.3, 1e-12);
}

double poisson_probability(int n, double mean) { return std::exp(n * std::log(mean) - mean - std::lgamma(n + 1.0)); }

TEST(ErlangA, WithPatienceEqualToServiceTimeIsAnInfiniteServerQueue) {
    // theta = mu: every customer leaves at rate mu whether served or not, so N ~ Poisson(lambda / mu).
    const int servers = 5;
    const double offered = 6.0;
    const auto result = erlang_a(servers, offered, 1.0, 1.0);
    double all_busy = 0.0, queue = 0.0;
    for (int n = servers; n < 200; ++n) {
        all_busy += poisson_probability(n, offered);
        queue += (n - servers) * poisson_probability(n, offered);
    }
    EXPECT_NEAR(result.probability_of_waiting, all_busy, 1e-10);
    EXPECT_NEAR(result.mean_queue_length, queue, 1e-10);
    EXPECT_NEAR(result.probability_of_abandoning, queue / offered, 1e-10);
}

TEST(ErlangA, WithAlmostInfinitePatienceApproachesErlangC) {
    const auto patient = erlang_a(5, 4.0, 1.0, 1e-9);
    const auto exact = erlang_c(5, 4.0, 1.0);
    EXPECT_NEAR(patient.probability_of_waiting, exact.probability_of_waiting, 1e-6);
    EXPECT_NEAR(patient.mean_queue_length, exact.mean_queue_length, 1e-5);
    EXPECT_LT(patient.probability_of_abandoning, 1e-8);
}

}  // namespace
}  // namespace ehsim::queueing
