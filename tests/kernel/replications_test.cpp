#include "sim/kernel/replications.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sim/kernel/random_streams.hpp"

namespace ehsim::kernel {
namespace {

TEST(Replications, ResultsAreInReplicationOrderWhateverTheThreadCount) {
    const RandomStreams streams(77);
    auto run = [&](std::uint64_t replication) {
        RandomEngine engine = streams.stream(replication, "test");
        std::uint64_t value = 0;
        for (int i = 0; i < 1000; ++i) value ^= engine();
        return value;
    };
    const auto one = run_replications(37, 1, run);
    const auto four = run_replications(37, 4, run);
    ASSERT_EQ(one.size(), 37u);
    EXPECT_EQ(one, four);
    EXPECT_EQ(one[5], run(5));
}

TEST(Replications, AFailureInAnyReplicationIsRethrown) {
    auto run = [](std::uint64_t replication) -> int {
        if (replication == 3) throw std::runtime_error("replication 3 failed");
        return 0;
    };
    EXPECT_THROW(run_replications(8, 2, run), std::runtime_error);
}

}  // namespace
}  // namespace ehsim::kernel
