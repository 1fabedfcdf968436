#include "output/report_charts.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include "output/chart_json.hpp"

namespace ehsim::output::charts {
namespace {

// Okabe-Ito colours beyond the shared ones: the prior in orange, medians in ink (calibration report).
constexpr const char* kPrior = "#e69f00";
constexpr const char* kInk = "#1a1a1a";

// {"field": field, ...more}: an encoding channel.
Json channel(const char* field, const Json& more = Json::object()) {
    Json channel = {{"field", field}};
    for (auto item = more.begin(); item != more.end(); ++item) channel[item.key()] = item.value();
    return channel;
}

// Panels side by side, one per value of `field` in `order`, each `width` x `height` with months along x (the
// page's renderer fits the columns and widths to the window).
Json monthly_panels(const char* field, const std::vector<std::string>& order, int columns, int width, int height,
                    Json axis) {
    return {{"facet",
             {{"field", field},
              {"type", "nominal"},
              {"title", nullptr},
              {"sort", strings(order)},
              {"header", {{"labelFontSize", 13}, {"labelFontWeight", "bold"}}}}},
            {"columns", columns},
            {"spec",
             {{"width", width},
              {"height", height},
              {"encoding",
               {{"x",
                 {{"field", "m"},
                  {"type", "temporal"},
                  {"timeUnit", "utcyearmonth"},
                  {"title", nullptr},
                  {"axis", std::move(axis)}}}}}}}};
}

// A band between two fields, coloured as `datum` (with `colour` holding the scale and legend, for the first).
Json band(const char* low, const char* high, const Json& y, const char* datum, const Json& colour = {}) {
    Json color = {{"datum", datum}};
    for (auto item = colour.begin(); !colour.is_null() && item != colour.end(); ++item)
        color[item.key()] = item.value();
    return {{"mark", {{"type", "area"}}},
            {"encoding", {{"y", channel(low, y)}, {"y2", {{"field", high}}}, {"color", std::move(color)}}}};
}

// The colour of scenario `s` (0: the baseline) in charts that draw every scenario's median.
std::string scenario_colour(std::size_t s) { return html::kCategorical[s % std::size(html::kCategorical)]; }

}  // namespace

std::string fan_chart(const FanChart& chart, const std::vector<std::string>& months, const std::string& description,
                      bool with_baseline_line) {
    Json values = Json::array();
    for (std::size_t s = 0; s < chart.scenarios.size(); ++s) {
        for (std::size_t month = 0; month < months.size(); ++month) {
            const FanMonth& f = chart.fan[s][month];
            Json row = {{"s", chart.scenarios[s]},
                        {"m", months[month]},
                        {"a", f.p05},
                        {"b", f.p25},
                        {"c", f.p50},
                        {"d", f.p75},
                        {"e", f.p95}};
            if (s > 0) row["r"] = chart.fan[0][month].p50;
            values.push_back(std::move(row));
        }
    }
    Json domain = strings({"median", "middle 50% of runs", "middle 90% of runs"});
    Json range = strings({html::kMedian, html::kBand50, html::kBand90});
    if (with_baseline_line) {
        domain.push_back("baseline median");
        range.push_back(html::kBaseline);
    }
    // The axis need not start at zero: the fans' spread and the options' differences are what a reader looks for.
    const Json y = {{"type", "quantitative"}, {"scale", {{"zero", false}}}, {"title", chart.unit}};
    Json layers = Json::array();
    layers.push_back(band("a", "e", y, "middle 90% of runs",
                          {{"scale", {{"domain", domain}, {"range", range}}}, {"legend", legend_below()}}));
    layers.push_back(band("b", "d", y, "middle 50% of runs"));
    layers.push_back({{"mark", {{"type", "line"}, {"strokeWidth", 2}}},
                      {"encoding", {{"y", channel("c", y)}, {"color", {{"datum", "median"}}}}}});
    if (with_baseline_line) {
        layers.push_back({{"mark", {{"type", "line"}, {"strokeWidth", 1.5}, {"strokeDash", Json::array({6, 4})}}},
                          {"encoding", {{"y", channel("r", y)}, {"color", {{"datum", "baseline median"}}}}}});
    }
    Json spec = {{"description", description}, {"data", {{"values", std::move(values)}}}};
    spec.update(monthly_panels("s", chart.scenarios, 3, 240, 170, {{"format", "%b %Y"}}));
    spec["spec"]["layer"] = std::move(layers);
    spec["config"] = config();
    return dump(spec);
}

std::string locality_chart(const LocalityChart& chart, const RunRecord& baseline,
                           const std::vector<std::string>& scenarios, const std::string& description) {
    Json values = Json::array();
    std::size_t at = 0;
    for (const std::string& locality : baseline.localities) {
        for (std::size_t s = 0; s < scenarios.size(); ++s) {
            for (const std::string& month : baseline.months) {
                const FanMonth& f = chart.fan[at++];
                Json row = {{"l", locality}, {"s", scenarios[s]}, {"m", month}, {"c", f.p50}};
                if (s == 0) row.update({{"a", f.p05}, {"b", f.p25}, {"d", f.p75}, {"e", f.p95}});
                values.push_back(std::move(row));
            }
        }
    }
    Json domain = strings({"middle 90% of runs (baseline)", "middle 50% of runs (baseline)"});
    Json range = strings({html::kBand90, html::kBand50});
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
        domain.push_back(scenarios[s]);
        range.push_back(scenario_colour(s));
    }
    const Json y = {{"type", "quantitative"}, {"title", chart.unit}};
    const Json baseline_only = Json::array({{{"filter", {{"field", "s"}, {"equal", scenarios[0]}}}}});
    Json legend = legend_below();
    legend.update({{"columns", 3}, {"labelLimit", 320}});
    // The bands are the baseline's alone.
    const auto baseline_band = [&](const Json& layer) {
        return Json{{"transform", baseline_only}, {"mark", "area"}, {"encoding", layer.at("encoding")}};
    };
    Json layers = Json::array();
    layers.push_back(baseline_band(band("a", "e", y, "middle 90% of runs (baseline)",
                                        {{"scale", {{"domain", domain}, {"range", range}}}, {"legend", legend}})));
    layers.push_back(baseline_band(band("b", "d", y, "middle 50% of runs (baseline)")));
    layers.push_back({{"mark", {{"type", "line"}, {"strokeWidth", 2}}},
                      {"encoding",
                       {{"y", channel("c", y)},
                        {"color", {{"field", "s"}, {"type", "nominal"}, {"title", nullptr}}},
                        {"detail", {{"field", "s"}}}}}});
    Json spec = {{"description", description}, {"data", {{"values", std::move(values)}}}};
    spec.update(monthly_panels("l", baseline.localities, 4, 220, 150, {{"format", "%b %Y"}, {"tickCount", 4}}));
    spec["spec"]["layer"] = std::move(layers);
    spec["config"] = config();
    return dump(spec);
}

