// The Early Help model: conservation of families, reduction to M/M/c, monotone responses, determinism,
// and the Walsall baseline's order of magnitude.
#include "sim/model/early_help_model.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "sim/kernel/replications.hpp"
#include "sim/model/indicator_values.hpp"
#include "sim/queueing/formulas.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "tests/support/statistical.hpp"

namespace ehsim::model {
namespace {

Scenario minimal() { return scenario::load_scenario_file(EHSIM_TEST_DATA "/minimal.yaml"); }

double total(const ReplicationResult& result, Tally tally) {
    double sum = 0.0;
    for (int month = 0; month < result.months; ++month) sum += result.tally(tally, month);
    return sum;
}

// Every family the model holds is in exactly one state, and stocks reconcile with flows month by month.
TEST(EarlyHelpModel, FamiliesAreConservedAndStocksReconcileWithFlows) {
    Scenario scenario = minimal();
    scenario.time.horizon_years = 4;
    for (std::uint64_t replication = 0; replication < 5; ++replication) {
        EarlyHelpModel model(scenario, kernel::RandomStreams(11), replication);
        const ReplicationResult result = model.run();
        ASSERT_EQ(result.months, 48);
        for (int month = 1; month < result.months; ++month)
            EXPECT_EQ(result.tally(families_in_system, month) - result.tally(families_in_system, month - 1),
                      result.tally(families_entered, month) - result.tally(families_left, month))
                << "month " << month;
        const auto& states = model.families_by_state();
        std::uint64_t held = 0;
        for (const auto count : states) held += count;
        EXPECT_EQ(held, result.families_entered - result.families_left);
        EXPECT_EQ(static_cast<double>(held), result.tally(families_in_system, result.months - 1));
        // Stocks kept by their own counters agree with the state of every family at the end.
        const int last = result.months - 1;
        EXPECT_EQ(result.tally(early_help_open, last), states[static_cast<int>(FamilyState::early_help_case)]);
        EXPECT_EQ(result.tally(hidden_need_families, last), states[static_cast<int>(FamilyState::hidden_need)]);
        EXPECT_EQ(result.tally(single_agency_open, last), states[static_cast<int>(FamilyState::single_agency_help)]);
        EXPECT_EQ(
            result.tally(waiting_red, last) + result.tally(waiting_amber, last) + result.tally(waiting_green, last),
            states[static_cast<int>(FamilyState::waiting_for_lead_professional)]);
        // Closures by reason add up to all closures.
        EXPECT_EQ(total(result, closures_all), total(result, closures_needs_met) + total(result, closures_disengaged) +
                                                   total(result, closures_stepped_up) +
                                                   total(result, closures_moved_away) +
                                                   total(result, closures_needs_not_met));
        EXPECT_EQ(total(result, closures_stepped_up), total(result, step_ups));
        EXPECT_GT(total(result, closures_all), 100.0) << "the scenario must exercise the model";
        EXPECT_GT(total(result, step_downs), 0.0);
        EXPECT_GT(total(result, disengaged_while_waiting), 0.0);
    }
}

// With escalation, return, misclassification, disengagement and step-up switched off, one team, one
// priority, immediate identification and triage, and exponential case durations, allocation to a lead
// professional is an M/M/c queue: its mean wait must match Erlang C.
Scenario as_mmc(int workers, double utilisation, double mean_case_days) {
    Scenario scenario = minimal();
    scenario.time.warm_up_years = 2;
    scenario.time.horizon_years = 20;
    scenario.localities[0].children = AgeBands{1000, 0, 0, 0};
    scenario.localities[0].children_per_family = 1.0;  // 1,000 families
    const double arrivals_per_day = utilisation * workers / mean_case_days;
    scenario.need = NeedParameters{};
    scenario.need.incidence_level_3_per_family_per_year = arrivals_per_day * 365.25 / 1000.0;
    scenario.identification.touchpoints = {Touchpoint{"everyone", {0, 1e5, 0}, AgeFocus::all_families, 0.0, false}};
    scenario.front_door.early_help_hub = FrontDoorDesk{1000, 1e-6};
    scenario.front_door.outcome_by_level[1] = {0, 0, 1, 0};
    scenario.front_door.priority_by_level[1] = {0, 0, 1};
    scenario.teams = {Team{"Central", Role::family_support, static_cast<double>(workers), 1.0}};
    EarlyHelpParameters& early_help = scenario.early_help;
    early_help.lead_professional_shares = {1, 0, 0, 0};
    early_help.patience_days = 1e12;
    early_help.case_duration_distribution = CaseDuration::exponential;
    early_help.case_duration_mean_days = mean_case_days;
    early_help.needs_met_probability = 1.0;
    early_help.disengagement_per_year = 0;
    early_help.step_up_per_year = 0;
    early_help.moved_away_per_year = 0;
    scenario.returns.after_needs_met = 0;
    return scenario;
}

TEST(EarlyHelpModel, WithEverythingElseSwitchedOffAllocationIsAnMMcQueue) {
    for (const auto& [workers, utilisation] : {std::pair{5, 0.8}, std::pair{1, 0.6}}) {
        const double mean_case_days = 0.5;  // short cases: thousands of allocations per replication
        const Scenario scenario = as_mmc(workers, utilisation, mean_case_days);
        const auto results = kernel::run_replications(30, kernel::default_thread_count(), [&](std::uint64_t r) {
            return EarlyHelpModel(scenario, kernel::RandomStreams(2026), r).run();
        });
        kernel::RunningStatistics wait, open;
        for (const auto& result : results) {
            wait.add(total(result, wait_days_green) / total(result, allocations_green));
            open.add(total(result, family_support_caseload_area) / total(result, family_support_fte_days) * workers);
        }
        const auto exact = queueing::erlang_c(workers, utilisation * workers / mean_case_days, 1.0 / mean_case_days);
        EXPECT_TRUE(testing::within_replication_interval(wait, exact.mean_wait)) << "c = " << workers;
        EXPECT_GT(total(results[0], allocations_green), 5000.0);
        // Mean cases open = lambda / mu = c rho (the busy servers of M/M/c).
        EXPECT_TRUE(testing::within_replication_interval(open, utilisation * workers)) << "c = " << workers;
    }
}

// Paired over common random numbers: the same families arrive in both runs.
kernel::RunningStatistics paired_difference(const Scenario& base, const Scenario& changed, Tally numerator,
                                            Tally denominator) {
    kernel::RunningStatistics difference;
    for (std::uint64_t replication = 0; replication < 30; ++replication) {
        const auto a = EarlyHelpModel(base, kernel::RandomStreams(5), replication).run();
        const auto b = EarlyHelpModel(changed, kernel::RandomStreams(5), replication).run();
        const double a_value =
            denominator == kTallies ? total(a, numerator) : total(a, numerator) / total(a, denominator);
        const double b_value =
            denominator == kTallies ? total(b, numerator) : total(b, numerator) / total(b, denominator);
        difference.add(b_value - a_value);
    }
    return difference;
}

// "Never lengthens" in expectation: a clear increase in FTE must shorten waits significantly (the check
// can fail), and a small one must not lengthen them significantly.
TEST(EarlyHelpModel, MoreFamilySupportNeverLengthensWaits) {
    Scenario fewer = minimal();
    fewer.time.horizon_years = 5;
    fewer.teams[0].fte = 2;  // caseloads full: families wait
    Scenario more = fewer;
    more.teams[0].fte = 3;
    Scenario slightly_more = fewer;
    slightly_more.teams[0].fte = 2.1;
    for (const auto& [wait, allocated] :
         {std::pair{wait_days_red, allocations_red}, std::pair{wait_days_amber, allocations_amber},
          std::pair{wait_days_green, allocations_green}}) {
        const auto interval =
            kernel::confidence_interval(paired_difference(fewer, more, wait, allocated), testing::kPerCheckConfidence);
        EXPECT_LT(interval.upper(), 0.0) << "mean change " << interval.mean << " +/- " << interval.half_width;
        const auto small = kernel::confidence_interval(paired_difference(fewer, slightly_more, wait, allocated),
                                                       testing::kPerCheckConfidence);
        std::printf("wait change %.3f +/- %.3f; small %.3f +/- %.3f\n", interval.mean, interval.half_width, small.mean,
                    small.half_width);
        EXPECT_LT(small.lower(), 0.0) << "a small increase lengthened waits: " << small.mean << " +/- "
                                      << small.half_width;
    }
}

TEST(EarlyHelpModel, HigherIncidenceNeverLowersContacts) {
    Scenario base = minimal();
    base.time.horizon_years = 5;
    Scenario higher = base;
    higher.need.incidence_level_3_per_family_per_year *= 1.5;
    for (const Tally contacts : {contacts_to_social_care, early_help_requests}) {
        const auto interval = kernel::confidence_interval(paired_difference(base, higher, contacts, kTallies),
                                                          testing::kPerCheckConfidence);
        std::printf("contacts change %.3f +/- %.3f\n", interval.mean, interval.half_width);
        EXPECT_GT(interval.lower(), 0.0) << "mean change " << interval.mean << " +/- " << interval.half_width;
    }
}

TEST(EarlyHelpModel, SameSeedSameResultsWhateverTheThreads) {
    const Scenario scenario = minimal();
    auto run = [&](std::uint64_t replication) {
        return EarlyHelpModel(scenario, kernel::RandomStreams(8), replication).run();
    };
    const auto one = kernel::run_replications(6, 1, run);
    const auto two = kernel::run_replications(6, 2, run);
    for (std::size_t replication = 0; replication < one.size(); ++replication) {
        EXPECT_EQ(one[replication].trajectory_fingerprint, two[replication].trajectory_fingerprint);
        EXPECT_EQ(one[replication].tallies, two[replication].tallies);
    }
    EXPECT_NE(one[0].trajectory_fingerprint, one[1].trajectory_fingerprint);
}

TEST(EarlyHelpModel, ClosingTheOnlyHubLowersEngagementAndSelfReferral) {
    Scenario open_hub = minimal();
    open_hub.identification.self_referral_factor_by_access = {1.5, 1.2, 1.0, 0.5};  // hub, elsewhere, spoke, none
    open_hub.early_help.engagement_by_access = {1.0, 0.95, 0.9, 0.5};
    Scenario closed = open_hub;
    closed.changes = {DatedChange{"2020-04-01", 0, "Central Hub", SiteType::closed, "", Role::family_support, 0}};
    closed.changes[0].day = 366;  // the start of the reported period, after a one-year warm-up (2020 is a leap year)
    // More families disengage (patience and case engagement fall) ...
    const auto disengaging =
        kernel::confidence_interval(paired_difference(open_hub, closed, closures_disengaged, closures_all), 0.999);
    EXPECT_GT(disengaging.lower(), 0.0) << disengaging.mean;
    // ... and fewer requests reach the Early Help Hub (self-referral falls).
    const auto requests =
        kernel::confidence_interval(paired_difference(open_hub, closed, early_help_requests, kTallies), 0.999);
    EXPECT_LT(requests.upper(), 0.0) << requests.mean;
}

// Two hubs share a locality, each the nearest site for half its families. Closing one on the first reported
// day: its families are served from the other (they appear as travelling to another hub), engagement in
// the locality falls, and no family is lost across the change.
TEST(EarlyHelpModel, ClosingAHubMovesItsFamiliesToTheOtherHubAndLosesNone) {
    Scenario two_hubs = minimal();
    two_hubs.time.horizon_years = 3;
    two_hubs.sites.push_back(Site{"North Hub", "Central", SiteType::hub, 0.0, {}});
    two_hubs.early_help.engagement_by_access = {1.0, 0.6, 0.5, 0.4};
    auto closed = std::make_shared<Scenario>(two_hubs);
    closed->sites[0].type = SiteType::closed;
    Scenario option = two_hubs;
    const double first_reported_day = 366;  // 2019-04-01 to 2020-04-01
    option.parameter_changes = {ParameterChange{"2020-04-01", first_reported_day, "close Central Hub", closed}};
    kernel::RunningStatistics travelling_share, disengaged;
    for (std::uint64_t replication = 0; replication < 80; ++replication) {
        EarlyHelpModel baseline_model(two_hubs, kernel::RandomStreams(12), replication);
        EarlyHelpModel option_model(option, kernel::RandomStreams(12), replication);
        const auto a = baseline_model.run();
        const auto b = option_model.run();
        EXPECT_EQ(total(a, allocations_travelling_to_another_hub), 0.0) << "no site is closed in the baseline";
        // Conservation across the change: month by month, and the states of every family at the end.
        for (int month = 1; month < b.months; ++month)
            ASSERT_EQ(b.tally(families_in_system, month) - b.tally(families_in_system, month - 1),
                      b.tally(families_entered, month) - b.tally(families_left, month));
        std::uint64_t held = 0;
        for (const auto count : option_model.families_by_state()) held += count;
        EXPECT_EQ(held, b.families_entered - b.families_left);
        EXPECT_EQ(static_cast<double>(held), b.tally(families_in_system, b.months - 1));
        travelling_share.add(total(b, allocations_travelling_to_another_hub) / total(b, allocations));
        double disengaged_a = 0, disengaged_b = 0, allocated_a = 0, allocated_b = 0;
        for (int month = 0; month < b.months; ++month) {
            disengaged_a += a.locality_tally(locality_disengaged, 0, month);
            disengaged_b += b.locality_tally(locality_disengaged, 0, month);
            allocated_a += a.locality_tally(locality_allocations, 0, month);
            allocated_b += b.locality_tally(locality_allocations, 0, month);
            EXPECT_EQ(b.locality_tally(locality_allocations_travelling_to_another_hub, 0, month),
                      b.tally(allocations_travelling_to_another_hub, month));
        }
        EXPECT_EQ(allocated_b, total(b, allocations));
        disengaged.add(disengaged_b / allocated_b - disengaged_a / allocated_a);
    }
    // About half the locality lived nearest the closed hub: the travelling share is near one half (the
    // families' positions are uniform, so the share is binomial around 0.5, a little less because those
    // who travel disengage more).
    const auto share = kernel::confidence_interval(travelling_share, testing::kPerCheckConfidence);
    EXPECT_GT(share.lower(), 0.3) << share.mean;
    EXPECT_LT(share.upper(), 0.55) << share.mean;
    const auto more_disengaged = kernel::confidence_interval(disengaged, testing::kPerCheckConfidence);
    EXPECT_GT(more_disengaged.lower(), 0.0) << "disengagement per allocation rose by " << more_disengaged.mean;
}

// Catchment shares decide who is nearest which site: closing a site that is nearest nobody changes nothing.
TEST(EarlyHelpModel, ClosingASiteWithAnEmptyCatchmentChangesNothing) {
    Scenario base = minimal();
    base.sites[0].catchment_share = 1.0;
    base.sites.push_back(Site{"Empty", "Central", SiteType::hub, 0.0, {}});
    auto closed = std::make_shared<Scenario>(base);
    closed->sites[1].type = SiteType::closed;
    Scenario option = base;
    option.parameter_changes = {ParameterChange{"2020-04-01", 366, "close Empty", closed}};
    const auto a = EarlyHelpModel(base, kernel::RandomStreams(2), 0).run();
    const auto b = EarlyHelpModel(option, kernel::RandomStreams(2), 0).run();
    EXPECT_EQ(a.tallies, b.tallies);
}

// Extra family support shortens waits where caseloads are full, and by much less where they are not.
TEST(EarlyHelpModel, ExtraStaffShortenWaitsLessWhenCaseloadsWereNotFull) {
    Scenario full = minimal();
    full.time.horizon_years = 4;
    full.teams[0].fte = 2;  // about 20 slots for the demand of minimal.yaml: families wait
    Scenario not_full = full;
    not_full.teams[0].fte = 6;  // three times the slots: few families wait
    auto with_one_more = [](Scenario scenario) {
        scenario.teams[0].fte += 1;
        return scenario;
    };
    kernel::RunningStatistics gap;  // (change in wait when full) - (change when not full), per replication
    kernel::RunningStatistics when_full;
    for (std::uint64_t replication = 0; replication < 30; ++replication) {
        auto mean_wait = [&](const Scenario& scenario) {
            const auto result = EarlyHelpModel(scenario, kernel::RandomStreams(21), replication).run();
            return (total(result, wait_days_red) + total(result, wait_days_amber) + total(result, wait_days_green)) /
                   total(result, allocations);
        };
        const double full_change = mean_wait(with_one_more(full)) - mean_wait(full);
        const double not_full_change = mean_wait(with_one_more(not_full)) - mean_wait(not_full);
        gap.add(full_change - not_full_change);
        when_full.add(full_change);
    }
    const auto shorter = kernel::confidence_interval(when_full, testing::kPerCheckConfidence);
    EXPECT_LT(shorter.upper(), 0.0) << "one more FTE did not shorten waits when caseloads were full: " << shorter.mean;
    const auto interval = kernel::confidence_interval(gap, testing::kPerCheckConfidence);
    std::printf("full minus not full: %.3f +/- %.3f days\n", interval.mean, interval.half_width);
    EXPECT_LT(interval.upper(), 0.0) << "the wait fell by no more when caseloads were full: " << interval.mean;
}

// An option's cost difference is the sum of the differences of its parts (staff, assessments, early-help
// cases, social care) to the penny, in every replication and month; and each part is the sum of its own.
TEST(EarlyHelpModel, CostDifferencesAreTheSumOfTheirPartsToThePenny) {
    Scenario base = minimal();
    auto cut = std::make_shared<Scenario>(base);
    cut->teams[0].fte = 1.5;
    cut->teams[1].fte = 4;
    Scenario option = base;
    option.parameter_changes = {ParameterChange{"2020-04-01", 366, "staff cut", cut}};
    double staff_difference = 0;
    for (std::uint64_t replication = 0; replication < 5; ++replication) {
        const auto a = EarlyHelpModel(base, kernel::RandomStreams(3), replication).run();
        const auto b = EarlyHelpModel(option, kernel::RandomStreams(3), replication).run();
        for (int month = 0; month < a.months; ++month) {
            auto difference = [&](Tally tally) { return b.tally(tally, month) - a.tally(tally, month); };
            EXPECT_NEAR(difference(cost_all),
                        difference(cost_staff) + difference(cost_sites) + difference(cost_assessments) +
                            difference(cost_early_help_cases) + difference(cost_social_care),
                        0.005)
                << "month " << month;
            for (const ReplicationResult* result : {&a, &b}) {
                double cases = 0, care = 0;
                for (const Tally part :
                     {cost_family_support_cases, cost_health_visitor_cases, cost_youth_worker_cases,
                      cost_social_worker_cases, cost_voluntary_sector_cases, cost_school_staff_cases})
                    cases += result->tally(part, month);
                for (const Tally part : {cost_child_in_need, cost_child_protection, cost_looked_after})
                    care += result->tally(part, month);
                EXPECT_NEAR(result->tally(cost_early_help_cases, month), cases, 0.005);
                EXPECT_NEAR(result->tally(cost_social_care, month), care, 0.005);
            }
            staff_difference += difference(cost_staff);
        }
        // Staff: 0.5 family support FTE at 35,000 and 1 social worker at 55,000 a year; April has 30 days.
        EXPECT_NEAR(b.tally(cost_staff, 0) - a.tally(cost_staff, 0), -(0.5 * 35000 + 55000) * 30 / 365.25, 0.005);
    }
    // Over the two reported years, 2020-04-01 to 2022-04-01 (730 days), in five replications.
    EXPECT_NEAR(staff_difference, -5 * (0.5 * 35000 + 55000) * 730 / 365.25, 0.05);
}

// A parameter change (how commissioning options take effect) to the same parameters changes nothing:
// every tally is identical, because nothing whose rate is unchanged is redrawn.
TEST(EarlyHelpModel, AParameterChangeToTheSameParametersChangesNothing) {
    const Scenario base = minimal();
    Scenario same = base;
    same.parameter_changes = {ParameterChange{"2021-01-01", 365 + 275, "nothing", std::make_shared<Scenario>(base)}};
    for (std::uint64_t replication = 0; replication < 3; ++replication) {
        const auto a = EarlyHelpModel(base, kernel::RandomStreams(4), replication).run();
        const auto b = EarlyHelpModel(same, kernel::RandomStreams(4), replication).run();
        EXPECT_EQ(a.tallies, b.tallies);
        EXPECT_EQ(a.locality_tallies, b.locality_tallies);
    }
}

TEST(EarlyHelpModel, AParameterChangeAfterTheHorizonGivesExactlyTheBaseline) {
    const Scenario base = minimal();
    Scenario later = base;
    auto changed = std::make_shared<Scenario>(base);
    changed->teams[0].fte = 10;
    later.parameter_changes = {ParameterChange{"2030-01-01", 5000, "too late", changed}};
    const auto a = EarlyHelpModel(base, kernel::RandomStreams(4), 0).run();
    const auto b = EarlyHelpModel(later, kernel::RandomStreams(4), 0).run();
    EXPECT_EQ(a.trajectory_fingerprint, b.trajectory_fingerprint);
    EXPECT_EQ(a.tallies, b.tallies);
}

// More family support from the start of the second reported year: waits are unchanged before the
// date (same random numbers) and shorter after it.
TEST(EarlyHelpModel, AParameterChangeTakesEffectOnItsDate) {
    Scenario base = minimal();
    base.time.horizon_years = 3;
    auto more_staff = std::make_shared<Scenario>(base);
    more_staff->teams[0].fte = 4;
    Scenario option = base;
    // Day 0 is the start of the one-year warm-up, 2019-04-01.
    const double day = static_cast<double>(days_from_civil({2021, 4, 1}) - days_from_civil({2019, 4, 1}));
    option.parameter_changes = {ParameterChange{"2021-04-01", day, "more staff", more_staff}};
    kernel::RunningStatistics after;
    for (std::uint64_t replication = 0; replication < 20; ++replication) {
        const auto a = EarlyHelpModel(base, kernel::RandomStreams(6), replication).run();
        const auto b = EarlyHelpModel(option, kernel::RandomStreams(6), replication).run();
        for (int month = 0; month < 12; ++month)
            for (const Tally tally :
                 {wait_days_red, wait_days_amber, wait_days_green, allocations, contacts_to_social_care})
                ASSERT_EQ(a.tally(tally, month), b.tally(tally, month)) << "month " << month << " before the change";
        double wait_a = 0, wait_b = 0, allocated_a = 0, allocated_b = 0;
        for (int month = 12; month < 36; ++month) {
            wait_a += a.tally(wait_days_green, month);
            wait_b += b.tally(wait_days_green, month);
            allocated_a += a.tally(allocations_green, month);
            allocated_b += b.tally(allocations_green, month);
        }
        after.add(wait_b / allocated_b - wait_a / allocated_a);
        EXPECT_EQ(b.tally(family_support_fte_days, 12) / 30.0, 4.0);  // April has 30 days
    }
    EXPECT_LT(kernel::confidence_interval(after, testing::kPerCheckConfidence).upper(), 0.0) << after.mean();
}

TEST(EarlyHelpModel, IndicatorsFollowTheCouncilsDefinitions) {
    const auto result = EarlyHelpModel(minimal(), kernel::RandomStreams(3), 0).run();
    const IndicatorDefinition* rereferral = nullptr;
    const IndicatorDefinition* needs_met = nullptr;
    for (const auto& indicator : kIndicators) {
        if (indicator.name == "rereferral_within_12_months_pct") rereferral = &indicator;
        if (indicator.name == "needs_met_pct") needs_met = &indicator;
    }
    ASSERT_TRUE(rereferral && needs_met);
    const auto monthly = monthly_values(result, *rereferral);
    // 24 reported months: closures in months 0-10 have had their 12 months; later ones not yet.
    for (int month = 0; month < 24; ++month)
        EXPECT_EQ(std::isnan(monthly[static_cast<std::size_t>(month)]), month + 13 > 24) << month;
    const auto annual = annual_values(result, *needs_met);
    ASSERT_EQ(annual.size(), 2u);
    double met = 0, all = 0;
    for (int month = 0; month < 12; ++month) {
        met += result.tally(closures_needs_met, month);
        all += result.tally(closures_all, month);
    }
    EXPECT_DOUBLE_EQ(annual[0], 100.0 * met / all);
}

// Uncalibrated, the Walsall baseline must still be of the right order: its open early-help caseload
// within a factor of two of the published 502 families (July 2016) in every reported year.
TEST(WalsallBaseline, OpenCaseloadIsWithinAFactorOfTwoOfThePublished502Families) {
    const Scenario scenario = scenario::load_scenario_file(EHSIM_SOURCE_DIR "/scenarios/walsall/baseline.yaml");
    const auto results = kernel::run_replications(100, kernel::default_thread_count(), [&](std::uint64_t r) {
        return EarlyHelpModel(scenario, kernel::RandomStreams(1), r).run();
    });
    ASSERT_EQ(results.front().months, 60);
    for (int year = 0; year < 5; ++year) {
        kernel::RunningStatistics open;
        for (const auto& result : results) open.add(result.tally(early_help_open, year * 12 + 11));
        EXPECT_GT(open.mean(), 502.0 / 2) << "year " << year;
        EXPECT_LT(open.mean(), 502.0 * 2) << "year " << year;
    }
}

}  // namespace
}  // namespace ehsim::model
