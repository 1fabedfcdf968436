// A lead professional's agency given a share must have a team in every locality: a scenario or an option that
// gives one a share without a team is refused in one line naming the file, the position, the key and the
// locality that has no team.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "sim/scenario/option_loader.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace ehsim::scenario {
namespace {

const std::string kKey = "early_help.lead_professional_shares.voluntary_sector";

// minimal.yaml with a second locality, Outer, holding family support and school staff but, like Central, no
// voluntary sector team.
std::string two_localities() {
    std::ifstream stream(EHSIM_TEST_DATA "/minimal.yaml");
    std::ostringstream read;
    read << stream.rdbuf();
    std::string text = read.str();
    auto insert_after = [&](const std::string& line, const std::string& added) {
        const auto at = text.find(line);
        EXPECT_NE(at, std::string::npos) << line;
        text.insert(at + line.size(), added);
    };
    insert_after("    children_per_family: 1.8\n",
                 "  - name: Outer\n"
                 "    children: {age_0_to_4: 500, age_5_to_10: 600, age_11_to_15: 450, age_16_to_19: 350}\n"
                 "    children_per_family: 1.8\n");
    insert_after("  - {locality: Central, role: health_visitor, fte: 1, caseload_per_fte: 4}\n",
                 "  - {locality: Outer, role: family_support, fte: 1, caseload_per_fte: 10}\n"
                 "  - {locality: Outer, role: school_staff, fte: 1, caseload_per_fte: 5}\n");
    return text;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

int line_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

// The message names `file:line:column:` at `line`, is one line, and names the key and the locality.
void expect_one_line_naming(const std::string& message, const std::string& file, int line,
                            const std::string& locality) {
    int named_line = 0, column = 0, consumed = 0;
    const std::string format = file + ":%d:%d: %n";
    EXPECT_EQ(std::sscanf(message.c_str(), format.c_str(), &named_line, &column, &consumed), 2) << message;
    EXPECT_GT(consumed, 0) << message;
    EXPECT_EQ(named_line, line) << message;
    EXPECT_GT(column, 0) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
    EXPECT_NE(message.find(kKey + ": "), std::string::npos) << message;
    EXPECT_NE(message.find("locality '" + locality + "' has no voluntary_sector team"), std::string::npos) << message;
}

TEST(LeadProfessionalTeams, TheBaseScenarioHasATeamForEveryShare) {
    EXPECT_NO_THROW(load_scenario_text(two_localities(), "council.yaml"));
}

TEST(LeadProfessionalTeams, AScenarioGivingAShareToAnAgencyWithoutATeamIsRefusedInOneLine) {
    const std::string text = replaced(two_localities(), "{family_support: 0.9, school: 0.1}",
                                      "{family_support: 0.8, school: 0.1, voluntary_sector: 0.1}");
    try {
        load_scenario_text(text, "council.yaml");
        ADD_FAILURE() << "the scenario loaded";
    } catch (const ScenarioError& error) {
        std::printf("%s\n", error.what());
        expect_one_line_naming(error.what(), "council.yaml", line_of(text, "lead_professional_shares:"), "Central");
    }
    // A team in Central only: the locality still without one is named.
    const std::string central_only =
        replaced(text, "  - {locality: Outer, role: family_support",
                 "  - {locality: Central, role: voluntary_sector, fte: 1, caseload_per_fte: 10}\n"
                 "  - {locality: Outer, role: family_support");
    try {
        load_scenario_text(central_only, "council.yaml");
        ADD_FAILURE() << "the scenario loaded";
    } catch (const ScenarioError& error) {
        expect_one_line_naming(error.what(), "council.yaml", line_of(central_only, "lead_professional_shares:"),
                               "Outer");
    }
}

TEST(LeadProfessionalTeams, AnOptionRaisingTheShareOfAnAgencyWithoutATeamIsRefusedInOneLine) {
    const std::string folder = ::testing::TempDir();
    std::ofstream(folder + "/two-localities.yaml") << two_localities();
    for (const std::string date : {"", "    date: 2021-01-01\n"}) {
        const std::string option =
            "extends: two-localities.yaml\nname: vcs-leads\nchanges:\n"
            "  - lead_professional_shares: {family_support: 0.8, school: 0.1, voluntary_sector: 0.1}\n" +
            date;
        const std::string file = folder + "/vcs-leads.yaml";
        try {
            load_option_text(option, file);
            ADD_FAILURE() << "the option loaded (" << date << ")";
        } catch (const ScenarioError& error) {
            std::printf("%s\n", error.what());
            expect_one_line_naming(error.what(), file, line_of(option, "lead_professional_shares:"), "Central");
        }
    }
}

}  // namespace
}  // namespace ehsim::scenario
