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
            data += std::string(data.empty() ? "" : ",") + "{\"s\":" + scenario + ",\"m\":\"" + months[month] +
                    "\",\"a\":" + json_number(f.p05) + ",\"b\":" + json_number(f.p25) + ",\"c\":" + json_number(f.p50) +
                    ",\"d\":" + json_number(f.p75) + ",\"e\":" + json_number(f.p95);
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
    fact("Charts", "drawn with Vega " + escape_html(libraries.vega_version) + ", Vega-Lite " +
                       escape_html(libraries.vega_lite_version) + " and vega-embed " +
                       escape_html(libraries.vega_embed_version) +
                       ", which are inside this file: it needs no network and no server");
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

}  // namespace

// ---------------------------------------------------------------------------------------------------

const std::vector<SummaryIndicator>& summary_indicators() {
    static const std::vector<SummaryIndicator> indicators = {
        {"children_in_need_per_10000", "Children in need per 10,000 children", ValueKind::rate},
        {"contacts_to_social_care", "Contacts to children's social care in the year", ValueKind::count},
        {"lead_professional_within_target_pct", "Early help: families given a lead professional within the target time",
         ValueKind::percent},
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
    selection.monthly = monthly;
    selection.by_locality = std::vector<std::string>{};
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
    page.sections.push_back({"method", "Method notes", method_section(input, libraries, options)});
    return render_page(page, libraries);
}

}  // namespace ehsim::output
