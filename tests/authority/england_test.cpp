// `ehsim new-scenario` on DfE's own tables (../shared/data/dfe; skipped when absent): every authority's files
// load, the five seed councils' generated values agree with their hand-made baselines' DfE-derived values, and
// the reorganisations in DfE's tables (Bournemouth, Christchurch and Poole; Northamptonshire; Cumbria) are named.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "sim/authority/authority_files.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/schema.hpp"
#include "tests/sources/source_citations.hpp"

namespace {

using namespace ehsim::authority;
namespace fs = std::filesystem;

const fs::path kDfe = EHSIM_DFE_DATA;
const fs::path kSource = EHSIM_SOURCE_DIR;

class EnglandTables : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (fs::exists(kDfe / "b1_children_in_need.csv")) tables_ = new DfeTables(DfeTables::read(kDfe));
    }
    static void TearDownTestSuite() {
        delete tables_;
        tables_ = nullptr;
    }
    void SetUp() override {
        if (tables_ == nullptr) GTEST_SKIP() << "no DfE tables at " << kDfe;
    }
    static std::string template_text() {
        return ehsim::scenario::read_text_file((kSource / "scenarios/england/authority-template.yaml.in").string(),
                                               "template");
    }
    static DfeTables* tables_;
};
DfeTables* EnglandTables::tables_ = nullptr;

double social_worker_fte(const ehsim::model::Scenario& scenario) {
    double fte = 0;
    for (const auto& team : scenario.teams)
        if (team.role == ehsim::model::Role::social_worker) fte += team.fte;
    return fte;
}

TEST_F(EnglandTables, EveryAuthorityStillInBeingGetsABaselineAndTargetsThatLoad) {
    const std::string text = template_text();
    int authorities = 0;
    for (const Authority& place : all_authorities(*tables_)) {
        if (!successors(*tables_, place).empty()) continue;
        const int year = place.years.back();
        const BaselineFigures figures = baseline_figures(*tables_, place, year);
        const auto scenario = ehsim::scenario::load_scenario_text(baseline_text(figures, text), place.name);
        EXPECT_EQ(scenario.children_aged_0_to_17, figures.children.value) << place.name;
        EXPECT_EQ(scenario.council, place.name);
        const auto targets = ehsim::calibration::load_targets_text(
            targets_text(place, year, target_figures(*tables_, place, year)), place.name + " targets");
        // DfE suppresses most small counts of the smallest authorities (City of London, Isles of Scilly).
        EXPECT_GE(targets.targets.size(), figures.children.value > 5000 ? 15u : 5u)
            << place.name << ": most of DfE's figures are published";
        ++authorities;
    }
    // England has 153 authorities with children's services; the five seed councils' figures stop early, and the
    // reorganised ones (Bournemouth, Poole, Northamptonshire, Cumbria) are left out.
    EXPECT_EQ(authorities, 153);
}

// The seed councils' hand-made baselines took these values from DfE's tables by hand; the generator must agree.
TEST_F(EnglandTables, TheSeedCouncilsGeneratedValuesAgreeWithTheirHandMadeBaselines) {
    const std::string text = template_text();
    for (const auto& [council, folder, year] :
         {std::tuple{"Walsall", "walsall", 2017}, std::tuple{"Stockton-on-Tees", "stockton", 2017},
          std::tuple{"Worcestershire", "worcestershire", 2018}, std::tuple{"Wirral", "wirral", 2019},
          std::tuple{"Sandwell", "sandwell", 2023}}) {
        SCOPED_TRACE(council);
        const Authority place = find_authority(*tables_, council);
        EXPECT_EQ(place.years.back(), year) << "the default year is the last DfE's tables hold";
        const auto made = ehsim::scenario::load_scenario_text(
            baseline_text(baseline_figures(*tables_, place, year), text), "generated.yaml");
        const auto hand =
            ehsim::scenario::load_scenario_file((kSource / "scenarios" / folder / "baseline.yaml").string());
        EXPECT_EQ(made.children_aged_0_to_17, hand.children_aged_0_to_17);
        EXPECT_NEAR(social_worker_fte(made), social_worker_fte(hand), 0.05);
        EXPECT_NEAR(made.need.incidence_level_4_per_family_per_year, hand.need.incidence_level_4_per_family_per_year,
                    0.0005);
        EXPECT_NEAR(made.social_care.referral_no_further_action, hand.social_care.referral_no_further_action, 0.005);
        EXPECT_EQ(made.time.start_date.substr(0, 4), hand.time.start_date.substr(0, 4));
    }
}

// Every number of a generated baseline says where it comes from: a DfE or ONS table's cell, or "assumed" (the
// report's rule for which comment applies to a value, tests/sources).
TEST_F(EnglandTables, EveryValueOfAGeneratedBaselineNamesItsTableOrIsAssumed) {
    const std::string text = template_text();
    for (const char* name : {"Bristol, City of", "Isles of Scilly", "Kent", "Walsall"}) {
        const Authority place = find_authority(*tables_, name);
        const std::string baseline = baseline_text(baseline_figures(*tables_, place, place.years.back()), text);
        std::size_t sourced = 0;
        for (const auto& value : ehsim::sources::file_values(baseline, name)) {
            const bool from_a_table = value.note.find(".csv") != std::string::npos;
            EXPECT_TRUE(value.assumed || from_a_table)
                << name << ":" << value.line << ": " << value.key << " = " << value.value << " (" << value.note << ")";
            sourced += from_a_table && !value.assumed;
        }
        EXPECT_GE(sourced, 1u) << name << ": the children, at least, come from ONS's table";
    }
}

TEST_F(EnglandTables, DfesReorganisationsAreNamed) {
    const auto message = [&](const std::string& name, int year) {
        try {
            check_year(*tables_, find_authority(*tables_, name), year);
        } catch (const DfeDataError& error) {
            return std::string(error.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message("Bournemouth", 2022).find("Bournemouth, Christchurch and Poole (same region) start in 2020"),
              std::string::npos);
    EXPECT_NE(message("Bournemouth, Christchurch and Poole", 2018).find("see Bournemouth and Poole"),
              std::string::npos);
    EXPECT_NE(message("Northamptonshire", 2023).find("North Northamptonshire and West Northamptonshire"),
              std::string::npos);
    EXPECT_NE(message("Cumbria", 2025).find("Cumberland and Westmorland and Furness"), std::string::npos);
    // The seed councils stop early in these tables, with no successor: said plainly.
    EXPECT_EQ(message("Walsall", 2020), "'Walsall' has DfE's children-in-need figures for 2013 to 2017 only, not 2020");
    EXPECT_EQ(find_authority(*tables_, "bristol, city of").name, "Bristol, City of");
    EXPECT_EQ(find_authority(*tables_, "E08000030").name, "Walsall");
}

}  // namespace