std::string flow_chart(const std::vector<FlowItem>& items, const std::vector<std::string>& stages,
                       const std::vector<std::string>& scenarios, const std::string& description) {
    Json bars = Json::array();
    for (const std::string& stage : stages) {
        std::vector<std::string> categories;
        Json values = Json::array();
        for (const FlowItem& item : items) {
            if (item.stage != stage) continue;
            const auto found = std::find(categories.begin(), categories.end(), item.category);
            const auto position = static_cast<std::size_t>(found - categories.begin());
            if (found == categories.end()) categories.push_back(item.category);
            values.push_back({{"s", item.scenario}, {"c", item.category}, {"o", position}, {"v", item.per_year}});
        }
        Json range = Json::array();
        for (std::size_t c = 0; c < categories.size(); ++c)
            range.push_back(html::kCategorical[c % std::size(html::kCategorical)]);
        bars.push_back(
            {{"title", {{"text", stage}, {"anchor", "start"}, {"fontSize", 13}}},
             {"width", 480},
             {"height", {{"step", 26}}},
             {"data", {{"values", std::move(values)}}},
             {"mark", {{"type", "bar"}}},
             {"encoding",
              {{"y",
                {{"field", "s"},
                 {"type", "nominal"},
                 {"sort", strings(scenarios)},
                 {"title", nullptr},
                 {"axis", {{"labelLimit", 180}}}}},
               {"x",
                {{"field", "v"}, {"type", "quantitative"}, {"stack", "zero"}, {"title", "per year (mean of runs)"}}},
               {"color",
                {{"field", "c"},
                 {"type", "nominal"},
                 {"scale", {{"domain", strings(categories)}, {"range", std::move(range)}}},
                 {"legend", {{"title", nullptr}, {"orient", "right"}, {"labelLimit", 240}}}}},
               {"order", {{"field", "o"}}},
               {"tooltip", Json::array({{{"field", "s"}, {"title", "scenario"}},
                                        {{"field", "c"}, {"title", "what"}},
                                        {{"field", "v"}, {"title", "per year"}, {"format", ",.0f"}}})}}}});
    }
    return dump({{"description", description},
                 {"vconcat", std::move(bars)},
                 {"spacing", 22},
                 {"resolve", {{"scale", {{"color", "independent"}}}, {"legend", {{"color", "independent"}}}}},
                 {"config", config()}});
}

