// The report's numbers are the file's: the summary's rows equal the comparison file's /summary (options) and
// the mean and percentiles of the baseline's replications, read back here independently through the HDF5 C API;
// the HTML table carries exactly those rows; the fans are the percentiles of the file's replications. And the
// HTML is self-contained, in order, accessible and safe whatever the names in the file.
#include "output/report_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <random>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/hdf5_writer.hpp"
#include "tests/output/hdf5_read_back.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_test;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kReplications = 5, kMonths = 24, kYears = 2;
const std::string kHostile = "<b>&\"x\"";  // an option name that HTML and JSON must escape

const std::vector<std::string> kMonthly = {"children_in_need_per_10000",
                                           "contacts_to_social_care",
                                           "early_help_requests",
                                           "open_early_help_cases",
                                           "waiting_red",
                                           "waiting_amber",
                                           "waiting_green",
                                           "mean_wait_days_red",
                                           "mean_wait_days_amber",
                                           "mean_wait_days_green"};
const std::vector<std::string> kAnnual = {"children_in_need_per_10000",
                                          "contacts_to_social_care",
                                          "lead_professional_within_target_pct",
                                          "mean_wait_days",
                                          "cost_total",
                                          "cost_sites",
                                          "step_ups",
                                          "early_help_requests",
                                          "triage_no_further_action",
                                          "triage_early_help",
                                          "plans_started",
                                          "closures_needs_met",
                                          "closures",
                                          "rereferral_within_12_months_pct"};
const std::vector<std::string> kLocalities = {"Central", "East & <West>"};
const std::vector<std::string> kByLocality = {"caseload_slots", "caseload_slots_in_use", "waiting_families",
                                              "wait_days_of_allocations", "allocations"};

RunRecord record_of(const std::string& name, std::uint64_t seed) {
    RunRecord record;
    RunMetadata& m = record.metadata;
    m.ehsim_version = "0.4.0";
    m.git_commit = "abc1234";
    m.scenario_name = name;
    m.scenario_file = "scenarios/" + name + ".yaml";
    m.scenario_resolved = "name: x\n";
    m.seed = 42;
    m.replications = kReplications;
    m.start_date = "2020-04-01";
    m.warm_up_years = 1.0;
    m.horizon_years = 2.0;
    m.created_utc = "2024-06-01T08:00:00Z";
    for (std::size_t month = 0; month < kMonths; ++month) {
        const std::size_t calendar = 3 + month;  // April 2020 onwards
        char label[8];
        std::snprintf(label, sizeof label, "%04zu-%02zu", 2020 + calendar / 12, calendar % 12 + 1);
        record.months.push_back(label);
    }
    record.years = {"2020/21", "2021/22"};
    record.localities = kLocalities;
    std::mt19937_64 random(seed);
    std::uniform_real_distribution<double> uniform(0.0, 100.0);
    for (const std::string& indicator : kMonthly) {
        std::vector<double> values(kReplications * kMonths);
        for (double& value : values) value = std::round(uniform(random) * 8.0) / 8.0;
        // Red waits: months with no allocation at all (NaN in every replication), and in some replications.
        if (indicator == "mean_wait_days_red") {
            for (std::size_t r = 0; r < kReplications; ++r) values[r * kMonths + 3] = kNaN;
            values[2 * kMonths + 5] = kNaN;
        }
        record.monthly.push_back({indicator, "unit", "description", values});
    }
    for (const std::string& indicator : kAnnual) {
        std::vector<double> values(kReplications * kYears);
        for (double& value : values)
            value = uniform(random) * (indicator == "cost_total" || indicator == "cost_sites" ? 1e5 : 1.0);
        if (indicator == "lead_professional_within_target_pct") values[1 * kYears + 1] = kNaN;
        // A 12-month rate is undefined for the final year, whose closures the runs did not follow for 12 months.
        if (indicator == "rereferral_within_12_months_pct")
            for (std::size_t r = 0; r < kReplications; ++r) values[r * kYears + kYears - 1] = kNaN;
        if (indicator == "closures") {
            for (double& value : values) value = std::round(value * 1000.0);
        }
        record.annual.push_back({indicator, "unit", "description", values});
    }
    // Per locality: 20 places in Central, 10 in the other; places in use up to them; waiting families when full.
    std::uniform_int_distribution<int> used(0, 20), waiting(0, 3);
    std::vector<double> slots(kReplications * kLocalities.size() * kMonths), in_use(slots.size()),
        families_waiting(slots.size()), wait_days(slots.size()), allocations(slots.size());
    for (std::size_t i = 0; i < slots.size(); ++i) {
        const bool central = (i / kMonths) % kLocalities.size() == 0;
        slots[i] = central ? 20 : 10;
        in_use[i] = std::min<double>(used(random), slots[i]);
        families_waiting[i] = central ? waiting(random) : 0.0;
        allocations[i] = i % 7 == 0 ? 0.0 : 1.0 + waiting(random);
        wait_days[i] = allocations[i] * uniform(random) / 10.0;
    }
    const std::vector<std::vector<double>*> columns{&slots, &in_use, &families_waiting, &wait_days, &allocations};
    for (std::size_t k = 0; k < kByLocality.size(); ++k)
        record.by_locality.push_back({kByLocality[k], "unit", "description", *columns[k]});
    m.assumptions = {{"need.incidence", "0.06", "assumed", 12}, {"early_help.patience_days", "60", "", 30}};
    m.changes_in_words = {"From 1 April 2021: close site: Birchills."};
    PublishedFigure figure{"open_families",
                           "open_early_help_cases",
                           "2020-07",
                           "count",
                           "Paper <1>, 4.1",
                           "calibration/targets/x.yaml",
                           "a gap said beside it only if it misses",
                           50.0,
                           50.0,
                           50.0,
                           5.0,
                           {}};
    for (std::size_t r = 0; r < kReplications; ++r) figure.model.push_back(40.0 + 4.0 * static_cast<double>(r));
    PublishedFigure range{"requests_a_quarter",
                          "early_help_requests",
                          "2020-04 to 2020-06",
                          "range",
                          "Paper, 2",
                          "calibration/targets/x.yaml",
                          "counts of <b>another</b> service",
                          1000.0,
                          900.0,
                          1100.0,
                          0.0,
                          {}};
    for (std::size_t r = 0; r < kReplications; ++r) range.model.push_back(r == 2 ? kNaN : 1300.0 + r);
    record.published_figures = {figure, range};
    return record;
}

