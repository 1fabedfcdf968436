#include "output/sensitivity_charts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "output/chart_json.hpp"
#include "output/report_html.hpp"

namespace ehsim::output {

std::vector<SensitivityRow> ranked_rows(const SensitivityRecord& record, std::size_t output) {
    const std::size_t m = record.outputs.size();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<SensitivityRow> rows;
    for (std::size_t i = 0; i < record.inputs.size(); ++i) {
        const std::size_t at = i * m + output;
        const auto of = [&](bool ran, const std::vector<double>& values) { return ran ? values[at] : nan; };
        rows.push_back({i, of(record.has_morris, record.mu_star), of(record.has_morris, record.sigma),
                        of(record.has_sobol, record.first), of(record.has_sobol, record.first_lower),
                        of(record.has_sobol, record.first_upper), of(record.has_sobol, record.total),
                        of(record.has_sobol, record.total_lower), of(record.has_sobol, record.total_upper),
                        record.negligible_for[at] != 0.0});
    }
    const auto importance = [&](const SensitivityRow& row) { return record.has_sobol ? row.total : row.mu_star; };
    std::stable_sort(rows.begin(), rows.end(), [&](const SensitivityRow& a, const SensitivityRow& b) {
        const double x = importance(a), y = importance(b);
        return std::isnan(y) ? !std::isnan(x) : x > y;
    });
    return rows;
}

double noise_share(const SensitivityRecord& record, std::size_t output) {
    if (!record.has_sobol) return std::numeric_limits<double>::quiet_NaN();
    const double noise = record.replication_noise[output], variance = record.output_variance[output];
    return variance > 0 ? noise * noise / variance : std::numeric_limits<double>::quiet_NaN();
}

namespace charts {
namespace {

// The inputs' names in ranked order, the chart's y axis.
Json ranked_axis(const SensitivityRecord& record, const std::vector<SensitivityRow>& rows) {
    std::vector<std::string> order;
    for (const SensitivityRow& row : rows) order.push_back(record.inputs[row.input]);
    return {{"field", "p"},
            {"type", "nominal"},
            {"sort", strings(order)},
            {"title", nullptr},
            {"axis", {{"labelFontSize", 12}, {"labelLimit", 320}}}};
}

// A dashed vertical line at `value`, labelled in the legend (none when it is not a number).
void noise_line(Json& layers, double value, const char* label) {
    if (!std::isfinite(value)) return;
    layers.push_back(
        {{"data", {{"values", Json::array({{{"v", value}}})}}},
         {"mark", {{"type", "rule"}, {"strokeDash", Json::array({5, 4})}, {"strokeWidth", 2}}},
         {"encoding", {{"x", {{"field", "v"}, {"type", "quantitative"}}}, {"color", {{"datum", label}}}}}});
}

Json colour_scale(const std::vector<std::string>& domain) {
    std::vector<std::string> range = {html::kMedian, html::kBaseline, "#000000"};
    range.resize(domain.size());
    Json legend = legend_below();
    legend["labelLimit"] = 320;
    return {{"scale", {{"domain", strings(domain)}, {"range", strings(range)}}}, {"legend", std::move(legend)}};
}

std::string bar_chart(const SensitivityRecord& record, const std::vector<SensitivityRow>& rows, Json values,
                      Json layers, const std::string& description) {
    // The inputs' axis on the layers of their values only: the noise line, with its own data, spans the chart.
    for (Json& layer : layers)
        if (!layer.contains("data")) layer["encoding"]["y"] = ranked_axis(record, rows);
    return dump({{"description", description},
                 {"width", 420},
                 {"height", {{"step", 26}}},
                 {"data", {{"values", std::move(values)}}},
                 {"layer", std::move(layers)},
                 {"config", config()}});
}

}  // namespace

std::string morris_chart(const SensitivityRecord& record, const std::vector<SensitivityRow>& rows, double noise,
                         const std::string& unit, const std::string& description) {
    Json values = Json::array();
    for (const SensitivityRow& row : rows)
        values.push_back({{"p", record.inputs[row.input]}, {"u", row.mu_star}, {"s", row.sigma}});
    const char* importance = "mu* (how much it moves the output)";
    const char* spread = "sigma (interactions, curvature)";
    const char* chance = "replication noise";
    Json colour = colour_scale({importance, spread, chance});
    colour["datum"] = importance;
    Json layers = Json::array();
    layers.push_back({{"mark", {{"type", "bar"}, {"height", 14}}},
                      {"encoding",
                       {{"x",
                         {{"field", "u"},
                          {"type", "quantitative"},
                          {"title", "change across the parameter's range" + (unit.empty() ? "" : " (" + unit + ")")},
                          {"scale", {{"zero", true}}}}},
                        {"color", std::move(colour)}}}});
    layers.push_back(
        {{"mark", {{"type", "tick"}, {"thickness", 3}, {"size", 20}}},
         {"encoding", {{"x", {{"field", "s"}, {"type", "quantitative"}}}, {"color", {{"datum", spread}}}}}});
    noise_line(layers, noise, chance);
    return bar_chart(record, rows, std::move(values), std::move(layers), description);
}

std::string sobol_chart(const SensitivityRecord& record, const std::vector<SensitivityRow>& rows, double noise,
                        const std::string& description) {
    Json values = Json::array();
    const char* first = "first order (alone)";
    const char* total = "total (with interactions)";
    for (const SensitivityRow& row : rows) {
        values.push_back({{"p", record.inputs[row.input]},
                          {"k", first},
                          {"v", row.first},
                          {"lo", row.first_lower},
                          {"hi", row.first_upper}});
        values.push_back({{"p", record.inputs[row.input]},
                          {"k", total},
                          {"v", row.total},
                          {"lo", row.total_lower},
                          {"hi", row.total_upper}});
    }
    const char* chance = "replication noise's share";
    Json colour = colour_scale({first, total, chance});
    colour["field"] = "k";
    colour["type"] = "nominal";
    const Json offset = {{"field", "k"}, {"sort", strings({first, total})}};
    Json layers = Json::array();
    layers.push_back({{"mark", {{"type", "bar"}, {"height", 10}}},
                      {"encoding",
                       {{"x",
                         {{"field", "v"},
                          {"type", "quantitative"},
                          {"title", "share of the output's variance"},
                          {"scale", {{"zero", true}}}}},
                        {"yOffset", offset},
                        {"color", std::move(colour)}}}});
    layers.push_back(
        {{"mark", {{"type", "rule"}, {"strokeWidth", 1.5}, {"color", "#1a1a1a"}}},
         {"encoding",
          {{"x", {{"field", "lo"}, {"type", "quantitative"}}}, {"x2", {{"field", "hi"}}}, {"yOffset", offset}}}});
    noise_line(layers, noise, chance);
    return bar_chart(record, rows, std::move(values), std::move(layers), description);
}

}  // namespace charts
}  // namespace ehsim::output