bool drawable(const PublishedRow& row) { return std::abs(row.figure->published) > 0 && std::isfinite(row.median); }

std::string published_chart(const std::vector<PublishedRow>& rows, const std::vector<std::string>& labels,
                            const std::string& description) {
    Json values = Json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const PublishedRow& row = rows[i];
        if (!drawable(row)) continue;
        const PublishedFigure& f = *row.figure;
        const double scale = 100.0 / f.published;
        values.push_back({{"n", labels[i]},
                          {"c", row.median * scale},
                          {"a", row.low * scale},
                          {"e", row.high * scale},
                          {"wa", row.widened_low * scale},
                          {"we", row.widened_high * scale},
                          {"pl", f.published_low * scale},
                          {"ph", f.published_high * scale}});
    }
    if (values.empty()) return "";
    const Json x = {{"type", "quantitative"}, {"title", "% of the published value"}};
    const auto tick = [&](const char* field) {
        return Json{{"mark", {{"type", "tick"}, {"thickness", 3}, {"size", 22}, {"color", html::kBaseline}}},
                    {"encoding", {{"x", channel(field, x)}}}};
    };
    const Json layers =
        Json::array({{{"mark", {{"type", "rule"}, {"color", "#4d4d4d"}}},
                      {"encoding", {{"x", channel("wa", x)}, {"x2", {{"field", "we"}}}}}},
                     {{"mark", {{"type", "bar"}, {"height", 10}, {"color", html::kBand50}}},
                      {"encoding", {{"x", channel("a", x)}, {"x2", {{"field", "e"}}}}}},
                     {{"mark", {{"type", "point"}, {"filled", true}, {"size", 70}, {"color", html::kMedian}}},
                      {"encoding", {{"x", channel("c", x)}}}},
                     tick("pl"),
                     tick("ph")});
    return dump({{"description", description},
                 {"width", 480},
                 {"height", {{"step", 30}}},
                 {"data", {{"values", std::move(values)}}},
                 {"encoding",
                  {{"y",
                    {{"field", "n"},
                     {"type", "nominal"},
                     {"title", nullptr},
                     {"sort", nullptr},
                     {"axis", {{"labelLimit", 260}}}}}}},
                 {"layer", layers},
                 {"config", config()}});
}

