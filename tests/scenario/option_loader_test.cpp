// Option files: what changes, from when, and one clear error for each kind of mistake.
#include "sim/scenario/option_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/kernel/random_streams.hpp"
#include "sim/model/early_help_model.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::scenario {
namespace {

const std::string kFile = EHSIM_TEST_DATA "/option.yaml";  // extends resolve against tests/data/

// minimal.yaml with its own dated change: its family support team grows on 2021-01-01.
std::string minimal_with_a_dated_change() {
    std::ifstream in(EHSIM_TEST_DATA "/minimal.yaml");
    std::stringstream text;
    text << in.rdbuf();
    return text.str() +
           "changes:\n  - {date: 2021-01-01, team_locality: Central, team_role: family_support, team_fte: 3}\n";
}

LoadedOption load(const std::string& changes) {
    return load_option_text("extends: minimal.yaml\nname: test-option\nchanges:\n" + changes, kFile);
}

std::string error_of(const std::string& changes) {
    try {
        load(changes);
    } catch (const ScenarioError& error) {
        const std::string message = error.what();
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        EXPECT_EQ(message.rfind(kFile + ":", 0), 0u) << "names the option file: " << message;
        return message;
    }
    ADD_FAILURE() << "the option loaded, but it should not have";
    return "";
}

// The same on a baseline with its own dated change, which the option carries as a parameter change while
// the baseline applies it as a dated change: the two mechanisms must agree exactly.
TEST(OptionLoader, AnOptionWithoutChangesOverADatedBaselineRunsIdentically) {
    const std::string folder = ::testing::TempDir();
    std::ofstream(folder + "/dated.yaml") << minimal_with_a_dated_change();
    const LoadedOption option = load_option_text("extends: dated.yaml\nname: none\nchanges: []\n", folder + "/x.yaml");
    const model::Scenario baseline = load_scenario_file(folder + "/dated.yaml");
    ASSERT_EQ(option.scenario.parameter_changes.size(), 1u);
    for (std::uint64_t replication = 0; replication < 3; ++replication) {
        const auto a = model::EarlyHelpModel(baseline, kernel::RandomStreams(9), replication).run();
        const auto b = model::EarlyHelpModel(option.scenario, kernel::RandomStreams(9), replication).run();
        EXPECT_EQ(a.tallies, b.tallies);
        EXPECT_EQ(a.locality_tallies, b.locality_tallies);
    }
}

TEST(OptionLoader, AnOptionWithoutChangesIsTheBaselineAndRunsIdentically) {
    const LoadedOption option = load("  []\n");
    const model::Scenario baseline = load_scenario_file(EHSIM_TEST_DATA "/minimal.yaml");
    EXPECT_EQ(option.scenario.name, "test-option");
    EXPECT_TRUE(option.scenario.parameter_changes.empty());
    for (std::uint64_t replication = 0; replication < 3; ++replication) {
        const auto a = model::EarlyHelpModel(baseline, kernel::RandomStreams(9), replication).run();
        const auto b = model::EarlyHelpModel(option.scenario, kernel::RandomStreams(9), replication).run();
        EXPECT_EQ(a.tallies, b.tallies) << "differences must be exactly zero";
        EXPECT_EQ(a.trajectory_fingerprint, b.trajectory_fingerprint);
    }
}

// Day 0 is 2019-04-01 (one year of warm-up before 2020-04-01).
double day_of(int year, int month, int day) {
    return static_cast<double>(model::days_from_civil({year, month, day}) - model::days_from_civil({2019, 4, 1}));
}

// The parameters in force at the end of the horizon.
const model::Scenario& at_the_end(const LoadedOption& option) {
    EXPECT_FALSE(option.scenario.parameter_changes.empty());
    return *option.scenario.parameter_changes.back().parameters;
}

TEST(OptionLoader, UndatedChangesApplyFromTheFirstReportedDayAndDatedOnesOnTheirDate) {
    const LoadedOption option = load(
        "  - team_fte: {locality: all, role: family_support, add: 1.5}\n"
        "  - close_site: Central Hub\n    date: 2021-01-01\n"
        "  - demand: {incidence_factor: 1.25}\n    date: 2021-01-01\n");
    EXPECT_DOUBLE_EQ(option.scenario.teams[0].fte, 2.0) << "the warm-up is the past: it runs on the baseline";
    ASSERT_EQ(option.scenario.parameter_changes.size(), 2u) << "one parameter change per date";
    const auto& first = option.scenario.parameter_changes[0];
    EXPECT_EQ(first.date, "2020-04-01");
    EXPECT_DOUBLE_EQ(first.day, day_of(2020, 4, 1));
    EXPECT_DOUBLE_EQ(first.parameters->teams[0].fte, 3.5);
    EXPECT_EQ(first.parameters->sites[0].type, model::SiteType::hub);
    const auto& change = option.scenario.parameter_changes[1];
    EXPECT_EQ(change.date, "2021-01-01");
    EXPECT_DOUBLE_EQ(change.day, day_of(2021, 1, 1));
    EXPECT_EQ(change.parameters->sites[0].type, model::SiteType::closed);
    EXPECT_DOUBLE_EQ(change.parameters->teams[0].fte, 3.5) << "later dates keep earlier changes";
    EXPECT_DOUBLE_EQ(change.parameters->need.incidence_level_3_per_family_per_year, 0.03 * 1.25);
}

TEST(OptionLoader, ADemandRampIsMonthlyStepsLinearInTimeWhoseProductIsTheFactor) {
    const LoadedOption option = load(
        "  - set: {path: need.universal_contacts_per_family_per_year, value: 0.2}\n    date: 2020-07-01\n"
        "  - demand: {incidence_factor: 1.25, over_months: 12}\n    date: 2020-07-01\n");
    ASSERT_EQ(option.scenario.parameter_changes.size(), 12u);
    for (int step = 0; step < 12; ++step) {
        const auto& change = option.scenario.parameter_changes[static_cast<std::size_t>(step)];
        const int month = 7 + step;
        EXPECT_DOUBLE_EQ(change.day, day_of(2020 + (month - 1) / 12, (month - 1) % 12 + 1, 1)) << step;
        EXPECT_NEAR(change.parameters->need.incidence_level_2_per_family_per_year, 0.06 * (1 + 0.25 * (step + 1) / 12),
                    1e-15)
            << step;
        EXPECT_NEAR(change.parameters->need.universal_contacts_per_family_per_year, 0.2 * (1 + 0.25 * (step + 1) / 12),
                    1e-15)
            << "contacts follow the incidence unless contacts_factor is given";
    }
    const LoadedOption late =
        load("  - demand: {incidence_factor: 2, contacts_factor: 1, over_months: 24}\n    date: 2021-10-01\n");
    ASSERT_EQ(late.scenario.parameter_changes.size(), 6u) << "steps after the horizon (2022-04-01) are dropped";
    EXPECT_NEAR(late.scenario.parameter_changes.back().parameters->need.incidence_level_3_per_family_per_year,
                0.03 * (1 + 6.0 / 24), 1e-15);
    EXPECT_DOUBLE_EQ(late.scenario.parameter_changes.back().parameters->need.universal_contacts_per_family_per_year,
                     late.scenario.need.universal_contacts_per_family_per_year);
    EXPECT_NE(
        error_of("  - demand: {incidence_factor: 1.2, over_months: 2.5}\n").find("over_months must be a whole number"),
        std::string::npos);
    EXPECT_NE(error_of("  - demand: {incidence_factr: 1.2}\n").find("(did you mean 'incidence_factor'?)"),
              std::string::npos);
}

TEST(OptionLoader, AClosingSiteCanCutItsLocalitysStaff) {
    const LoadedOption moved = load("  - close_site: {site: Central Hub, staff: moved}\n");
    EXPECT_EQ(at_the_end(moved).sites[0].type, model::SiteType::closed);
    EXPECT_DOUBLE_EQ(at_the_end(moved).teams[0].fte, 2.0);
    const LoadedOption cut =
        load("  - close_site: {site: Central Hub, staff: cut, cut_fte: {family_support: 0.5, social_worker: 1}}\n");
    EXPECT_DOUBLE_EQ(at_the_end(cut).teams[0].fte, 1.5);
    EXPECT_DOUBLE_EQ(at_the_end(cut).teams[1].fte, 4.0);
    EXPECT_NE(error_of("  - close_site: {site: Central Hub, staff: cut, cut_fte: {family_support: 3}}\n")
                  .find("cuts 3 FTE of family_support but locality 'Central' has 2"),
              std::string::npos);
    EXPECT_NE(error_of("  - close_site: {site: Central Hub, staff: cut, cut_fte: {youth_worker: 1}}\n")
                  .find("locality 'Central' has no youth_worker team"),
              std::string::npos);
    EXPECT_NE(error_of("  - close_site: {site: Central Hub, staff: cut}\n").find("staff: cut needs cut_fte"),
              std::string::npos);
    EXPECT_NE(error_of("  - close_site: {site: Central Hub, staf: moved}\n").find("(did you mean 'staff'?)"),
              std::string::npos);
}

// An option's changes stay relative to the baseline in force: after the baseline's own change of a team
// (to 3 FTE on 2021-01-01), the option's "one more" is still one more.
TEST(OptionLoader, OptionChangesApplyOnTopOfTheBaselinesOwnLaterChanges) {
    const std::string folder = ::testing::TempDir();
    std::ofstream(folder + "/dated.yaml") << minimal_with_a_dated_change();
    const LoadedOption option = load_option_text(
        "extends: dated.yaml\nname: more\nchanges:\n  - team_fte: {locality: Central, role: family_support, add: 1}\n",
        folder + "/option.yaml");
    ASSERT_EQ(option.scenario.parameter_changes.size(), 2u);
    EXPECT_DOUBLE_EQ(option.scenario.parameter_changes[0].parameters->teams[0].fte, 3.0);  // 2 + 1 from 2020-04-01
    EXPECT_EQ(option.scenario.parameter_changes[1].date, "2021-01-01");
    EXPECT_DOUBLE_EQ(option.scenario.parameter_changes[1].parameters->teams[0].fte, 4.0);  // the baseline's 3, + 1
    EXPECT_EQ(option.scenario.parameter_changes[1].description, "the baseline's own change");
}

TEST(OptionLoader, MoreMistakesAreNamedWithTheirKeyAndPlace) {
    EXPECT_NE(error_of("  - team_fte: {locality: Central, role: family_support, add: lots}\n")
                  .find(":4:62: changes[0].team_fte.add: expected a number, got 'lots'"),
              std::string::npos);
    EXPECT_NE(error_of("  - {[a]: 1}\n").find("changes[0]: a key must be a plain name"), std::string::npos);
    EXPECT_NE(error_of("  - close_site: Central Hub\n    date: 2021-01-15\n")
                  .find("changes[0].date: 2021-01-15: changes take effect on the first day of a month"),
              std::string::npos);
    EXPECT_NE(error_of("  - close_site: Central Hub\n    date: 2021-01-01\n    date: 2021-02-01\n")
                  .find("changes[0].date: a change has one date"),
              std::string::npos);
    EXPECT_NE(error_of("  - set: {path: time.horizon_years, value: 10}\n")
                  .find("'time.horizon_years' cannot change in an option"),
              std::string::npos);
    EXPECT_NE(error_of("  - set: {path: 'sites[0].catchment_share', value: 1}\n"
                       "  - open_site: {name: Two, locality: Central, type: spoke}\n")
                  .find("give the new site's catchment_share too"),
              std::string::npos);
    const LoadedOption caseload =
        load("  - team_fte: {locality: Central, role: family_support, add: 1, caseload_per_fte: 14}\n");
    EXPECT_DOUBLE_EQ(at_the_end(caseload).teams[0].caseload_per_fte, 14.0);
}

TEST(OptionLoader, ANewSiteTakesItsCatchmentShareFromTheOthers) {
    const LoadedOption option =
        load("  - open_site: {name: Outreach, locality: Central, type: spoke, catchment_share: 0.25}\n");
    const auto& sites = at_the_end(option).sites;
    ASSERT_EQ(sites.size(), 2u);
    EXPECT_DOUBLE_EQ(sites[0].catchment_share, 0.75);
    EXPECT_DOUBLE_EQ(sites[1].catchment_share, 0.25);
    EXPECT_EQ(sites[1].type, model::SiteType::spoke);
}

TEST(OptionLoader, CoLocationRaisesTheHealthShareAndKeepsTheOthersInProportion) {
    const LoadedOption option = load(
        "  - co_locate_health_visitors: {localities: all, health_visitor_fte: 1.5, identification_factor: 2, "
        "health_lead_share: 0.2}\n");
    const model::Scenario& after = at_the_end(option);
    // The co-located health visitors join the locality's health visitor team (1 FTE in the minimal scenario).
    for (const model::Team& team : after.teams)
        if (team.role == model::Role::health_visitor) {
            EXPECT_DOUBLE_EQ(team.fte, 2.5);
        }
    const auto& shares = after.early_help.lead_professional_shares;
    EXPECT_NEAR(shares[model::lead_health], 0.2, 1e-12);
    EXPECT_NEAR(shares[model::lead_family_support], 0.9 * 0.8, 1e-12);
    EXPECT_NEAR(shares[model::lead_school], 0.1 * 0.8, 1e-12);
    EXPECT_TRUE(after.localities[0].health_visitors_co_located);
    EXPECT_DOUBLE_EQ(after.identification.co_located_health_visitor_factor, 2.0);
}

TEST(OptionLoader, TriageRulesAndResponseTargetsChangeInTheCommissionersWords) {
    const LoadedOption option = load(
        "  - response_targets: {red: 1, green: 10}\n"
        "  - triage: {level: 3, no_further_action: 0.1, single_agency: 0.1, early_help: 0.7, social_care: 0.1}\n");
    const auto& door = at_the_end(option).front_door;
    EXPECT_DOUBLE_EQ(door.response_target_days[model::red], 1.0);
    EXPECT_DOUBLE_EQ(door.response_target_days[model::amber],
                     option.scenario.front_door.response_target_days[model::amber]);
    EXPECT_DOUBLE_EQ(door.response_target_days[model::green], 10.0);
    EXPECT_DOUBLE_EQ(door.outcome_by_level[1][model::multi_agency_early_help], 0.7);
    EXPECT_DOUBLE_EQ(door.outcome_by_level[1][model::single_agency], 0.1);
    EXPECT_NE(error_of("  - triage: {level: 3, early_help: 0.7, social_care: 0.1}\n")
                  .find("changes[0].triage: makes the scenario invalid: front_door.triage_level_3: shares sum to 0.8"),
              std::string::npos);
    EXPECT_NE(error_of("  - triage: {level: 5, early_help: 1}\n").find("level must be 2, 3 or 4"), std::string::npos);
    EXPECT_NE(
        error_of("  - response_targets: {red: 1, purple: 2}\n").find("changes[0].response_targets.purple: unknown key"),
        std::string::npos);
}

TEST(OptionLoader, SetChangesAnyParameterByItsPath) {
    const LoadedOption option = load(
        "  - set: {path: early_help.patience_days, value: 45}\n"
        "  - set: {path: 'teams[1].caseload_per_fte', value: 12}\n");
    EXPECT_DOUBLE_EQ(at_the_end(option).early_help.patience_days, 45.0);
    EXPECT_DOUBLE_EQ(at_the_end(option).teams[1].caseload_per_fte, 12.0);
}

// One change of caseloads for every team of a role: a selector sets each matching team and no other.
TEST(OptionLoader, SetWithASelectorChangesEveryMatchingTeam) {
    const model::Scenario before = load_scenario_file(EHSIM_TEST_DATA "/minimal.yaml");
    const model::Scenario after =
        at_the_end(load("  - set: {path: 'teams[role=school_staff].caseload_per_fte', value: 7}\n"));
    ASSERT_EQ(after.teams.size(), before.teams.size());
    for (std::size_t i = 0; i < after.teams.size(); ++i)
        EXPECT_DOUBLE_EQ(after.teams[i].caseload_per_fte,
                         after.teams[i].role == model::Role::school_staff ? 7.0 : before.teams[i].caseload_per_fte)
            << i;
    EXPECT_NE(error_of("  - set: {path: 'teams[role=social_workers].fte', value: 3}\n")
                  .find("changes[0].set: path 'teams[role=social_workers].fte': no item of 'teams' has role "
                        "'social_workers' (did you mean 'social_worker'?)"),
              std::string::npos);
}

TEST(OptionLoader, MistakesAreNamedWithTheirPlace) {
    EXPECT_NE(
        error_of("  - close_site: Central Hbu\n")
            .find(
                ":4:5: changes[0].close_site: site 'Central Hbu' is not in the baseline (did you mean 'Central Hub'?)"),
        std::string::npos);
    EXPECT_NE(error_of("  - team_fte: {locality: North, role: family_support, add: 1}\n")
                  .find("changes[0].team_fte: locality 'North' is not in the baseline"),
              std::string::npos);
    EXPECT_NE(
        error_of("  - team_fte: {locality: all, role: family_suport, add: 1}\n").find("did you mean 'family_support'"),
        std::string::npos);
    EXPECT_NE(error_of("  - team_fte: {locality: all, role: youth_worker, add: 1}\n").find("has no youth_worker team"),
              std::string::npos);
    EXPECT_NE(error_of("  - close_sites: Central Hub\n")
                  .find("changes[0].close_sites: unknown change (did you mean 'close_site'?)"),
              std::string::npos);
    EXPECT_NE(error_of("  - close_site: Central Hub\n    date: 2030-01-01\n")
                  .find("changes[0].date: 2030-01-01 is outside the horizon 2020-04-01 to 2022-04-01"),
              std::string::npos);
    EXPECT_NE(error_of("  - set: {path: early_help.patience_day, value: 45}\n").find("(did you mean 'patience_days'?)"),
              std::string::npos);
    EXPECT_NE(error_of("  - set: {path: early_help.patience_days, value: -4}\n")
                  .find("changes[0].set: makes the scenario invalid: early_help.patience_days: -4 is out of range"),
              std::string::npos);
    EXPECT_NE(error_of("  - team_fte: {locality: all, role: family_support, add: -10}\n").find("negative FTE"),
              std::string::npos);
}

TEST(OptionLoader, ANameThatIsNotAFileNameIsRejected) {
    try {
        load_option_text("extends: minimal.yaml\nname: ../escape\nchanges: []\n", kFile);
        FAIL();
    } catch (const ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find(":2:7: name: '../escape' must be letters"), std::string::npos)
            << error.what();
    }
}

