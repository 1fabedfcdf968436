// Option files: what changes, from when, and one clear error for each kind of mistake.
#include "sim/scenario/option_loader.hpp"

#include <gtest/gtest.h>

#include "sim/kernel/random_streams.hpp"
#include "sim/model/early_help_model.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::scenario {
namespace {

const std::string kFile = EHSIM_TEST_DATA "/option.yaml";  // extends resolve against tests/data/

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

TEST(OptionLoader, UndatedChangesApplyFromTheStartAndDatedOnesOnTheirDate) {
    const LoadedOption option = load(
        "  - team_fte: {locality: all, role: family_support, add: 1.5}\n"
        "  - close_site: Central Hub\n    date: 2021-01-01\n"
        "  - demand: {incidence_factor: 1.25}\n    date: 2021-01-01\n");
    EXPECT_DOUBLE_EQ(option.scenario.teams[0].fte, 3.5);
    EXPECT_EQ(option.scenario.sites[0].type, model::SiteType::hub);
    ASSERT_EQ(option.scenario.parameter_changes.size(), 1u) << "one date, one parameter change";
    const auto& change = option.scenario.parameter_changes[0];
    EXPECT_EQ(change.date, "2021-01-01");
    // Day 0 is 2019-04-01 (one year of warm-up before 2020-04-01).
    EXPECT_DOUBLE_EQ(change.day,
                     static_cast<double>(model::days_from_civil({2021, 1, 1}) - model::days_from_civil({2019, 4, 1})));
    EXPECT_EQ(change.parameters->sites[0].type, model::SiteType::closed);
    EXPECT_DOUBLE_EQ(change.parameters->teams[0].fte, 3.5) << "later dates keep earlier changes";
    EXPECT_DOUBLE_EQ(change.parameters->need.incidence_level_3_per_family_per_year, 0.03 * 1.25);
}

TEST(OptionLoader, CoLocationRaisesTheHealthShareAndKeepsTheOthersInProportion) {
    const LoadedOption option =
        load("  - co_locate_health_visitors: {localities: all, identification_factor: 2, health_lead_share: 0.2}\n");
    const auto& shares = option.scenario.early_help.lead_professional_shares;
    EXPECT_NEAR(shares[model::lead_health], 0.2, 1e-12);
    EXPECT_NEAR(shares[model::lead_family_support], 0.9 * 0.8, 1e-12);
    EXPECT_NEAR(shares[model::lead_school], 0.1 * 0.8, 1e-12);
    EXPECT_TRUE(option.scenario.localities[0].health_visitors_co_located);
    EXPECT_DOUBLE_EQ(option.scenario.identification.co_located_health_visitor_factor, 2.0);
}

TEST(OptionLoader, SetChangesAnyParameterByItsPath) {
    const LoadedOption option = load(
        "  - set: {path: early_help.patience_days, value: 45}\n"
        "  - set: {path: 'teams[1].caseload_per_fte', value: 12}\n");
    EXPECT_DOUBLE_EQ(option.scenario.early_help.patience_days, 45.0);
    EXPECT_DOUBLE_EQ(option.scenario.teams[1].caseload_per_fte, 12.0);
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

TEST(OptionLoader, EveryBundledOptionLoads) {
    for (const char* file : {"close-birchills.yaml", "co-located-health-visitors.yaml", "both.yaml",
                             "youth-work-cut.yaml", "voluntary-sector-leads.yaml"})
        EXPECT_NO_THROW(load_option_file(std::string(EHSIM_SOURCE_DIR "/scenarios/walsall/options/") + file)) << file;
}

}  // namespace
}  // namespace ehsim::scenario
