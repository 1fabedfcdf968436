// Typed access by path: values set through the scenario table with the loader's own checks and messages,
// the table as the only source of defaults, and one spelling of the roles' names.
#include "sim/scenario/scenario_paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/scenario/scenario_checks.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_schema.hpp"

namespace ehsim::scenario {
namespace {

std::string minimal_text() {
    std::ifstream stream(EHSIM_TEST_DATA "/minimal.yaml");
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

model::Scenario minimal() { return load_scenario_text(minimal_text(), "minimal.yaml"); }

// The minimal scenario with one more line under a section, as a file would say it.
std::string minimal_with(const std::string& section, const std::string& line) {
    std::string text = minimal_text();
    const std::string heading = section + ":\n";
    text.insert(text.find(heading) + heading.size(), "  " + line + "\n");
    return text;
}

// "key: problem" of the error that setting `yaml` at `path` gives.
std::string set_error(const std::string& path, const std::string& yaml) {
    model::Scenario scenario = minimal();
    ReadContext context("option.yaml");
    try {
        set_scenario_value(scenario, path, YAML::Load(yaml), context);
    } catch (const ScenarioError& error) {
        return error.detail();
    }
    ADD_FAILURE() << path << " took " << yaml;
    return "";
}

// "key: problem" of the error that loading `text` gives.
std::string load_error(const std::string& text) {
    try {
        load_scenario_text(text, "council.yaml");
    } catch (const ScenarioError& error) {
        return error.detail();
    }
    ADD_FAILURE() << "the scenario loaded";
    return "";
}

TEST(ScenarioPaths, ANumberIsSetAndReadByItsPath) {
    model::Scenario scenario = minimal();
    scenario_number(scenario, "need.incidence_level_3_per_family_per_year") = 0.05;
    scenario_number(scenario, "teams[1].fte") = 6.5;
    scenario_number(scenario, "early_help.lead_professional_shares.school") = 0.25;
    EXPECT_EQ(scenario.need.incidence_level_3_per_family_per_year, 0.05);
    EXPECT_EQ(scenario.teams[1].fte, 6.5);
    EXPECT_EQ(scenario.early_help.lead_professional_shares[model::lead_school], 0.25);
    EXPECT_EQ(scenario_number(scenario, "early_help.needs_met_probability"), 0.75);
}

TEST(ScenarioPaths, ValuesAreSetFromYamlAsTheLoaderReadsThem) {
    model::Scenario scenario = minimal();
    ReadContext context("option.yaml");
    set_scenario_value(scenario, "early_help.patience_days", YAML::Load("45"), context);
    set_scenario_value(scenario, "sites[0].type", YAML::Load("spoke"), context);
    set_scenario_value(scenario, "localities[0].health_visitors_co_located", YAML::Load("yes"), context);
    set_scenario_value(scenario, "costs.per_assessment", YAML::Load("{pounds: 400, source: new}"), context);
    // A section takes the table's defaults for the keys it leaves out.
    set_scenario_value(scenario, "need",
                       YAML::Load("{incidence_level_2_per_family_per_year: 0.1, "
                                  "incidence_level_3_per_family_per_year: 0.05}"),
                       context);
    EXPECT_EQ(scenario.early_help.patience_days, 45.0);
    EXPECT_EQ(scenario.sites[0].type, model::SiteType::spoke);
    EXPECT_TRUE(scenario.localities[0].health_visitors_co_located);
    EXPECT_EQ(scenario.costs.per_assessment.pounds, 400.0);
    EXPECT_EQ(scenario.costs.per_assessment.source, "new");
    EXPECT_EQ(scenario.need.incidence_level_2_per_family_per_year, 0.1);
    EXPECT_EQ(scenario.need.toxic_trio_share, default_scenario().need.toxic_trio_share);
}

TEST(ScenarioPaths, AnUnknownPathIsRefusedWithASuggestion) {
    model::Scenario scenario = minimal();
    auto message_of = [&](const std::string& path) {
        try {
            scenario_number(scenario, path);
        } catch (const std::invalid_argument& error) {
            return std::string(error.what());
        }
        return std::string("(no error)");
    };
    EXPECT_EQ(message_of("early_help.patience_day"),
              "the scenario has no 'early_help.patience_day' (did you mean 'patience_days'?)");
    EXPECT_EQ(message_of("teams[5].fte"), "path 'teams[5].fte': no item [5] in 'teams'");
    EXPECT_EQ(message_of("teams[0.fte"), "path 'teams[0.fte': unclosed '['");
    EXPECT_EQ(message_of("early_help.lead_professional_shares.schol"),
              "the scenario has no 'early_help.lead_professional_shares.schol' (did you mean 'school'?)");
    EXPECT_EQ(message_of("teams"), "'teams' is not a number of the scenario");
    EXPECT_EQ(message_of("sites[0].type"), "'sites[0].type' is not a number of the scenario");
}

TEST(ScenarioPaths, BadValuesAreRefusedWithTheLoadersMessages) {
    const std::string out_of_range = "early_help.patience_days: -4 is out of range (must be > 0)";
    EXPECT_EQ(set_error("early_help.patience_days", "-4"), out_of_range);
    EXPECT_EQ(load_error(minimal_with("early_help", "patience_days: -4")), out_of_range);
    const std::string not_a_number = "early_help.patience_days: expected a number, got 'abc'";
    EXPECT_EQ(set_error("early_help.patience_days", "abc"), not_a_number);
    EXPECT_EQ(load_error(minimal_with("early_help", "patience_days: abc")), not_a_number);
    const std::string no_word =
        "early_help.case_duration_distribution: 'gama' is not one of: lognormal, gamma, exponential (did you mean "
        "'gamma'?)";
    EXPECT_EQ(set_error("early_help.case_duration_distribution", "gama"), no_word);
    EXPECT_EQ(load_error(minimal_with("early_help", "case_duration_distribution: gama")), no_word);
    EXPECT_EQ(set_error("early_help.patience_days", "~"), "early_help.patience_days: has no value");
    EXPECT_EQ(set_error("need.toxic_trio_share", "1.5"), "need.toxic_trio_share: 1.5 is out of range (must be [0, 1])");
    EXPECT_EQ(set_error("costs.per_assessment", "{pounds: 3}"), "costs.per_assessment.source: required key is missing");
}

TEST(ScenarioPaths, TypedChecksGiveTheFirstErrorALoadedFileWould) {
    model::Scenario scenario = minimal();
    scenario.front_door.outcome_by_level[1][model::multi_agency_early_help] = 0.5;
    scenario.sites[0].locality = "Centrl";
    ReadContext context("typed");
    try {
        check_scenario(scenario, context);
        FAIL() << "the scenario passed its checks";
    } catch (const ScenarioError& error) {
        EXPECT_EQ(error.detail(), "front_door.triage_level_3: shares sum to 0.9, not 1");
    }
    scenario.front_door.outcome_by_level[1][model::multi_agency_early_help] = 0.6;
    try {
        check_scenario(scenario, context);
        FAIL() << "the scenario passed its checks";
    } catch (const ScenarioError& error) {
        EXPECT_EQ(error.detail(),
                  "sites[0].locality: locality 'Centrl' is not declared under localities (did you mean 'Central'?)");
    }
}

TEST(ScenarioPaths, DrawnNumbersAreCheckedAndNamedWhereAFileWouldPutThem) {
    const ScenarioNumbers numbers(minimal(),
                                  {"need.incidence_level_3_per_family_per_year", "early_help.needs_met_probability"});
    const model::Scenario drawn = numbers.with({0.05, 0.4}, 13);
    EXPECT_EQ(drawn.need.incidence_level_3_per_family_per_year, 0.05);
    EXPECT_EQ(drawn.early_help.needs_met_probability, 0.4);
    EXPECT_EQ(drawn.time.horizon_years, 13 / 12.0);
    EXPECT_EQ(resolved_yaml(drawn),
              resolved_yaml(load_scenario_text(resolved_yaml(drawn), "(scenario with drawn parameters)")));
    try {
        numbers.with({0.05, 1.5});
        FAIL() << "1.5 is not a probability";
    } catch (const ScenarioError& error) {
        EXPECT_EQ(std::string(error.what()),
                  "(scenario with drawn parameters):116:26: early_help.needs_met_probability: 1.5 is out of range "
                  "(must be [0, 1])");
    }
}

// One share of a set that sums to 1, drawn: the others keep their proportions and make up the rest.
TEST(ScenarioPaths, ADrawnShareRescalesTheOthersOfItsSet) {
    const ScenarioNumbers numbers(
        minimal(), {"social_care.assessment_outcomes.not_in_need", "social_care.assessment_outcomes.looked_after"});
    const model::Scenario drawn = numbers.with({0.4, 0.1});
    const auto& outcomes = drawn.social_care.assessment_outcomes;
    double sum = 0;
    for (const double share : outcomes) sum += share;
    EXPECT_NEAR(sum, 1.0, 1e-12);
    // child in need 0.5 and section 47 0.25 share the remaining 0.5 as 2 : 1.
    EXPECT_DOUBLE_EQ(outcomes[1], 0.5 * 0.5 / 0.75);
    EXPECT_DOUBLE_EQ(outcomes[2], 0.5 * 0.25 / 0.75);
    EXPECT_EQ(outcomes[0], 0.4);
    EXPECT_EQ(outcomes[3], 0.1);
    // Named past 1: refused as a file would be.
    try {
        numbers.with({0.8, 0.5});
        FAIL() << "shares of 1.3 were accepted";
    } catch (const ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find("social_care.assessment_outcomes: shares sum to"), std::string::npos)
            << error.what();
    }
}

// A selector names every item of a list with a given value of a key: one drawn number set at each.
TEST(ScenarioPaths, ASelectorSetsEveryMatchingItemAndNoOther) {
    // A second locality, North, with its own teams listed first.
    std::string text = minimal_text();
    text.insert(text.find("teams:\n") + 7,
                "  - {locality: North, role: family_support, fte: 1, caseload_per_fte: 10}\n"
                "  - {locality: North, role: school_staff, fte: 1, caseload_per_fte: 5}\n"
                "  - {locality: North, role: social_worker, fte: 3, caseload_per_fte: 12}\n");
    text.insert(text.find("localities:\n") + 12,
                "  - {name: North, children: {age_0_to_4: 500, age_5_to_10: 600, age_11_to_15: 450, age_16_to_19: 350},"
                " children_per_family: 1.8}\n");
    const model::Scenario two_social_work_teams = load_scenario_text(text, "two-teams.yaml");
    // North's social workers are the list's third item; Central's (the minimal scenario's) its fifth.
    EXPECT_EQ(matching_paths(two_social_work_teams, "teams[role=social_worker].caseload_per_fte"),
              (std::vector<std::string>{"teams[2].caseload_per_fte", "teams[4].caseload_per_fte"}));
    EXPECT_EQ(matching_paths(two_social_work_teams, "need.incidence_level_2_per_family_per_year"),
              (std::vector<std::string>{"need.incidence_level_2_per_family_per_year"}));

    const ScenarioNumbers numbers(two_social_work_teams,
                                  {"teams[role=social_worker].caseload_per_fte", "teams[2].fte"});
    const model::Scenario drawn = numbers.with({18.5, 4});
    for (std::size_t i = 0; i < drawn.teams.size(); ++i)
        EXPECT_EQ(drawn.teams[i].caseload_per_fte, drawn.teams[i].role == model::Role::social_worker
                                                       ? 18.5
                                                       : two_social_work_teams.teams[i].caseload_per_fte)
            << i;
    EXPECT_EQ(drawn.teams[2].fte, 4);
    EXPECT_EQ(drawn.teams[4].fte, two_social_work_teams.teams[4].fte);
    try {
        numbers.with({-1, 4});
        FAIL() << "a negative caseload was accepted";
    } catch (const ScenarioError& error) {
        EXPECT_NE(std::string(error.what()).find("teams[2].caseload_per_fte"), std::string::npos) << error.what();
    }
}

TEST(ScenarioPaths, ASelectorThatMatchesNothingIsRefusedByName) {
    const model::Scenario scenario = minimal();
    const auto refusal = [&](const std::string& path) {
        try {
            ScenarioNumbers(scenario, {path});
        } catch (const std::invalid_argument& error) {
            return std::string(error.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(refusal("teams[role=socal_worker].fte"),
              "path 'teams[role=socal_worker].fte': no item of 'teams' has role 'socal_worker' (did you mean "
              "'social_worker'?)");
    EXPECT_EQ(refusal("teams[rol=social_worker].fte"),
              "path 'teams[rol=social_worker].fte': the items of 'teams' have no 'rol' (did you mean 'role'?)");
    EXPECT_EQ(refusal("need[role=x].fte").rfind("path 'need[role=x].fte': 'need' is not a list", 0), 0u);
    EXPECT_NE(refusal("teams[role=social_worker].ftee").find("did you mean 'fte'"), std::string::npos);
    EXPECT_NE(refusal("teams[role=social_worker].role").find("is not a number"), std::string::npos);
}

// The parameter structs hold no defaults of their own: a value the file leaves out is the table's.
TEST(ScenarioDefaults, TheTableIsTheOnlySourceOfDefaults) {
    const model::Scenario defaults = default_scenario();
    const model::Scenario loaded = minimal();
    EXPECT_EQ(defaults.need.toxic_trio_share, 0.06);
    EXPECT_EQ(loaded.need.toxic_trio_share, defaults.need.toxic_trio_share);
    EXPECT_EQ(loaded.need.escalation_2_to_3_per_year, defaults.need.escalation_2_to_3_per_year);
    EXPECT_EQ(loaded.early_help.patience_days, defaults.early_help.patience_days);
    EXPECT_EQ(loaded.early_help.engagement_by_access, defaults.early_help.engagement_by_access);
    EXPECT_EQ(loaded.front_door.response_target_days, defaults.front_door.response_target_days);
    EXPECT_EQ(default_site().catchment_share, 0.0);
    EXPECT_EQ(default_site().type, model::SiteType::hub);
    EXPECT_EQ(model::NeedParameters{}.toxic_trio_share, 0.0) << "no default in the struct";
    EXPECT_EQ(model::Locality{}.children_per_family, 0.0) << "no default in the struct";
}

// DatedChange keeps its member defaults (the model's change types are defined elsewhere): they must be the
// table's.
TEST(ScenarioDefaults, ADatedChangesStructDefaultsAreTheTables) {
    const model::Scenario loaded =
        load_scenario_text(minimal_text() + "changes:\n  - {date: 2021-01-01, site: Central Hub}\n", "dated.yaml");
    const model::DatedChange unset;
    ASSERT_EQ(loaded.changes.size(), 1u);
    EXPECT_EQ(loaded.changes[0].site_becomes, unset.site_becomes);
    EXPECT_EQ(loaded.changes[0].team_role, unset.team_role);
    EXPECT_EQ(loaded.changes[0].team_fte, unset.team_fte);
    EXPECT_EQ(loaded.changes[0].team_locality, unset.team_locality);
}

TEST(RoleNames, EachRoleIsSpelledOnce) {
    ASSERT_EQ(role_words().size(), static_cast<std::size_t>(model::kRoles));
    for (const auto& [word, role] : role_words()) EXPECT_EQ(word, model::to_string(role));
    EXPECT_EQ(std::string(model::to_string(model::Role::voluntary_sector)), "voluntary_sector");
    EXPECT_EQ(role_names().front(), "family_support");
}

}  // namespace
}  // namespace ehsim::scenario