TEST(OptionLoader, AMissingBaselineIsNamed) {
    try {
        load_option_text("extends: nowhere.yaml\nname: x\nchanges: []\n", kFile);
        FAIL();
    } catch (const ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find(kFile + ":1:10: extends: baseline 'nowhere.yaml' cannot be found"),
                  std::string::npos)
            << error.what();
    }
}

// A folder where the baseline should be (`extends: ../`) is named at the key, not left to an error naming the
// folder (libFuzzer's finding in CI).
TEST(OptionLoader, ABaselineThatIsAFolderIsNamed) {
    try {
        load_option_text("extends: ../\nname: x\nchanges: []\n", kFile);
        FAIL();
    } catch (const ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find(kFile + ":1:10: extends: baseline '../' is a folder, not a file"),
                  std::string::npos)
            << error.what();
    }
}

// A name longer than the system allows makes the filesystem throw, which would not name the file or key
// (libFuzzer's finding in CI).
TEST(OptionLoader, ABaselineNameTooLongForTheSystemIsNamed) {
    try {
        load_option_text("extends: " + std::string(5000, 'a') + "\nname: x\nchanges: []\n", kFile);
        FAIL();
    } catch (const ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find(kFile + ":1:10: extends: baseline 'aaa"), std::string::npos)
            << error.what();
        EXPECT_NE(std::string(error.what()).find("cannot be looked for (File name too long)"), std::string::npos)
            << error.what();
    }
}

