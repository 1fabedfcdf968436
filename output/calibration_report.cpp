#include "output/calibration_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace ehsim::output {
namespace {

using namespace html;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Chart colours beyond the shared ones: the prior in orange, the published figure in vermillion (Okabe-Ito).
constexpr const char* kPrior = "#e69f00";
constexpr const char* kInk = "#1a1a1a";
constexpr const char* kChartConfig =
    "\"config\":{\"font\":\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\","
    "\"axis\":{\"labelFontSize\":12,\"titleFontSize\":12},\"legend\":{\"labelFontSize\":12}}";

// ---------------------------------------------------------------------------------------------------
// Words and numbers

// How a figure's values are written: from its kind where the file records it (a proportion in %, a rate per
// 10,000), otherwise, and for counts, ranges and differences, from its indicator's name.
ValueKind value_kind(const CalibrationTarget& target) {
    if (target.kind == "proportion") return ValueKind::percent;
    if (target.kind == "rate_per_10000") return ValueKind::rate;
    const std::string& indicator = target.indicator;
    const auto ends_with = [&](const std::string& end) {
        return indicator.size() >= end.size() && indicator.compare(indicator.size() - end.size(), end.size(), end) == 0;
    };
    if (ends_with("_pct")) return ValueKind::percent;
    if (indicator.rfind("cost_", 0) == 0) return ValueKind::money;
    if (ends_with("_per_10000") || indicator.find("days") != std::string::npos) return ValueKind::rate;
    return ValueKind::count;
}

// The targets file's kind in words; for files that do not record it, a guess from the indicator's name.
std::string kind_text(const CalibrationTarget& target) {
    if (target.kind == "count") return "count";
    if (target.kind == "proportion") return "proportion (%)";
    if (target.kind == "rate_per_10000") return "rate per 10,000";
    if (target.kind == "range") return "range";
    if (target.kind == "difference") return "difference";
    if (!target.kind.empty()) return target.kind;
    if (target.range()) return "range";
    const std::string& indicator = target.indicator;
    if (indicator.size() >= 4 && indicator.compare(indicator.size() - 4, 4, "_pct") == 0) return "proportion (%)";
    if (indicator.find("_per_10000") != std::string::npos) return "rate per 10,000";
    if (indicator.rfind("cost_", 0) == 0) return "cost (£)";
    if (indicator.find("days") != std::string::npos) return "days";
    return "count";
}

bool kinds_recorded(const std::vector<FitRow>& fit) {
    return std::all_of(fit.begin(), fit.end(), [](const FitRow& row) { return !row.target->kind.empty(); });
}

// A figure's value as a reader sees it, with % for a proportion.
std::string figure_value(double value, ValueKind kind, int decimals) {
    if (!std::isfinite(value)) return "not available";
    return display(value, kind, false, decimals) + (kind == ValueKind::percent ? "%" : "");
}

// The decimals of a row's figures, alike: as many as the largest of them needs.
int figure_decimals(const FitRow& row, ValueKind kind) {
    double largest = 0.0;
    for (const double value : {row.target->lower, row.target->upper, row.model.p05, row.model.p50, row.model.p95})
        if (std::isfinite(value)) largest = std::max(largest, std::abs(value));
    return decimals_for(largest, kind);
}

std::string published_text(const FitRow& row) {
    const ValueKind kind = value_kind(*row.target);
    const int decimals = figure_decimals(row, kind);
    if (row.target->range())
        return number(figure_value(row.target->lower, kind, decimals)) + " to " +
               number(figure_value(row.target->upper, kind, decimals));
    return number(figure_value(row.target->observed, kind, decimals));
}

std::string interval_text(const DrawSummary& summary, ValueKind kind, int decimals) {
    return number(figure_value(summary.p05, kind, decimals)) + " to " +
           number(figure_value(summary.p95, kind, decimals));
}

// Three significant digits, without an exponent: parameters range from thousandths to thousands.
std::string significant(double value) {
    if (!std::isfinite(value)) return "not available";
    const double magnitude = std::abs(value);
    int decimals = magnitude == 0.0 ? 0 : std::max(0, 2 - static_cast<int>(std::floor(std::log10(magnitude))));
    decimals = std::min(decimals, 9);
    std::string text = grouped(magnitude, decimals);
    if (text.find_first_of("123456789") == std::string::npos) return text;
    return value < 0 ? "\u2212" + text : text;
}

// A long name (a scenario path, an indicator) that may break after its dots and underscores, escaped.
std::string breakable(const std::string& name) {
    std::string html;
    for (const char c : name) {
        html += escape_html(std::string(1, c));
        if (c == '.' || c == '_') html += "<wbr>";
    }
    return html;
}

std::string months_text(const std::string& from, const std::string& to) {
    if (from == to) return month_name(to);
    return month_name(from) + " to " + month_name(to);
}

// The months a figure covers; for a difference, and the months it is compared with.
std::string period_text(const CalibrationTarget& target) {
    if (target.from.empty() || target.to.empty()) return "not recorded";
    std::string text = months_text(target.from, target.to);
    if (!target.compared_with_from.empty() && !target.compared_with_to.empty())
        text += ", compared with " + months_text(target.compared_with_from, target.compared_with_to);
    return text;
}

std::string prior_kind_text(const std::string& kind) {
    if (kind.empty()) return "not recorded";
    std::string text = kind;
    std::replace(text.begin(), text.end(), '_', '-');
    return text;
}

// A prior's number as the set-up file gives it: the shortest text that reads back as it, with a true minus
// sign and ∞ for an unbounded end.
std::string prior_number(double value) {
    if (std::isinf(value)) return value < 0 ? "\u2212\u221e" : "\u221e";
    const std::string text = exact_number(value);
    return text.front() == '-' ? "\u2212" + text.substr(1) : text;
}

bool prior_recorded(const CalibrationParameter& parameter) {
    return !parameter.prior_kind.empty() && !std::isnan(parameter.lower) && !std::isnan(parameter.upper);
}

// A prior in words with its bounds, e.g. "log-uniform from 0.1 to 2", "beta(4, 2) on [0, 1]",
// "normal(mean 0.5, sd 0.1) on [0, ∞)"; only the kind for files that do not record the rest.
std::string prior_text(const CalibrationParameter& parameter) {
    const std::string kind = prior_kind_text(parameter.prior_kind);
    if (!prior_recorded(parameter)) return kind;
    const double lower = parameter.lower, upper = parameter.upper;
    if (parameter.prior_kind == "uniform" || parameter.prior_kind == "log_uniform")
        return kind + " from " + prior_number(lower) + " to " + prior_number(upper);
    std::string text = kind;
    if (!std::isnan(parameter.first) && !std::isnan(parameter.second)) {
        const auto named = [](const std::string& name, double value) {
            return (name.empty() ? "" : name + " ") + prior_number(value);
        };
        text += parameter.prior_kind == "beta"
                    ? "(" + prior_number(parameter.first) + ", " + prior_number(parameter.second) + ")"
                    : "(" + named(parameter.first_name, parameter.first) + ", " +
                          named(parameter.second_name, parameter.second) + ")";
    }
    if (std::isinf(lower) && std::isinf(upper)) return text;  // not truncated
    return text + " on " + (std::isinf(lower) ? "(" : "[") + prior_number(lower) + ", " + prior_number(upper) +
           (std::isinf(upper) ? ")" : "]");
}

// "a", "a and b", "a, b and c".
std::string list_of(const std::vector<std::string>& items) {
    std::string text;
    for (std::size_t i = 0; i < items.size(); ++i)
        text += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
    return text;
}

std::string section_start(const char* id, const char* title) {
    return std::string("<section id=\"") + id + "\" class=\"report-section\" aria-labelledby=\"" + id +
           "-title\">\n<h2 id=\"" + id + "-title\">" + title + "</h2>\n";
}

std::string data_attributes(const char* prefix, const DrawSummary& summary) {
    return std::string(" data-") + prefix + "-low=\"" + exact_number(summary.p05) + "\" data-" + prefix + "-median=\"" +
           exact_number(summary.p50) + "\" data-" + prefix + "-high=\"" + exact_number(summary.p95) + "\"";
}

// Where the published value lies against the model's interval, in words.
std::string miss_text(const FitRow& row) {
    if (!std::isfinite(row.model.p05) || !std::isfinite(row.model.p95)) return "the model gives no value for it";
    return row.target->lower > row.model.p95 ? "the model's values are lower than the published figure"
                                             : "the model's values are higher than the published figure";
}

double total_simulations(const CalibrationResults& results) {
    double total = 0.0;
    for (const CalibrationGeneration& generation : results.generations)
        if (std::isfinite(generation.simulations)) total += generation.simulations;
    return total;
}

std::string whole(double value) { return std::isfinite(value) ? grouped(std::abs(value), 0) : "not available"; }

// ---------------------------------------------------------------------------------------------------
// 1. Summary

std::string summary_section(const CalibrationResults& results, const std::vector<FitRow>& fit,
                            const std::vector<ParameterRow>& parameters) {
    std::string html = section_start("summary", "Summary");
    const std::size_t inside =
        static_cast<std::size_t>(std::count_if(fit.begin(), fit.end(), [](const FitRow& row) { return row.inside; }));
    const std::string targets_file = results.attribute("targets_file");
    html += "<p>The model";
    if (!results.scenario_name.empty())
        html += " (scenario <strong>" + escape_html(results.scenario_name) + "</strong>)";
    html += " was calibrated to <strong>" + plural(fit.size(), "published figure", "published figures") + "</strong>";
    const std::string council = !results.targets_council.empty() ? results.targets_council : results.council;
    if (!council.empty()) html += " of " + escape_html(council);
    if (!targets_file.empty()) html += " (<code>" + escape_html(targets_file) + "</code>)";
    html += ": " + plural(parameters.size(), "uncertain parameter was", "uncertain parameters were") +
            " fitted to them by approximate Bayesian computation";
    if (!results.generations.empty()) {
        html += ", over " + plural(results.generations.size(), "generation", "generations") + " and " +
                number(whole(total_simulations(results))) + " simulations";
    }
    html += ".</p>\n";

    html += "<p><strong>The calibrated model reproduces " + std::to_string(inside) + " of the " +
            std::to_string(fit.size()) +
            " published figures</strong>: for those, the published value lies inside the range that nine in ten of "
            "the calibrated model's runs fall in (its 90% interval).";
    if (inside < fit.size())
        html += " For the others it does not: the model cannot reproduce them with these parameters and priors.";
    html += "</p>\n<div class=\"sentences\">\n<ul>\n";
    for (const FitRow& row : fit) {
        const CalibrationTarget& target = *row.target;
        const ValueKind kind = value_kind(target);
        const int decimals = figure_decimals(row, kind);
        html += "<li><strong>" + escape_html(target.name) + "</strong> (" + escape_html(period_text(target)) +
                "): published " + published_text(row) + "; the model's median " +
                number(figure_value(row.model.p50, kind, decimals)) + ", nine runs in ten between " +
                number(figure_value(row.model.p05, kind, decimals)) + " and " +
                number(figure_value(row.model.p95, kind, decimals)) + ": ";
        html += row.inside ? "<strong>reproduced</strong>.</li>\n"
                           : "<strong>not reproduced</strong>, " + miss_text(row) + ".</li>\n";
    }
    html += "</ul>\n</div>\n";
    if (inside < fit.size()) {
        html +=
            "<p>A published figure outside the model's range points to something the model does not represent, or "
            "to a figure the council defines differently from the model: not to a parameter that more tuning would "
            "fix.</p>\n";
    }

    std::vector<std::string> narrowed, unchanged;
    for (const ParameterRow& row : parameters) {
        const std::string name = "<code>" + breakable(row.parameter->path) + "</code>";
        (std::isfinite(row.width_ratio) && row.width_ratio < 0.75 ? narrowed : unchanged).push_back(name);
    }
    html += "<p>";
    if (!narrowed.empty()) {
        html += "The published figures narrowed the range of " + list_of(narrowed) +
                " (to less than three quarters of the width the prior gave).";
    }
    if (!unchanged.empty()) {
        const bool one = unchanged.size() == 1;
        html += std::string(narrowed.empty() ? "" : " ") + "They say little about " + list_of(unchanged) + ": " +
                (one ? "its range is" : "their ranges are") +
                " still about as wide as before the calibration, and results that depend on " + (one ? "it" : "them") +
                " carry that uncertainty.";
    }
    const std::string stop_reason = results.attribute("stop_reason");
    if (!stop_reason.empty()) html += " The calibration stopped because: " + escape_html(stop_reason) + ".";
    html += "</p>\n</section>\n";
    return html;
}

// ---------------------------------------------------------------------------------------------------
// 2. Published figures beside the model's

// A figure is drawn as a share of its published value, which must be a positive number.
bool drawable(const FitRow& row) { return std::isfinite(row.target->observed) && row.target->observed > 0.0; }

std::string percent_of(double value, double of) {
    if (!std::isfinite(value)) return "not available";
    return display(100.0 * value / of, ValueKind::percent, false, 0) + "%";
}

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

std::string fit_spec(const std::vector<FitRow>& fit, const std::string& description) {
    std::string data, order;
    for (const FitRow& row : fit) {
        if (!drawable(row)) continue;
        const double of = row.target->observed;
        data += std::string(data.empty() ? "" : ",") + "{\"t\":" + json_string(row.target->name) +
                ",\"lo\":" + json_number(row.model.p05 / of) + ",\"md\":" + json_number(row.model.p50 / of) +
                ",\"hi\":" + json_number(row.model.p95 / of) +
                ",\"pv\":1,\"pl\":" + json_number(row.target->lower / of) +
                ",\"ph\":" + json_number(row.target->upper / of) + "}";
        order += (order.empty() ? "" : ",") + json_string(row.target->name);
    }
    // A range's two ends as a line (only when there is one: a layer with no data would have no extent).
    const bool any_range = std::any_of(fit.begin(), fit.end(), [](const FitRow& row) { return row.target->range(); });
    const std::string range_layer =
        any_range ? "{\"transform\":[{\"filter\":\"datum.pl < datum.ph\"}],\"mark\":{\"type\":\"rule\","
                    "\"strokeWidth\":3},\"encoding\":{\"x\":{\"field\":\"pl\",\"type\":\"quantitative\"},"
                    "\"x2\":{\"field\":\"ph\"},\"color\":{\"datum\":\"published figure\"}}},"
                  : "";
    const std::string y = "\"y\":{\"field\":\"t\",\"type\":\"nominal\",\"sort\":[" + order +
                          "],\"title\":null,\"axis\":{\"labelFontSize\":13,\"labelLimit\":240}}";
    const std::string x_title = json_string("the model's value as a percentage of the published figure");
    return "{\"description\":" + json_string(description) +
           ",\"width\":480,\"height\":{\"step\":40},\"data\":{"
           "\"values\":[" +
           data + "]},\"encoding\":{" + y +
           "},\"layer\":["
           "{\"mark\":{\"type\":\"bar\",\"height\":16},\"encoding\":{\"x\":{\"field\":\"lo\",\"type\":"
           "\"quantitative\",\"title\":" +
           x_title +
           ",\"scale\":{\"zero\":true},\"axis\":{\"format\":\"~%\"}},"
           "\"x2\":{\"field\":\"hi\"},\"color\":{\"datum\":\"model: 90% interval\",\"scale\":{\"domain\":["
           "\"model: 90% interval\",\"model: median\",\"published figure\"],\"range\":[\"" +
           std::string(kBand50) + "\",\"" + kMedian + "\",\"" + kBaseline +
           "\"]},\"legend\":{\"title\":null,\"orient\":\"bottom\",\"direction\":\"horizontal\"}}}}," + range_layer +
           "{\"mark\":{\"type\":\"point\",\"filled\":true,\"size\":90,\"opacity\":1},\"encoding\":{\"x\":{\"field\":"
           "\"md\",\"type\":\"quantitative\"},\"color\":{\"datum\":\"model: median\"}}},"
           "{\"mark\":{\"type\":\"point\",\"shape\":\"diamond\",\"filled\":true,\"size\":130,\"opacity\":1},"
           "\"encoding\":{\"x\":{\"field\":\"pv\",\"type\":\"quantitative\"},\"color\":{\"datum\":"
           "\"published figure\"}}}]," +
           kChartConfig + "}";
}

std::string fit_data_table(const std::vector<FitRow>& fit) {
    std::string html =
        "<details class=\"data-table\"><summary>Data table: the model as a percentage of each published "
        "figure</summary>\n<div class=\"table-wrap\"><table>\n<caption>The calibrated model's 5th percentile, "
        "median and 95th percentile as a percentage of the published value.</caption>\n<thead><tr>"
        "<th scope=\"col\">Figure</th><th scope=\"col\">5th percentile</th><th scope=\"col\">Median</th>"
        "<th scope=\"col\">95th percentile</th><th scope=\"col\">Published</th></tr></thead>\n<tbody>\n";
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
    return html + "</tbody></table></div></details>\n";
}

std::string fit_section(const std::vector<FitRow>& fit, std::string& specs, std::size_t& charts) {
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
        "</caption>\n<thead><tr><th scope=\"col\">Figure"
        "</th><th scope=\"col\">Indicator</th><th scope=\"col\">Period</th><th scope=\"col\">Kind</th>"
        "<th scope=\"col\">Published</th><th scope=\"col\">Source</th><th scope=\"col\">Model: median</th>"
        "<th scope=\"col\">Model: 90% interval</th><th scope=\"col\">Reproduced</th></tr></thead>\n<tbody>\n";
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
                (row.inside ? "yes" : "<strong>no</strong>") + "</td></tr>\n";
    }
    html += "</tbody></table></div>\n";

