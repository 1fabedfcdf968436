#include "output/report_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <regex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace ehsim::output {
namespace {

using namespace html;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---------------------------------------------------------------------------------------------------
// What the report shows

struct FanDefinition {
    const char* id;
    const char* title;
    const char* unit;
    ValueKind kind;                       // how its values are written in words and tables
    std::vector<std::string> indicators;  // added up, replication by replication
};

const std::vector<FanDefinition>& fan_definitions() {
    static const std::vector<FanDefinition> definitions = {
        {"fan-children-in-need",
         "Children in need per 10,000 children",
         "per 10,000 children",
         ValueKind::rate,
         {"children_in_need_per_10000"}},
        {"fan-contacts-to-social-care",
         "Contacts to children's social care, per month",
         "contacts per month",
         ValueKind::count,
         {"contacts_to_social_care"}},
        {"fan-early-help-requests",
         "Requests for early help, per month",
         "requests per month",
         ValueKind::count,
         {"early_help_requests"}},
        {"fan-open-early-help-cases",
         "Open early help cases at the end of each month",
         "families",
         ValueKind::count,
         {"open_early_help_cases"}},
        {"fan-waiting-families",
         "Families waiting for a lead professional at the end of each month (red, amber and green together)",
         "families",
         ValueKind::count,
         {"waiting_red", "waiting_amber", "waiting_green"}},
        {"fan-wait-days-red",
         "Mean wait from request to a lead professional: red (most urgent) priority",
         "days",
         ValueKind::rate,
         {"mean_wait_days_red"}},
        {"fan-wait-days-amber",
         "Mean wait from request to a lead professional: amber priority",
         "days",
         ValueKind::rate,
         {"mean_wait_days_amber"}},
        {"fan-wait-days-green",
         "Mean wait from request to a lead professional: green (least urgent) priority",
         "days",
         ValueKind::rate,
         {"mean_wait_days_green"}},
    };
    return definitions;
}

const Indicator* find_indicator(const std::vector<Indicator>& indicators, const std::string& name) {
    for (const Indicator& indicator : indicators)
        if (indicator.name == name) return &indicator;
    return nullptr;
}

// The baseline, then each option.
std::vector<const RunRecord*> records_of(const ReportInput& input) {
    std::vector<const RunRecord*> records{&input.results.baseline};
    for (const RunRecord& option : input.results.options) records.push_back(&option);
    return records;
}

std::vector<std::string> scenario_names(const ReportInput& input) {
    std::vector<std::string> names{input.results.baseline.metadata.scenario_name};
    names.insert(names.end(), input.results.option_names.begin(), input.results.option_names.end());
    return names;
}

// ---------------------------------------------------------------------------------------------------
// Sections

std::string unit_after(ValueKind kind, bool change) {
    if (kind != ValueKind::percent) return "";
    return change ? " percentage points" : "%";
}

// The decimals of a row's value and interval, written alike: as many as the largest of them needs, and more
// (up to three) while an end of a clear effect's interval would round to zero, which would look like no effect.
int row_decimals(const SummaryRow& row, ValueKind kind) {
    double largest = 0.0;
    for (const double value : {row.value, row.low, row.high})
        if (std::isfinite(value)) largest = std::max(largest, std::abs(value));
    int decimals = decimals_for(largest, kind);
    const auto rounds_to_zero = [&](double value) { return std::abs(value) * std::pow(10.0, decimals) < 0.5; };
    while (clear_effect(row) && decimals < 3 && (rounds_to_zero(row.low) || rounds_to_zero(row.high))) ++decimals;
    return decimals;
}

// A number in running text: never broken across lines (between its sign and its digits, say).

std::string summary_cell(const SummaryRow& row, const std::string& label, ValueKind kind) {
    const bool option = !row.option.empty();
    std::string cell = "<td data-label=\"" + escape_html(label) + "\" data-indicator=\"" + escape_html(row.indicator) +
                       "\" data-value=\"" + exact_number(row.value) + "\" data-low=\"" + exact_number(row.low) +
                       "\" data-high=\"" + exact_number(row.high) + "\" data-clear=\"" +
                       (clear_effect(row) ? "yes" : "no") + "\">";
    if (!std::isfinite(row.value)) return cell + "not available</td>";
    const std::string unit = kind == ValueKind::percent ? (option ? " pts" : "%") : "";
    const int decimals = row_decimals(row, kind);
    cell += "<span class=\"value\">" + number(display(row.value, kind, option, decimals) + unit) + "</span>";
    if (std::isfinite(row.low) && std::isfinite(row.high)) {
        cell += " <span class=\"interval\">(" + number(display(row.low, kind, option, decimals)) + " to " +
                number(display(row.high, kind, option, decimals)) + ")</span>";
    }
    if (option && !clear_effect(row)) cell += " <span class=\"no-effect\">no clear effect</span>";
    return cell + "</td>";
}

std::string summary_sentence(const SummaryRow& row, const SummaryIndicator& indicator) {
    const ValueKind kind = indicator.kind;
    std::string text = std::string("<li>") + indicator.label + ": ";
    if (!std::isfinite(row.value)) return text + "not available (too few runs with a value).</li>";
    const int decimals = row_decimals(row, kind);
    const auto level = [&](double value, int digits) {
        return number(display(value, kind, false, digits) + unit_after(kind, false));
    };
    if (row.option.empty()) {
        text += "<strong>" + level(row.value, decimals) + "</strong>";
        if (std::isfinite(row.low) && std::isfinite(row.high))
            text += " (in nine runs out of ten between " + level(row.low, decimals) + " and " +
                    level(row.high, decimals) + ")";
        return text + ".</li>";
    }
    const std::string interval =
        number(display(row.low, kind, true, decimals)) + " to " + number(display(row.high, kind, true, decimals));
    const std::string means = std::isfinite(row.baseline_mean) && std::isfinite(row.option_mean)
                                  ? "from " + level(row.baseline_mean, -1) + " to " + level(row.option_mean, -1) + "; "
                                  : "";
    if (clear_effect(row)) {
        text += "<strong>" + std::string(row.value > 0 ? "up " : "down ") +
                number(display(std::abs(row.value), kind, false, decimals) + unit_after(kind, true)) + "</strong> (" +
                means + "90% interval of the change " + interval + ")";
    } else {
        text += "<strong>no clear effect</strong> (" + means + "change " +
                number(display(row.value, kind, true, decimals) + unit_after(kind, true)) + ", 90% interval " +
                interval + ", which includes zero)";
    }
    return text + ".</li>";
}

std::string summary_section(const ReportInput& input, const std::vector<SummaryRow>& rows) {
    const RunRecord& baseline = input.results.baseline;
    const RunMetadata& m = baseline.metadata;
    std::string html = "<section id=\"summary\" class=\"report-section\" aria-labelledby=\"summary-title\">\n";
    html += "<h2 id=\"summary-title\">Summary</h2>\n";
    const std::string runs = plural(m.replications, "run", "runs");
    if (rows.empty()) {
        return html +
               "<p>These results cover less than one whole reported year, so there is no year-end summary. "
               "The charts below show them month by month.</p>\n</section>\n";
    }
    const std::string& year = rows.front().year;
    const std::vector<SummaryIndicator>& indicators = summary_indicators();
    if (input.comparison) {
        html += "<p>The model projected the baseline, <strong>" + escape_html(m.scenario_name) + "</strong>, and " +
                plural(input.results.option_names.size(), "option", "options") + " against it, " + runs +
                " each, on the same simulated families. Figures are for the final reported year, <strong>" +
                escape_html(year) +
                "</strong>. For each option: the change from the baseline (option minus baseline), with the "
                "range its average would lie in nine times out of ten (the 90% interval). When that range "
                "includes zero, the model cannot tell the option's effect from chance: <em>no clear "
                "effect</em>.</p>\n";
    } else {
        html += "<p>The model ran <strong>" + escape_html(m.scenario_name) + "</strong> " +
                plural(m.replications, "time", "times") + ". Figures are for the final reported year, <strong>" +
                escape_html(year) +
                "</strong>: the average of the runs, and the range that nine runs out of ten fell in.</p>\n";
    }
    // Sentences: the baseline's values, then each option's effects (rows come in that order, a group of one row
    // per summary indicator each).
    html += "<div class=\"sentences\">\n";
    for (std::size_t first = 0; first < rows.size(); first += indicators.size()) {
        const std::string& option = rows[first].option;
        if (option.empty()) {
            html += "<p><strong>" + std::string(input.comparison ? "Baseline" : "Projection") + "</strong> (" +
                    escape_html(m.scenario_name) + "), " + escape_html(year) + ":</p>\n<ul>\n";
        } else {
            html += "<p><strong>" + escape_html(option) + "</strong>, compared with the baseline in " +
                    escape_html(year) + ":</p>\n<ul>\n";
        }
        for (std::size_t i = 0; i < indicators.size() && first + i < rows.size(); ++i)
            html += summary_sentence(rows[first + i], indicators[i]) + "\n";
        html += "</ul>\n";
    }
    html += "</div>\n";

    // The same as a table.
    html += "<div class=\"table-wrap\"><table class=\"summary-table\" id=\"summary-table\">\n<caption>" +
            escape_html(year) + ". " +
            (input.comparison
                 ? "Baseline: average of the runs, with the range of the middle nine in ten runs. Options: change "
                   "from the baseline, with its 90% interval (pts: percentage points)."
                 : "Average of the runs, with the range of the middle nine in ten runs.") +
            "</caption>\n<thead><tr><th scope=\"col\">Scenario</th>";
    for (const SummaryIndicator& indicator : indicators)
        html += "<th scope=\"col\">" + std::string(indicator.label) + "</th>";
    html += "</tr></thead>\n<tbody>\n";
    for (std::size_t first = 0; first < rows.size(); first += indicators.size()) {
        const SummaryRow& head = rows[first];
        const bool option = !head.option.empty();
        html += "<tr data-scenario=\"" + escape_html(option ? head.option : m.scenario_name) + "\"><th scope=\"row\">" +
                (option ? escape_html(head.option) + ": change"
                        : (input.comparison ? "Baseline: " : "") + escape_html(m.scenario_name)) +
                "</th>";
        for (std::size_t i = 0; i < indicators.size() && first + i < rows.size(); ++i)
            html += summary_cell(rows[first + i], indicators[i].label, indicators[i].kind);
        html += "</tr>\n";
    }
    html += "</tbody></table></div>\n</section>\n";
    return html;
}

// What a screen reader says for a chart, and what its caption says: the first and last month of each fan.
std::string fan_description(const FanChart& chart, const std::vector<std::string>& months) {
    std::string text = chart.title + ", month by month from " + month_name(months.front()) + " to " +
                       month_name(months.back()) + (chart.scenarios.size() > 1 ? ", one panel per scenario. " : ". ");
    for (std::size_t s = 0; s < chart.scenarios.size(); ++s) {
        const FanMonth& first = chart.fan[s].front();
        const FanMonth& last = chart.fan[s].back();
        text += chart.scenarios[s] + ": median " + display(first.p50, chart.kind) + " " + chart.unit + " in " +
                month_name(months.front()) + " and " + display(last.p50, chart.kind) + " in " +
                month_name(months.back());
        if (std::isfinite(last.p05) && std::isfinite(last.p95)) {
            text += " (nine runs in ten between " + display(last.p05, chart.kind) + " and " +
                    display(last.p95, chart.kind) + ")";
        }
        text += ". ";
    }
    text.pop_back();
    return text;
}

// The Vega-Lite specification of a fan chart: one panel per scenario; the 90% and 50% bands, the median, and
// in each option's panel the baseline's median, dashed. Data keys are short: the file carries every month.
std::string fan_spec(const FanChart& chart, const std::vector<std::string>& months, const std::string& description,
                     bool with_baseline_line) {
    std::string data;
    for (std::size_t s = 0; s < chart.scenarios.size(); ++s) {
        const std::string scenario = json_string(chart.scenarios[s]);
        for (std::size_t month = 0; month < months.size(); ++month) {
            const FanMonth& f = chart.fan[s][month];
            data += std::string(data.empty() ? "" : ",") + "{\"s\":" + scenario +
                    ",\"m\":" + json_string(months[month]) + ",\"a\":" + json_number(f.p05) +
                    ",\"b\":" + json_number(f.p25) + ",\"c\":" + json_number(f.p50) + ",\"d\":" + json_number(f.p75) +
                    ",\"e\":" + json_number(f.p95);
            if (s > 0) data += ",\"r\":" + json_number(chart.fan[0][month].p50);
            data += "}";
        }
    }
    std::string order;
    for (const std::string& scenario : chart.scenarios) order += (order.empty() ? "" : ",") + json_string(scenario);
    std::string domain = "\"median\",\"middle 50% of runs\",\"middle 90% of runs\"";
    std::string range = std::string("\"") + html::kMedian + "\",\"" + html::kBand50 + "\",\"" + html::kBand90 + "\"";
    if (with_baseline_line) {
        domain += ",\"baseline median\"";
        range += std::string(",\"") + html::kBaseline + "\"";
    }
    // The axis need not start at zero: the fans' spread and the options' differences are what a reader looks for.
    const std::string y = "\"type\":\"quantitative\",\"scale\":{\"zero\":false},\"title\":" + json_string(chart.unit);
    std::string layers =
        "{\"mark\":{\"type\":\"area\"},\"encoding\":{\"y\":{\"field\":\"a\"," + y +
        "},\"y2\":{\"field\":\"e\"},\"color\":{\"datum\":\"middle 90% of runs\",\"scale\":{\"domain\":[" + domain +
        "],\"range\":[" + range +
        "]},\"legend\":{\"title\":null,\"orient\":\"bottom\",\"direction\":\"horizontal\"}}}},"
        "{\"mark\":{\"type\":\"area\"},\"encoding\":{\"y\":{\"field\":\"b\"," +
        y +
        "},\"y2\":{\"field\":\"d\"},\"color\":{\"datum\":\"middle 50% of runs\"}}},"
        "{\"mark\":{\"type\":\"line\",\"strokeWidth\":2},\"encoding\":{\"y\":{\"field\":\"c\"," +
        y + "},\"color\":{\"datum\":\"median\"}}}";
    if (with_baseline_line) {
        layers +=
            ",{\"mark\":{\"type\":\"line\",\"strokeWidth\":1.5,\"strokeDash\":[6,4]},\"encoding\":{\"y\":{"
            "\"field\":\"r\"," +
            y + "},\"color\":{\"datum\":\"baseline median\"}}}";
    }
    return "{\"description\":" + json_string(description) + ",\"data\":{\"values\":[" + data +
           "]},\"facet\":{\"field\":\"s\",\"type\":\"nominal\",\"title\":null,\"sort\":[" + order +
           "],\"header\":{\"labelFontSize\":13,\"labelFontWeight\":\"bold\"}},\"columns\":3,"
           "\"spec\":{\"width\":240,\"height\":170,\"encoding\":{\"x\":{\"field\":\"m\",\"type\":\"temporal\","
           "\"timeUnit\":\"utcyearmonth\",\"title\":null,\"axis\":{\"format\":\"%b %Y\"}}},\"layer\":[" +
           layers +
           "]},\"config\":{\"font\":\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\","
           "\"axis\":{\"labelFontSize\":12,\"titleFontSize\":12},\"legend\":{\"labelFontSize\":12}}}";
}

std::string fan_table(const FanChart& chart, const std::vector<std::string>& months, std::uint64_t replications) {
    std::string html = "<details class=\"data-table\"><summary>Data table: " + escape_html(chart.title) +
                       "</summary>\n<div class=\"table-wrap\"><table>\n<caption>" + escape_html(chart.title) + " (" +
                       escape_html(chart.unit) + "): percentiles across " + plural(replications, "run", "runs") +
                       ", by month.</caption>\n<thead><tr><th scope=\"col\">Scenario</th><th scope=\"col\">Month</th>"
                       "<th scope=\"col\">5th percentile</th><th scope=\"col\">25th percentile</th>"
                       "<th scope=\"col\">Median</th><th scope=\"col\">75th percentile</th>"
                       "<th scope=\"col\">95th percentile</th></tr></thead>\n<tbody>\n";
    for (std::size_t s = 0; s < chart.scenarios.size(); ++s) {
        const std::string scenario = escape_html(chart.scenarios[s]);
        for (std::size_t month = 0; month < months.size(); ++month) {
            const FanMonth& f = chart.fan[s][month];
            html += "<tr><td>" + scenario + "</td><td>" + short_month(months[month]) + "</td>";
            for (const double value : {f.p05, f.p25, f.p50, f.p75, f.p95})
                html += "<td>" + (std::isfinite(value) ? display(value, chart.kind) : std::string("–")) + "</td>";
            html += "</tr>\n";
        }
    }
    return html + "</tbody></table></div></details>\n";
}

std::string fan_section(const ReportInput& input, const std::vector<FanChart>& charts, std::string& specs) {
    const RunRecord& baseline = input.results.baseline;
    std::string html = "<section id=\"over-time\" class=\"report-section\" aria-labelledby=\"over-time-title\">\n";
    html += "<h2 id=\"over-time-title\">Month by month</h2>\n";
    if (charts.empty()) return html + "<p>These results have no reported month to chart.</p>\n</section>\n";
    html +=
        std::string(input.comparison ? "<p>Each chart has one panel per scenario, baseline first. " : "<p>") +
        "The solid line is the median month by month: half of the " +
        plural(baseline.metadata.replications, "run", "runs") +
        " were above it, half below. The darker band holds the middle half of the runs, the lighter band the "
        "middle nine in ten: the wider the fan, the less certain the projection." +
        (input.comparison ? " In each option's panel the dashed line is the baseline's median, for comparison." : "") +
        " Each chart's figures are in the data table below it.</p>\n";
    for (const FanChart& chart : charts) {
        const std::string description = fan_description(chart, baseline.months);
        html += "<figure class=\"fan\" id=\"figure-" + chart.id + "\">\n<h3>" + escape_html(chart.title) +
                "</h3>\n<div class=\"chart\" id=\"" + chart.id + "\" data-chart role=\"img\" aria-label=\"" +
                escape_html(description) + "\"></div>\n<figcaption>" + escape_html(description) + "</figcaption>\n" +
                fan_table(chart, baseline.months, baseline.metadata.replications) + "</figure>\n";
        specs += std::string(specs.empty() ? "" : ",\n") + json_string(chart.id) + ":" +
                 fan_spec(chart, baseline.months, description, input.comparison);
    }
    return html + "</section>\n";
}

std::string method_section(const ReportInput& input, const ReportLibraries& libraries, const ReportOptions& options) {
    const RunMetadata& m = input.results.baseline.metadata;
    std::string html = "<section id=\"method\" class=\"report-section\" aria-labelledby=\"method-title\">\n";
    html += "<h2 id=\"method-title\">Method notes</h2>\n<dl class=\"facts\">\n";
    const auto fact = [&](const std::string& term, const std::string& value) {
        html += "<dt>" + term + "</dt><dd>" + value + "</dd>\n";
    };
    fact("Runs (replications)", std::to_string(m.replications) + (input.comparison ? " for every scenario" : ""));
    fact("Random seed", std::to_string(m.seed));
    const auto years = [](double count) { return exact_number(count) + (count == 1.0 ? " year" : " years"); };
    fact("Reported period", "from " + escape_html(m.start_date) + " for " + years(m.horizon_years) + ", after " +
                                years(m.warm_up_years) + " simulated but not reported (the warm-up)");
    fact("Baseline scenario", escape_html(m.scenario_name) + " (<code>" + escape_html(m.scenario_file) + "</code>)");
    for (std::size_t k = 0; k < input.results.options.size(); ++k) {
        fact("Option", escape_html(input.results.option_names[k]) + " (<code>" +
                           escape_html(input.results.options[k].metadata.scenario_file) + "</code>)");
    }
    fact("Parameters", m.posterior_file.empty()
                           ? std::string("the scenario files' own values")
                           : "drawn for each run from the calibration <code>" + escape_html(m.posterior_file) +
                                 "</code>, the same draw for every scenario of a run");
    fact("Model", "ehsim " + escape_html(m.ehsim_version) + ", commit <code>" + escape_html(m.git_commit) + "</code>");
    fact("Results file", "<code>" + escape_html(input.path) + "</code>, written " + escape_html(m.created_utc));
    if (!options.written_utc.empty()) fact("This report", "written " + escape_html(options.written_utc));
    fact("Charts", charts_note(libraries));
    html += "</dl>\n";
    html +=
        "<h3>Runs and intervals</h3>\n<p>The model simulates families one by one, with chance in who needs help, "
        "when, and how long it takes. One run is one possible future; the model was run " +
        plural(m.replications, "time", "times") +
        " to see the range of futures. The <strong>middle nine in ten</strong> (the 90% band of a chart, the "
        "range given with a baseline figure) is the range that nine runs out of ten fell in: it shows how much the "
        "future could vary by chance.</p>\n";
    if (m.posterior_file.empty()) {
        html +=
            "<p>Every run used the same parameter values, the scenario files' own, so the ranges show chance "
            "alone, not any doubt about those values.</p>\n";
    } else {
        html +=
            "<p>Each run drew its parameter values from the calibration, so the ranges include the "
            "uncertainty about those values as well as chance.</p>\n";
    }
    if (input.comparison) {
        html +=
            "<h3>Paired differences</h3>\n<p>Each option was run on the <strong>same simulated families</strong> as "
            "the baseline: run 1 of every option saw the same families, with the same needs, as run 1 of the "
            "baseline, until the option made a difference. The effect of an option is therefore measured run by "
            "run, as a <strong>paired difference</strong> (option minus baseline), and then averaged. This removes "
            "most of the chance that two separate sets of runs would differ by, so smaller effects can be seen.</p>\n"
            "<p>The <strong>90% interval</strong> of an effect is where the option's average effect would lie nine "
            "times out of ten if the whole set of runs were repeated (a Student's t interval of the mean paired "
            "difference). When it includes zero the report says <em>no clear effect</em>: with this many runs the "
            "model cannot tell the effect from chance. That is not proof that the option has no effect; more runs "
            "would narrow the interval.</p>\n";
    }
    html +=
        "<h3>Limits</h3>\n<p>The projections come from a model: they are as good as its assumptions, which are "
        "in the scenario files, and its costs are the unit costs those files give.</p>\n";
    return html + "</section>\n";
}

// The months of the final reported year (all reported months when there is no whole year).
std::pair<std::size_t, std::size_t> final_year_months(const RunRecord& record) {
    const std::size_t months = record.months.size();
    if (record.years.empty() || months < 12) return {0, months};
    const std::size_t end = record.years.size() * 12;
    return {end - 12, end};
}

// ---------------------------------------------------------------------------------------------------
// Localities

const char* const kConfig =
    "\"config\":{\"font\":\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\","
    "\"axis\":{\"labelFontSize\":12,\"titleFontSize\":12},\"legend\":{\"labelFontSize\":12}}";

// The colour of scenario `s` (0: the baseline) in charts that draw every scenario's median.
std::string scenario_colour(std::size_t s) {
    constexpr std::size_t count = std::size(kCategorical);
    return kCategorical[s % count];
}

FanMonth fan_of(std::vector<double> values) {
    const std::vector<double> sorted = finite_sorted(std::move(values));
    return {percentile_of_sorted(sorted, 0.05), percentile_of_sorted(sorted, 0.25), percentile_of_sorted(sorted, 0.5),
            percentile_of_sorted(sorted, 0.75), percentile_of_sorted(sorted, 0.95)};
}

// A small-multiples chart, one panel per locality: the baseline's 50% and 90% bands and every scenario's
// median. `value(scenario, replication, locality, month)` gives one run's value (scenario 0: the baseline).
template <typename Value>
std::string locality_chart(const ReportInput& input, const std::string& id, const std::string& unit,
                           const std::string& description, const Value& value, std::string& table) {
    const RunRecord& baseline = input.results.baseline;
    const std::vector<const RunRecord*> records = records_of(input);
    const std::vector<std::string> names = scenario_names(input);
    const std::size_t months = baseline.months.size(), replications = baseline.metadata.replications;
    std::string data;
    std::vector<double> values(replications);
    table.clear();
    for (std::size_t l = 0; l < baseline.localities.size(); ++l) {
        const std::string locality = json_string(baseline.localities[l]);
        for (std::size_t s = 0; s < records.size(); ++s) {
            for (std::size_t m = 0; m < months; ++m) {
                for (std::size_t r = 0; r < replications; ++r) values[r] = value(s, r, l, m);
                const FanMonth f = fan_of(values);
                data += std::string(data.empty() ? "" : ",") + "{\"l\":" + locality +
                        ",\"s\":" + json_string(names[s]) + ",\"m\":" + json_string(baseline.months[m]) +
                        ",\"c\":" + json_number(f.p50);
                if (s == 0)
                    data += ",\"a\":" + json_number(f.p05) + ",\"b\":" + json_number(f.p25) +
                            ",\"d\":" + json_number(f.p75) + ",\"e\":" + json_number(f.p95);
                data += "}";
                table +=
                    "<tr><td>" + escape_html(baseline.localities[l]) + "</td><td>" + escape_html(names[s]) +
                    "</td><td>" + short_month(baseline.months[m]) + "</td><td>" +
                    (std::isfinite(f.p50) ? display(f.p50, ValueKind::rate) : std::string("–")) + "</td><td>" +
                    (std::isfinite(f.p05) ? display(f.p05, ValueKind::rate) + " to " + display(f.p95, ValueKind::rate)
                                          : std::string("–")) +
                    "</td></tr>\n";
            }
        }
    }
    std::string domain = "\"middle 90% of runs (baseline)\",\"middle 50% of runs (baseline)\"";
    std::string range = std::string("\"") + kBand90 + "\",\"" + kBand50 + "\"";
    std::string order;
    for (std::size_t s = 0; s < names.size(); ++s) {
        domain += "," + json_string(names[s]);
        range += ",\"" + scenario_colour(s) + "\"";
    }
    for (const std::string& locality : baseline.localities) order += (order.empty() ? "" : ",") + json_string(locality);
    const std::string y = "\"type\":\"quantitative\",\"title\":" + json_string(unit);
    const std::string baseline_only = "{\"filter\":{\"field\":\"s\",\"equal\":" + json_string(names[0]) + "}}";
    return json_string(id) + ":{\"description\":" + json_string(description) + ",\"data\":{\"values\":[" + data +
           "]},\"facet\":{\"field\":\"l\",\"type\":\"nominal\",\"title\":null,\"sort\":[" + order +
           "],\"header\":{\"labelFontSize\":13,\"labelFontWeight\":\"bold\"}},\"columns\":4,"
           "\"spec\":{\"width\":220,\"height\":150,\"encoding\":{\"x\":{\"field\":\"m\",\"type\":\"temporal\","
           "\"timeUnit\":\"utcyearmonth\",\"title\":null,\"axis\":{\"format\":\"%b %Y\",\"tickCount\":4}}},"
           "\"layer\":[{\"transform\":[" +
           baseline_only + "],\"mark\":\"area\",\"encoding\":{\"y\":{\"field\":\"a\"," + y +
           "},\"y2\":{\"field\":\"e\"},\"color\":{\"datum\":\"middle 90% of runs (baseline)\",\"scale\":{\"domain\":[" +
           domain + "],\"range\":[" + range +
           "]},\"legend\":{\"title\":null,\"orient\":\"bottom\",\"direction\":\"horizontal\",\"columns\":3,"
           "\"labelLimit\":320}}}},"
           "{\"transform\":[" +
           baseline_only + "],\"mark\":\"area\",\"encoding\":{\"y\":{\"field\":\"b\"," + y +
           "},\"y2\":{\"field\":\"d\"},\"color\":{\"datum\":\"middle 50% of runs (baseline)\"}}},"
           "{\"mark\":{\"type\":\"line\",\"strokeWidth\":2},\"encoding\":{\"y\":{\"field\":\"c\"," +
           y + "},\"color\":{\"field\":\"s\",\"type\":\"nominal\",\"title\":null},\"detail\":{\"field\":\"s\"}}}]}," +
           kConfig + "}";
}

std::string scenario_phrase(const ReportInput& input, const std::string& scenario) {
    return scenario == input.results.baseline.metadata.scenario_name && input.comparison ? "In the baseline"
           : input.comparison ? "With " + escape_html(scenario)
                              : "In this projection";
}

std::string locality_section(const ReportInput& input, const std::vector<LocalityRow>& rows, std::string& specs,
                             std::size_t& charts) {
    const RunRecord& baseline = input.results.baseline;
    std::string html = "<section id=\"localities\" class=\"report-section\" aria-labelledby=\"localities-title\">\n";
    html += "<h2 id=\"localities-title\">Localities: caseloads and waits</h2>\n";
    if (rows.empty()) {
        return html +
               "<p>This results file has no caseload figures by locality (it was written by an earlier version of "
               "ehsim); run the scenario again to see them.</p>\n</section>\n";
    }
    const auto [first, end] = final_year_months(baseline);
    const std::string period = month_name(baseline.months[first]) + " to " + month_name(baseline.months[end - 1]);
    html +=
        "<p>Each locality's teams hold a limited number of early help cases: their staff (full-time equivalents) "
        "times the caseload each can hold. When every place is taken, families wait for a lead professional. "
        "A locality <em>queues</em> from the first month in which, in at least half of the runs, families were "
        "waiting there at the month's end.</p>\n<ul>\n";
    for (const std::string& scenario : scenario_names(input)) {
        const std::vector<std::size_t> order = queue_order(rows, scenario);
        if (order.empty()) continue;
        std::string sentence = "<li>" + scenario_phrase(input, scenario) + ", ";
        const LocalityRow& head = rows[order.front()];
        if (head.first_month_with_waiting.empty()) {
            double lowest = kNaN, highest = kNaN;
            for (const std::size_t i : order) {
                const double used = rows[i].utilisation_mean;
                if (!std::isfinite(used)) continue;
                lowest = std::isfinite(lowest) ? std::min(lowest, used) : used;
                highest = std::isfinite(highest) ? std::max(highest, used) : used;
            }
            sentence += "no locality had families waiting in most runs; caseload places in use in " + period +
                        " ranged from " + number(display(lowest, ValueKind::percent) + "%") + " to " +
                        number(display(highest, ValueKind::percent) + "%") + ".";
        } else {
            sentence += "<strong>" + escape_html(head.locality) + " queues first</strong>, from " +
                        month_name(head.first_month_with_waiting) + " (mean wait in " + period + " " +
                        number(display(head.wait_days_mean, ValueKind::rate) + " days") + ", " +
                        number(display(head.utilisation_mean, ValueKind::percent) + "%") +
                        " of caseload places in use)";
            std::string then;
            for (std::size_t i = 1; i < order.size(); ++i) {
                const LocalityRow& next = rows[order[i]];
                if (next.first_month_with_waiting.empty()) continue;
                then += (then.empty() ? "" : ", ") + escape_html(next.locality) + " from " +
                        month_name(next.first_month_with_waiting);
            }
            sentence += then.empty() ? "; no other locality queues in most runs." : "; then " + then + ".";
        }
        html += sentence + "</li>\n";
    }
    html += "</ul>\n";

    const std::size_t localities = baseline.localities.size(), months = baseline.months.size();
    // Each scenario's series, looked up once (report_localities has checked that every one is there).
    std::vector<const std::vector<double>*> slots, in_use, waiting_families;
    for (const RunRecord* record : records_of(input)) {
        slots.push_back(&find_indicator(record->by_locality, "caseload_slots")->values);
        in_use.push_back(&find_indicator(record->by_locality, "caseload_slots_in_use")->values);
        waiting_families.push_back(&find_indicator(record->by_locality, "waiting_families")->values);
    }
    const auto utilisation = [&](std::size_t s, std::size_t r, std::size_t l, std::size_t m) {
        const std::size_t at = (r * localities + l) * months + m;
        const double places = (*slots[s])[at];
        return places > 0 ? 100.0 * (*in_use[s])[at] / places : kNaN;
    };
    const auto waiting = [&](std::size_t s, std::size_t r, std::size_t l, std::size_t m) {
        return (*waiting_families[s])[(r * localities + l) * months + m];
    };
    struct Chart {
        const char* id;
        const char* title;
        const char* unit;
    };
    const Chart chart_list[] = {
        {"localities-utilisation", "Caseload places in use at each month's end, by locality", "% of places in use"},
        {"localities-waiting", "Families waiting for a lead professional at each month's end, by locality",
         "families waiting"},
    };
    for (const Chart& chart : chart_list) {
        const std::string description =
            std::string(chart.title) + ", month by month, one panel per locality: the baseline's median with the " +
            "middle 50% and 90% of runs" + (input.comparison ? ", and each option's median" : "") +
            ". The figures are in the data table.";
        std::string table;
        const bool is_utilisation = std::string(chart.id) == "localities-utilisation";
        const std::string spec = is_utilisation
                                     ? locality_chart(input, chart.id, chart.unit, description, utilisation, table)
                                     : locality_chart(input, chart.id, chart.unit, description, waiting, table);
        specs += std::string(specs.empty() ? "" : ",\n") + spec;
        ++charts;
        html += "<figure class=\"fan\" id=\"figure-" + std::string(chart.id) + "\">\n<h3>" + chart.title +
                "</h3>\n<div class=\"chart\" id=\"" + chart.id + "\" data-chart role=\"img\" aria-label=\"" +
                escape_html(description) + "\"></div>\n<figcaption>" + escape_html(description) +
                "</figcaption>\n<details class=\"data-table\"><summary>Data table: " + chart.title +
                "</summary>\n<div class=\"table-wrap\"><table>\n<caption>" + chart.title + " (" + chart.unit +
                ").</caption>\n<thead><tr><th scope=\"col\">Locality</th><th scope=\"col\">Scenario</th>"
                "<th scope=\"col\">Month</th><th scope=\"col\">Median</th><th scope=\"col\">Middle 90% of runs</th>"
                "</tr></thead>\n<tbody>\n" +
                table + "</tbody></table></div></details>\n</figure>\n";
    }

    html += "<div class=\"table-wrap\"><table id=\"locality-table\">\n<caption>" + escape_html(period) +
            ": caseload places in use and the wait for a lead professional (mean of runs, with the middle nine in "
            "ten runs), families waiting at the end (median run), and the first month with families waiting in "
            "most runs.</caption>\n<thead><tr><th scope=\"col\">Scenario</th><th scope=\"col\">Locality</th>"
            "<th scope=\"col\">Caseload places in use</th><th scope=\"col\">Mean wait (days)</th>"
            "<th scope=\"col\">Waiting at the end</th><th scope=\"col\">Queues from</th></tr></thead>\n<tbody>\n";
    for (const LocalityRow& row : rows) {
        const auto ranged = [](double mean, double low, double high, const std::string& unit) {
            if (!std::isfinite(mean)) return std::string("not available");
            return number(display(mean, ValueKind::rate) + unit) + " <span class=\"interval\">(" +
                   number(display(low, ValueKind::rate)) + " to " + number(display(high, ValueKind::rate)) + ")</span>";
        };
        html += "<tr data-scenario=\"" + escape_html(row.scenario) + "\" data-locality=\"" + escape_html(row.locality) +
                "\" data-utilisation=\"" + exact_number(row.utilisation_mean) + "\" data-wait=\"" +
                exact_number(row.wait_days_mean) + "\"><td>" + escape_html(row.scenario) + "</td><th scope=\"row\">" +
                escape_html(row.locality) + "</th><td>" +
                ranged(row.utilisation_mean, row.utilisation_low, row.utilisation_high, "%") + "</td><td>" +
                ranged(row.wait_days_mean, row.wait_days_low, row.wait_days_high, "") + "</td><td>" +
                display(row.waiting_at_end_median, ValueKind::count, false,
                        row.waiting_at_end_median == std::floor(row.waiting_at_end_median) ? 0 : 1) +
                "</td><td>" +
                (row.first_month_with_waiting.empty() ? std::string("not in most runs")
                                                      : month_name(row.first_month_with_waiting)) +
                "</td></tr>\n";
    }
    return html + "</tbody></table></div>\n</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// Where families go

std::string flow_section(const ReportInput& input, const std::vector<FlowItem>& items, std::string& specs,
                         std::size_t& charts) {
    std::string html = "<section id=\"flow\" class=\"report-section\" aria-labelledby=\"flow-title\">\n";
    html += "<h2 id=\"flow-title\">Where families go</h2>\n";
    if (items.empty()) return html + "<p>These results cover less than one whole reported year.</p>\n</section>\n";
    const std::vector<std::string> names = scenario_names(input);
    std::vector<std::string> stages;
    for (const FlowItem& item : items)
        if (std::find(stages.begin(), stages.end(), item.stage) == stages.end()) stages.push_back(item.stage);
    const auto value = [&](const std::string& stage, const std::string& category, const std::string& scenario) {
        for (const FlowItem& item : items)
            if (item.stage == stage && item.category == category && item.scenario == scenario) return item.per_year;
        return kNaN;
    };
    const auto total = [&](const std::string& stage, const std::string& scenario) {
        double sum = 0.0;
        for (const FlowItem& item : items)
            if (item.stage == stage && item.scenario == scenario && std::isfinite(item.per_year)) sum += item.per_year;
        return sum;
    };
    const std::string& base = names.front();
    const auto count = [&](const char* stage, const char* category) {
        return number(display(value(stage, category, base), ValueKind::count));
    };
    const auto share = [&](const char* stage, const char* category) {
        const double whole = total(stage, base);
        return number(display(whole > 0 ? 100.0 * value(stage, category, base) / whole : kNaN, ValueKind::percent) +
                      "%");
    };
    html += "<p>In an average reported year" + std::string(input.comparison ? " of the baseline" : "") + ", " +
            count("Contacts and requests", "contacts to social care (front door)") +
            " contacts reached the social-care front door and " +
            count("Contacts and requests", "requests for early help") +
            " requests for early help came in. Of the decisions at the front door, " +
            share("Front-door decisions", "targeted early help") + " passed families on for targeted early help and " +
            share("Front-door decisions", "social-care assessment") + " to a social-care assessment. " +
            count("Early help", "given a lead professional") + " families were given a lead professional and " +
            count("Early help", "gave up waiting") + " gave up waiting. Of early help cases closed, " +
            share("Early help cases closed", "needs met") + " closed with needs met and " +
            share("Early help cases closed", "stepped up to social care") + " were stepped up to social care.";
    if (std::find(stages.begin(), stages.end(), "Within 12 months of closing") != stages.end())
        html += " Within 12 months of closing, " + share("Within 12 months of closing", "referred again") +
                " of families were referred again.";
    html += "</p>\n";

    // One bar per scenario for each stage, split by what happened; each stage its own colours.
    std::string bars;
    for (const std::string& stage : stages) {
        std::vector<std::string> categories;
        std::string data;
        for (const FlowItem& item : items) {
            if (item.stage != stage) continue;
            const auto found = std::find(categories.begin(), categories.end(), item.category);
            const std::size_t position = static_cast<std::size_t>(found - categories.begin());
            if (found == categories.end()) categories.push_back(item.category);
            data += std::string(data.empty() ? "" : ",") + "{\"s\":" + json_string(item.scenario) +
                    ",\"c\":" + json_string(item.category) + ",\"o\":" + std::to_string(position) +
                    ",\"v\":" + json_number(item.per_year) + "}";
        }
        std::string domain, range, order;
        for (std::size_t c = 0; c < categories.size(); ++c) {
            domain += (c ? "," : "") + json_string(categories[c]);
            range += std::string(c ? "," : "") + "\"" + kCategorical[c % std::size(kCategorical)] + "\"";
        }
        for (const std::string& name : names) order += (order.empty() ? "" : ",") + json_string(name);
        bars += std::string(bars.empty() ? "" : ",") + "{\"title\":{\"text\":" + json_string(stage) +
                ",\"anchor\":\"start\",\"fontSize\":13},\"width\":480,\"height\":{\"step\":26},\"data\":{\"values\":[" +
                data +
                "]},\"mark\":{\"type\":\"bar\"},\"encoding\":{\"y\":{\"field\":\"s\",\"type\":\"nominal\",\"sort\":[" +
                order +
                "],\"title\":null,\"axis\":{\"labelLimit\":180}},\"x\":{\"field\":\"v\",\"type\":\"quantitative\","
                "\"stack\":\"zero\",\"title\":\"per year (mean of runs)\"},\"color\":{\"field\":\"c\",\"type\":"
                "\"nominal\",\"scale\":{\"domain\":[" +
                domain + "],\"range\":[" + range +
                "]},\"legend\":{\"title\":null,\"orient\":\"right\",\"labelLimit\":240}},\"order\":{\"field\":\"o\"},"
                "\"tooltip\":[{\"field\":\"s\",\"title\":\"scenario\"},{\"field\":\"c\",\"title\":\"what\"},"
                "{\"field\":\"v\",\"title\":\"per year\",\"format\":\",.0f\"}]}}";
    }
    const std::string description =
        "Where families go in an average reported year, stage by stage: contacts and requests, front-door "
        "decisions, early help, social care, how early help cases closed" +
        std::string(std::find(stages.begin(), stages.end(), "Within 12 months of closing") != stages.end()
                        ? ", and whether families were referred again within 12 months"
                        : "") +
        "; one bar per scenario, split by outcome. The figures are in the data table.";
    specs += std::string(specs.empty() ? "" : ",\n") + "\"flow-chart\":{\"description\":" + json_string(description) +
             ",\"vconcat\":[" + bars +
             "],\"spacing\":22,\"resolve\":{\"scale\":{\"color\":\"independent\"},\"legend\":{\"color\":"
             "\"independent\"}}," +
             kConfig + "}";
    ++charts;
    html +=
        "<figure class=\"fan\" id=\"figure-flow-chart\">\n<h3>Families at each stage, per year</h3>\n"
        "<div class=\"chart\" id=\"flow-chart\" data-chart role=\"img\" aria-label=\"" +
        escape_html(description) + "\"></div>\n<figcaption>" + escape_html(description) + "</figcaption>\n";
    // The table prints (it is the chart's figures): not behind a disclosure.
    html +=
        "<div class=\"table-wrap\"><table id=\"flow-table\">\n<caption>Per reported year, mean of runs.</caption>\n"
        "<thead><tr><th scope=\"col\">Stage</th><th scope=\"col\">What happened</th>";
    for (const std::string& name : names) html += "<th scope=\"col\">" + escape_html(name) + "</th>";
    html += "</tr></thead>\n<tbody>\n";
    for (const std::string& stage : stages) {
        std::vector<std::string> categories;
        for (const FlowItem& item : items)
            if (item.stage == stage &&
                std::find(categories.begin(), categories.end(), item.category) == categories.end())
                categories.push_back(item.category);
        for (const std::string& category : categories) {
            html += "<tr><td>" + escape_html(stage) + "</td><th scope=\"row\">" + escape_html(category) + "</th>";
            for (const std::string& name : names) {
                const double per_year = value(stage, category, name);
                html += "<td data-value=\"" + exact_number(per_year) + "\">" + display(per_year, ValueKind::count) +
                        "</td>";
            }
            html += "</tr>\n";
        }
    }
    return html + "</tbody></table></div>\n</figure>\n</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// Published figures beside the model's

std::string humane(std::string name) {
    std::replace(name.begin(), name.end(), '_', ' ');
    return name;
}

std::string published_section(const ReportInput& input, const std::vector<PublishedRow>& rows, std::string& specs,
                              std::size_t& charts) {
    std::string html = "<section id=\"published\" class=\"report-section\" aria-labelledby=\"published-title\">\n";
    html += "<h2 id=\"published-title\">Published figures beside the model's</h2>\n";
    if (rows.empty()) {
        return html +
               "<p>No published figures were set beside these results: no calibration targets file names this "
               "council and a period these results report. (ehsim run and compare look in the calibration/targets "
               "folder above the scenario file, or take <code>--targets FILE</code>.)</p>\n</section>\n";
    }
    std::size_t consistent = 0;
    for (const PublishedRow& row : rows) consistent += row.consistent ? 1 : 0;
    std::vector<std::string> files;
    for (const PublishedRow& row : rows)
        if (std::find(files.begin(), files.end(), row.figure->targets_file) == files.end())
            files.push_back(row.figure->targets_file);
    std::string file_list;
    for (const std::string& file : files)
        file_list += (file_list.empty() ? "" : ", ") + ("<code>" + escape_html(file) + "</code>");
    html += "<p>How well does the model reproduce the council's own numbers? The " +
            plural(rows.size(), "figure", "figures") + " below come from the council's papers (" + file_list +
            ", each with its source). The " + std::string(input.comparison ? "baseline's " : "") +
            "runs give the model's value of each over the same months. <strong>" + std::to_string(consistent) + " of " +
            std::to_string(rows.size()) +
            "</strong> published figures lie within the model's range, once that range allows for the figure's own "
            "uncertainty (its sampling error, and an allowance for differences between the council's recording "
            "and the model's definitions). A figure outside it is a part of the story the model does not tell "
            "well: read its projections of that part with care.</p>\n";

    // Each figure's label: its name, and its period when another figure (of another targets file) has that name.
    const auto label_of = [&](const PublishedFigure& f) {
        std::size_t named = 0;
        for (const PublishedRow& other : rows) named += other.figure->name == f.name ? 1 : 0;
        return humane(f.name) + (named > 1 ? " (" + f.period + ")" : "");
    };
    std::string data;
    for (const PublishedRow& row : rows) {
        const PublishedFigure& f = *row.figure;
        if (!(std::abs(f.published) > 0) || !std::isfinite(row.median)) continue;
        const double scale = 100.0 / f.published;
        data += std::string(data.empty() ? "" : ",") + "{\"n\":" + json_string(label_of(f)) +
                ",\"c\":" + json_number(row.median * scale) + ",\"a\":" + json_number(row.low * scale) +
                ",\"e\":" + json_number(row.high * scale) + ",\"wa\":" + json_number(row.widened_low * scale) +
                ",\"we\":" + json_number(row.widened_high * scale) + ",\"pl\":" + json_number(f.published_low * scale) +
                ",\"ph\":" + json_number(f.published_high * scale) + "}";
    }
    if (!data.empty()) {
        const std::string description =
            "Each published figure at 100%, with the model's median (dot), the middle 90% of its runs (thick bar) "
            "and that range widened for the figure's own uncertainty (thin line), as percentages of the published "
            "value. The figures are in the table below.";
        const std::string x = "\"type\":\"quantitative\",\"title\":\"% of the published value\"";
        specs += std::string(specs.empty() ? "" : ",\n") +
                 "\"published-chart\":{\"description\":" + json_string(description) +
                 ",\"width\":480,\"height\":{\"step\":30},\"data\":{\"values\":[" + data +
                 "]},\"encoding\":{\"y\":{\"field\":\"n\",\"type\":\"nominal\",\"title\":null,\"sort\":null,"
                 "\"axis\":{\"labelLimit\":260}}},\"layer\":["
                 "{\"mark\":{\"type\":\"rule\",\"color\":\"#4d4d4d\"},\"encoding\":{\"x\":{\"field\":\"wa\"," +
                 x +
                 "},\"x2\":{\"field\":\"we\"}}},"
                 "{\"mark\":{\"type\":\"bar\",\"height\":10,\"color\":\"" +
                 std::string(kBand50) + "\"},\"encoding\":{\"x\":{\"field\":\"a\"," + x +
                 "},\"x2\":{\"field\":\"e\"}}},"
                 "{\"mark\":{\"type\":\"point\",\"filled\":true,\"size\":70,\"color\":\"" +
                 kMedian + "\"},\"encoding\":{\"x\":{\"field\":\"c\"," + x +
                 "}}},"
                 "{\"mark\":{\"type\":\"tick\",\"thickness\":3,\"size\":22,\"color\":\"" +
                 kBaseline + "\"},\"encoding\":{\"x\":{\"field\":\"pl\"," + x +
                 "}}},"
                 "{\"mark\":{\"type\":\"tick\",\"thickness\":3,\"size\":22,\"color\":\"" +
                 kBaseline + "\"},\"encoding\":{\"x\":{\"field\":\"ph\"," + x + "}}}]," + kConfig + "}";
        ++charts;
        html +=
            "<figure class=\"fan\" id=\"figure-published-chart\">\n<h3>The model against each published figure</h3>\n"
            "<div class=\"chart\" id=\"published-chart\" data-chart role=\"img\" aria-label=\"" +
            escape_html(description) + "\"></div>\n<figcaption>" + escape_html(description) +
            " The vermillion tick marks the published value (two ticks: the ends of a published "
            "range).</figcaption>\n</figure>\n";
    }
    html +=
        "<div class=\"table-wrap\"><table id=\"published-table\">\n<caption>Published figures and the model's "
        "value of each: median of runs, the middle nine in ten runs, and that range widened for the figure's "
        "own uncertainty.</caption>\n<thead><tr><th scope=\"col\">Figure</th><th scope=\"col\">Period</th>"
        "<th scope=\"col\">Published</th><th scope=\"col\">Model</th><th scope=\"col\">Within the model's "
        "range?</th><th scope=\"col\">Source</th></tr></thead>\n<tbody>\n";
    for (const PublishedRow& row : rows) {
        const PublishedFigure& f = *row.figure;
        const ValueKind kind = f.kind == "proportion"       ? ValueKind::percent
                               : f.kind == "rate_per_10000" ? ValueKind::rate
                                                            : ValueKind::count;
        const std::string unit = f.kind == "proportion" ? "%" : "";
        const std::string published =
            f.published_low == f.published_high
                ? display(f.published, kind) + unit
                : display(f.published_low, kind) + unit + " to " + display(f.published_high, kind) + unit;
        std::string verdict = "not available";
        if (std::isfinite(row.median))
            verdict = row.consistent                       ? "yes"
                      : f.published_high < row.widened_low ? "no: the model is higher"
                                                           : "no: the model is lower";
        html +=
            "<tr data-figure=\"" + escape_html(f.name) + "\" data-published=\"" + exact_number(f.published) +
            "\" data-median=\"" + exact_number(row.median) + "\" data-low=\"" + exact_number(row.low) +
            "\" data-high=\"" + exact_number(row.high) + "\" data-consistent=\"" + (row.consistent ? "yes" : "no") +
            "\"><th scope=\"row\">" + escape_html(label_of(f)) + "<br><span class=\"interval\">" +
            escape_html(f.indicator) + ", " + escape_html(f.kind) + "</span></th><td>" + escape_html(f.period) +
            "</td><td>" + number(published) + "</td><td>" +
            (std::isfinite(row.median) ? number(display(row.median, kind) + unit) + " <span class=\"interval\">(" +
                                             number(display(row.low, kind)) + " to " + number(display(row.high, kind)) +
                                             "; widened " + number(display(row.widened_low, kind)) + " to " +
                                             number(display(row.widened_high, kind)) + ")</span>"
                                       : std::string("not available")) +
            "</td><td>" + verdict + "</td><td>" + escape_html(f.source) + "</td></tr>\n";
    }
    return html + "</tbody></table></div>\n</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// Assumptions

std::string assumptions_table(const std::vector<ScenarioAssumption>& assumptions, const std::string& id) {
    std::string html = "<div class=\"table-wrap\"><table class=\"assumptions\" id=\"" + id +
                       "\">\n<thead><tr><th scope=\"col\">Line</th><th scope=\"col\">Parameter</th>"
                       "<th scope=\"col\">Value</th><th scope=\"col\">What the file says</th></tr></thead>\n<tbody>\n";
    for (const ScenarioAssumption& a : assumptions) {
        html += "<tr><td>" + std::to_string(a.line) + "</td><th scope=\"row\"><code>" + escape_html(a.parameter) +
                "</code></th><td><code>" + escape_html(a.value) + "</code></td><td>" +
                (a.note.empty() ? std::string("<em>no source given</em>") : escape_html(a.note)) + "</td></tr>\n";
    }
    return html + "</tbody></table></div>\n";
}

std::string assumptions_section(const ReportInput& input) {
    const RunMetadata& m = input.results.baseline.metadata;
    std::string html = "<section id=\"assumptions\" class=\"report-section\" aria-labelledby=\"assumptions-title\">\n";
    html += "<h2 id=\"assumptions-title\">Assumptions</h2>\n";
    std::size_t marked = 0;
    for (const ScenarioAssumption& a : m.assumptions) marked += a.note.empty() ? 0 : 1;
    html += "<p>A projection is only as good as the values it starts from. The scenario file <code>" +
            escape_html(m.scenario_file) + "</code> cites a source for some values; the " +
            plural(m.assumptions.size(), "value", "values") + " below have none: " + std::to_string(marked) +
            " are marked <em>assumed</em> in the file (with its "
            "reason where it gives one) and " +
            std::to_string(m.assumptions.size() - marked) + " have no source given.";
    if (!m.posterior_file.empty())
        html += " Those that were calibrated were drawn for each run from <code>" + escape_html(m.posterior_file) +
                "</code> instead of taking the value shown.";
    html += "</p>\n";
    if (!m.changes_in_words.empty()) {
        html += "<p>The scenario's own changes over time:</p>\n<ul>\n";
        for (const std::string& change : m.changes_in_words) html += "<li>" + escape_html(change) + "</li>\n";
        html += "</ul>\n";
    }
    if (m.assumptions.empty() && m.scenario_resolved.empty()) html += "<p>The results file does not say.</p>\n";
    if (!m.assumptions.empty()) html += assumptions_table(m.assumptions, "assumptions-baseline");
    for (std::size_t k = 0; k < input.results.options.size(); ++k) {
        const RunMetadata& option = input.results.options[k].metadata;
        html += "<h3>Option: " + escape_html(input.results.option_names[k]) + "</h3>\n<p>From <code>" +
                escape_html(option.scenario_file) + "</code>, on top of the baseline:</p>\n";
        if (option.changes_in_words.empty()) {
            html += "<p>No changes: this option is the baseline.</p>\n";
        } else {
            html += "<ul>\n";
            for (const std::string& change : option.changes_in_words) html += "<li>" + escape_html(change) + "</li>\n";
            html += "</ul>\n";
        }
        if (!option.assumptions.empty()) {
            html += "<p>Values of the option's changes that no source supports:</p>\n" +
                    assumptions_table(option.assumptions, "assumptions-option-" + std::to_string(k + 1));
        }
    }
    return html + "</section>\n";
}

}  // namespace

// ---------------------------------------------------------------------------------------------------

const std::vector<SummaryIndicator>& summary_indicators() {
    static const std::vector<SummaryIndicator> indicators = {
        {"children_in_need_per_10000", "Children in need per 10,000 children", ValueKind::rate},
        {"contacts_to_social_care", "Contacts to children's social care in the year", ValueKind::count},
        {"lead_professional_within_target_pct", "Early help: families given a lead professional within the target time",
         ValueKind::percent},
        {"mean_wait_days", "Early help: mean wait for a lead professional (days)", ValueKind::rate},
        {"cost_total", "Total cost in the year", ValueKind::money},
    };
    return indicators;
}

ResultsSelection report_selection() {
    ResultsSelection selection;
    std::vector<std::string> monthly;
    for (const FanDefinition& definition : fan_definitions())
        monthly.insert(monthly.end(), definition.indicators.begin(), definition.indicators.end());
    std::vector<std::string> annual;
    for (const SummaryIndicator& indicator : summary_indicators()) annual.emplace_back(indicator.key);
    for (const char* flow :
         {"contacts_to_social_care", "early_help_requests", "triage_no_further_action", "triage_single_agency",
          "triage_early_help", "triage_social_care", "plans_started", "disengaged_while_waiting",
          "social_care_referrals", "step_downs", "closures_needs_met", "closures_needs_not_met", "closures_disengaged",
          "closures_stepped_up", "closures_moved_away", "closures", "rereferral_within_12_months_pct"})
        if (std::find(annual.begin(), annual.end(), flow) == annual.end()) annual.emplace_back(flow);
    selection.monthly = monthly;
    selection.by_locality = std::vector<std::string>{"caseload_slots", "caseload_slots_in_use", "waiting_families",
                                                     "wait_days_of_allocations", "allocations"};
    selection.annual = annual;
    selection.differences = false;
    return selection;
}

ReportInput read_report_input(const std::string& path) {
    ReportInput input;
    input.path = path;
    const std::string format = results_format(path);
    if (format == "ehsim-run") {
        input.results.baseline = read_run(path, report_selection());
    } else if (format == "ehsim-comparison") {
        input.comparison = true;
        input.results = read_comparison(path, report_selection());
    } else {
        throw std::runtime_error(path + ": " +
                                 (format.empty() ? std::string("not an ehsim results file (no root attribute 'format')")
                                                 : "is an '" + format + "' file") +
                                 "; a report is made from the file of ehsim run or ehsim compare");
    }
    return input;
}

bool clear_effect(const SummaryRow& row) {
    return !row.option.empty() && std::isfinite(row.low) && std::isfinite(row.high) &&
           (row.low > 0.0 || row.high < 0.0);
}

std::vector<SummaryRow> report_summary(const ReportInput& input) {
    const RunRecord& baseline = input.results.baseline;
    if (baseline.years.empty()) return {};
    const std::size_t years = baseline.years.size(), last = years - 1;
    const std::string& year = baseline.years[last];
    std::vector<SummaryRow> rows;
    for (const SummaryIndicator& indicator : summary_indicators()) {
        SummaryRow row{"", indicator.key, year, kNaN, kNaN, kNaN, kNaN, kNaN};
        if (const Indicator* found = find_indicator(baseline.annual, indicator.key)) {
            std::vector<double> values;
            values.reserve(baseline.metadata.replications);
            for (std::size_t r = 0; r < baseline.metadata.replications; ++r)
                values.push_back(found->values[r * years + last]);
            row.value = mean_of_finite(values);
            const std::vector<double> sorted = finite_sorted(std::move(values));
            row.low = percentile_of_sorted(sorted, 0.05);
            row.high = percentile_of_sorted(sorted, 0.95);
        }
        rows.push_back(row);
    }
    for (const std::string& option : input.results.option_names) {
        for (const SummaryIndicator& indicator : summary_indicators()) {
            SummaryRow row{option, indicator.key, year, kNaN, kNaN, kNaN, kNaN, kNaN};
            for (const ComparisonSummaryRow& stored : input.results.summary) {
                if (stored.option == option && stored.indicator == indicator.key && stored.year == year) {
                    row.value = stored.difference_mean;
                    row.low = stored.difference_low;
                    row.high = stored.difference_high;
                    row.baseline_mean = stored.baseline_mean;
                    row.option_mean = stored.option_mean;
                    break;
                }
            }
            rows.push_back(row);
        }
    }
    return rows;
}

double percentile_of_finite(std::vector<double> values, double q) {
    return percentile_of_sorted(finite_sorted(std::move(values)), q);
}

std::vector<FanChart> report_fan_charts(const ReportInput& input) {
    const std::vector<const RunRecord*> records = records_of(input);
    const RunRecord& baseline = input.results.baseline;
    const std::size_t months = baseline.months.size();
    const std::size_t replications = baseline.metadata.replications;
    std::vector<FanChart> charts;
    if (months == 0 || replications == 0) return charts;
    for (const FanDefinition& definition : fan_definitions()) {
        // Every scenario must have every indicator of the chart; older files may lack one.
        std::vector<std::vector<const Indicator*>> parts;
        for (const RunRecord* record : records) {
            std::vector<const Indicator*> found;
            for (const std::string& name : definition.indicators)
                if (const Indicator* indicator = find_indicator(record->monthly, name)) found.push_back(indicator);
            if (found.size() == definition.indicators.size()) parts.push_back(std::move(found));
        }
        if (parts.size() != records.size()) continue;
        FanChart chart{definition.id,
                       definition.title,
                       definition.unit,
                       definition.kind,
                       definition.indicators,
                       scenario_names(input),
                       {}};
        std::vector<double> values(replications);
        for (const std::vector<const Indicator*>& indicators : parts) {
            std::vector<FanMonth> fan(months);
            for (std::size_t month = 0; month < months; ++month) {
                for (std::size_t r = 0; r < replications; ++r) {
                    double total = 0.0;
                    for (const Indicator* indicator : indicators) total += indicator->values[r * months + month];
                    values[r] = total;
                }
                const std::vector<double> sorted = finite_sorted(values);
                fan[month] = {percentile_of_sorted(sorted, 0.05), percentile_of_sorted(sorted, 0.25),
                              percentile_of_sorted(sorted, 0.50), percentile_of_sorted(sorted, 0.75),
                              percentile_of_sorted(sorted, 0.95)};
            }
            chart.fan.push_back(std::move(fan));
        }
        charts.push_back(std::move(chart));
    }
    return charts;
}

std::vector<LocalityRow> report_localities(const ReportInput& input) {
    std::vector<LocalityRow> rows;
    const RunRecord& baseline = input.results.baseline;
    const std::size_t months = baseline.months.size(), localities = baseline.localities.size();
    const std::size_t replications = baseline.metadata.replications;
    if (months == 0 || replications == 0) return rows;
    const auto [first, end] = final_year_months(baseline);
    const std::vector<std::string> names = scenario_names(input);
    const std::vector<const RunRecord*> records = records_of(input);
    for (std::size_t s = 0; s < records.size(); ++s) {
        const Indicator* in_use = find_indicator(records[s]->by_locality, "caseload_slots_in_use");
        const Indicator* slots = find_indicator(records[s]->by_locality, "caseload_slots");
        const Indicator* waiting = find_indicator(records[s]->by_locality, "waiting_families");
        const Indicator* wait_days = find_indicator(records[s]->by_locality, "wait_days_of_allocations");
        const Indicator* allocations = find_indicator(records[s]->by_locality, "allocations");
        if (!in_use || !slots || !waiting || !wait_days || !allocations) return {};
        const auto at = [&](const Indicator* indicator, std::size_t r, std::size_t l, std::size_t m) {
            return indicator->values[(r * localities + l) * months + m];
        };
        for (std::size_t l = 0; l < localities; ++l) {
            LocalityRow row{names[s], baseline.localities[l], kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, ""};
            std::vector<double> utilisation(replications), wait(replications), at_end(replications);
            for (std::size_t r = 0; r < replications; ++r) {
                double used = 0, places = 0, days = 0, allocated = 0;
                for (std::size_t m = first; m < end; ++m) {
                    used += at(in_use, r, l, m);
                    places += at(slots, r, l, m);
                    days += at(wait_days, r, l, m);
                    allocated += at(allocations, r, l, m);
                }
                utilisation[r] = places > 0 ? 100.0 * used / places : kNaN;
                wait[r] = allocated > 0 ? days / allocated : kNaN;
                at_end[r] = at(waiting, r, l, end - 1);
            }
            row.utilisation_mean = mean_of_finite(utilisation);
            const std::vector<double> sorted_utilisation = finite_sorted(utilisation);
            row.utilisation_low = percentile_of_sorted(sorted_utilisation, 0.05);
            row.utilisation_high = percentile_of_sorted(sorted_utilisation, 0.95);
            row.wait_days_mean = mean_of_finite(wait);
            const std::vector<double> sorted_wait = finite_sorted(wait);
            row.wait_days_low = percentile_of_sorted(sorted_wait, 0.05);
            row.wait_days_high = percentile_of_sorted(sorted_wait, 0.95);
            row.waiting_at_end_median = percentile_of_sorted(finite_sorted(at_end), 0.5);
            for (std::size_t m = 0; m < months && row.first_month_with_waiting.empty(); ++m) {
                std::size_t with_waiting = 0;
                for (std::size_t r = 0; r < replications; ++r) with_waiting += at(waiting, r, l, m) > 0 ? 1 : 0;
                if (2 * with_waiting >= replications) row.first_month_with_waiting = baseline.months[m];
            }
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

std::vector<std::size_t> queue_order(const std::vector<LocalityRow>& rows, const std::string& scenario) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i].scenario == scenario) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const std::string& first_a = rows[a].first_month_with_waiting;
        const std::string& first_b = rows[b].first_month_with_waiting;
        if (first_a != first_b) {
            if (first_a.empty()) return false;
            if (first_b.empty()) return true;
            return first_a < first_b;  // "YYYY-MM" sorts as time does
        }
        const double wait_a = std::isfinite(rows[a].wait_days_mean) ? rows[a].wait_days_mean : -1.0;
        const double wait_b = std::isfinite(rows[b].wait_days_mean) ? rows[b].wait_days_mean : -1.0;
        return wait_a > wait_b;
    });
    return order;
}

std::vector<FlowItem> report_flows(const ReportInput& input) {
    struct Part {
        const char* stage;
        const char* category;
        const char* indicator;
    };
    static const Part parts[] = {
        {"Contacts and requests", "contacts to social care (front door)", "contacts_to_social_care"},
        {"Contacts and requests", "requests for early help", "early_help_requests"},
        {"Front-door decisions", "no further action", "triage_no_further_action"},
        {"Front-door decisions", "one agency's own help", "triage_single_agency"},
        {"Front-door decisions", "targeted early help", "triage_early_help"},
        {"Front-door decisions", "social-care assessment", "triage_social_care"},
        {"Early help", "given a lead professional", "plans_started"},
        {"Early help", "gave up waiting", "disengaged_while_waiting"},
        {"Social care", "referrals (with step-ups)", "social_care_referrals"},
        {"Social care", "stepped down to early help", "step_downs"},
        {"Early help cases closed", "needs met", "closures_needs_met"},
        {"Early help cases closed", "needs not met", "closures_needs_not_met"},
        {"Early help cases closed", "disengaged", "closures_disengaged"},
        {"Early help cases closed", "stepped up to social care", "closures_stepped_up"},
        {"Early help cases closed", "moved away", "closures_moved_away"},
    };
    std::vector<FlowItem> items;
    const RunRecord& baseline = input.results.baseline;
    const std::size_t years = baseline.years.size(), replications = baseline.metadata.replications;
    if (years == 0 || replications == 0) return items;
    const std::vector<std::string> names = scenario_names(input);
    const std::vector<const RunRecord*> records = records_of(input);
    std::vector<double> per_run(replications);
    for (std::size_t s = 0; s < records.size(); ++s) {
        for (const Part& part : parts) {
            const Indicator* indicator = find_indicator(records[s]->annual, part.indicator);
            if (indicator == nullptr) continue;
            for (std::size_t r = 0; r < replications; ++r) {
                double total = 0.0;
                for (std::size_t y = 0; y < years; ++y) total += indicator->values[r * years + y];
                per_run[r] = total / static_cast<double>(years);
            }
            items.push_back({part.stage, part.category, names[s], mean_of_finite(per_run)});
        }
        // Closures followed for 12 months: those of years whose re-referral rate is defined.
        const Indicator* closures = find_indicator(records[s]->annual, "closures");
        const Indicator* rate = find_indicator(records[s]->annual, "rereferral_within_12_months_pct");
        if (closures == nullptr || rate == nullptr) continue;
        std::vector<double> again(replications, kNaN), not_again(replications, kNaN);
        for (std::size_t r = 0; r < replications; ++r) {
            double referred = 0.0, closed = 0.0;
            std::size_t followed = 0;
            for (std::size_t y = 0; y < years; ++y) {
                const double percent = rate->values[r * years + y];
                if (!std::isfinite(percent)) continue;
                const double count = closures->values[r * years + y];
                referred += count * percent / 100.0;
                closed += count;
                ++followed;
            }
            if (followed == 0) continue;
            again[r] = referred / static_cast<double>(followed);
            not_again[r] = (closed - referred) / static_cast<double>(followed);
        }
        const double again_mean = mean_of_finite(again);
        if (!std::isfinite(again_mean)) continue;
        items.push_back({"Within 12 months of closing", "referred again", names[s], again_mean});
        items.push_back({"Within 12 months of closing", "not referred again", names[s], mean_of_finite(not_again)});
    }
    return items;
}

std::vector<PublishedRow> report_published(const ReportInput& input) {
    std::vector<PublishedRow> rows;
    for (const PublishedFigure& figure : input.results.baseline.published_figures) {
        const std::vector<double> sorted = finite_sorted(figure.model);
        PublishedRow row{&figure,
                         percentile_of_sorted(sorted, 0.5),
                         percentile_of_sorted(sorted, 0.05),
                         percentile_of_sorted(sorted, 0.95),
                         kNaN,
                         kNaN,
                         false};
        const double allowance = 1.6448536269514722 * figure.error_sd;  // 90% of a normal error
        if (std::isfinite(row.median)) {
            row.widened_low = row.median - std::hypot(row.median - row.low, allowance);
            row.widened_high = row.median + std::hypot(row.high - row.median, allowance);
            row.consistent = figure.published_high >= row.widened_low && figure.published_low <= row.widened_high;
        }
        rows.push_back(row);
    }
    return rows;
}

std::string render_report(const ReportInput& input, const ReportLibraries& libraries, const ReportOptions& options) {
    const RunMetadata& m = input.results.baseline.metadata;
    const RunRecord& baseline = input.results.baseline;
    Page page;
    page.title = !options.title.empty() ? options.title
                 : input.comparison     ? "Early help options for " + m.scenario_name + ": projected outcomes"
                                        : m.scenario_name + ": projected outcomes";
    page.subtitle = "Model projection, " + plural(m.replications, "run", "runs");
    if (!baseline.months.empty())
        page.subtitle += ", " + month_name(baseline.months.front()) + " to " + month_name(baseline.months.back());
    if (input.comparison)
        page.subtitle += "; the baseline and " + plural(input.results.option_names.size(), "option", "options");
    page.generator = "ehsim " + m.ehsim_version + " (commit " + m.git_commit + ")";

    const std::vector<SummaryRow> rows = report_summary(input);
    const std::vector<FanChart> charts = report_fan_charts(input);
    page.sections.push_back({"summary", "Summary", summary_section(input, rows)});
    page.sections.push_back({"over-time", "Month by month", fan_section(input, charts, page.chart_specs)});
    page.charts += charts.size();
    page.sections.push_back(
        {"localities", "Localities", locality_section(input, report_localities(input), page.chart_specs, page.charts)});
    page.sections.push_back(
        {"flow", "Where families go", flow_section(input, report_flows(input), page.chart_specs, page.charts)});
    page.sections.push_back({"published", "Published figures",
                             published_section(input, report_published(input), page.chart_specs, page.charts)});
    page.sections.push_back({"assumptions", "Assumptions", assumptions_section(input)});
    page.sections.push_back({"method", "Method notes", method_section(input, libraries, options)});
    return render_page(page, libraries);
}

}  // namespace ehsim::output