// ehsim compare branches each option from its baseline's run at the option's first change: the results
// must be exactly those of running the option from the start, for options with changes on several dates,
// undated changes, changes on the baseline's own change date, and no changes at all.
TEST(OptionLoader, AnOptionBranchedFromItsBaselineGivesExactlyItsOwnRun) {
    const std::string dated_baseline = minimal_with_a_dated_change();
    const std::vector<std::string> options{
        "  - team_fte: {locality: all, role: family_support, add: 1.5}\n",
        "  - close_site: Central Hub\n    date: 2021-01-01\n  - demand: {incidence_factor: 1.3, over_months: 6}\n"
        "    date: 2020-09-01\n",
        "  - caseload: {locality: Central, role: family_support, caseload_per_fte: 14}\n    date: 2021-06-01\n",
        "  []\n"};
    for (const bool baseline_has_a_dated_change : {false, true})
        for (const std::string& changes : options) {
            const std::string text =
                "extends: " + std::string(baseline_has_a_dated_change ? "dated.yaml" : "minimal.yaml") +
                "\nname: branch\nchanges:\n" + changes;
            const std::string folder = testing::TempDir();
            if (baseline_has_a_dated_change) std::ofstream(folder + "/dated.yaml") << dated_baseline;
            if (!baseline_has_a_dated_change)
                std::filesystem::copy_file(EHSIM_TEST_DATA "/minimal.yaml", folder + "/minimal.yaml",
                                           std::filesystem::copy_options::overwrite_existing);
            const LoadedOption option = load_option_text(text, folder + "/option.yaml");
            const model::Scenario baseline =
                load_scenario_file(folder + (baseline_has_a_dated_change ? "/dated.yaml" : "/minimal.yaml"));
            for (std::uint64_t replication = 0; replication < 3; ++replication) {
                const auto alone = model::EarlyHelpModel(option.scenario, kernel::RandomStreams(7), replication).run();
                model::EarlyHelpModel base(baseline, kernel::RandomStreams(7), replication);
                base.advance_to(model::EarlyHelpModel::first_change_day(option.scenario));
                const auto branched = base.continue_as(option.scenario).finish();
                EXPECT_EQ(alone.tallies, branched.tallies) << changes;
                EXPECT_EQ(alone.locality_tallies, branched.locality_tallies) << changes;
                EXPECT_EQ(alone.trajectory_fingerprint, branched.trajectory_fingerprint) << changes;
                EXPECT_EQ(alone.events, branched.events) << changes;
                EXPECT_EQ(alone.families_entered, branched.families_entered) << changes;
                // The baseline goes on undisturbed after the branch.
                EXPECT_EQ(base.finish().tallies,
                          model::EarlyHelpModel(baseline, kernel::RandomStreams(7), replication).run().tallies);
            }
        }
}

