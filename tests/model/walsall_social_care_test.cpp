// Walsall's social care, statistically: a deep cut in family support lengthens waits and sends more children to
// social care, by the route of need escalating while families wait (paired on common random numbers); and the
// uncalibrated baseline's social care, built from empty by the warm-up, is of DfE's order for 2016-17.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "sim/kernel/replications.hpp"
#include "sim/kernel/statistics.hpp"
#include "sim/model/early_help_model.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::model {
namespace {

Scenario walsall() { return scenario::load_scenario_file(EHSIM_SOURCE_DIR "/scenarios/walsall/baseline.yaml"); }

double sum_over(const ReplicationResult& result, Tally tally, int first, int last) {
    double sum = 0.0;
    for (int month = first; month <= last; ++month) sum += result.tally(tally, month);
    return sum;
}

// ---- a 40% cut in family support -----------------------------------------------------------------------------

// The effects are many standard errors from zero at 40 replications (measured: t above 10 for each).
constexpr std::uint64_t kReplications = 40;
// One-sided 90% intervals: the two-sided 80% interval's bound.
constexpr double kTwoSidedForOneSided90 = 0.80;

struct Measure {
    const char* name;
    double (*of)(const ReplicationResult&, int first, int last);
};

const Measure kMeasures[] = {
    {"mean_wait_days", [](const ReplicationResult& r, int f,
                          int l) { return sum_over(r, wait_days_all, f, l) / sum_over(r, allocations, f, l); }},
    {"social_care_referrals",
     [](const ReplicationResult& r, int f, int l) { return sum_over(r, social_care_referrals, f, l); }},
    {"children_in_need", [](const ReplicationResult& r, int, int l) { return r.tally(children_in_need, l); }},
    {"referrals_escalated_while_waiting",
     [](const ReplicationResult& r, int f, int l) { return sum_over(r, referrals_escalated_while_waiting, f, l); }},
    {"referrals_stepped_up_from_early_help",
     [](const ReplicationResult& r, int f, int l) { return sum_over(r, referrals_stepped_up_from_early_help, f, l); }},
    {"referrals_via_front_door",
     [](const ReplicationResult& r, int f, int l) { return sum_over(r, referrals_via_front_door, f, l); }},
    {"referrals_after_giving_up_waiting",
     [](const ReplicationResult& r, int f, int l) { return sum_over(r, referrals_after_giving_up_waiting, f, l); }},
};
constexpr std::size_t kMeasureCount = std::size(kMeasures);

// Paired differences (cut - baseline) of each measure over the scenario's final reported year (2020-21), one per
// replication; the cut is from the first reported day.
std::array<kernel::RunningStatistics, kMeasureCount> differences_of_a_family_support_cut() {
    const Scenario baseline = walsall();
    auto cut = std::make_shared<Scenario>(baseline);
    for (Team& team : cut->teams)
        if (team.role == Role::family_support) team.fte *= 0.6;
    Scenario option = baseline;
    const int warm_up_months = static_cast<int>(std::lround(baseline.time.warm_up_years * 12.0));
    const Date start = *parse_iso_date(baseline.time.start_date);
    const double first_reported_day =
        static_cast<double>(days_from_civil(start) - days_from_civil(add_months(start, -warm_up_months)));
    option.parameter_changes = {ParameterChange{baseline.time.start_date, first_reported_day, "cut", cut}};
    const auto pairs =
        kernel::run_replications(kReplications, kernel::default_thread_count(), [&](std::uint64_t replication) {
            EarlyHelpModel model(baseline, kernel::RandomStreams(2017), replication);
            model.advance_to(first_reported_day);  // the warm-up, run once for both
            EarlyHelpModel branch = model.continue_as(option);
            return std::pair{model.finish(), branch.finish()};
        });
    std::array<kernel::RunningStatistics, kMeasureCount> differences;
    for (const auto& [a, b] : pairs) {
        const int last = a.months - 1, first = last - 11;
        for (std::size_t measure = 0; measure < kMeasureCount; ++measure)
            differences[measure].add(kMeasures[measure].of(b, first, last) - kMeasures[measure].of(a, first, last));
    }
    return differences;
}

TEST(WalsallSocialCare, CuttingFamilySupportTo60PercentRaisesWaitsReferralsAndChildrenInNeed) {
    const auto differences = differences_of_a_family_support_cut();
    std::array<kernel::ConfidenceInterval, kMeasureCount> intervals{};
    for (std::size_t measure = 0; measure < kMeasureCount; ++measure) {
        intervals[measure] = kernel::confidence_interval(differences[measure], kTwoSidedForOneSided90);
        const auto& interval = intervals[measure];
        std::printf("family support x 0.6, final year, %s: %+.2f (one-sided 90%%: %s %.2f; se %.2f; n %llu)\n",
                    kMeasures[measure].name, interval.mean, interval.mean > 0 ? ">" : "<",
                    interval.mean > 0 ? interval.lower() : interval.upper(), interval.standard_error,
                    static_cast<unsigned long long>(interval.replications));
        ::testing::Test::RecordProperty(kMeasures[measure].name,
                                        std::to_string(interval.mean) + " +/- " + std::to_string(interval.half_width));
    }
    // Longer waits, more referrals, more children in need: each one-sided 90% interval above zero.
    for (const std::size_t measure : {0, 1, 2})
        EXPECT_GT(intervals[measure].lower(), 0.0) << kMeasures[measure].name << " did not rise";
    // The routes: need escalates while more families wait longer; fewer cases are open, so fewer step up from
    // them; and more reach the front door, the largest part of the rise: families who gave up waiting go back to
    // hidden need, where it escalates unmet until a touchpoint sees it (counted apart, so shown, not assumed).
    EXPECT_GT(intervals[3].lower(), 0.0) << kMeasures[3].name << " did not rise";
    EXPECT_LT(intervals[4].upper(), 0.0) << kMeasures[4].name << " did not fall";
    EXPECT_GT(intervals[5].lower(), 0.0) << kMeasures[5].name << " did not rise";
    EXPECT_GT(intervals[6].lower(), 0.0) << kMeasures[6].name << " did not rise";
}

// ---- the uncalibrated baseline against DfE, 2016-17 ------------------------------------------------------------

// Walsall, year to 31 March 2017. DfE, Characteristics of children in need 2017: table b1 (At31_episodes), d5
// (CPP_At31), c1 (referral_count), d3 (CPP_start); DfE, Children looked after in England 2017:
// cla_sfr_2015_to_2017.csv (looked_after_at_31_march). Also in scenarios/walsall/baseline.yaml (social_care).
struct DfeFigure {
    const char* name;
    double published;
    Tally tally;
    bool stock;  // at 31 March, else summed over the year
};
constexpr DfeFigure kDfe2017[] = {
    {"children_in_need", 2591, children_in_need, true},
    {"children_on_protection_plans", 333, children_on_protection_plans, true},
    {"children_looked_after", 648, children_looked_after, true},
    {"social_care_referrals", 4586, social_care_referrals, false},
    {"protection_plans_started", 528, protection_plans_started, false},
};

TEST(WalsallSocialCare, TheUncalibratedBaselineIsWithinAFactorOf1Point5OfDfeIn2016To17) {
    Scenario scenario = walsall();
    scenario.time.horizon_years = 1;  // 2016-17 only
    const auto results = kernel::run_replications(20, kernel::default_thread_count(), [&](std::uint64_t r) {
        return EarlyHelpModel(scenario, kernel::RandomStreams(1), r).run();
    });
    ASSERT_EQ(results.front().months, 12);
    for (const DfeFigure& figure : kDfe2017) {
        kernel::RunningStatistics model;
        for (const auto& result : results)
            model.add(figure.stock ? result.tally(figure.tally, 11) : sum_over(result, figure.tally, 0, 11));
        std::printf("2016-17 %s: model %.0f (sd %.0f, 20 replications), DfE %.0f, ratio %.2f\n", figure.name,
                    model.mean(), model.standard_deviation(), figure.published, model.mean() / figure.published);
        ::testing::Test::RecordProperty(figure.name, std::to_string(model.mean()));
        EXPECT_GT(model.mean(), figure.published / 1.5) << figure.name;
        EXPECT_LT(model.mean(), figure.published * 1.5) << figure.name;
    }
}

}  // namespace
}  // namespace ehsim::model
