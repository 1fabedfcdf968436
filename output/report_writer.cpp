#include "output/report_writer.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "output/report_charts.hpp"
#include "output/report_sections.hpp"

namespace ehsim::output {
namespace {

using namespace html;

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
    std::string html = section_start("summary", "Summary");
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
            "</caption>\n";
    std::vector<std::string> headings{"Scenario"};
    for (const SummaryIndicator& indicator : indicators) headings.push_back(indicator.label);
    html += table_head(headings);
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

std::string fan_table(const FanChart& chart, const std::vector<std::string>& months, std::uint64_t replications) {
    std::string html = data_table_start(
        escape_html(chart.title),
        escape_html(chart.title) + " (" + escape_html(chart.unit) + "): percentiles across " +
            plural(replications, "run", "runs") + ", by month.",
        {"Scenario", "Month", "5th percentile", "25th percentile", "Median", "75th percentile", "95th percentile"});
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
    return html + data_table_end();
}

std::string fan_section(const ReportInput& input, const std::vector<FanChart>& charts, std::vector<PageChart>& specs) {
    const RunRecord& baseline = input.results.baseline;
    std::string html = section_start("over-time", "Month by month");
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
        html += chart_figure(chart.id, escape_html(chart.title), description) + escape_html(description) +
                "</figcaption>\n" + fan_table(chart, baseline.months, baseline.metadata.replications) + "</figure>\n";
        specs.push_back({chart.id, charts::fan_chart(chart, baseline.months, description, input.comparison)});
    }
    return html + "</section>\n";
}

std::string method_section(const ReportInput& input, const ReportLibraries& libraries, const ReportOptions& options) {
    const RunMetadata& m = input.results.baseline.metadata;
    std::string html = section_start("method", "Method notes") + "<dl class=\"facts\">\n";
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
// ---------------------------------------------------------------------------------------------------
// Assumptions

std::string assumptions_table(const std::vector<ScenarioAssumption>& assumptions, const std::string& id) {
    std::string html = "<div class=\"table-wrap\"><table class=\"assumptions\" id=\"" + id + "\">\n" +
                       table_head({"Line", "Parameter", "Value", "What the file says"});
    for (const ScenarioAssumption& a : assumptions) {
        html += "<tr><td>" + std::to_string(a.line) + "</td><th scope=\"row\"><code>" + escape_html(a.parameter) +
                "</code></th><td><code>" + escape_html(a.value) + "</code></td><td>" +
                (a.note.empty() ? std::string("<em>no source given</em>") : escape_html(a.note)) + "</td></tr>\n";
    }
    return html + "</tbody></table></div>\n";
}

// The published figures whose targets file reads them beyond the paper's words (a period, a denominator, a
// range or a meaning the paper does not give): those whose source says "assumed", with what it says.
std::string read_figures_table(const std::vector<PublishedFigure>& figures) {
    std::string rows;
    for (const PublishedFigure& f : figures) {
        std::string source = f.source;
        std::transform(source.begin(), source.end(), source.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (source.find("assumed") == std::string::npos) continue;
        const ValueKind kind = f.kind == "proportion"       ? ValueKind::percent
                               : f.kind == "rate_per_10000" ? ValueKind::rate
                                                            : ValueKind::count;
        const std::string unit = f.kind == "proportion" ? "%" : "";
        const std::string value = f.published_low == f.published_high ? display(f.published, kind) + unit
                                                                      : display(f.published_low, kind) + unit + " to " +
                                                                            display(f.published_high, kind) + unit;
        rows += "<tr><th scope=\"row\"><code>" + escape_html(f.name) + "</code></th><td>" + number(value) +
                "</td><td>" + escape_html(f.period) + "</td><td>" + escape_html(f.source) + "</td></tr>\n";
    }
    if (rows.empty()) return "";
    return "<h3>Published figures read with an assumption</h3>\n<p>The published figures beside the model's "
           "(above) that the targets file reads beyond the paper's words: a period, a denominator, a range or a "
           "meaning the paper does not give. What each assumes is in its source.</p>\n"
           "<div class=\"table-wrap\"><table class=\"assumptions\" id=\"assumptions-published\">\n" +
           table_head({"Figure", "As compared", "Period", "Source and reading"}) + rows + "</tbody></table></div>\n";
}

std::string assumptions_section(const ReportInput& input) {
    const RunMetadata& m = input.results.baseline.metadata;
    std::string html = section_start("assumptions", "Assumptions");
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
    html += read_figures_table(input.results.baseline.published_figures);
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

    page.sections.push_back({"summary", "Summary", summary_section(input, report_summary(input))});
    page.sections.push_back({"over-time", "Month by month", fan_section(input, report_fan_charts(input), page.charts)});
    page.sections.push_back(
        {"localities", "Localities", locality_section(input, report_localities(input), page.charts)});
    page.sections.push_back({"flow", "Where families go", flow_section(input, report_flows(input), page.charts)});
    page.sections.push_back(
        {"published", "Published figures", published_section(input, report_published(input), page.charts)});
    page.sections.push_back({"assumptions", "Assumptions", assumptions_section(input)});
    page.sections.push_back({"method", "Method notes", method_section(input, libraries, options)});
    return render_page(page, libraries);
}

}  // namespace ehsim::output