    std::vector<FitRow> drawn;
    for (const FitRow& row : fit)
        if (drawable(row)) drawn.push_back(row);
    if (drawn.empty()) return html + "</section>\n";
    const std::string description = fit_description(drawn);
    html +=
        "<figure class=\"fan\" id=\"figure-fit-chart\">\n<h3>The model against each published figure, on one "
        "scale</h3>\n<div class=\"chart\" id=\"fit-chart\" data-chart role=\"img\" aria-label=\"" +
        escape_html(description) +
        "\"></div>\n<figcaption>Each figure's values divided by its published value, "
        "so that figures of different sizes can be seen together: the diamond at 100% is the published figure "
        "(a line where it is a range), the bar the model's 90% interval and the dot its median. A bar that does "
        "not reach the diamond is a figure the model does not reproduce.";
    if (drawn.size() < fit.size())
        html += " Figures whose published value is zero or negative cannot be shown as a percentage: see the table.";
    html += "</figcaption>\n" + fit_data_table(drawn) + "</figure>\n";
    specs += std::string(specs.empty() ? "" : ",\n") + json_string("fit-chart") + ":" + fit_spec(drawn, description);
    ++charts;
    return html + "</section>\n";
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

std::string parameter_spec(const std::vector<ParameterRow>& rows, const std::string& description) {
    std::string data, order;
    for (const ParameterRow& row : rows) {
        const std::string name = json_string(row.parameter->path);
        for (const auto& [which, summary] : {std::pair{"prior", row.prior}, std::pair{"posterior", row.posterior}}) {
            data += std::string(data.empty() ? "" : ",") + "{\"p\":" + name + ",\"w\":\"" + which +
                    "\",\"lo\":" + json_number(summary.p05) + ",\"md\":" + json_number(summary.p50) +
                    ",\"hi\":" + json_number(summary.p95) + "}";
        }
        order += (order.empty() ? "" : ",") + name;
    }
    return "{\"description\":" + json_string(description) + ",\"data\":{\"values\":[" + data +
           "]},\"facet\":{\"row\":{\"field\":\"p\",\"type\":\"nominal\",\"sort\":[" + order +
           "],\"title\":null,\"header\":{\"labelAngle\":0,\"labelOrient\":\"top\",\"labelAnchor\":\"start\","
           "\"labelAlign\":\"left\",\"labelFontSize\":13,\"labelFontWeight\":\"bold\",\"labelLimit\":0,"
           "\"labelPadding\":4}}},\"resolve\":{\"scale\":{\"x\":\"independent\"}},\"spacing\":18,"
           "\"spec\":{\"width\":480,\"height\":{\"step\":24},\"encoding\":{\"y\":{\"field\":\"w\",\"type\":"
           "\"nominal\",\"sort\":[\"prior\",\"posterior\"],\"title\":null,\"axis\":{\"labelFontSize\":12}}},"
           "\"layer\":[{\"mark\":{\"type\":\"bar\",\"height\":12},\"encoding\":{\"x\":{\"field\":\"lo\",\"type\":"
           "\"quantitative\",\"title\":null,\"scale\":{\"zero\":false}},\"x2\":{\"field\":\"hi\"},\"color\":{"
           "\"field\":\"w\",\"type\":\"nominal\",\"scale\":{\"domain\":[\"prior\",\"posterior\",\"median\"],"
           "\"range\":[\"" +
           std::string(kPrior) + "\",\"" + kMedian + "\",\"" + kInk +
           "\"]},\"legend\":{\"title\":null,\"orient\":\"bottom\",\"direction\":\"horizontal\",\"labelExpr\":"
           "\"datum.label == 'median' ? 'median' : datum.label + ': 90% interval'\"}}}},"
           "{\"mark\":{\"type\":\"tick\",\"thickness\":3,\"size\":18},\"encoding\":{\"x\":{\"field\":\"md\","
           "\"type\":\"quantitative\"},\"color\":{\"datum\":\"median\"}}}]}," +
           kChartConfig + "}";
}

std::string parameter_data_table(const std::vector<ParameterRow>& rows) {
    std::string html =
        "<details class=\"data-table\"><summary>Data table: prior and posterior of each parameter</summary>\n"
        "<div class=\"table-wrap\"><table>\n<caption>5th percentile, median and 95th percentile of each "
        "parameter's draws, before (prior) and after (posterior) the calibration.</caption>\n<thead><tr>"
        "<th scope=\"col\">Parameter</th><th scope=\"col\">Draws</th><th scope=\"col\">5th percentile</th>"
        "<th scope=\"col\">Median</th><th scope=\"col\">95th percentile</th></tr></thead>\n<tbody>\n";
    for (const ParameterRow& row : rows) {
        for (const auto& [which, summary] : {std::pair{"prior", row.prior}, std::pair{"posterior", row.posterior}}) {
            html += "<tr><th scope=\"row\"><code>" + escape_html(row.parameter->path) + "</code></th><td>" + which +
                    "</td><td>" + significant(summary.p05) + "</td><td>" + significant(summary.p50) + "</td><td>" +
                    significant(summary.p95) + "</td></tr>\n";
        }
    }
    return html + "</tbody></table></div></details>\n";
}

std::string parameter_section(const std::vector<ParameterRow>& rows, std::string& specs, std::size_t& charts) {
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
        "</caption>\n<thead><tr><th scope=\"col\">Parameter</th><th scope=\"col\">Why it is uncertain</th>"
        "<th scope=\"col\">Prior</th><th scope=\"col\">Prior: median (90% interval)</th>"
        "<th scope=\"col\">Posterior: median (90% interval)</th><th scope=\"col\">Posterior width</th></tr></thead>"
        "\n<tbody>\n";
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
    html +=
        "<figure class=\"fan\" id=\"figure-parameter-chart\">\n<h3>Before and after the calibration</h3>\n"
        "<div class=\"chart\" id=\"parameter-chart\" data-chart role=\"img\" aria-label=\"" +
        escape_html(description) +
        "\"></div>\n<figcaption>One panel per parameter, each on its own scale: the orange bar is the prior's 90% "
        "interval, the blue bar the posterior's, and the black marks their medians.</figcaption>\n" +
        parameter_data_table(rows) + "</figure>\n";
    specs += std::string(specs.empty() ? "" : ",\n") + json_string("parameter-chart") + ":" +
             parameter_spec(rows, description);
    ++charts;
    return html + "</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// 4. How the calibration went

std::string progress_section(const CalibrationResults& results) {
    std::string html = section_start("progress", "How the calibration went");
    const std::vector<CalibrationGeneration>& generations = results.generations;
    if (generations.empty()) return html + "<p>The file records no generation.</p>\n</section>\n";
    // Each figure's miss is measured in its stated error when the distance scales are the errors.
    bool stated_error = true;
    for (const CalibrationTarget& target : results.targets)
        stated_error = stated_error && std::isfinite(target.error_sd) && target.distance_scale == target.error_sd;
    html +=
        "<p>The calibration ran in generations. Each generation kept the parameter values whose simulated figures "
        "came within its <strong>tolerance</strong> of the published ones, and set a tighter tolerance for the "
        "next. The tolerance is the typical distance between the simulated and the published figures, measured " +
        std::string(stated_error ? "in each figure's stated error (1 means about one error away on average)"
                                 : "on each figure's own scale") +
        ". The <strong>acceptance rate</strong> is the share of simulations kept, and the <strong>effective sample "
        "size</strong> how many independent values the weighted set is worth.</p>\n";
    html +=
        "<div class=\"table-wrap\"><table id=\"generation-table\">\n<caption>Each generation of the calibration."
        "</caption>\n<thead><tr><th scope=\"col\">Generation</th><th scope=\"col\">Tolerance</th>"
        "<th scope=\"col\">Acceptance rate</th><th scope=\"col\">Effective sample size</th>"
        "<th scope=\"col\">Simulations</th><th scope=\"col\">Proposals outside the prior</th>"
        "<th scope=\"col\">Wall time</th></tr></thead>\n<tbody>\n";
    for (std::size_t g = 0; g < generations.size(); ++g) {
        const CalibrationGeneration& row = generations[g];
        const auto cell = [](const std::string& text, double value) {
            return "<td data-value=\"" + exact_number(value) + "\">" + text + "</td>";
        };
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%.1f s", row.wall_seconds);
        html +=
            "<tr><th scope=\"row\">" + std::to_string(g) + "</th>" + cell(significant(row.tolerance), row.tolerance) +
            cell(std::isfinite(row.acceptance_rate)
                     ? display(100.0 * row.acceptance_rate, ValueKind::percent, false, 1) + "%"
                     : "not available",
                 row.acceptance_rate) +
            cell(whole(row.effective_sample_size), row.effective_sample_size) +
            cell(whole(row.simulations), row.simulations) +
            cell(whole(row.proposals_outside_prior), row.proposals_outside_prior) +
            cell(std::isfinite(row.wall_seconds) ? std::string(seconds) : "not recorded", row.wall_seconds) + "</tr>\n";
    }
    html += "</tbody></table></div>\n<p>";
    const std::string stop_reason = results.attribute("stop_reason");
    html += "It stopped after " + plural(generations.size(), "generation", "generations") + " and " +
            number(whole(total_simulations(results))) + " simulations" +
            (stop_reason.empty() ? std::string(" (the file does not say why).")
                                 : ", because: <strong>" + escape_html(stop_reason) + "</strong>.");
    const CalibrationGeneration& last = generations.back();
    if (std::isfinite(last.tolerance) && stated_error) {
        html += last.tolerance > 1.0
                    ? " The last tolerance, " + significant(last.tolerance) +
                          ", is above 1: the simulated figures are still further than one stated error from the "
                          "published ones on average."
                    : " The last tolerance, " + significant(last.tolerance) +
                          ", is within about one stated error of the figures on average.";
    }
    if (std::isfinite(last.effective_sample_size) && last.effective_sample_size < 200) {
        html += " The last generation's effective sample size, " + whole(last.effective_sample_size) +
                ", is small: few particles represent the posterior, so its intervals are rough. More particles "
                "would refine them.";
    }
    return html + "</p>\n</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// 5. Method notes

std::string method_section(const CalibrationResults& results, const std::vector<FitRow>& fit,
                           const ReportLibraries& libraries, const ReportOptions& options) {
    std::string html = section_start("method", "Method notes");
    html += "<dl class=\"facts\">\n";
    const auto fact = [&](const std::string& term, const std::string& value) {
        html += "<dt>" + term + "</dt><dd>" + value + "</dd>\n";
    };
    const auto recorded = [&](const char* name) {
        const std::string value = results.attribute(name);
        return value.empty() ? std::string("not recorded") : escape_html(value);
    };
    const auto file_fact = [&](const char* term, const char* file, const char* hash) {
        const std::string path = results.attribute(file), fingerprint = results.attribute(hash);
        if (path.empty()) return fact(term, "not recorded");
        fact(term,
             "<code>" + escape_html(path) + "</code>" +
                 (fingerprint.empty() ? std::string() : ", fingerprint <code>" + escape_html(fingerprint) + "</code>"));
    };
    fact("Random seed", recorded("seed"));
    fact("Particles", recorded("particles") + " (parameter sets carried from generation to generation)");
    const std::string total = results.attribute("total_simulations");
    fact("Simulations", total.empty() ? number(whole(total_simulations(results))) : escape_html(total));
    if (!results.parameters.empty())
        fact("Posterior draws", std::to_string(results.parameters.front().posterior.size()) +
                                    " (an equal-weight resample of the last generation's weighted particles)");
    if (!fit.empty())
        fact("Runs for the fit", std::to_string(fit.front().target->predictive.size()) +
                                     " fresh runs of the model with parameters drawn from the posterior");
    file_fact("Set-up file", "setup_file", "setup_fnv1a64");
    file_fact("Scenario file", "scenario_file", "scenario_fnv1a64");
    file_fact("Targets file", "targets_file", "targets_fnv1a64");
    fact("Model", "ehsim " + recorded("ehsim_version") + ", commit <code>" + recorded("git_commit") + "</code>");
    fact("Calibration file", "<code>" + escape_html(results.path) + "</code>, written " + recorded("created_utc"));
    if (!options.written_utc.empty()) fact("This report", "written " + escape_html(options.written_utc));
    fact("Charts", charts_note(libraries));
    html += "</dl>\n";
    html +=
        "<p>A fingerprint (FNV-1a, 64 bits) is computed from a file's bytes: a file with another fingerprint is "
        "not the file this calibration used.</p>\n";
    html +=
        "<h3>How the calibration works</h3>\n<p>The calibration (approximate Bayesian computation by sequential "
        "Monte Carlo, ABC-SMC) draws many sets of parameter values, first from the priors, runs the model once "
        "with each, and keeps those whose figures come close enough to the published ones. Each later generation "
        "moves the kept values a little, runs them again and keeps them under a tighter tolerance, so what "
        "remains, weighted by how plausible it is, is the posterior: every set of values that reproduces the "
        "published figures about as well as their errors allow, not one best guess.</p>\n";
    html +=
        "<h3>What the intervals mean</h3>\n<p>A parameter's <strong>90% interval</strong> is the range of its "
        "middle nine in ten draws: before the calibration (prior) and after it (posterior). A figure's 90% "
        "interval is the range that nine in ten fresh runs of the calibrated model fell in, each run with its own "
        "parameter values from the posterior, its own chance events, and the allowance for the difference between "
        "the council's recording and the model's. It is therefore wider than chance alone would make it. A "
        "published figure inside it is one the model can reproduce; outside, one it cannot.</p>\n";
    html +=
        "<h3>Limits</h3>\n<p>A calibration finds the values that make the model agree with the published figures; "
        "it cannot make up for what the model leaves out. Options run on this calibration (with "
        "<code>--posterior</code>) carry the posterior's uncertainty as well as chance.</p>\n";
    return html + "</section>\n";
}

}  // namespace

// ---------------------------------------------------------------------------------------------------

DrawSummary summarise_draws(const std::vector<double>& draws) {
    const std::vector<double> sorted = finite_sorted(draws);
    return {percentile_of_sorted(sorted, 0.05), percentile_of_sorted(sorted, 0.50), percentile_of_sorted(sorted, 0.95)};
}

std::vector<FitRow> calibration_fit(const CalibrationResults& results) {
    std::vector<FitRow> rows;
    for (const CalibrationTarget& target : results.targets) {
        const DrawSummary model = summarise_draws(target.predictive);
        rows.push_back({&target, model, target.upper >= model.p05 && target.lower <= model.p95});
    }
    return rows;
}

std::vector<ParameterRow> calibration_parameters(const CalibrationResults& results) {
    std::vector<ParameterRow> rows;
    for (const CalibrationParameter& parameter : results.parameters) {
        const DrawSummary prior = summarise_draws(parameter.prior), posterior = summarise_draws(parameter.posterior);
        const double prior_width = prior.p95 - prior.p05;
        const double ratio = prior_width > 0.0 ? (posterior.p95 - posterior.p05) / prior_width : kNaN;
        rows.push_back({&parameter, prior, posterior, ratio});
    }
    return rows;
}

std::string render_calibration_report(const std::string& path, const ReportLibraries& libraries,
                                      const ReportOptions& options) {
    return render_calibration_report(read_calibration_results(path), libraries, options);
}

std::string render_calibration_report(const CalibrationResults& results, const ReportLibraries& libraries,
                                      const ReportOptions& options) {
    const std::vector<FitRow> fit = calibration_fit(results);
    const std::vector<ParameterRow> parameters = calibration_parameters(results);
    const std::size_t inside =
        static_cast<std::size_t>(std::count_if(fit.begin(), fit.end(), [](const FitRow& row) { return row.inside; }));
    const std::string who = !results.targets_council.empty() ? results.targets_council
                            : !results.council.empty()       ? results.council
                                                             : results.scenario_name;
    Page page;
    page.title = !options.title.empty() ? options.title
                 : who.empty()          ? std::string("Calibration of the model to published figures")
                                        : "Calibration of the model to " + who + "'s published figures";
    page.subtitle = "Model calibration: " + plural(parameters.size(), "parameter", "parameters") + " fitted to " +
                    plural(fit.size(), "published figure", "published figures") + "; " + std::to_string(inside) +
                    " of " + std::to_string(fit.size()) + " reproduced";
    page.generator =
        "ehsim " + results.attribute("ehsim_version") + " (commit " + results.attribute("git_commit") + ")";
    page.sections.push_back({"summary", "Summary", summary_section(results, fit, parameters)});
    page.sections.push_back(
        {"fit", "Published figures beside the model's", fit_section(fit, page.chart_specs, page.charts)});
    page.sections.push_back(
        {"parameters", "The parameters", parameter_section(parameters, page.chart_specs, page.charts)});
    page.sections.push_back({"progress", "How the calibration went", progress_section(results)});
    page.sections.push_back({"method", "Method notes", method_section(results, fit, libraries, options)});
    return render_page(page, libraries);
}

}  // namespace ehsim::output
