// The Early Help model's event loop allocates nothing per event: every operator new in the program is
// counted (tests/support/allocation_counter.cpp) over years of Walsall's baseline after its warm-up.
#include <gtest/gtest.h>

#include "sim/kernel/random_streams.hpp"
#include "sim/model/early_help_model.hpp"
#include "sim/model/random_times.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/allocation_counter.hpp"

namespace ehsim::model {
namespace {

TEST(NoAllocation, TheEarlyHelpModelAfterItsWarmUp) {
    const Scenario walsall = scenario::load_scenario_file(EHSIM_SOURCE_DIR "/scenarios/walsall/baseline.yaml");
    ASSERT_GE(walsall.time.horizon_years, 3.0);
    EarlyHelpModel model(walsall, kernel::RandomStreams(5), 0);
    const double warm_up_end = walsall.time.warm_up_years * kDaysPerYear;
    // A year past the warm-up, every store has met nearly its largest size: what remains are the stores
    // that meet a new maximum (families, pending events, a waiting line), each doubling, so a handful at
    // most. Before this was tested, a distribution built per draw allocated its error message, and each
    // month's end its stocks by locality: over 40,000 allocations in these two years.
    model.advance_to(warm_up_end + kDaysPerYear);
    const std::uint64_t before = testing::allocations_so_far();
    model.advance_to(warm_up_end + 3 * kDaysPerYear);
    const std::uint64_t during = testing::allocations_so_far() - before;
    const ReplicationResult result = model.finish();
    ASSERT_GT(result.events, 100000u);
    EXPECT_LE(during, 12u) << during << " allocations in two years of events";
}

}  // namespace
}  // namespace ehsim::model