RunRecord difference_of(const RunRecord& option, const RunRecord& baseline) {
    RunRecord difference = option;
    for (std::size_t i = 0; i < difference.monthly.size(); ++i)
        for (std::size_t j = 0; j < difference.monthly[i].values.size(); ++j)
            difference.monthly[i].values[j] -= baseline.monthly[i].values[j];
    for (std::size_t i = 0; i < difference.annual.size(); ++i)
        for (std::size_t j = 0; j < difference.annual[i].values.size(); ++j)
            difference.annual[i].values[j] -= baseline.annual[i].values[j];
    for (std::size_t i = 0; i < difference.by_locality.size(); ++i)
        for (std::size_t j = 0; j < difference.by_locality[i].values.size(); ++j)
            difference.by_locality[i].values[j] -= baseline.by_locality[i].values[j];
    difference.published_figures.clear();
    return difference;
}

// A comparison of two options. more-staff has a row for every summary indicator in the final year (clear
// effects but for contacts), and rows for the first year that the report must not use; the hostile option has
// only a zero effect on children in need (no clear effect) and no other rows (not available).
std::string write_comparison(const TemporaryFolder& folder) {
    const std::string path = (folder.path() / "compare.h5").string();
    const RunRecord baseline = record_of("base", 1), staff = record_of("more-staff", 2), hostile = record_of("h", 3);
    const RunRecord staff_difference = difference_of(staff, baseline),
                    hostile_difference = difference_of(hostile, baseline);
    const std::vector<ComparisonSummaryRow> summary{
        {"more-staff", "children_in_need_per_10000", "2020/21", 1.0, 2.0, 3.0, 2.0, 4.0, 0.5, 0.5},
        {"more-staff", "children_in_need_per_10000", "2021/22", 61.3, 58.8, -2.5, -3.125, -1.875, 0.8, 0.1},
        {"more-staff", "contacts_to_social_care", "2021/22", 1234.5, 1233.5, -1.0, -4.0, 2.0, 0.5, 0.2},
        {"more-staff", "lead_professional_within_target_pct", "2021/22", 70.0, 73.2, 3.2, 1.1, 5.3, 0.1, 0.3},
        {"more-staff", "cost_total", "2021/22", 1.5e6, 1.5456789e6, 45678.9, 40000.0, 51000.0, 0.0, 0.4},
        {"more-staff", "cost_total", "2020/21", 1.0e6, 1.0e6, 0.0, 0.0, 0.0, 0.0, kNaN},
        {kHostile, "children_in_need_per_10000", "2021/22", 61.25, 61.25, 0.0, 0.0, 0.0, 0.0, kNaN},
    };
    write_comparison_hdf5(baseline, {"more-staff", kHostile},
                          {{&staff, &staff_difference}, {&hostile, &hostile_difference}}, summary, path);
    return path;
}

ReportLibraries fake_libraries() {
    return {"var vega = {}; /* </SCRIPT> and <!-- in a comment */",
            "var vegaLite = {};",
            "var vegaEmbed = function () {};",
            "5.0.0",
            "5.1.0",
            "6.2.0"};
}

// The final year's column of an annual indicator, from the file.
std::vector<double> final_year(hid_t file, const std::string& path) {
    const Doubles all = read_doubles(file, path);
    EXPECT_EQ(all.shape, (std::vector<hsize_t>{kReplications, kYears}));
    std::vector<double> column;
    for (std::size_t r = 0; r < kReplications; ++r) column.push_back(all.values[r * kYears + kYears - 1]);
    return column;
}

// Independently: mean of the finite values, and the linear-interpolation percentile of the sorted finite values.
double expected_mean(const std::vector<double>& values) {
    double total = 0.0;
    std::size_t count = 0;
    for (const double value : values)
        if (std::isfinite(value)) total += value, ++count;
    return total / static_cast<double>(count);
}

