#include "output/calibration_sections.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "output/calibration_text.hpp"
#include "output/report_charts.hpp"

namespace ehsim::output {
namespace {

using namespace html;
using namespace calibration_text;

// ---------------------------------------------------------------------------------------------------
// 2. Published figures beside the model's

std::string fit_description(const std::vector<FitRow>& fit) {
    std::string text =
        "For each published figure, the calibrated model's median and 90% interval as a percentage of the published "
        "value (100% is the published figure). ";
    for (const FitRow& row : fit) {
        if (!drawable(row)) continue;
        const double of = row.target->observed;
        text += row.target->name + ": median " + percent_of(row.model.p50, of) + ", interval " +
                percent_of(row.model.p05, of) + " to " + percent_of(row.model.p95, of) +
                (row.inside ? " (reproduced). " : " (not reproduced). ");
    }
    text.pop_back();
    return text;
}

std::string fit_data_table(const std::vector<FitRow>& fit) {
    std::string html = data_table_start(
        "the model as a percentage of each published figure",
        "The calibrated model's 5th percentile, median and 95th percentile as a percentage of the published value.",
        {"Figure", "5th percentile", "Median", "95th percentile", "Published"});
    for (const FitRow& row : fit) {
        if (!drawable(row)) continue;
        const double of = row.target->observed;
        html += "<tr><th scope=\"row\">" + escape_html(row.target->name) + "</th><td>" + percent_of(row.model.p05, of) +
                "</td><td>" + percent_of(row.model.p50, of) + "</td><td>" + percent_of(row.model.p95, of) +
                "</td><td>" +
                (row.target->range() ? percent_of(row.target->lower, of) + " to " + percent_of(row.target->upper, of)
                                     : std::string("100%")) +
                "</td></tr>\n";
    }
    return html + data_table_end();
}

// ---------------------------------------------------------------------------------------------------
// 3. The parameters

std::string parameter_description(const std::vector<ParameterRow>& rows) {
    std::string text =
        "For each calibrated parameter, the median and 90% interval of its prior (before the "
        "calibration) and of its posterior (after). ";
    for (const ParameterRow& row : rows) {
        text += row.parameter->path + ": prior " + significant(row.prior.p50) + " (" + significant(row.prior.p05) +
                " to " + significant(row.prior.p95) + "), posterior " + significant(row.posterior.p50) + " (" +
                significant(row.posterior.p05) + " to " + significant(row.posterior.p95) + "). ";
    }
    text.pop_back();
    return text;
}

std::string parameter_data_table(const std::vector<ParameterRow>& rows) {
    std::string html = data_table_start("prior and posterior of each parameter",
                                        "5th percentile, median and 95th percentile of each parameter's draws, "
                                        "before (prior) and after (posterior) the calibration.",
                                        {"Parameter", "Draws", "5th percentile", "Median", "95th percentile"});
    for (const ParameterRow& row : rows) {
        for (const auto& [which, summary] : {std::pair{"prior", row.prior}, std::pair{"posterior", row.posterior}}) {
            html += "<tr><th scope=\"row\"><code>" + escape_html(row.parameter->path) + "</code></th><td>" + which +
                    "</td><td>" + significant(summary.p05) + "</td><td>" + significant(summary.p50) + "</td><td>" +
                    significant(summary.p95) + "</td></tr>\n";
        }
    }
    return html + data_table_end();
}

}  // namespace

std::string fit_section(const std::vector<FitRow>& fit, std::vector<PageChart>& charts) {
    std::string html = section_start("fit", "Published figures beside the model's");
    html +=
        "<p>Each published figure beside what the calibrated model gives for it: the median of the model's runs "
        "(half were above it, half below) and the range that nine in ten runs fell in (the 90% interval). Each run "
        "draws its parameters from the calibrated values and adds the allowance for how the council's recording "
        "may differ from the model's, so the range is what the council would publish if the model were right. "
        "<em>Reproduced</em> means the published value lies inside that range.</p>\n";
    html +=
        "<div class=\"table-wrap\"><table class=\"summary-table fit-table\" id=\"fit-table\">\n<caption>The published "
        "figures and the calibrated model's runs. " +
        std::string(kinds_recorded(fit)
                        ? "Kind and period are as the targets file gives them."
                        : "Kind is read from the indicator's name where the file does not record it, or is a range "
                          "when the figure has two ends.") +
        "</caption>\n" +
        table_head({"Figure", "Indicator", "Period", "Kind", "Published", "Source", "Model: median",
                    "Model: 90% interval", "Reproduced"});
    for (const FitRow& row : fit) {
        const CalibrationTarget& target = *row.target;
        const ValueKind kind = value_kind(target);
        const int decimals = figure_decimals(row, kind);
        html += "<tr data-target=\"" + escape_html(target.name) + "\"><th scope=\"row\">" + escape_html(target.name) +
                "</th>";
        html += "<td data-label=\"Indicator\"><code>" + breakable(target.indicator) + "</code></td>";
        html += "<td data-label=\"Period\" data-from=\"" + escape_html(target.from) + "\" data-to=\"" +
                escape_html(target.to) + "\"" +
                (target.compared_with_from.empty()
                     ? std::string()
                     : " data-compared-with-from=\"" + escape_html(target.compared_with_from) +
                           "\" data-compared-with-to=\"" + escape_html(target.compared_with_to) + "\"") +
                ">" + escape_html(period_text(target)) + "</td>";
        html += "<td data-label=\"Kind\"" +
                (target.kind.empty() ? std::string() : " data-kind=\"" + escape_html(target.kind) + "\"") + ">" +
                escape_html(kind_text(target)) + "</td>";
        html += "<td data-label=\"Published\" data-published=\"" + exact_number(target.observed) +
                "\" data-published-lower=\"" + exact_number(target.lower) + "\" data-published-upper=\"" +
                exact_number(target.upper) + "\">" + published_text(row) + "</td>";
        html += "<td data-label=\"Source\">" +
                (target.source.empty() ? std::string("not recorded in the file") : escape_html(target.source)) +
                "</td>";
        html += "<td data-label=\"Model: median\"" + data_attributes("model", row.model) + ">" +
                number(figure_value(row.model.p50, kind, decimals)) + "</td>";
        html += "<td data-label=\"Model: 90% interval\"><span class=\"interval\">" +
                interval_text(row.model, kind, decimals) + "</span></td>";
        html += "<td data-label=\"Reproduced\" data-inside=\"" + std::string(row.inside ? "yes" : "no") + "\">" +
                (row.inside ? "yes" : "<strong>no</strong>") +
                (target.not_fitted.empty() ? std::string()
                                           : "<br><small>not fitted: " + escape_html(target.not_fitted) + "</small>") +
                (row.inside || target.known_gap.empty()
                     ? std::string()
                     : "<br><small>what the model lacks: " + escape_html(target.known_gap) + "</small>") +
                "</td></tr>\n";
    }
    html += "</tbody></table></div>\n";

    std::vector<FitRow> drawn;
    for (const FitRow& row : fit)
        if (drawable(row)) drawn.push_back(row);
    if (drawn.empty()) return html + "</section>\n";
    const std::string description = fit_description(drawn);
    html += chart_figure("fit-chart", "The model against each published figure, on one scale", description) +
            "Each figure's values divided by its published value, "
            "so that figures of different sizes can be seen together: the diamond at 100% is the published figure "
            "(a line where it is a range), the bar the model's 90% interval and the dot its median. A bar that does "
            "not reach the diamond is a figure the model does not reproduce.";
    if (drawn.size() < fit.size())
        html += " Figures whose published value is zero or negative cannot be shown as a percentage: see the table.";
    html += "</figcaption>\n" + fit_data_table(drawn) + "</figure>\n";
    charts.push_back({"fit-chart", charts::fit_chart(drawn, description)});
    return html + "</section>\n";
}

std::string parameter_section(const std::vector<ParameterRow>& rows, std::vector<PageChart>& charts) {
    std::string html = section_start("parameters", "The parameters");
    html +=
        "<p>The calibration fitted the values below, each a number of the scenario (named by its place in the "
        "scenario file). The <strong>prior</strong> is what was assumed before looking at the published figures; "
        "the <strong>posterior</strong> is what remains plausible after. A posterior much narrower than its prior "
        "means the figures pinned that value down; one about as wide means they say little about it.</p>\n";
    html +=
        "<div class=\"table-wrap\"><table class=\"summary-table parameter-table\" id=\"parameter-table\">\n"
        "<caption>Median and 90% interval (the middle nine in ten draws) of each parameter, before and after the "
        "calibration. " +
        std::string(std::all_of(rows.begin(), rows.end(),
                                [](const ParameterRow& row) { return prior_recorded(*row.parameter); })
                        ? "Each prior is as the set-up file gives it: its distribution and bounds."
                        : "Where a prior shows only its kind, the file does not record its numbers and bounds: "
                          "they are in the set-up file.") +
        "</caption>\n" +
        table_head({"Parameter", "Why it is uncertain", "Prior", "Prior: median (90% interval)",
                    "Posterior: median (90% interval)", "Posterior width"});
    for (const ParameterRow& row : rows) {
        const CalibrationParameter& parameter = *row.parameter;
        html += "<tr data-parameter=\"" + escape_html(parameter.path) + "\"><th scope=\"row\"><code>" +
                breakable(parameter.path) + "</code></th>";
        html += "<td data-label=\"Why it is uncertain\">" +
                (parameter.why.empty() ? std::string("not stated") : escape_html(parameter.why)) + "</td>";
        html += "<td data-label=\"Prior\"";
        if (prior_recorded(parameter)) {
            html += " data-prior-distribution=\"" + escape_html(parameter.prior_kind) + "\" data-prior-first=\"" +
                    exact_number(parameter.first) + "\" data-prior-second=\"" + exact_number(parameter.second) +
                    "\" data-prior-lower=\"" + exact_number(parameter.lower) + "\" data-prior-upper=\"" +
                    exact_number(parameter.upper) + "\"";
        }
        html += ">" + escape_html(prior_text(parameter)) + "</td>";
        for (const auto& [label, prefix, summary] :
             {std::tuple{"Prior: median (90% interval)", "prior", row.prior},
              std::tuple{"Posterior: median (90% interval)", "posterior", row.posterior}}) {
            html += std::string("<td data-label=\"") + label + "\"" + data_attributes(prefix, summary) + "><span>" +
                    number(significant(summary.p50)) + "</span> <span class=\"interval\">(" +
                    number(significant(summary.p05)) + " to " + number(significant(summary.p95)) + ")</span></td>";
        }
        html += "<td data-label=\"Posterior width\" data-width-ratio=\"" + exact_number(row.width_ratio) + "\">" +
                (std::isfinite(row.width_ratio)
                     ? number(display(100.0 * row.width_ratio, ValueKind::percent, false, 0) + "%") + " of the prior's"
                     : std::string("not available")) +
                "</td></tr>\n";
    }
    html += "</tbody></table></div>\n";
    const std::string description = parameter_description(rows);
    html += chart_figure("parameter-chart", "Before and after the calibration", description) +
            "One panel per parameter, each on its own scale: the orange bar is the prior's 90% "
            "interval, the blue bar the posterior's, and the black marks their medians.</figcaption>\n" +
            parameter_data_table(rows) + "</figure>\n";
    charts.push_back({"parameter-chart", charts::parameter_chart(rows, description)});
    return html + "</section>\n";
}

}  // namespace ehsim::output
