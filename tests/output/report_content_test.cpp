// Which indicators the report shows comes from the indicator table's column `report`; the chart specifications
// are JSON built with nlohmann-json and written out with the report's own number and string rules; a fan chart's
// specification carries exactly the fans of report_content.hpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "output/chart_json.hpp"
#include "output/report_charts.hpp"
#include "output/report_content.hpp"
#include "sim/model/indicators.hpp"

namespace ehsim::output {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(ReportIndicators, TheSummaryIsTheTablesSummaryColumnInRankOrder) {
    const std::vector<SummaryIndicator>& shown = summary_indicators();
    ASSERT_EQ(shown.size(), 6u);
    const std::vector<std::string> keys{"children_in_need_per_10000",
                                        "contacts_to_social_care",
                                        "lead_professional_within_target_pct",
                                        "mean_wait_days",
                                        "cost_total",
                                        "cost_sites"};
    const std::vector<ValueKind> kinds{ValueKind::rate, ValueKind::count, ValueKind::percent,
                                       ValueKind::rate, ValueKind::money, ValueKind::money};
    for (std::size_t i = 0; i < shown.size(); ++i) {
        EXPECT_EQ(shown[i].key, keys[i]);
        EXPECT_EQ(shown[i].kind, kinds[i]) << shown[i].key;
        EXPECT_FALSE(shown[i].label.empty()) << shown[i].key;
    }
    EXPECT_EQ(shown[0].label, "Children in need per 10,000 children aged 0-17");
}

// Every part's ranks run 1, 2, 3... with none missing, and everything the report words is there.
TEST(ReportIndicators, EachPartsRanksAreWholeAndWorded) {
    std::set<int> summary, charts, flows;
    std::set<std::string> chart_ids;
    for (const model::IndicatorDefinition& indicator : model::kIndicators) {
        const model::ReportUse& use = indicator.report;
        if (use.summary.rank) {
            EXPECT_TRUE(summary.insert(use.summary.rank).second) << indicator.name << ": a summary rank twice";
            EXPECT_FALSE(use.summary.label.empty()) << indicator.name;
        }
        if (use.chart.rank && charts.insert(use.chart.rank).second) {
            // The first indicator of a chart names it.
            EXPECT_FALSE(use.chart.id.empty()) << indicator.name;
            EXPECT_FALSE(use.chart.title.empty()) << indicator.name;
            EXPECT_TRUE(chart_ids.insert(std::string(use.chart.id)).second) << use.chart.id;
        }
        if (use.flow.rank) {
            EXPECT_TRUE(flows.insert(use.flow.rank).second) << indicator.name << ": a flow rank twice";
            EXPECT_FALSE(use.flow.stage.empty() || use.flow.category.empty()) << indicator.name;
            EXPECT_EQ(indicator.kind, model::IndicatorKind::flow) << indicator.name << ": a count per year";
        }
    }
    for (const std::set<int>* ranks : {&summary, &charts, &flows}) {
        ASSERT_FALSE(ranks->empty());
        EXPECT_EQ(*ranks->begin(), 1);
        EXPECT_EQ(*ranks->rbegin(), static_cast<int>(ranks->size()));
    }
    EXPECT_EQ(summary.size(), 6u);
    EXPECT_EQ(charts.size(), 8u);
    EXPECT_EQ(flows.size(), 15u);
}

TEST(ReportIndicators, TheReportReadsWhatTheTableShowsAndTheCaseloadSeries) {
    const ResultsSelection selection = report_selection();
    ASSERT_TRUE(selection.monthly && selection.annual && selection.by_locality);
    EXPECT_FALSE(selection.differences);
    std::vector<std::string> monthly, annual;
    for (const model::IndicatorDefinition& indicator : model::kIndicators)
        if (indicator.report.chart.rank) monthly.emplace_back(indicator.name);
    EXPECT_EQ(std::set<std::string>(selection.monthly->begin(), selection.monthly->end()),
              std::set<std::string>(monthly.begin(), monthly.end()));
    // The waiting chart adds up red, amber and green, in the table's order.
    EXPECT_EQ(std::vector<std::string>(selection.monthly->begin() + 4, selection.monthly->begin() + 7),
              (std::vector<std::string>{"waiting_red", "waiting_amber", "waiting_green"}));
    for (const model::IndicatorDefinition& indicator : model::kIndicators)
        if (indicator.report.summary.rank || indicator.report.flow.rank) annual.emplace_back(indicator.name);
    annual.insert(annual.end(), {"closures", "rereferral_within_12_months_pct"});  // the re-referral cohort
    EXPECT_EQ(std::set<std::string>(selection.annual->begin(), selection.annual->end()),
              std::set<std::string>(annual.begin(), annual.end()));
    EXPECT_EQ(selection.annual->size(), std::set<std::string>(annual.begin(), annual.end()).size());
}

TEST(ReportIndicators, KindsComeFromUnits) {
    EXPECT_EQ(kind_of_unit("%"), ValueKind::percent);
    EXPECT_EQ(kind_of_unit("GBP"), ValueKind::money);
    EXPECT_EQ(kind_of_unit("days"), ValueKind::rate);
    EXPECT_EQ(kind_of_unit("per 10,000 children"), ValueKind::rate);
    EXPECT_EQ(kind_of_unit("families"), ValueKind::count);
    EXPECT_EQ(kind_of_unit("contacts"), ValueKind::count);
}

TEST(ChartJson, WritesNumbersAsTheReportAlwaysHas) {
    using charts::Json;
    EXPECT_EQ(charts::dump(Json(30.0)), "30");
    EXPECT_EQ(charts::dump(Json(1.5)), "1.5");
    EXPECT_EQ(charts::dump(Json(2.0 / 3.0)), "0.666667");
    EXPECT_EQ(charts::dump(Json(1234567.0)), "1.23457e+06");
    EXPECT_EQ(charts::dump(Json(0.00001234)), "1.234e-05");
    EXPECT_EQ(charts::dump(Json(-0.5)), "-0.5");
    EXPECT_EQ(charts::dump(Json(kNaN)), "null");
    EXPECT_EQ(charts::dump(Json(std::numeric_limits<double>::infinity())), "null");
    EXPECT_EQ(charts::dump(Json(240)), "240");
    EXPECT_EQ(charts::dump(Json(std::size_t{7})), "7");
    EXPECT_EQ(charts::dump(Json(-3)), "-3");
    EXPECT_EQ(charts::dump(Json(true)), "true");
    EXPECT_EQ(charts::dump(Json(nullptr)), "null");
}

TEST(ChartJson, KeepsKeyOrderAndIsSafeInsideAScript) {
    using charts::Json;
    const Json spec = {{"z", 1}, {"a", Json::array({1, 2.5, "x"})}, {"m", {{"b", nullptr}, {"a", false}}}};
    EXPECT_EQ(charts::dump(spec), R"({"z":1,"a":[1,2.5,"x"],"m":{"b":null,"a":false}})");
    EXPECT_EQ(charts::dump(Json("</script><!-- & \"quoted\" \\ \n")),
              R"("\u003c/script\u003e\u003c!-- \u0026 \"quoted\" \\ \n")");
    EXPECT_EQ(charts::dump(Json("line\u2028separator")), R"("line\u2028separator")");
    EXPECT_EQ(charts::dump(charts::strings({"a", "b"})), R"(["a","b"])");
    EXPECT_EQ(charts::dump(Json::object()), "{}");
    EXPECT_EQ(charts::dump(Json::array()), "[]");
}

// A fan chart's specification, read back as JSON: one panel per scenario in order, and the fans' numbers to six
// significant digits.
TEST(ChartSpecifications, AFanChartCarriesItsFans) {
    FanChart chart{
        "fan-x",
        "X",
        "families",
        ValueKind::count,
        {"open_early_help_cases"},
        {"base", "option"},
        {{{1, 2, 3, 4, 5}, {1.5, 2.5, 3.5, 4.5, 5.5}}, {{10, 20, 30, 40, 50}, {kNaN, kNaN, kNaN, kNaN, kNaN}}}};
    const std::vector<std::string> months{"2016-04", "2016-05"};
    const nlohmann::json spec = nlohmann::json::parse(charts::fan_chart(chart, months, "About X.", true));
    EXPECT_EQ(spec["description"], "About X.");
    EXPECT_EQ(spec["facet"]["sort"], nlohmann::json::array({"base", "option"}));
    EXPECT_EQ(spec["spec"]["layer"].size(), 4u);  // two bands, the median and the baseline's median
    const nlohmann::json& values = spec["data"]["values"];
    ASSERT_EQ(values.size(), 4u);
    EXPECT_EQ(values[0]["s"], "base");
    EXPECT_EQ(values[1]["m"], "2016-05");
    EXPECT_EQ(values[1]["e"], 5.5);
    EXPECT_FALSE(values[1].contains("r"));  // the baseline's own panel has no baseline line
    EXPECT_EQ(values[2]["c"], 30);
    EXPECT_EQ(values[2]["r"], 3);  // the baseline's median of the same month
    EXPECT_TRUE(values[3]["c"].is_null());
    EXPECT_EQ(values[3]["r"], 3.5);
    const nlohmann::json without = nlohmann::json::parse(charts::fan_chart(chart, months, "About X.", false));
    EXPECT_EQ(without["spec"]["layer"].size(), 3u);
}

}  // namespace
}  // namespace ehsim::output