std::string fit_chart(const std::vector<FitRow>& drawn, const std::string& description) {
    Json values = Json::array();
    std::vector<std::string> order;
    for (const FitRow& row : drawn) {
        const double of = row.target->observed;
        values.push_back({{"t", row.target->name},
                          {"lo", row.model.p05 / of},
                          {"md", row.model.p50 / of},
                          {"hi", row.model.p95 / of},
                          {"pv", 1},
                          {"pl", row.target->lower / of},
                          {"ph", row.target->upper / of}});
        order.push_back(row.target->name);
    }
    const auto quantitative = [](const char* field) { return channel(field, {{"type", "quantitative"}}); };
    Json legend = {{"datum", "model: 90% interval"},
                   {"scale",
                    {{"domain", strings({"model: 90% interval", "model: median", "published figure"})},
                     {"range", strings({html::kBand50, html::kMedian, html::kBaseline})}}},
                   {"legend", legend_below()}};
    Json layers = Json::array();
    layers.push_back({{"mark", {{"type", "bar"}, {"height", 16}}},
                      {"encoding",
                       {{"x", channel("lo", {{"type", "quantitative"},
                                             {"title", "the model's value as a percentage of the published figure"},
                                             {"scale", {{"zero", true}}},
                                             {"axis", {{"format", "~%"}}}})},
                        {"x2", {{"field", "hi"}}},
                        {"color", std::move(legend)}}}});
    // A range's two ends as a line (only when there is one: a layer with no data would have no extent).
    if (std::any_of(drawn.begin(), drawn.end(), [](const FitRow& row) { return row.target->range(); })) {
        layers.push_back(
            {{"transform", Json::array({{{"filter", "datum.pl < datum.ph"}}})},
             {"mark", {{"type", "rule"}, {"strokeWidth", 3}}},
             {"encoding",
              {{"x", quantitative("pl")}, {"x2", {{"field", "ph"}}}, {"color", {{"datum", "published figure"}}}}}});
    }
    layers.push_back({{"mark", {{"type", "point"}, {"filled", true}, {"size", 90}, {"opacity", 1}}},
                      {"encoding", {{"x", quantitative("md")}, {"color", {{"datum", "model: median"}}}}}});
    layers.push_back(
        {{"mark", {{"type", "point"}, {"shape", "diamond"}, {"filled", true}, {"size", 130}, {"opacity", 1}}},
         {"encoding", {{"x", quantitative("pv")}, {"color", {{"datum", "published figure"}}}}}});
    return dump({{"description", description},
                 {"width", 480},
                 {"height", {{"step", 40}}},
                 {"data", {{"values", std::move(values)}}},
                 {"encoding",
                  {{"y",
                    {{"field", "t"},
                     {"type", "nominal"},
                     {"sort", strings(order)},
                     {"title", nullptr},
                     {"axis", {{"labelFontSize", 13}, {"labelLimit", 240}}}}}}},
                 {"layer", std::move(layers)},
                 {"config", config()}});
}

std::string parameter_chart(const std::vector<ParameterRow>& rows, const std::string& description) {
    Json values = Json::array();
    std::vector<std::string> order;
    for (const ParameterRow& row : rows) {
        for (const auto& [which, summary] : {std::pair{"prior", row.prior}, std::pair{"posterior", row.posterior}})
            values.push_back({{"p", row.parameter->path},
                              {"w", which},
                              {"lo", summary.p05},
                              {"md", summary.p50},
                              {"hi", summary.p95}});
        order.push_back(row.parameter->path);
    }
    Json legend = legend_below();
    legend["labelExpr"] = "datum.label == 'median' ? 'median' : datum.label + ': 90% interval'";
    const Json header = {{"labelAngle", 0},      {"labelOrient", "top"}, {"labelAnchor", "start"},
                         {"labelAlign", "left"}, {"labelFontSize", 13},  {"labelFontWeight", "bold"},
                         {"labelLimit", 0},      {"labelPadding", 4}};
    const Json layers = Json::array(
        {{{"mark", {{"type", "bar"}, {"height", 12}}},
          {"encoding",
           {{"x", {{"field", "lo"}, {"type", "quantitative"}, {"title", nullptr}, {"scale", {{"zero", false}}}}},
            {"x2", {{"field", "hi"}}},
            {"color",
             {{"field", "w"},
              {"type", "nominal"},
              {"scale",
               {{"domain", strings({"prior", "posterior", "median"})},
                {"range", strings({kPrior, html::kMedian, kInk})}}},
              {"legend", std::move(legend)}}}}}},
         {{"mark", {{"type", "tick"}, {"thickness", 3}, {"size", 18}}},
          {"encoding", {{"x", {{"field", "md"}, {"type", "quantitative"}}}, {"color", {{"datum", "median"}}}}}}});
    return dump(
        {{"description", description},
         {"data", {{"values", std::move(values)}}},
         {"facet",
          {{"row",
            {{"field", "p"}, {"type", "nominal"}, {"sort", strings(order)}, {"title", nullptr}, {"header", header}}}}},
         {"resolve", {{"scale", {{"x", "independent"}}}}},
         {"spacing", 18},
         {"spec",
          {{"width", 480},
           {"height", {{"step", 24}}},
           {"encoding",
            {{"y",
              {{"field", "w"},
               {"type", "nominal"},
               {"sort", strings({"prior", "posterior"})},
               {"title", nullptr},
               {"axis", {{"labelFontSize", 12}}}}}}},
           {"layer", layers}}},
         {"config", config()}});
}

}  // namespace ehsim::output::charts
