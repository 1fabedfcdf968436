// What a scenario file says of itself for the report: the values no source supports (by its comments), and
// its changes in words. Also every shipped scenario: each has values marked assumed, and each is listed.
#include "sim/scenario/scenario_notes.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {
namespace {

const char* const kText = R"yaml(# A scenario. Sources: [W] a council paper.
name: test   # names are not values
time:
  start_date: 2020-04-01
  warm_up_years: 2         # assumed: long enough
  horizon_years: 3

# Staff by locality [W 2.3]; their caseloads are assumed.
teams:
  - {locality: North, role: family_support, fte: 14, caseload_per_fte: 12}
  - {locality: South, role: family_support, fte: 10, caseload_per_fte: 12}  # [W]

need:
  incidence: 0.06        # [W]: "6 in 100 families"
  escalation: 0.3        # Assumed
  resolution: 1.5
  quoted: "a # inside quotes is not a comment"   # [W]
  # The contacts below: from the paper [W 4.1].
  contacts: 0.25
  closed_at_door: 0.8

  co_located: true
costs:
  per_fte: {pounds: 35000, source: "assumed: pay with on-costs"}
  per_case: {pounds: 0, source: "borne by schools"}
changes:
  - close_site: Birchills
    date: 2021-04-01
  - team_fte: {locality: all, role: youth_worker, scale: 0.9}
)yaml";

TEST(UnsupportedValues, AreTheValuesMarkedAssumedOrWithNoComment) {
    const std::vector<UnsupportedValue> values = unsupported_values(kText, "test.yaml");
    std::vector<std::string> listed;
    for (const UnsupportedValue& value : values) listed.push_back(value.parameter + " = " + value.value);
    EXPECT_EQ(listed, (std::vector<std::string>{
                          "time.warm_up_years = 2",
                          "teams[North family_support] = fte: 14, caseload_per_fte: 12",
                          "need.escalation = 0.3",
                          "need.resolution = 1.5",
                          "need.co_located = true",
                          "costs.per_fte.pounds = 35000",
                          "changes[1].team_fte.scale = 0.9",
                      }));
    ASSERT_EQ(values.size(), 7u);
    EXPECT_EQ(values[0].note, "assumed: long enough");
    EXPECT_EQ(values[0].line, 5);
    EXPECT_EQ(values[1].note, "Staff by locality [W 2.3]; their caseloads are assumed.");
    EXPECT_EQ(values[1].line, 10);
    EXPECT_EQ(values[2].note, "Assumed");
    EXPECT_EQ(values[3].note, "");  // no comment of its own, and the line above has its own
    EXPECT_EQ(values[4].note, "");  // after a blank line: the block above does not reach it
    EXPECT_EQ(values[5].note, "assumed: pay with on-costs");
}

TEST(UnsupportedValues, ReadCommentsAsYamlDoes) {
    const char* const text = R"yaml(touchpoints:
  - {name: children's centre, fte: 3}   # assumed: no figure published
  - {name: "school # 1", fte: 2}        # [W 2.3]
notes: |
  # not a comment: the text of a block scalar
  rate: 0.5
rate: 0.5
flags: [true, 3]        # assumed
front_door: {targets: [10, 20]}   # assumed
other: &o 7             # [W]
reuse: *o
co_located: yes
)yaml";
    std::vector<std::string> listed;
    for (const UnsupportedValue& value : unsupported_values(text, "t.yaml"))
        listed.push_back(std::to_string(value.line) + " " + value.parameter + " = " + value.value + " | " + value.note);
    EXPECT_EQ(listed, (std::vector<std::string>{
                          "2 touchpoints[children's centre].fte = 3 | assumed: no figure published",
                          "7 rate = 0.5 | ",
                          "8 flags = [0]: true, [1]: 3 | assumed",
                          "9 front_door.targets = [0]: 10, [1]: 20 | assumed",
                          "11 reuse = 7 | ",
                          "12 co_located = yes | ",
                      }));
}

TEST(UnsupportedValues, RefuseTextThatIsNotYaml) {
    EXPECT_THROW(unsupported_values("a: [1, 2\n", "broken.yaml"), ScenarioError);
    try {
        unsupported_values("a: [1, 2\n", "broken.yaml");
    } catch (const ScenarioError& error) {
        EXPECT_EQ(std::string(error.what()).rfind("broken.yaml:", 0), 0u) << error.what();
    }
}

TEST(ChangesInWords, OneSentencePerChangeWithItsDate) {
    EXPECT_EQ(changes_in_words(kText, "test.yaml"),
              (std::vector<std::string>{"From 1 April 2021: close site: Birchills.",
                                        "From the start: team fte: locality all, role youth worker, scale 0.9."}));
    EXPECT_TRUE(changes_in_words("name: x\n", "x.yaml").empty());
}

TEST(UnsupportedValues, EveryShippedScenarioListsItsAssumedValues) {
    std::size_t scenarios = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(EHSIM_SOURCE_DIR "/scenarios")) {
        if (entry.path().extension() != ".yaml" || entry.path().filename() != "baseline.yaml") continue;
        std::ifstream in(entry.path());
        const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        std::size_t marked = 0;
        for (const UnsupportedValue& value : unsupported_values(text, entry.path().string()))
            marked += value.note.find("ssumed") != std::string::npos ? 1 : 0;
        EXPECT_GT(marked, 10u) << entry.path();
        ++scenarios;
    }
    EXPECT_GE(scenarios, 5u);
}

}  // namespace
}  // namespace ehsim::scenario
