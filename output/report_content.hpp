// The numbers the scrutiny report of a run or comparison shows, taken from the results file into plain structs:
// its summary, fan charts, localities, flows and published figures. No HTML and no chart specification here
// (report_charts.hpp and report_writer.hpp make those from these structs); every number is computed from the
// file, in C++, and the tests check them against the file read back. Which indicators appear where is the
// indicator table's column `report` (sim/model/indicators.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "output/report_html.hpp"
#include "output/results_reader.hpp"

namespace ehsim::output {

// ---------------------------------------------------------------------------------------------------
// What a report is made from

// A run file (its record as the baseline, no options and no summary) or a comparison file, with only the
// indicators the report shows.
struct ReportInput {
    std::string path;         // the results file, as given
    bool comparison = false;  // format "ehsim-comparison"; otherwise "ehsim-run"
    ComparisonResults results;
};

// The indicators the report reads (monthly: those of the fan charts; annual: those of the summary and the
// flows; per locality: the caseload series); no differences.
ResultsSelection report_selection();

// Reads a run or comparison file for a report. Throws std::runtime_error with one line "<path>: <problem>",
// also for a file of any other format (e.g. a calibration).
ReportInput read_report_input(const std::string& path);

// The baseline's name, then each option's.
std::vector<std::string> scenario_names(const ReportInput& input);

// The months [first, end) of the final reported year (all reported months when there is no whole year).
std::pair<std::size_t, std::size_t> final_year_months(const RunRecord& record);

// How an indicator's values are written, from its unit: "%" a percentage, "GBP" money, days and rates per
// 10,000 with decimals (rate), anything else a count.
ValueKind kind_of_unit(std::string_view unit);

// ---------------------------------------------------------------------------------------------------
// The one-minute summary

// An indicator of the summary table, in column order.
struct SummaryIndicator {
    std::string key;    // the annual indicator
    std::string label;  // column heading and the start of a sentence
    ValueKind kind;
};

// The indicators with a summary column in the indicator table, in its order: children in need per 10,000,
// contacts to social care, early help allocated within target, mean wait, total cost.
const std::vector<SummaryIndicator>& summary_indicators();

// One cell of the summary, in the final reported year. For the baseline (`option` empty): `value` is its mean
// across replications, and `low`, `high` the 5th and 95th percentiles of its replications (the middle 90%),
// non-finite values left out. For an option: `value` is the mean paired difference (option minus baseline),
// `low` and `high` the 90% interval of that mean, and `baseline_mean`, `option_mean` the two means: all
// exactly the comparison file's /summary row for that option, indicator and year (NaN if it has none).
struct SummaryRow {
    std::string option;     // empty: the baseline
    std::string indicator;  // annual indicator key
    std::string year;       // the final reported year, e.g. "2020/21"
    double value, low, high;
    double baseline_mean, option_mean;  // options only (NaN for the baseline)
};

// True for an option's row whose interval [low, high] lies wholly above or wholly below zero; false when it
// includes zero or is undefined, and for the baseline's rows (its range is not an effect).
bool clear_effect(const SummaryRow& row);

// The baseline's rows (one per summary indicator), then each option's in the order of the options. Empty when
// the results have no reported year.
std::vector<SummaryRow> report_summary(const ReportInput& input);

// ---------------------------------------------------------------------------------------------------
// Fan charts

// The 5th, 25th, 50th, 75th and 95th percentiles of one month across replications (type 7, non-finite values
// left out; NaN when no value is finite).
struct FanMonth {
    double p05, p25, p50, p75, p95;
};

// The fan of some values (one per replication).
FanMonth fan_of(std::vector<double> values);

struct FanChart {
    std::string id;                          // HTML id, e.g. "fan-children-in-need"
    std::string title;                       // what is plotted, e.g. "Children in need per 10,000 children"
    std::string unit;                        // the y axis
    ValueKind kind;                          // how its values are written in words and in its data table
    std::vector<std::string> indicators;     // the monthly indicators added up, replication by replication
    std::vector<std::string> scenarios;      // the baseline's name, then each option's
    std::vector<std::vector<FanMonth>> fan;  // [scenario][month]
};

// One chart per month-by-month chart of the indicator table whose indicators the file has, each with a fan
// per scenario: children in need per 10,000, contacts to social care, early help requests, open early help
// cases, families waiting (red + amber + green), and the mean wait in days of each priority. A flow's unit is
// per month.
std::vector<FanChart> report_fan_charts(const ReportInput& input);

// ---------------------------------------------------------------------------------------------------
// Localities

// One locality under one scenario, over the final reported year (all reported months if there is no whole
// year): the share of its lead-professional caseload places in use (month-end places in use over places, per
// run), its mean wait from request to a lead professional (days waited over allocations, per run), and the
// first month in which at least half of the runs had families waiting for a lead professional there.
struct LocalityRow {
    std::string scenario, locality;
    double utilisation_mean, utilisation_low, utilisation_high;  // %, mean and 5th/95th percentiles of runs
    double wait_days_mean, wait_days_low, wait_days_high;        // days
    double waiting_at_end_median;                                // families waiting at the last month's end
    std::string first_month_with_waiting;                        // "2016-06", or "" if never
};

// Every scenario's localities (baseline first, localities in scenario order). Empty when the file has no
// per-locality caseload series (files written before the report existed).
std::vector<LocalityRow> report_localities(const ReportInput& input);

// The order in which a scenario's localities queue: by first month with families waiting (never last), then
// by mean wait, longest first. Indices into `rows` of that scenario.
std::vector<std::size_t> queue_order(const std::vector<LocalityRow>& rows, const std::string& scenario);

// A small-multiples chart, one panel per locality: the fan of every locality, scenario and month across runs.
struct LocalityChart {
    std::string id, title, unit;
    std::vector<FanMonth> fan;  // [locality][scenario][month], flattened in that order
};

// The share of caseload places in use at each month's end (%: places in use over places, per run; NaN where
// there are no places) and the families waiting at each month's end. Empty when the file lacks the series,
// as report_localities.
std::vector<LocalityChart> report_locality_charts(const ReportInput& input);

// ---------------------------------------------------------------------------------------------------
// Where families go

// One category of one stage of the flow (contacts and requests, front-door decisions, ...) under one
// scenario: the mean across runs of its count per reported year (each run's whole reported years averaged).
// Re-referrals count only closures whose 12 months after closure the runs saw.
struct FlowItem {
    std::string stage, category, scenario;
    double per_year;
};

// Each scenario's items (baseline first), its flow categories in the indicator table's order, then the
// re-referrals where the runs saw any.
std::vector<FlowItem> report_flows(const ReportInput& input);

// ---------------------------------------------------------------------------------------------------
// Published figures beside the model's

// A published figure (the baseline's record) with the model's median and 90% range across runs, and that
// range widened for the figure's own error (sampling error and definitions allowance, 90%): `consistent`
// when the published value (a range: any of it) lies within the widened range.
struct PublishedRow {
    const PublishedFigure* figure;
    double median, low, high;          // of the model's runs
    double widened_low, widened_high;  // with the figure's error added in quadrature
    bool consistent;
};

std::vector<PublishedRow> report_published(const ReportInput& input);

}  // namespace ehsim::output