double expected_percentile(std::vector<double> values, double q) {
    std::vector<double> finite;
    for (const double value : values)
        if (std::isfinite(value)) finite.push_back(value);
    if (finite.empty()) return kNaN;
    std::sort(finite.begin(), finite.end());
    const double h = q * static_cast<double>(finite.size() - 1);
    const std::size_t k = static_cast<std::size_t>(h);
    if (k + 1 >= finite.size()) return finite.back();
    return finite[k] + (h - static_cast<double>(k)) * (finite[k + 1] - finite[k]);
}

void expect_bits(double actual, double expected, const std::string& what) {
    expect_same_bits(std::vector<double>{actual}, std::vector<double>{expected}, what);
}

// A fan: the 5th, 25th, 50th, 75th and 95th percentiles of `values`, bit for bit.
void expect_fan(const FanMonth& fan, const std::vector<double>& values, const std::string& what) {
    expect_bits(fan.p05, expected_percentile(values, 0.05), what + " p05");
    expect_bits(fan.p25, expected_percentile(values, 0.25), what + " p25");
    expect_bits(fan.p50, expected_percentile(values, 0.50), what + " p50");
    expect_bits(fan.p75, expected_percentile(values, 0.75), what + " p75");
    expect_bits(fan.p95, expected_percentile(values, 0.95), what + " p95");
}

double parse_number(const std::string& text) {
    double value = 0.0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    EXPECT_TRUE(result.ec == std::errc() && result.ptr == text.data() + text.size()) << "not a number: " << text;
    return value;
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t count = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++count;
    return count;
}

TEST(ReportSummary, OptionRowsAreTheComparisonFilesSummaryAndBaselineRowsItsReplications) {
    TemporaryFolder folder;
    const std::string path = write_comparison(folder);
    const ReportInput input = read_report_input(path);
    EXPECT_TRUE(input.comparison);
    const std::vector<SummaryRow> rows = report_summary(input);
    const std::vector<SummaryIndicator>& indicators = summary_indicators();
    ASSERT_EQ(indicators.size(), 6u);
    ASSERT_EQ(rows.size(), 3 * indicators.size());

    Id file = open_file(path);
    const auto option = read_strings(file, "/summary/option"), indicator = read_strings(file, "/summary/indicator"),
               year = read_strings(file, "/summary/year");
    const auto column = [&](const char* name) { return read_doubles(file, std::string("/summary/") + name).values; };
    const auto mean = column("difference_mean"), low = column("difference_low"), high = column("difference_high"),
               baseline_mean = column("baseline_mean"), option_mean = column("option_mean");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const SummaryRow& row = rows[i];
        const std::string what = "row " + std::to_string(i) + " " + row.option + " " + row.indicator;
        EXPECT_EQ(row.indicator, indicators[i % indicators.size()].key) << what;
        EXPECT_EQ(row.year, "2021/22") << what;
        if (i < indicators.size()) {
            EXPECT_EQ(row.option, "") << what;
            const std::vector<double> values = final_year(file, "/baseline/annual/" + row.indicator);
            expect_bits(row.value, expected_mean(values), what + " mean");
            expect_bits(row.low, expected_percentile(values, 0.05), what + " 5th percentile");
            expect_bits(row.high, expected_percentile(values, 0.95), what + " 95th percentile");
            EXPECT_TRUE(std::isnan(row.baseline_mean) && std::isnan(row.option_mean)) << what;
            continue;
        }
        EXPECT_EQ(row.option, i < 2 * indicators.size() ? "more-staff" : kHostile) << what;
        std::size_t stored = option.size();
        for (std::size_t k = 0; k < option.size(); ++k)
            if (option[k] == row.option && indicator[k] == row.indicator && year[k] == "2021/22") stored = k;
        if (stored == option.size()) {
            EXPECT_TRUE(std::isnan(row.value) && std::isnan(row.low) && std::isnan(row.high)) << what;
            continue;
        }
        expect_bits(row.value, mean[stored], what + " difference");
        expect_bits(row.low, low[stored], what + " low");
        expect_bits(row.high, high[stored], what + " high");
        expect_bits(row.baseline_mean, baseline_mean[stored], what + " baseline mean");
        expect_bits(row.option_mean, option_mean[stored], what + " option mean");
    }
    // The hand-made rows: which effects are clear.
    EXPECT_TRUE(clear_effect(rows[6]));    // more-staff, children in need: -3.125 to -1.875
    EXPECT_FALSE(clear_effect(rows[7]));   // contacts: -4 to 2
    EXPECT_TRUE(clear_effect(rows[8]));    // allocated in target: 1.1 to 5.3
    EXPECT_FALSE(clear_effect(rows[9]));   // mean wait: not available
    EXPECT_TRUE(clear_effect(rows[10]));   // cost
    EXPECT_FALSE(clear_effect(rows[12]));  // hostile, children in need: 0 to 0
    EXPECT_FALSE(clear_effect(rows[13]));  // not available
    EXPECT_FALSE(clear_effect(rows[0]));   // the baseline's own values straddle nothing: its range is not an effect
}

