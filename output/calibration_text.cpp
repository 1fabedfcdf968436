#include "output/calibration_text.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace ehsim::output::calibration_text {

using namespace html;

namespace {

std::string months_text(const std::string& from, const std::string& to) {
    if (from == to) return month_name(to);
    return month_name(from) + " to " + month_name(to);
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

}  // namespace

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

// The months a figure covers; for a difference, and the months it is compared with.
std::string period_text(const CalibrationTarget& target) {
    if (target.from.empty() || target.to.empty()) return "not recorded";
    std::string text = months_text(target.from, target.to);
    if (!target.compared_with_from.empty() && !target.compared_with_to.empty())
        text += ", compared with " + months_text(target.compared_with_from, target.compared_with_to);
    return text;
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

std::string percent_of(double value, double of) {
    if (!std::isfinite(value)) return "not available";
    return display(100.0 * value / of, ValueKind::percent, false, 0) + "%";
}

}  // namespace ehsim::output::calibration_text
