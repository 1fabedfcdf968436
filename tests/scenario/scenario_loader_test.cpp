// Every kind of bad input gets one message naming the file, line, column and key.
#include "sim/scenario/scenario_loader.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

namespace ehsim::scenario {
namespace {

std::string minimal_text() {
    std::ifstream stream(EHSIM_TEST_DATA "/minimal.yaml");
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

// Replaces the first occurrence of `from` in the minimal scenario (which must exist).
std::string with(const std::string& from, const std::string& to) {
    std::string text = minimal_text();
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

// Loads and returns the error message; fails the test if the text loads.
std::string error_of(const std::string& text) {
    try {
        load_scenario_text(text, "council.yaml");
    } catch (const ScenarioError& error) {
        const std::string message = error.what();
        EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
        return message;
    }
    ADD_FAILURE() << "the scenario loaded, but it should not have";
    return "";
}

// True if the message starts "council.yaml:LINE:COLUMN: " with positive numbers.
bool names_a_position(const std::string& message) {
    int line = 0, column = 0, consumed = 0;
    return std::sscanf(message.c_str(), "council.yaml:%d:%d: %n", &line, &column, &consumed) == 2 && consumed > 0 &&
           line > 0 && column > 0;
}

int line_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

TEST(ScenarioLoader, TheMinimalScenarioLoadsWithDefaultsFilledIn) {
    const model::Scenario scenario = load_scenario_text(minimal_text(), "minimal.yaml");
    EXPECT_EQ(scenario.name, "minimal");
    ASSERT_EQ(scenario.localities.size(), 1u);
    EXPECT_DOUBLE_EQ(scenario.localities[0].children.total(), 3800.0);
    EXPECT_DOUBLE_EQ(scenario.localities[0].deprivation_index, 1.0);  // default
    EXPECT_DOUBLE_EQ(scenario.early_help.lead_professional_shares[model::lead_school], 0.1);
    EXPECT_DOUBLE_EQ(scenario.early_help.lead_professional_shares[model::lead_health], 0.0);  // left out: 0
    EXPECT_DOUBLE_EQ(scenario.front_door.response_target_days[model::red], 3.0);
    EXPECT_EQ(scenario.time.start_year, 2020);
}

TEST(ScenarioLoader, TheResolvedScenarioLoadsBackToItself) {
    const model::Scenario scenario = load_scenario_text(minimal_text(), "minimal.yaml");
    const std::string resolved = resolved_yaml(scenario);
    EXPECT_EQ(resolved_yaml(load_scenario_text(resolved, "resolved.yaml")), resolved);
}

TEST(ScenarioLoader, UnknownKeyIsNamedWithItsPositionAndASuggestion) {
    const std::string text = with("  warm_up_years: 1", "  warmup_years: 1");
    const std::string message = error_of(text);
    EXPECT_EQ(message, "council.yaml:" + std::to_string(line_of(text, "warmup_years")) +
                           ":3: time.warmup_years: unknown key (did you mean 'warm_up_years'?)");
}

TEST(ScenarioLoader, WrongTypeIsNamed) {
    const std::string message = error_of(with("fte: 2,", "fte: four,"));
    EXPECT_NE(message.find("teams[0].fte: expected a number, got 'four'"), std::string::npos) << message;
    EXPECT_TRUE(names_a_position(message)) << message;
}

TEST(ScenarioLoader, MissingRequiredValueIsNamed) {
    const std::string message = error_of(with("  case_duration_mean_days: 120\n", ""));
    EXPECT_NE(message.find("early_help.case_duration_mean_days: required key is missing"), std::string::npos)
        << message;
}

TEST(ScenarioLoader, NegativeStaffIsRejected) {
    const std::string message = error_of(with("fte: 2,", "fte: -2,"));
    EXPECT_NE(message.find("teams[0].fte: -2 is out of range (must be [0, 1000000])"), std::string::npos) << message;
}

TEST(ScenarioLoader, NegativeChildrenAreRejected) {
    const std::string message = error_of(with("age_0_to_4: 1000", "age_0_to_4: -1000"));
    EXPECT_NE(message.find("localities[0].children.age_0_to_4: -1000 is out of range"), std::string::npos) << message;
}

TEST(ScenarioLoader, ImpossiblyLargeValuesAreRejected) {
    const std::string message = error_of(with("age_0_to_4: 1000", "age_0_to_4: 1e12"));
    EXPECT_NE(message.find("localities[0].children.age_0_to_4: 1e+12 is out of range (must be [0, 50000000])"),
              std::string::npos)
        << message;
}

TEST(ScenarioLoader, ProbabilityOutsideZeroToOneIsRejected) {
    const std::string message = error_of(with("needs_met_probability: 0.75", "needs_met_probability: 1.2"));
    EXPECT_NE(message.find("early_help.needs_met_probability: 1.2 is out of range (must be [0, 1])"), std::string::npos)
        << message;
}

TEST(ScenarioLoader, SharesThatDoNotSumToOneAreRejected) {
    const std::string message =
        error_of(with("{family_support: 0.9, school: 0.1}", "{family_support: 0.9, school: 0.2}"));
    EXPECT_NE(message.find("early_help.lead_professional_shares: shares sum to 1.1, not 1"), std::string::npos)
        << message;
}

TEST(ScenarioLoader, UnknownShareGetsASuggestion) {
    const std::string message = error_of(with("school: 0.1}", "schol: 0.1}"));
    EXPECT_NE(message.find("unknown share 'schol' (did you mean 'school'?)"), std::string::npos) << message;
}

TEST(ScenarioLoader, SiteInAnUndeclaredLocalityIsRejected) {
    const std::string text = with("{name: Central Hub, locality: Central", "{name: Central Hub, locality: Centrall");
    const std::string message = error_of(text);
    EXPECT_NE(message.find("sites[0].locality: locality 'Centrall' is not declared under localities (did you mean "
                           "'Central'?)"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.rfind("council.yaml:" + std::to_string(line_of(text, "Centrall")) + ":", 0), 0u) << message;
}

TEST(ScenarioLoader, CatchmentSharesOfALocalityMustSumToOneOrBeAllZero) {
    const std::string text = with(
        "  - {name: Central Hub, locality: Central, type: hub, running_cost_per_year: {pounds: 100000, source: "
        "test}}\n",
        "  - {name: Central Hub, locality: Central, type: hub, catchment_share: 0.6, running_cost_per_year: {pounds: "
        "1, "
        "source: test}}\n"
        "  - {name: Spoke, locality: Central, type: spoke, catchment_share: 0.3, running_cost_per_year: {pounds: 1, "
        "source: test}}\n");
    const std::string message = error_of(text);
    EXPECT_NE(message.find("sites[1].catchment_share: the catchment shares of locality 'Central' sum to 0.9, not 1"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.rfind("council.yaml:" + std::to_string(line_of(text, "Spoke")) + ":", 0), 0u) << message;
    EXPECT_NO_THROW(load_scenario_text(
        with("  - {name: Central Hub, locality: Central, type: hub, running_cost_per_year: {pounds: 100000, source: "
             "test}}\n",
             "  - {name: Central Hub, locality: Central, type: hub, running_cost_per_year: {pounds: 100000, source: "
             "test}}\n"
             "  - {name: Spoke, locality: Central, type: spoke, running_cost_per_year: {pounds: 1, source: test}}\n"),
        "council.yaml"));
}

TEST(ScenarioLoader, TeamInAnUndeclaredLocalityIsRejected) {
    const std::string message =
        error_of(with("{locality: Central, role: family_support", "{locality: North, role: family_support"));
    EXPECT_NE(message.find("teams[0].locality: locality 'North' is not declared"), std::string::npos) << message;
}

TEST(ScenarioLoader, DateOutsideTheHorizonIsRejected) {
    const std::string text = minimal_text() + "changes:\n  - {date: 2023-06-01, site: Central Hub, becomes: closed}\n";
    const std::string message = error_of(text);
    EXPECT_NE(message.find("changes[0].date: 2023-06-01 is outside the horizon 2020-04-01 to 2022-04-01"),
              std::string::npos)
        << message;
}

TEST(ScenarioLoader, ChangeToAnUnknownSiteIsRejected) {
    const std::string message =
        error_of(minimal_text() + "changes:\n  - {date: 2021-01-01, site: Central Hubb, becomes: spoke}\n");
    EXPECT_NE(message.find("changes[0].site: site 'Central Hubb' is not declared under sites (did you mean 'Central "
                           "Hub'?)"),
              std::string::npos)
        << message;
}

TEST(ScenarioLoader, NotADateIsRejected) {
    const std::string message = error_of(with("start_date: 2020-04-01", "start_date: 2020-02-30"));
    EXPECT_NE(message.find("time.start_date: '2020-02-30' is not a date"), std::string::npos) << message;
}

TEST(ScenarioLoader, UnknownWordGetsTheChoices) {
    const std::string message = error_of(with("role: family_support", "role: family_suport"));
    EXPECT_NE(message.find("teams[0].role: 'family_suport' is not one of: family_support, health_visitor"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("(did you mean 'family_support'?)"), std::string::npos) << message;
}

TEST(ScenarioLoader, DuplicateKeyIsRejected) {
    const std::string message = error_of(with("name: minimal\n", "name: minimal\nname: again\n"));
    EXPECT_NE(message.find("name: appears twice"), std::string::npos) << message;
}

TEST(ScenarioLoader, SecondTeamOfARoleInALocalityIsRejected) {
    const std::string message = error_of(with("  - {locality: Central, role: social_worker",
                                              "  - {locality: Central, role: family_support, fte: 1, "
                                              "caseload_per_fte: 1}\n  - {locality: Central, role: social_worker"));
    EXPECT_NE(message.find("teams[1].role: a second team of this role"), std::string::npos) << message;
}

TEST(ScenarioLoader, BrokenYamlIsReportedWithItsPosition) {
    const std::string message = error_of(with("  horizon_years: 2", "  horizon_years: [2"));
    EXPECT_TRUE(names_a_position(message)) << message;
    EXPECT_NE(message.find(": not valid YAML"), std::string::npos) << message;
}

// libFuzzer's finding: yaml-cpp's message for a bad escape ends with the character itself, here a line break; a
// key can hold one too. Every error stays one line, the characters written as escapes.
TEST(ScenarioLoader, ErrorsQuotingControlCharactersStayOneLine) {
    std::ifstream found(EHSIM_SOURCE_DIR
                        "/tests/fuzz/regressions/scenario/scenario-crash-ac9c17bdf5dccd4799580bb310d1663e003869d9",
                        std::ios::binary);
    ASSERT_TRUE(found);
    const std::string finding{std::istreambuf_iterator<char>(found), std::istreambuf_iterator<char>()};
    for (const std::string& broken :
         {finding, with("name: minimal", "name: \"a\\\x01\""), minimal_text() + "\n\"bad\\nkey\\tx\": 1\n"}) {
        const std::string message = error_of(broken);
        EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        EXPECT_EQ(message.find('\t'), std::string::npos) << message;
        EXPECT_EQ(message.find('\x01'), std::string::npos) << message;
        EXPECT_TRUE(names_a_position(message)) << message;
    }
}

// libFuzzer's finding: a section as a key (`running_cost_per_year:, {pounds: ...}` in a flow mapping) escaped as
// yaml-cpp's "bad conversion", naming no file. Keys that are not names are refused with file, line and section.
TEST(ScenarioLoader, KeysThatAreNotNamesAreRefusedWithTheirPosition) {
    for (const std::string& broken :
         {minimal_text() + "\n{a: 1}: 2\n", minimal_text() + "\n[a, b]: 2\n", minimal_text() + "\n~: 2\n"}) {
        const std::string message = error_of(broken);
        EXPECT_TRUE(names_a_position(message)) << message;
        EXPECT_NE(message.find("a key must be a name"), std::string::npos) << message;
    }
}

TEST(ScenarioLoader, EmptyFileAndNonMappingAreRejected) {
    EXPECT_NE(error_of("").find("the file is empty"), std::string::npos);
    EXPECT_NE(error_of("- just\n- a list\n").find("expected a section"), std::string::npos);
}

TEST(ScenarioLoader, NonFiniteNumbersAreRejected) {
    const std::string message = error_of(with("fte: 2,", "fte: .inf,"));
    EXPECT_NE(message.find("teams[0].fte: expected a number, got '.inf'"), std::string::npos) << message;
}

TEST(ScenarioLoader, MissingFileIsNamed) {
    try {
        load_scenario_file("/nonexistent/council.yaml");
        FAIL();
    } catch (const ScenarioError& error) {
        EXPECT_STREQ(error.what(), "/nonexistent/council.yaml: cannot open the scenario file");
    }
}

TEST(ScenarioLoader, EveryBundledScenarioLoads) {
    for (const char* file : {EHSIM_SOURCE_DIR "/scenarios/walsall/baseline.yaml"})
        EXPECT_NO_THROW(load_scenario_file(file)) << file;
}

}  // namespace
}  // namespace ehsim::scenario
