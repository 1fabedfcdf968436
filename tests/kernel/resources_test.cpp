#include <gtest/gtest.h>

#include <vector>

#include "sim/kernel/server_pool.hpp"
#include "sim/kernel/waiting_line.hpp"

namespace ehsim::kernel {
namespace {

TEST(ServerPool, SeizesUpToCapacityAndTracksUtilisation) {
    ServerPool team(2);
    EXPECT_TRUE(team.try_seize(0.0));
    EXPECT_TRUE(team.try_seize(1.0));
    EXPECT_FALSE(team.try_seize(1.0));
    EXPECT_EQ(team.in_use(), 2u);
    team.release(3.0);
    // In use: 1 on [0,1), 2 on [1,3), 1 on [3,4): area 1 + 4 + 1 = 6, mean 6/4 of 2 servers.
    EXPECT_DOUBLE_EQ(team.mean_in_use(4.0), 1.5);
    EXPECT_DOUBLE_EQ(team.utilisation(4.0), 0.75);
    team.release(4.0);
    EXPECT_THROW(team.release(4.0), std::logic_error);
}

TEST(ServerPool, ACapacityCutTakesEffectAsServersAreReleased) {
    ServerPool team(3);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(team.try_seize(0.0));
    team.set_capacity(1);
    EXPECT_EQ(team.in_use(), 3u);
    team.release(1.0);
    EXPECT_FALSE(team.try_seize(1.0));
    team.release(1.0);
    team.release(1.0);
    EXPECT_TRUE(team.try_seize(1.0));
    EXPECT_FALSE(team.try_seize(1.0));
}

struct NoEvents {
    void operator()(const Event&) {}
};

TEST(WaitingLine, ServesRedBeforeAmberBeforeGreenAndFirstComeWithinAColour) {
    enum Colour : std::uint32_t { red, amber, green };
    Simulation simulation;
    WaitingLine line(3);
    const std::vector<std::pair<SubjectId, std::uint32_t>> joins{{1, green}, {2, amber}, {3, green},
                                                                 {4, red},   {5, amber}, {6, red}};
    for (const auto& [family, colour] : joins) {
        line.join(simulation, family, colour);
        simulation.run_for(1.0, NoEvents{});
    }
    EXPECT_EQ(line.size(), 6u);
    EXPECT_EQ(line.size(red), 2u);
    std::vector<SubjectId> order;
    while (!line.empty()) order.push_back(line.serve_next(simulation).subject);
    EXPECT_EQ(order, (std::vector<SubjectId>{4, 6, 2, 5, 1, 3}));
    EXPECT_THROW(line.serve_next(simulation), std::logic_error);
}

TEST(WaitingLine, RecordsWhenEachJoined) {
    Simulation simulation;
    WaitingLine line(1);
    simulation.run_until(2.5, NoEvents{});
    line.join(simulation, 9, 0);
    simulation.run_until(4.0, NoEvents{});
    const auto served = line.serve_next(simulation);
    EXPECT_EQ(served.subject, 9u);
    EXPECT_EQ(served.joined, 2.5);
    // Length 0 on [0, 2.5), 1 on [2.5, 4): mean 1.5 / 4.
    EXPECT_DOUBLE_EQ(line.mean_length(4.0), 1.5 / 4.0);
    EXPECT_EQ(line.maximum_length(), 1.0);
}

// A family whose patience runs out leaves from the middle of the line; the others keep their order.
TEST(WaitingLine, PatienceRunsOutAndTheFamilyLeaves) {
    constexpr EventKind kGivesUp = 1;
    Simulation simulation;
    WaitingLine line(2);
    std::vector<SubjectId> gave_up;
    auto handler = [&](const Event& event) {
        ASSERT_EQ(event.kind, kGivesUp);
        gave_up.push_back(line.give_up(simulation, event.subject).subject);
    };
    line.join_with_patience(simulation, 1, 1, 10.0, kGivesUp);
    line.join_with_patience(simulation, 2, 1, 3.0, kGivesUp);
    line.join_with_patience(simulation, 3, 0, 5.0, kGivesUp);
    line.join(simulation, 4, 1);
    simulation.run_until(4.0, handler);
    EXPECT_EQ(gave_up, (std::vector<SubjectId>{2}));
    EXPECT_EQ(line.serve_next(simulation).subject, 3u);  // served before its patience ran out
    simulation.run_until(20.0, handler);
    EXPECT_EQ(gave_up, (std::vector<SubjectId>{2, 1})) << "3 was served: its patience event must not fire";
    EXPECT_EQ(line.size(), 1u);
    EXPECT_EQ(line.serve_next(simulation).subject, 4u);
    EXPECT_EQ(simulation.pending_events(), 0u);
}

TEST(WaitingLine, ReusesPlacesSoALongRunDoesNotGrow) {
    Simulation simulation;
    WaitingLine line(1);
    for (int round = 0; round < 1000; ++round) {
        for (SubjectId family = 0; family < 5; ++family) line.join(simulation, family, 0);
        for (int i = 0; i < 5; ++i) line.serve_next(simulation);
    }
    // Places are reused: joining five more after 5,000 joins still fits in the first five places.
    for (SubjectId family = 0; family < 5; ++family) EXPECT_LT(line.join(simulation, family, 0), 5u);
}

TEST(WaitingLine, RejectsMisuse) {
    Simulation simulation;
    EXPECT_THROW(WaitingLine(0), std::invalid_argument);
    WaitingLine line(2);
    EXPECT_THROW(line.join(simulation, 1, 2), std::out_of_range);
    EXPECT_THROW(line.give_up(simulation, 0), std::logic_error);
}

}  // namespace
}  // namespace ehsim::kernel
