// `ehsim new-scenario`'s library: DfE's tables read as published (quoted names, suppression marks), authorities
// found by name or code, reorganisations named, what stands in for a missing figure, and files that load. A
// synthetic set of tables tests each rule; DfE's own tables (../shared/data/dfe, when present) test every
// authority and the five seed councils' hand-made baselines.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "sim/authority/authority_files.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/schema.hpp"
#include "tests/support/temporary_folder.hpp"

namespace {

using namespace ehsim::authority;
namespace fs = std::filesystem;

const fs::path kDfe = EHSIM_DFE_DATA;
const fs::path kSource = EHSIM_SOURCE_DIR;

std::string shipped_template() {
    return ehsim::scenario::read_text_file((kSource / "scenarios/england/authority-template.yaml.in").string(),
                                           "template");
}

template <typename Call>
std::string error_of(Call call) {
    try {
        call();
    } catch (const std::exception& error) {
        return error.what();
    }
    ADD_FAILURE() << "no error";
    return "";
}

// A small England of one region: Old County reorganised into North Shire and South Shire in 2020; a borough whose
// name holds a comma and quotes, with suppressed and missing cells; an isle with no workforce figures at all.
class SyntheticTables : public ::testing::Test {
protected:
    void SetUp() override {
        const std::string lead = "time_period,geographic_level,region_name,old_la_code,new_la_code,la_name,";
        write("b1_children_in_need.csv", lead + "Started_episodes,Ended_episodes,At31_episodes,awaiting_assessment",
              {"2019,National,,,,,100000,99000,50000,2000", "2020,National,,,,,100000,99000,50000,2000",
               "2021,National,,,,,100000,99000,50000,2000",
               "2018,Local authority,Shire,101,E10000001,Old County,900,880,500,10",
               "2019,Local authority,Shire,101,E10000001,Old County,900,880,500,10",
               "2020,Local authority,Shire,102,E06000101,North Shire,500,480,300,c",
               "2021,Local authority,Shire,102,E06000101,North Shire,500,480,300,4",
               "2020,Local authority,Shire,103,E06000102,South Shire,400,380,200,x",
               "2021,Local authority,Shire,103,E06000102,South Shire,400,380,200,x",
               "2019,Local authority,Shire,104,E06000103,\"Town, \"\"Old\"\" City of\",300,280,250,u",
               "2020,Local authority,Shire,104,E06000103,\"Town, \"\"Old\"\" City of\",300,280,250,u",
               "2021,Local authority,Shire,104,E06000104,\"Town, \"\"Old\"\" City of\",300,280,250,u",
               "2021,Local authority,Shire,105,E06000105,Tiny Isle,5,4,3,0"});
        write("c1_children_in_need_referrals_and_rereferrals.csv",
              lead + "referral_count,rereferral_percent,no_further_action_count,not_in_need_count",
              {"2021,National,,,,,600000,22.5,40000,190000", "2021,Local authority,Shire,102,,North Shire,800,20,c,150",
               "2021,Local authority,Shire,103,,South Shire,600,low,30,120",
               "2021,Local authority,Shire,104,,\"Town, \"\"Old\"\" City of\",450,25.1,40,90",
               "2021,Local authority,Shire,105,,Tiny Isle,6,c,0,c"});
        write("d3_cpps_subsequent_plan.csv", lead + "CPP_start,CPP_subsequent_percent",
              {"2021,Local authority,Shire,102,,North Shire,80,21.3"});
        write("d5_cpps_at31march_by_duration.csv",
              lead +
                  "CPP_At31,3_months_or_less_percent,more_than_3_months_6_months_percent,"
                  "more_than_6_months_less_than_1_year_percent,1_year_less_than_2_years_percent,"
                  "2_years_or_more_percent",
              {"2021,Local authority,Shire,102,,North Shire,60,30,25,30,c,c"});
        write("cla_sfr_2015_to_2017.csv", "time_period,la_name,looked_after_at_31_march", {"2017,England,72670"});
        write("cla_number_and_rate_per_10k_children.csv", lead + "population_type,children_count",
              {"2021,Local authority,Shire,102,,North Shire,Children looked after on 31 March each year,150",
               "2021,Local authority,Shire,102,,North Shire,Children starting to be looked after each year,40"});
        write("csww_indicators.csv", lead + "case_holders_fte,cases,caseload_fte",
              {"2021,National,,,,,20000,320000,16", "2021,Local authority,Shire,102,,North Shire,40.5,700,17.3",
               "2019,Local authority,Shire,104,,\"Town, \"\"Old\"\" City of\",22.5,400,17.8",
               "2020,Local authority,Shire,104,,\"Town, \"\"Old\"\" City of\",c,c,c",
               "2021,Local authority,Shire,104,,\"Town, \"\"Old\"\" City of\",c,c,c"});
        write("ons_mid-year_population_estimates.csv", lead + "population_estimate",
              {"2020,National,,,,,12000000", "2015,Local authority,Shire,102,,North Shire,19000",
               "2020,Local authority,Shire,102,,North Shire,20000", "2020,Local authority,Shire,103,,South Shire,15000",
               "2020,Local authority,Shire,104,,\"Town, \"\"Old\"\" City of\",9000",
               "2020,Local authority,Shire,105,,Tiny Isle,300"});
        tables_ = DfeTables::read(folder_.path());
    }