// Every council's baseline and every option under scenarios/ loads, and runs a replication.
TEST(OptionLoader, EveryBundledScenarioAndOptionLoadsAndRuns) {
    std::size_t baselines = 0, options = 0;
    for (const auto& council : std::filesystem::directory_iterator(EHSIM_SOURCE_DIR "/scenarios")) {
        // scenarios/england/ holds the template `ehsim new-scenario` fills in for any authority (tests/authority).
        if (!council.is_directory() || council.path().filename() == "england") continue;
        const auto baseline = council.path() / "baseline.yaml";
        ASSERT_TRUE(std::filesystem::exists(baseline)) << council.path();
        model::Scenario scenario = load_scenario_file(baseline.string());
        ++baselines;
        scenario.time.warm_up_years = 1;
        scenario.time.horizon_years = 1;
        const auto result = model::EarlyHelpModel(scenario, kernel::RandomStreams(1), 0).run();
        EXPECT_GT(result.families_entered, 0u) << baseline;
        if (!std::filesystem::exists(council.path() / "options")) continue;
        for (const auto& file : std::filesystem::directory_iterator(council.path() / "options")) {
            EXPECT_NO_THROW(load_option_file(file.path().string())) << file.path();
            ++options;
        }
    }
    EXPECT_GE(baselines, 5u) << "Walsall, Wirral, Sandwell, Stockton, Worcestershire";
    EXPECT_GE(options, 6u);
}

}  // namespace
}  // namespace ehsim::scenario