TEST(ReportSummary, TheHtmlTableCarriesExactlyTheSummaryRows) {
    TemporaryFolder folder;
    const ReportInput input = read_report_input(write_comparison(folder));
    const std::vector<SummaryRow> rows = report_summary(input);
    const std::string html = render_report(input, fake_libraries(), {});
    const std::size_t table = html.find("<table class=\"summary-table\"");
    ASSERT_NE(table, std::string::npos);
    const std::string body = html.substr(table, html.find("</table>", table) - table);
    const std::regex cell(
        "<td data-label=\"[^\"]*\" data-indicator=\"([^\"]*)\" data-value=\"([^\"]*)\" data-low=\"([^\"]*)\" "
        "data-high=\"([^\"]*)\" "
        "data-clear=\"(yes|no)\">");
    std::size_t i = 0;
    for (auto match = std::sregex_iterator(body.begin(), body.end(), cell); match != std::sregex_iterator();
         ++match, ++i) {
        ASSERT_LT(i, rows.size());
        const std::string what = "cell " + std::to_string(i);
        EXPECT_EQ((*match)[1], rows[i].indicator) << what;
        expect_bits(parse_number((*match)[2]), rows[i].value, what + " value");
        expect_bits(parse_number((*match)[3]), rows[i].low, what + " low");
        expect_bits(parse_number((*match)[4]), rows[i].high, what + " high");
        EXPECT_EQ((*match)[5], clear_effect(rows[i]) ? "yes" : "no") << what;
    }
    EXPECT_EQ(i, rows.size());
    // Every option's cell without a clear effect says so; the baseline's cells never do.
    std::size_t unclear = 0;
    for (const SummaryRow& row : rows)
        if (!row.option.empty() && std::isfinite(row.value) && !clear_effect(row)) ++unclear;
    EXPECT_EQ(count_of(body, "no clear effect"), unclear);
    EXPECT_EQ(unclear, 2u);
    // The sentences say the same, rounded, in words.
    std::string text = std::regex_replace(html, std::regex("</?span[^>]*>"), "");
    EXPECT_NE(
        text.find("Children in need per 10,000 children aged 0-17: <strong>down 2.5</strong> (from 61.3 to 58.8; 90% "
                  "interval of the change \u22123.1 to \u22121.9)"),
        std::string::npos);
    EXPECT_NE(text.find("Contacts to children's social care in the year: <strong>no clear effect</strong> (from "
                        "1,234 to 1,234; change \u22121.0, 90% interval \u22124.0 to +2.0, which includes zero)"),
              std::string::npos);
    EXPECT_NE(text.find("within the target time: <strong>up 3.2 percentage points</strong>"), std::string::npos);
    EXPECT_NE(text.find("Total cost in the year: <strong>up £45.7k</strong> (from £1.50m to £1.55m; 90% interval of "
                        "the change +£40.0k to +£51.0k)"),
              std::string::npos);
}

TEST(ReportFanCharts, AreThePercentilesOfTheFilesReplications) {
    TemporaryFolder folder;
    const std::string path = write_comparison(folder);
    const ReportInput input = read_report_input(path);
    const std::vector<FanChart> charts = report_fan_charts(input);
    ASSERT_EQ(charts.size(), 8u);
    Id file = open_file(path);
    const std::vector<std::string> groups{"/baseline", "/options/more-staff", "/options/" + kHostile};
    for (const FanChart& chart : charts) {
        ASSERT_EQ(chart.scenarios, (std::vector<std::string>{"base", "more-staff", kHostile})) << chart.id;
        ASSERT_EQ(chart.fan.size(), 3u) << chart.id;
        for (std::size_t s = 0; s < groups.size(); ++s) {
            std::vector<double> sum(kReplications * kMonths, 0.0);
            for (const std::string& indicator : chart.indicators) {
                const Doubles part = read_doubles(file, groups[s] + "/monthly/" + indicator);
                for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += part.values[i];
            }
            ASSERT_EQ(chart.fan[s].size(), kMonths);
            for (std::size_t month = 0; month < kMonths; ++month) {
                std::vector<double> values;
                for (std::size_t r = 0; r < kReplications; ++r) values.push_back(sum[r * kMonths + month]);
                const std::string what = chart.id + " " + groups[s] + " month " + std::to_string(month);
                expect_fan(chart.fan[s][month], values, what);
            }
        }
    }
    const FanChart& waiting = charts[4];
    EXPECT_EQ(waiting.indicators, (std::vector<std::string>{"waiting_red", "waiting_amber", "waiting_green"}));
    EXPECT_TRUE(std::isnan(charts[5].fan[0][3].p50));  // no red allocation in any replication that month
    EXPECT_EQ(fan_of({3.0, kNaN, 1.0, 2.0}).p50, 2.0);
    EXPECT_EQ(fan_of({1.0, 2.0, 3.0}).p05, 1.1);
    EXPECT_TRUE(std::isnan(fan_of({kNaN}).p50));
}

