// Same seed, same results to the bit; thread count does not matter; streams by purpose give common
// random numbers across scenarios.
#include <gtest/gtest.h>

#include <cstring>

#include "sim/kernel/replications.hpp"
#include "sim/queueing/queueing_model.hpp"

namespace ehsim::queueing {
namespace {

QueueParameters erlang_a_parameters() {
    QueueParameters parameters;
    parameters.servers = 4;
    parameters.arrival_rates = {1.5, 2.0};
    parameters.service_rate = 1.0;
    parameters.patience_mean = 3.0;
    return parameters;
}

void expect_identical(const QueueResults& a, const QueueResults& b) {
    EXPECT_EQ(a.trajectory_fingerprint, b.trajectory_fingerprint);
    EXPECT_EQ(a.events, b.events);
    EXPECT_EQ(a.arrivals, b.arrivals);
    EXPECT_EQ(a.gave_up, b.gave_up);
    // Bitwise, not approximately: the same seed must give the same doubles.
    EXPECT_EQ(std::memcmp(&a.mean_wait, &b.mean_wait, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&a.mean_queue_length, &b.mean_queue_length, sizeof(double)), 0);
    EXPECT_EQ(std::memcmp(&a.time_in_system_sum, &b.time_in_system_sum, sizeof(double)), 0);
    EXPECT_EQ(a.mean_wait_by_class, b.mean_wait_by_class);
}

TEST(Determinism, SameSeedGivesBitIdenticalResults) {
    const kernel::RandomStreams streams(99);
    const auto first = QueueingModel(erlang_a_parameters(), streams, 0).run_window(100.0, 5000.0);
    const auto second = QueueingModel(erlang_a_parameters(), streams, 0).run_window(100.0, 5000.0);
    expect_identical(first, second);
    EXPECT_GT(first.events, 10000u);
}

TEST(Determinism, DifferentSeedsAndReplicationsGiveDifferentPaths) {
    const auto base = QueueingModel(erlang_a_parameters(), kernel::RandomStreams(99), 0).run_window(100.0, 5000.0);
    const auto other_seed =
        QueueingModel(erlang_a_parameters(), kernel::RandomStreams(100), 0).run_window(100.0, 5000.0);
    const auto other_replication =
        QueueingModel(erlang_a_parameters(), kernel::RandomStreams(99), 1).run_window(100.0, 5000.0);
    EXPECT_NE(base.trajectory_fingerprint, other_seed.trajectory_fingerprint);
    EXPECT_NE(base.trajectory_fingerprint, other_replication.trajectory_fingerprint);
}

TEST(Determinism, ResultsDoNotDependOnTheThreadCount) {
    const kernel::RandomStreams streams(5);
    auto run = [&](std::uint64_t replication) {
        return QueueingModel(erlang_a_parameters(), streams, replication).run_window(50.0, 2000.0);
    };
    const auto serial = kernel::run_replications(12, 1, run);
    const auto parallel = kernel::run_replications(12, 3, run);
    for (std::size_t replication = 0; replication < serial.size(); ++replication)
        expect_identical(serial[replication], parallel[replication]);
}

TEST(Determinism, AChangeOfServiceCapacityLeavesTheArrivalsUntouched) {
    // Common random numbers: arrivals draw from their own stream, so adding a server changes waits
    // but not who arrives when.
    const kernel::RandomStreams streams(7);
    QueueParameters fewer = erlang_a_parameters();
    QueueParameters more = fewer;
    more.servers = 6;
    const auto a = QueueingModel(fewer, streams, 3).run_window(0.0, 3000.0);
    const auto b = QueueingModel(more, streams, 3).run_window(0.0, 3000.0);
    EXPECT_EQ(a.arrivals, b.arrivals);
    EXPECT_NE(a.trajectory_fingerprint, b.trajectory_fingerprint);
    EXPECT_GT(a.mean_wait, b.mean_wait);
}

// A fingerprint pinned once: any change to the kernel's event order, the random streams or the
// distributions' algorithms changes it. If a change is intended, update the value in the same commit
// and say why in CHANGELOG.md.
TEST(Determinism, TrajectoryFingerprintIsPinned) {
    const auto result = QueueingModel(erlang_a_parameters(), kernel::RandomStreams(1), 0).run_window(10.0, 1000.0);
    EXPECT_EQ(result.trajectory_fingerprint, 14524196038285661267u)
        << "fingerprint " << result.trajectory_fingerprint << ", events " << result.events;
    EXPECT_EQ(result.events, 7047u);
}

}  // namespace
}  // namespace ehsim::queueing