    void write(const std::string& name, const std::string& header, const std::vector<std::string>& rows) {
        std::ofstream out(folder_.path() / name);
        out << header << '\n';
        for (const std::string& row : rows) out << row << '\n';
    }

    ehsim::test::TemporaryFolder folder_;
    DfeTables tables_;
};

TEST(DfeCells, QuotedCellsAndDfesMarks) {
    EXPECT_EQ(csv_cells("2021,\"Bristol, City of\",\"a \"\"b\"\"\",7"),
              (std::vector<std::string>{"2021", "Bristol, City of", "a \"b\"", "7"}));
    EXPECT_EQ(figure_in("12.5"), 12.5);
    EXPECT_EQ(figure_in("0"), 0.0);
    for (const char* no_figure : {"c", "x", "z", "u", "low", ":", "", "1,234", "12a", " 5", "nan", "inf", "-3"})
        EXPECT_FALSE(figure_in(no_figure)) << no_figure;
    EXPECT_NE(why_no_figure("c").find("suppressed"), std::string::npos);
    EXPECT_NE(why_no_figure("x").find("not available"), std::string::npos);
    EXPECT_NE(why_no_figure(":").find("not available"), std::string::npos);
    EXPECT_NE(why_no_figure("z").find("not applicable"), std::string::npos);
    EXPECT_NE(why_no_figure("u").find("low reliability"), std::string::npos);
    EXPECT_NE(why_no_figure("low").find("'low'"), std::string::npos);
    EXPECT_EQ(why_no_figure("3"), "");
}

TEST_F(SyntheticTables, AuthoritiesAreFoundByNameInAnyCaseOrByCode) {
    const std::string town = "Town, \"Old\" City of";
    EXPECT_EQ(find_authority(tables_, "  town,  \"OLD\" city OF ").name, town);
    EXPECT_EQ(find_authority(tables_, "E06000104").name, town);
    EXPECT_EQ(find_authority(tables_, "104").name, town);
    EXPECT_EQ(find_authority(tables_, town).code_changes, "DfE's code changed from E06000103 to E06000104 in 2021");
    EXPECT_NE(error_of([&] { find_authority(tables_, "Town"); }).find("did you mean 'Town, \"Old\" City of'?"),
              std::string::npos);
    EXPECT_NE(error_of([&] { find_authority(tables_, "Nort Shire"); }).find("did you mean 'North Shire'?"),
              std::string::npos);
    EXPECT_NE(error_of([&] { find_authority(tables_, "Atlantis"); }).find("no authority 'Atlantis'"),
              std::string::npos);
}

TEST_F(SyntheticTables, AReorganisationNamesSuccessorsAndPredecessors) {
    const Authority old_county = find_authority(tables_, "Old County");
    EXPECT_EQ(successors(tables_, old_county), (std::vector<std::string>{"North Shire", "South Shire"}));
    const std::string after = error_of([&] { check_year(tables_, old_county, 2021); });
    EXPECT_NE(after.find("2018 to 2019 only, not 2021: it was reorganised, and North Shire and South Shire (same "
                         "region) start in 2020"),
              std::string::npos)
        << after;
    const std::string before = error_of([&] { check_year(tables_, find_authority(tables_, "South Shire"), 2019); });
    EXPECT_NE(before.find("formed in a reorganisation; before 2020, see Old County"), std::string::npos) << before;
    EXPECT_TRUE(successors(tables_, find_authority(tables_, "Tiny Isle")).empty());
}

TEST_F(SyntheticTables, AMissingFigureIsNeverZeroButTheNearestYearsOrEnglandsPerChild) {
    const BaselineFigures town = baseline_figures(tables_, find_authority(tables_, "Town, \"Old\" City of"), 2021);
    EXPECT_EQ(town.children.value, 9000);
    EXPECT_EQ(town.social_workers.value, 22.5);  // 2021 and 2020 suppressed: 2019's
    EXPECT_EQ(town.social_workers.cell.year, 2019);
    EXPECT_NE(town.social_workers.stand_in.find("suppressed by DfE"), std::string::npos)
        << town.social_workers.stand_in;
    const BaselineFigures isle = baseline_figures(tables_, find_authority(tables_, "Tiny Isle"), 2021);
    EXPECT_DOUBLE_EQ(isle.social_workers.value, 20000.0 / 12000000.0 * 300.0);
    EXPECT_NE(isle.social_workers.stand_in.find("England's figure per child"), std::string::npos);
    // No further action is suppressed for North Shire in 2021 and in no other year: England's share per child.
    const BaselineFigures north = baseline_figures(tables_, find_authority(tables_, "North Shire"), 2021);
    EXPECT_DOUBLE_EQ(north.no_further_action.value, 40000.0 / 12000000.0 * 20000.0);
    ASSERT_TRUE(north.children_five_years_before);
    EXPECT_EQ(north.children_five_years_before->value, 19000);
    EXPECT_FALSE(isle.children_five_years_before);
}

TEST_F(SyntheticTables, TargetsLeaveOutSuppressedCellsWithDfesReason) {
    const Authority north = find_authority(tables_, "North Shire");
    const std::vector<TargetFigure> targets = target_figures(tables_, north, 2021);
    const auto find = [&](const std::string& name) {
        for (const TargetFigure& target : targets)
            if (target.name == name) return target;
        ADD_FAILURE() << name;
        return TargetFigure{};
    };
    EXPECT_FALSE(find("dfe_referrals_no_further_action").figure);
    EXPECT_NE(find("dfe_referrals_no_further_action").left_out.find("suppressed by DfE"), std::string::npos);
    EXPECT_FALSE(find("dfe_protection_plans_1_to_2_years").figure);
    EXPECT_EQ(find("dfe_children_looked_after").figure->value, 150);
    EXPECT_EQ(find("dfe_looked_after_per_10000").per->value, 20000);
    EXPECT_EQ(find("dfe_second_protection_plans").per->value, 80);
    EXPECT_FALSE(find("dfe_awaiting_assessment").not_fitted.empty());
    const TargetFigure caseload = find("dfe_social_work_cases_per_fte");
    ASSERT_TRUE(caseload.cases);
    EXPECT_EQ(caseload.cases->value, 700);
    const std::string text = targets_text(north, 2021, targets);
    EXPECT_NE(text.find("# Left out: dfe_referrals_no_further_action, c1_children_in_need_referrals_and_rereferrals"
                        ".csv no_further_action_count is suppressed by DfE"),
              std::string::npos)
        << text;
    const auto loaded = ehsim::calibration::load_targets_text(text, "north-shire-targets.yaml");
    EXPECT_EQ(loaded.targets.size() + 3, targets.size());  // less those left out: NFA and two plan lengths
    // South Shire's re-referral share is "low" (a rate below half a unit): left out, not read as 0.
    const std::vector<TargetFigure> south = target_figures(tables_, find_authority(tables_, "South Shire"), 2021);
    for (const TargetFigure& target : south)
        if (target.name == "dfe_rereferrals_within_12_months") {
            EXPECT_FALSE(target.figure);
            EXPECT_NE(target.left_out.find("'low'"), std::string::npos);
        }
}

TEST_F(SyntheticTables, ANameWithCommasAndQuotesMakesFilesThatLoad) {
    const Authority town = find_authority(tables_, "Town, \"Old\" City of");
    const std::string baseline = baseline_text(baseline_figures(tables_, town, 2021), shipped_template());
    const auto scenario = ehsim::scenario::load_scenario_text(baseline, "town-baseline.yaml");
    EXPECT_EQ(scenario.council, "Town, \"Old\" City of");
    EXPECT_EQ(scenario.localities.at(0).name, "Town, \"Old\" City of");
    EXPECT_EQ(file_stem(town.name), "town-old-city-of");
    EXPECT_NE(baseline.find("DfE's code changed from E06000103 to E06000104 in 2021"), std::string::npos);
    const std::string targets = targets_text(town, 2021, target_figures(tables_, town, 2021));
    EXPECT_EQ(ehsim::calibration::load_targets_text(targets, "town-targets.yaml").council, "Town, \"Old\" City of");
    // The source names the row by its name quoted as in the CSV.
    EXPECT_NE(targets.find("c1_children_in_need_referrals_and_rereferrals.csv, \\\"Town, \\\"\\\"Old\\\"\\\" City "
                           "of\\\", referral_count"),
              std::string::npos)
        << targets;
}

TEST_F(SyntheticTables, EveryTemplatePlaceholderHasAValueAndEveryValueAPlaceholder) {
    const std::string text = shipped_template();
    const auto values = template_values(baseline_figures(tables_, find_authority(tables_, "North Shire"), 2021));
    std::set<std::string> placeholders;
    const std::regex placeholder(R"(\{\{([a-z0-9_]+)\}\})");
    for (auto match = std::sregex_iterator(text.begin(), text.end(), placeholder); match != std::sregex_iterator();
         ++match)
        placeholders.insert((*match)[1].str());
    std::set<std::string> keys;
    for (const auto& [key, value] : values) keys.insert(key);
    EXPECT_EQ(placeholders, keys);
    EXPECT_NE(error_of([&] { fill_template("a: {{nothing}}", values); }).find("{{nothing}} has no value"),
              std::string::npos);
    EXPECT_NE(error_of([&] { fill_template("a: {{open", values); }).find("no '}}'"), std::string::npos);
}

TEST(DfeTablesFolder, AMissingOrForeignTableIsNamed) {
    ehsim::test::TemporaryFolder folder;
    EXPECT_NE(error_of([&] { DfeTables::read(folder.path() / "nowhere"); }).find("no such folder"), std::string::npos);
    EXPECT_NE(error_of([&] { DfeTables::read(folder.path()); }).find("b1_children_in_need.csv: cannot open"),
              std::string::npos);
    std::ofstream(folder.path() / "foreign.csv") << "a,b\n1,2\n";
    EXPECT_NE(error_of([&] { DfeTable::read(folder.path() / "foreign.csv"); }).find("no 'time_period' column"),
              std::string::npos);
    std::ofstream(folder.path() / "ragged.csv") << "time_period,la_name\n2020,A,extra\n";
    EXPECT_NE(error_of([&] { DfeTable::read(folder.path() / "ragged.csv"); }).find("ragged.csv:2: 3 cells"),
              std::string::npos);
    std::ofstream(folder.path() / "year.csv") << "time_period,la_name\n2020/21,A\n";
    EXPECT_NE(error_of([&] { DfeTable::read(folder.path() / "year.csv"); }).find("'2020/21' is not a year"),
              std::string::npos);
    // Found by fuzzing: a year too large for a whole number was converted regardless (undefined behaviour).
    for (const char* year : {"1e300", "99999", "-2020", "202"}) {
        std::ofstream(folder.path() / "far.csv") << "time_period,la_name\n" << year << ",A\n";
        EXPECT_NE(error_of([&] {
                      DfeTable::read(folder.path() / "far.csv");
                  }).find(std::string("'") + year + "' is not a year"),
                  std::string::npos)
            << year;
    }
}

}  // namespace
