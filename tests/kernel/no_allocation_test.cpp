// The event loop allocates nothing once it has reached its working size: every operator new in the
// program is counted, and the count must not move over a long steady-state run.
#include <gtest/gtest.h>

#include <vector>

#include "sim/queueing/queueing_model.hpp"
#include "tests/support/allocation_counter.hpp"

namespace ehsim::queueing {
namespace {

void expect_no_allocation_in_steady_state(const QueueParameters& parameters) {
    // Storage grows geometrically while the run finds new maxima; with room reserved for more
    // customers than the run ever holds, the count must be exactly zero.
    constexpr std::size_t kRoom = 4096;
    QueueingModel model(parameters, kernel::RandomStreams(3), 0);
    model.reserve(kRoom);
    model.start();
    model.run_until(2000.0);  // reach the working size: longest queue, most pending events
    model.start_observing();
    const std::uint64_t before = testing::allocations_so_far();
    model.run_until(200000.0);
    const std::uint64_t during = testing::allocations_so_far() - before;
    const QueueResults results = model.results();
    EXPECT_GT(results.events, 1000000u);
    ASSERT_LT(results.maximum_queue_length + parameters.servers, kRoom)
        << "the reserve was too small to prove anything";
    EXPECT_EQ(during, 0u) << during << " allocations in " << results.events << " events";
}

TEST(NoAllocation, MMcEventLoop) {
    QueueParameters parameters;
    parameters.servers = 5;
    parameters.arrival_rates = {4.0};
    expect_no_allocation_in_steady_state(parameters);
}

TEST(NoAllocation, PriorityClassesAndReneging) {
    // Cancellable patience events, places reused in the waiting line, cancellation slots reused.
    QueueParameters parameters;
    parameters.servers = 3;
    parameters.arrival_rates = {1.0, 1.5, 1.0};
    parameters.patience_mean = 2.0;
    expect_no_allocation_in_steady_state(parameters);
}

TEST(NoAllocation, TheCounterSeesAllocations) {
    const std::uint64_t before = testing::allocations_so_far();
    // Stored through a volatile pointer so that the optimiser may not elide the allocation.
    std::vector<int>* volatile vector = new std::vector<int>(100);
    delete vector;
    EXPECT_GE(testing::allocations_so_far() - before, 2u);
}

}  // namespace
}  // namespace ehsim::queueing
