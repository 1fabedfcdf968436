// Walsall's options cost exactly what they change: co-located health visitors add their FTE's pay from their
// date, and closing Birchills saves its running cost from the day it closes. Each option branches from its
// baseline's run at its change, so the two are paired on the same random numbers and the warm-up runs once.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "sim/model/early_help_model.hpp"
#include "sim/scenario/option_loader.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::model {
namespace {

const std::string kWalsall = EHSIM_SOURCE_DIR "/scenarios/walsall";

struct Paired {
    ReplicationResult baseline, option;
};

// The baseline and the option over the baseline's horizon, the option branching from the baseline at its change.
struct Comparison {
    explicit Comparison(const std::string& option_file)
        : baseline(scenario::load_scenario_file(kWalsall + "/baseline.yaml")),
          option(scenario::load_option_file(kWalsall + "/options/" + option_file).scenario) {
        const auto start = *parse_iso_date(baseline.time.start_date);
        warm_up_months = static_cast<int>(std::lround(baseline.time.warm_up_years * 12.0));
        const int reported_months = static_cast<int>(std::lround(baseline.time.horizon_years * 12.0));
        calendar = Calendar(add_months(start, -warm_up_months), warm_up_months + reported_months);
    }

    Paired run(std::uint64_t replication) const {
        EXPECT_EQ(option.parameter_changes.size(), 1u);
        EarlyHelpModel model(baseline, kernel::RandomStreams(41), replication);
        model.advance_to(option.parameter_changes.front().day);
        EarlyHelpModel branch = model.continue_as(option);
        return Paired{model.finish(), branch.finish()};
    }

    double month_start(int month) const { return calendar.month_start(warm_up_months + month); }
    // Days of reported month `month` on or after `day`.
    double days_from(double day, int month) const {
        return std::max(0.0, month_start(month + 1) - std::max(day, month_start(month)));
    }

    Scenario baseline, option;
    int warm_up_months = 0;
    Calendar calendar;
};

double health_visitor_fte(const Scenario& scenario) {
    double fte = 0.0;
    for (const Team& team : scenario.teams)
        if (team.role == Role::health_visitor) fte += team.fte;
    return fte;
}

TEST(OptionCosts, CoLocatedHealthVisitorsCostExactlyTheirAddedPayFromTheirDate) {
    const Comparison walsall("co-located-health-visitors.yaml");
    const ParameterChange& change = walsall.option.parameter_changes.front();
    EXPECT_EQ(change.date, "2017-04-01");
    const double added_fte = health_visitor_fte(*change.parameters) - health_visitor_fte(walsall.baseline);
    EXPECT_EQ(added_fte, 2.0 * static_cast<double>(walsall.baseline.localities.size()));  // 2 in each locality
    const double pay = walsall.baseline.costs.per_fte_year_by_role[static_cast<int>(Role::health_visitor)].pounds;
    EXPECT_EQ(change.parameters->costs.per_fte_year_by_role[static_cast<int>(Role::health_visitor)].pounds, pay);
    for (std::uint64_t replication = 0; replication < 2; ++replication) {
        const auto [a, b] = walsall.run(replication);
        double difference = 0.0, expected = 0.0;
        for (int month = 0; month < a.months; ++month) {
            const double measured = b.tally(cost_staff, month) - a.tally(cost_staff, month);
            const double exact = added_fte * pay * walsall.days_from(change.day, month) / 365.25;
            EXPECT_NEAR(measured, exact, std::max(0.005, 1e-6 * std::abs(exact))) << "month " << month;
            difference += measured;
            expected += exact;
        }
        EXPECT_GT(expected, 0.0);
        std::printf("co-located health visitors, replication %llu: staff cost +%.4f over the horizon (exact %.4f)\n",
                    static_cast<unsigned long long>(replication), difference, expected);
        EXPECT_NEAR(difference, expected, std::max(0.005, 1e-6 * expected));
    }
}

TEST(OptionCosts, ClosingBirchillsSavesItsRunningCostFromTheClosureDate) {
    const Comparison walsall("close-birchills.yaml");
    const ParameterChange& change = walsall.option.parameter_changes.front();
    const auto birchills = std::find_if(walsall.baseline.sites.begin(), walsall.baseline.sites.end(),
                                        [](const Site& site) { return site.name == "Birchills"; });
    ASSERT_NE(birchills, walsall.baseline.sites.end());
    const double running_cost = birchills->running_cost_per_year.pounds;
    EXPECT_GT(running_cost, 0.0);
    for (std::uint64_t replication = 0; replication < 2; ++replication) {
        const auto [a, b] = walsall.run(replication);
        double difference = 0.0, expected = 0.0;
        for (int month = 0; month < a.months; ++month) {
            const double measured = b.tally(cost_sites, month) - a.tally(cost_sites, month);
            const double exact = -running_cost * walsall.days_from(change.day, month) / 365.25;
            EXPECT_NEAR(measured, exact, 0.005) << "month " << month;
            difference += measured;
            expected += exact;
        }
        EXPECT_LT(expected, 0.0);
        std::printf("close Birchills (%s), replication %llu: site cost %.4f over the horizon (exact %.4f)\n",
                    change.date.c_str(), static_cast<unsigned long long>(replication), difference, expected);
        EXPECT_NEAR(difference, expected, 0.005);
    }
}

}  // namespace
}  // namespace ehsim::model