TEST(ReportHtml, IsSelfContainedInOrderAndAccessible) {
    TemporaryFolder folder;
    const ReportInput input = read_report_input(write_comparison(folder));
    const std::string html = render_report(input, fake_libraries(), {"", "2024-06-02T10:00:00Z"});
    // Nothing to fetch: no address, no external script, style sheet or image; a policy that forbids fetching.
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    EXPECT_EQ(html.find(" src="), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none';"), std::string::npos);
    // The libraries are inline, in order, and their markup-like text cannot end the script.
    const std::size_t vega = html.find("var vega = {};"), lite = html.find("var vegaLite = {};"),
                      embed = html.find("var vegaEmbed = function"), render = html.find("vegaEmbed(element, spec");
    ASSERT_NE(vega, std::string::npos);
    EXPECT_LT(vega, lite);
    EXPECT_LT(lite, embed);
    EXPECT_LT(embed, render);
    EXPECT_NE(html.find("/* <\\/SCRIPT> and <\\!-- in a comment */"), std::string::npos);
    EXPECT_EQ(count_of(html, "</script>"), count_of(html, "<script"));
    // Sections in the order; nothing for the sections that are not built yet.
    const std::size_t summary = html.find("<section id=\"summary\""),
                      over_time = html.find("<section id=\"over-time\""), method = html.find("<section id=\"method\"");
    ASSERT_NE(summary, std::string::npos);
    EXPECT_LT(summary, over_time);
    EXPECT_LT(over_time, method);
    const std::size_t localities = html.find("<section id=\"localities\""), flow = html.find("<section id=\"flow\""),
                      published = html.find("<section id=\"published\""),
                      assumptions = html.find("<section id=\"assumptions\"");
    EXPECT_LT(over_time, localities);
    EXPECT_LT(localities, flow);
    EXPECT_LT(flow, published);
    EXPECT_LT(published, assumptions);
    EXPECT_LT(assumptions, method);
    EXPECT_EQ(count_of(html, "<section "), 7u);
    // Every chart: a text alternative, a caption and a data table behind a disclosure.
    const std::size_t charts = count_of(html, " data-chart ");
    EXPECT_EQ(charts, 12u);  // 8 fans, 2 of localities, the flow, the published figures
    EXPECT_EQ(count_of(html, "data-chart role=\"img\" aria-label=\""), charts);
    EXPECT_EQ(count_of(html, "<figcaption>"), charts);
    // A data table behind a disclosure for the month-by-month charts; the flow's and the published figures'
    // tables are on the page (and print).
    EXPECT_EQ(count_of(html, "<details class=\"data-table\"><summary>Data table: "), 10u);
    EXPECT_NE(html.find("<table id=\"flow-table\">"), std::string::npos);
    EXPECT_NE(html.find("<table id=\"published-table\">"), std::string::npos);
    EXPECT_NE(html.find("data-charts=\"12\""), std::string::npos);
    EXPECT_NE(html.find("aria-label=\"Children in need per 10,000 children aged 0-17, month by month from April 2020 "
                        "to March 2022, "
                        "one panel per scenario. base: median "),
              std::string::npos);
    // Relative units only (readable at 200% zoom), a print style sheet with a page per section, Okabe-Ito colours.
    const std::string style = html.substr(html.find("<style>"), html.find("</style>") - html.find("<style>"));
    EXPECT_EQ(style.find("px"), std::string::npos);
    EXPECT_NE(style.find("@media print"), std::string::npos);
    EXPECT_NE(style.find(".report-section { break-before: page;"), std::string::npos);
    EXPECT_NE(html.find("\"#0072b2\""), std::string::npos);
    EXPECT_NE(html.find("\"#d55e00\""), std::string::npos);
    // Method notes from the file.
    EXPECT_NE(html.find("<dt>Runs (replications)</dt><dd>5 for every scenario</dd>"), std::string::npos);
    EXPECT_NE(html.find("<dt>Random seed</dt><dd>42</dd>"), std::string::npos);
    EXPECT_NE(html.find("ehsim 0.4.0, commit <code>abc1234</code>"), std::string::npos);
    EXPECT_NE(html.find("Vega 5.0.0, Vega-Lite 5.1.0 and vega-embed 6.2.0"), std::string::npos);
    EXPECT_NE(html.find("written 2024-06-02T10:00:00Z"), std::string::npos);
    EXPECT_NE(html.find("<h3>Paired differences</h3>"), std::string::npos);
}

TEST(ReportHtml, EscapesWhatTheFileAndTitleSay) {
    TemporaryFolder folder;
    const ReportInput input = read_report_input(write_comparison(folder));
    const std::string html =
        render_report(input, fake_libraries(), {"</script><script>alert(\"title\")</script> & more", ""});
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
    EXPECT_NE(html.find("<h1>&lt;/script&gt;&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; more</h1>"),
              std::string::npos);
    EXPECT_EQ(html.find(kHostile), std::string::npos);
    EXPECT_NE(html.find("&lt;b&gt;&amp;&quot;x&quot;"), std::string::npos);
    EXPECT_NE(html.find("\"\\u003cb\\u003e\\u0026\\\"x\\\"\""), std::string::npos);  // in the charts' JSON
}

TEST(ReportHtml, ARunFileGivesTheBaselineWithItsRange) {
    TemporaryFolder folder;
    const std::string path = (folder.path() / "run.h5").string();
    write_hdf5(record_of("Walsall", 9), path);
    const ReportInput input = read_report_input(path);
    EXPECT_FALSE(input.comparison);
    const std::vector<SummaryRow> rows = report_summary(input);
    ASSERT_EQ(rows.size(), 6u);
    Id file = open_file(path);
    for (const SummaryRow& row : rows) {
        const std::vector<double> values = final_year(file, "/annual/" + row.indicator);
        expect_bits(row.value, expected_mean(values), row.indicator);
        expect_bits(row.low, expected_percentile(values, 0.05), row.indicator);
        expect_bits(row.high, expected_percentile(values, 0.95), row.indicator);
    }
    const std::vector<FanChart> charts = report_fan_charts(input);
    ASSERT_EQ(charts.size(), 8u);
    EXPECT_EQ(charts[0].scenarios, std::vector<std::string>{"Walsall"});
    const std::string html = render_report(input, fake_libraries(), {});
    EXPECT_NE(html.find("<title>Walsall: projected outcomes</title>"), std::string::npos);
    EXPECT_EQ(html.find("baseline median"), std::string::npos);
    EXPECT_EQ(html.find("Paired differences"), std::string::npos);
    EXPECT_EQ(html.find("no clear effect"), std::string::npos);
    EXPECT_NE(html.find("(in nine runs out of ten between "), std::string::npos);
}

TEST(ReportInputs, OtherFilesAreOneLineAndTheLibrariesAreBuiltIn) {
    TemporaryFolder folder;
    const auto expect_one_line = [](const auto& call, const std::string& fragment) {
        try {
            call();
            ADD_FAILURE() << "expected an error with " << fragment;
        } catch (const std::runtime_error& error) {
            const std::string message = error.what();
            EXPECT_NE(message.find(fragment), std::string::npos) << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        }
    };
    const std::string missing = (folder.path() / "none.h5").string();
    expect_one_line([&] { read_report_input(missing); }, missing + ": no such file");
    // The chart libraries are built in, at the versions of the lock file the build checked them against.
    const ReportLibraries& built_in = report_libraries();
    EXPECT_GT(built_in.vega.size(), 100000u);
    EXPECT_GT(built_in.vega_lite.size(), 100000u);
    EXPECT_GT(built_in.vega_embed.size(), 10000u);
    const std::string lock = bytes_of(EHSIM_SOURCE_DIR "/output/report/package-lock.json");
    for (const auto& [name, version] :
         {std::pair{"vega", built_in.vega_version}, std::pair{"vega-lite", built_in.vega_lite_version},
          std::pair{"vega-embed", built_in.vega_embed_version}}) {
        const std::string entry =
            "\"node_modules/" + std::string(name) + "\": {\n      \"version\": \"" + version + "\"";
        EXPECT_NE(lock.find(entry), std::string::npos) << name << " " << version;
    }
    EXPECT_NE(built_in.vega.find("vega"), std::string::npos);
    // A report is written atomically: nothing is left when the folder does not exist.
    const std::string nowhere = (folder.path() / "no-folder" / "report.html").string();
    expect_one_line([&] { write_text_atomically(nowhere, "<!DOCTYPE html>"); },
                    "cannot write the report to '" + nowhere + "'");
    const std::string written = (folder.path() / "report.html").string();
    write_text_atomically(written, "<!DOCTYPE html>\n");
    EXPECT_EQ(bytes_of(written), "<!DOCTYPE html>\n");
}

}  // namespace
}  // namespace ehsim::output

namespace ehsim::output {
namespace {

// The per-locality series of a record in the file, [replications][localities][months].
std::vector<double> locality_series(hid_t file, const std::string& group, const std::string& name) {
    const Doubles all = read_doubles(file, group + "/by_locality/" + name);
    EXPECT_EQ(all.shape, (std::vector<hsize_t>{kReplications, kLocalities.size(), kMonths}));
    return all.values;
}

TEST(ReportLocalities, AreTheFinalYearOfTheFilesSeriesRunByRun) {
    TemporaryFolder folder;
    const std::string path = write_comparison(folder);
    const ReportInput input = read_report_input(path);
    const std::vector<LocalityRow> rows = report_localities(input);
    ASSERT_EQ(rows.size(), 3 * kLocalities.size());
    Id file = open_file(path);
    const std::vector<std::string> groups{"/baseline", "/options/more-staff", "/options/" + kHostile};
    for (std::size_t s = 0; s < groups.size(); ++s) {
        const auto slots = locality_series(file, groups[s], "caseload_slots"),
                   used = locality_series(file, groups[s], "caseload_slots_in_use"),
                   waiting = locality_series(file, groups[s], "waiting_families"),
                   days = locality_series(file, groups[s], "wait_days_of_allocations"),
                   allocations = locality_series(file, groups[s], "allocations");
        for (std::size_t l = 0; l < kLocalities.size(); ++l) {
            const LocalityRow& row = rows[s * kLocalities.size() + l];
            const std::string what = groups[s] + " " + kLocalities[l];
            EXPECT_EQ(row.locality, kLocalities[l]) << what;
            std::vector<double> utilisation, wait, at_end;
            for (std::size_t r = 0; r < kReplications; ++r) {
                double u = 0, p = 0, d = 0, a = 0;
                for (std::size_t m = kMonths - 12; m < kMonths; ++m) {
                    const std::size_t i = (r * kLocalities.size() + l) * kMonths + m;
                    u += used[i], p += slots[i], d += days[i], a += allocations[i];
                }
                utilisation.push_back(100.0 * u / p);
                wait.push_back(a > 0 ? d / a : kNaN);
                at_end.push_back(waiting[(r * kLocalities.size() + l) * kMonths + kMonths - 1]);
            }
            expect_bits(row.utilisation_mean, expected_mean(utilisation), what + " utilisation");
            expect_bits(row.utilisation_low, expected_percentile(utilisation, 0.05), what + " utilisation low");
            expect_bits(row.utilisation_high, expected_percentile(utilisation, 0.95), what + " utilisation high");
            expect_bits(row.wait_days_mean, expected_mean(wait), what + " wait");
            expect_bits(row.waiting_at_end_median, expected_percentile(at_end, 0.5), what + " waiting at end");
            // The first month in which at least half of the runs had a family waiting.
            std::string first;
            for (std::size_t m = 0; m < kMonths && first.empty(); ++m) {
                std::size_t runs = 0;
                for (std::size_t r = 0; r < kReplications; ++r)
                    runs += waiting[(r * kLocalities.size() + l) * kMonths + m] > 0 ? 1 : 0;
                if (2 * runs >= kReplications) first = input.results.baseline.months[m];
            }
            EXPECT_EQ(row.first_month_with_waiting, first) << what;
        }
    }
    // Central has families waiting (they queue first); the other never does.
    EXPECT_FALSE(rows[0].first_month_with_waiting.empty());
    EXPECT_TRUE(rows[1].first_month_with_waiting.empty());
    EXPECT_EQ(queue_order(rows, "base"), (std::vector<std::size_t>{0, 1}));
}

TEST(ReportLocalityCharts, AreThePercentilesOfEachLocalityScenarioAndMonth) {
    TemporaryFolder folder;
    const std::string path = write_comparison(folder);
    const ReportInput input = read_report_input(path);
    const std::vector<LocalityChart> charts = report_locality_charts(input);
    ASSERT_EQ(charts.size(), 2u);
    EXPECT_EQ(charts[0].id, "localities-utilisation");
    EXPECT_EQ(charts[1].id, "localities-waiting");
    Id file = open_file(path);
    const std::vector<std::string> groups{"/baseline", "/options/more-staff", "/options/" + kHostile};
    for (const LocalityChart& chart : charts) ASSERT_EQ(chart.fan.size(), kLocalities.size() * groups.size() * kMonths);
    for (std::size_t s = 0; s < groups.size(); ++s) {
        const auto slots = locality_series(file, groups[s], "caseload_slots"),
                   used = locality_series(file, groups[s], "caseload_slots_in_use"),
                   waiting = locality_series(file, groups[s], "waiting_families");
        for (std::size_t l = 0; l < kLocalities.size(); ++l) {
            for (std::size_t m = 0; m < kMonths; ++m) {
                std::vector<double> utilisation, families;
                for (std::size_t r = 0; r < kReplications; ++r) {
                    const std::size_t i = (r * kLocalities.size() + l) * kMonths + m;
                    utilisation.push_back(slots[i] > 0 ? 100.0 * used[i] / slots[i] : kNaN);
                    families.push_back(waiting[i]);
                }
                const std::size_t at = (l * groups.size() + s) * kMonths + m;  // [locality][scenario][month]
                const std::string what = groups[s] + " " + kLocalities[l] + " month " + std::to_string(m);
                expect_fan(charts[0].fan[at], utilisation, what + " utilisation");
                expect_fan(charts[1].fan[at], families, what + " waiting");
            }
        }
    }
}

TEST(ReportFlows, AreTheMeanPerYearOfTheFilesAnnualCounts) {
    TemporaryFolder folder;
    const std::string path = write_comparison(folder);
    const ReportInput input = read_report_input(path);
    const std::vector<FlowItem> items = report_flows(input);
    Id file = open_file(path);
    std::size_t checked = 0, referred = 0;
    for (const FlowItem& item : items) {
        const std::string group = item.scenario == "base" ? "/baseline" : "/options/" + item.scenario;
        if (item.stage == "Within 12 months of closing") {
            // Only the first year's closures were followed for 12 months.
            const Doubles closures = read_doubles(file, group + "/annual/closures");
            const Doubles rate = read_doubles(file, group + "/annual/rereferral_within_12_months_pct");
            std::vector<double> per_run;
            for (std::size_t r = 0; r < kReplications; ++r) {
                const double again = closures.values[r * kYears] * rate.values[r * kYears] / 100.0;
                per_run.push_back(item.category == "referred again" ? again : closures.values[r * kYears] - again);
            }
            expect_bits(item.per_year, expected_mean(per_run), item.scenario + " " + item.category);
            ++referred;
            continue;
        }
        const std::string indicator = item.category == "requests for early help"     ? "early_help_requests"
                                      : item.category == "no further action"         ? "triage_no_further_action"
                                      : item.category == "targeted early help"       ? "triage_early_help"
                                      : item.category == "given a lead professional" ? "plans_started"
                                      : item.category == "needs met"                 ? "closures_needs_met"
                                                                                     : "";
        if (indicator.empty()) continue;
        const Doubles annual = read_doubles(file, group + "/annual/" + indicator);
        std::vector<double> per_run;
        for (std::size_t r = 0; r < kReplications; ++r)
            per_run.push_back((annual.values[r * kYears] + annual.values[r * kYears + 1]) / 2.0);
        expect_bits(item.per_year, expected_mean(per_run), item.scenario + " " + item.category);
        ++checked;
    }
    EXPECT_EQ(checked, 3u * 5u);   // five flows the file has, in each of three scenarios
    EXPECT_EQ(referred, 3u * 2u);  // referred again, and not, in each scenario
}

TEST(ReportPublished, AreTheFilesFiguresWithThePercentilesOfTheModelsRuns) {
    TemporaryFolder folder;
    const std::string path = write_comparison(folder);
    const ReportInput input = read_report_input(path);
    const std::vector<PublishedRow> rows = report_published(input);
    ASSERT_EQ(rows.size(), 2u);
    Id file = open_file(path);
    const Doubles model = read_doubles(file, "/baseline/published_figures/model");
    ASSERT_EQ(model.shape, (std::vector<hsize_t>{kReplications, 2}));
    EXPECT_EQ(read_strings(file, "/baseline/published_figures/source"),
              (std::vector<std::string>{"Paper <1>, 4.1", "Paper, 2"}));
    for (std::size_t f = 0; f < rows.size(); ++f) {
        std::vector<double> values;
        for (std::size_t r = 0; r < kReplications; ++r) values.push_back(model.values[r * 2 + f]);
        expect_bits(rows[f].median, expected_percentile(values, 0.5), rows[f].figure->name);
        expect_bits(rows[f].low, expected_percentile(values, 0.05), rows[f].figure->name);
        expect_bits(rows[f].high, expected_percentile(values, 0.95), rows[f].figure->name);
    }
    // 40..56 against 50 with an error of 5: consistent. 1300..1304 against a range of 900-1100, no error: not.
    EXPECT_TRUE(rows[0].consistent);
    EXPECT_NEAR(rows[0].widened_high, 48.0 + std::hypot(rows[0].high - 48.0, 1.6448536269514722 * 5.0), 1e-12);
    EXPECT_FALSE(rows[1].consistent);
    EXPECT_EQ(rows[1].widened_low, rows[1].low);
    const std::string html = render_report(input, fake_libraries(), {});
    EXPECT_NE(html.find("<strong>1 of 2</strong> published figures"), std::string::npos);
    EXPECT_NE(html.find("no: the model is higher"), std::string::npos);
    EXPECT_NE(html.find("Paper &lt;1&gt;, 4.1"), std::string::npos);
    // The known gap is said beside the figure that misses, read back from the file; not beside the one inside.
    EXPECT_EQ(read_strings(file, "/baseline/published_figures/known_gap"),
              (std::vector<std::string>{"a gap said beside it only if it misses", "counts of <b>another</b> service"}));
    EXPECT_NE(html.find("no: the model is higher<br><small>what the model lacks: counts of &lt;b&gt;another&lt;/b&gt; "
                        "service</small>"),
              std::string::npos);
    EXPECT_EQ(html.find("a gap said beside it"), std::string::npos);
    EXPECT_NE(html.find("900 to 1,100"), std::string::npos);
}

TEST(ReportAssumptions, ListsEveryUnsupportedValueAndTheOptionsChanges) {
    TemporaryFolder folder;
    const ReportInput input = read_report_input(write_comparison(folder));
    ASSERT_EQ(input.results.baseline.metadata.assumptions.size(), 2u);
    EXPECT_EQ(input.results.baseline.metadata.assumptions[1].line, 30);
    const std::string html = render_report(input, fake_libraries(), {});
    const std::string section = html.substr(html.find("<section id=\"assumptions\""));
    EXPECT_NE(section.find("<code>need.incidence</code></th><td><code>0.06</code></td><td>assumed</td>"),
              std::string::npos);
    EXPECT_NE(section.find("<code>early_help.patience_days</code></th><td><code>60</code></td><td><em>no source "
                           "given</em></td>"),
              std::string::npos);
    EXPECT_NE(section.find("1 are marked <em>assumed</em>"), std::string::npos);
    // Each option's changes, in words (here each option's file said the same).
    EXPECT_EQ(count_of(section, "<li>From 1 April 2021: close site: Birchills.</li>"), 3u);
    EXPECT_NE(section.find("<h3>Option: more-staff</h3>"), std::string::npos);
}

TEST(ReportAssumptions, ListsThePublishedFiguresReadWithAnAssumption) {
    TemporaryFolder folder;
    ReportInput input = read_report_input(write_comparison(folder));
    std::string html = render_report(input, fake_libraries(), {});
    EXPECT_EQ(html.find("assumptions-published"), std::string::npos) << "no figure's source says assumed";
    input.results.baseline.published_figures[1].source = "Paper, 2; assumed: read as a range of 900 to 1,100";
    html = render_report(input, fake_libraries(), {});
    const std::string section = html.substr(html.find("<section id=\"assumptions\""));
    const std::string table = section.substr(section.find("<h3>Published figures read with an assumption</h3>"));
    EXPECT_NE(table.find("<code>requests_a_quarter</code></th><td><span class=\"n\">900 to "
                         "1,100</span></td><td>2020-04 to 2020-06</td><td>"
                         "Paper, 2; assumed: read as a range of 900 to 1,100</td>"),
              std::string::npos)
        << table;
    EXPECT_EQ(table.substr(0, table.find("</table>")).find("open_families"), std::string::npos);
}

}  // namespace
}  // namespace ehsim::output
