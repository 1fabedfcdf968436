#include "output/report_sections.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "output/report_charts.hpp"

namespace ehsim::output {
namespace {

using namespace html;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string scenario_phrase(const ReportInput& input, const std::string& scenario) {
    return scenario == input.results.baseline.metadata.scenario_name && input.comparison ? "In the baseline"
           : input.comparison ? "With " + escape_html(scenario)
                              : "In this projection";
}

// ---------------------------------------------------------------------------------------------------
// Published figures beside the model's

std::string humane(std::string name) {
    std::replace(name.begin(), name.end(), '_', ' ');
    return name;
}

// One scenario's localities in a sentence: which queues first and from when, then the others that queue; or,
// if none does, the range of caseload places in use.
std::string queue_sentence(const ReportInput& input, const std::vector<LocalityRow>& rows, const std::string& scenario,
                           const std::string& period) {
    const std::vector<std::size_t> order = queue_order(rows, scenario);
    if (order.empty()) return "";
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
                    number(display(head.utilisation_mean, ValueKind::percent) + "%") + " of caseload places in use)";
        std::string then;
        for (std::size_t i = 1; i < order.size(); ++i) {
            const LocalityRow& next = rows[order[i]];
            if (next.first_month_with_waiting.empty()) continue;
            then += (then.empty() ? "" : ", ") + escape_html(next.locality) + " from " +
                    month_name(next.first_month_with_waiting);
        }
        sentence += then.empty() ? "; no other locality queues in most runs." : "; then " + then + ".";
    }
    return sentence + "</li>\n";
}

// A small-multiples chart's figure, with its figures in a data table: each locality, scenario and month's median
// and middle 90% of runs.
std::string locality_figure(const ReportInput& input, const LocalityChart& chart, std::vector<PageChart>& specs) {
    const RunRecord& baseline = input.results.baseline;
    const std::vector<std::string> names = scenario_names(input);
    const std::string description = chart.title + ", month by month, one panel per locality: the baseline's median " +
                                    "with the middle 50% and 90% of runs" +
                                    (input.comparison ? ", and each option's median" : "") +
                                    ". The figures are in the data table.";
    specs.push_back({chart.id, charts::locality_chart(chart, baseline, names, description)});
    std::string html = chart_figure(chart.id, chart.title, description) + escape_html(description) + "</figcaption>\n" +
                       data_table_start(chart.title, chart.title + " (" + chart.unit + ").",
                                        {"Locality", "Scenario", "Month", "Median", "Middle 90% of runs"});
    std::size_t at = 0;
    for (const std::string& locality : baseline.localities) {
        for (const std::string& name : names) {
            for (const std::string& month : baseline.months) {
                const FanMonth& f = chart.fan[at++];
                html +=
                    "<tr><td>" + escape_html(locality) + "</td><td>" + escape_html(name) + "</td><td>" +
                    short_month(month) + "</td><td>" +
                    (std::isfinite(f.p50) ? display(f.p50, ValueKind::rate) : std::string("–")) + "</td><td>" +
                    (std::isfinite(f.p05) ? display(f.p05, ValueKind::rate) + " to " + display(f.p95, ValueKind::rate)
                                          : std::string("–")) +
                    "</td></tr>\n";
            }
        }
    }
    return html + data_table_end() + "</figure>\n";
}

std::string locality_table(const std::vector<LocalityRow>& rows, const std::string& period) {
    std::string html = "<div class=\"table-wrap\"><table id=\"locality-table\">\n<caption>" + escape_html(period) +
                       ": caseload places in use and the wait for a lead professional (mean of runs, with the middle "
                       "nine in ten runs), families waiting at the end (median run), and the first month with "
                       "families waiting in most runs.</caption>\n" +
                       table_head({"Scenario", "Locality", "Caseload places in use", "Mean wait (days)",
                                   "Waiting at the end", "Queues from"});
    const auto ranged = [](double mean, double low, double high, const std::string& unit) {
        if (!std::isfinite(mean)) return std::string("not available");
        return number(display(mean, ValueKind::rate) + unit) + " <span class=\"interval\">(" +
               number(display(low, ValueKind::rate)) + " to " + number(display(high, ValueKind::rate)) + ")</span>";
    };
    for (const LocalityRow& row : rows) {
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
    return html + "</tbody></table></div>\n";
}

}  // namespace

std::string locality_section(const ReportInput& input, const std::vector<LocalityRow>& rows,
                             std::vector<PageChart>& charts) {
    const RunRecord& baseline = input.results.baseline;
    std::string html = section_start("localities", "Localities: caseloads and waits");
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
    for (const std::string& scenario : scenario_names(input)) html += queue_sentence(input, rows, scenario, period);
    html += "</ul>\n";
    for (const LocalityChart& chart : report_locality_charts(input)) html += locality_figure(input, chart, charts);
    return html + locality_table(rows, period) + "</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// Where families go

namespace {

constexpr const char* kRereferralStage = "Within 12 months of closing";

// One scenario's count per year of a stage's category (NaN if the flows do not have it).
double flow_value(const std::vector<FlowItem>& items, const std::string& stage, const std::string& category,
                  const std::string& scenario) {
    for (const FlowItem& item : items)
        if (item.stage == stage && item.category == category && item.scenario == scenario) return item.per_year;
    return kNaN;
}

// The categories of a stage, in their order.
std::vector<std::string> categories_of(const std::vector<FlowItem>& items, const std::string& stage) {
    std::vector<std::string> categories;
    for (const FlowItem& item : items)
        if (item.stage == stage && std::find(categories.begin(), categories.end(), item.category) == categories.end())
            categories.push_back(item.category);
    return categories;
}

// The baseline's year in words: counts, and categories as shares of their stage.
std::string flow_sentence(const ReportInput& input, const std::vector<FlowItem>& items, bool rereferrals) {
    const std::string base = scenario_names(input).front();
    const auto count = [&](const char* stage, const char* category) {
        return number(display(flow_value(items, stage, category, base), ValueKind::count));
    };
    const auto share = [&](const char* stage, const char* category) {
        double whole = 0.0;
        for (const FlowItem& item : items)
            if (item.stage == stage && item.scenario == base && std::isfinite(item.per_year)) whole += item.per_year;
        const double part = flow_value(items, stage, category, base);
        return number(display(whole > 0 ? 100.0 * part / whole : kNaN, ValueKind::percent) + "%");
    };
    std::string html =
        "<p>In an average reported year" + std::string(input.comparison ? " of the baseline" : "") + ", " +
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
    if (rereferrals)
        html += " Within 12 months of closing, " + share(kRereferralStage, "referred again") +
                " of families were referred again.";
    return html + "</p>\n";
}

// The chart's figures. It prints (it is the chart's figures): not behind a disclosure.
std::string flow_table(const std::vector<FlowItem>& items, const std::vector<std::string>& stages,
                       const std::vector<std::string>& names) {
    std::vector<std::string> headings{"Stage", "What happened"};
    for (const std::string& name : names) headings.push_back(escape_html(name));
    std::string html =
        "<div class=\"table-wrap\"><table id=\"flow-table\">\n<caption>Per reported year, mean of runs.</caption>\n" +
        table_head(headings);
    for (const std::string& stage : stages) {
        for (const std::string& category : categories_of(items, stage)) {
            html += "<tr><td>" + escape_html(stage) + "</td><th scope=\"row\">" + escape_html(category) + "</th>";
            for (const std::string& name : names) {
                const double per_year = flow_value(items, stage, category, name);
                html += "<td data-value=\"" + exact_number(per_year) + "\">" + display(per_year, ValueKind::count) +
                        "</td>";
            }
            html += "</tr>\n";
        }
    }
    return html + "</tbody></table></div>\n";
}

}  // namespace

std::string flow_section(const ReportInput& input, const std::vector<FlowItem>& items, std::vector<PageChart>& charts) {
    std::string html = section_start("flow", "Where families go");
    if (items.empty()) return html + "<p>These results cover less than one whole reported year.</p>\n</section>\n";
    const std::vector<std::string> names = scenario_names(input);
    std::vector<std::string> stages;
    for (const FlowItem& item : items)
        if (std::find(stages.begin(), stages.end(), item.stage) == stages.end()) stages.push_back(item.stage);
    const bool rereferrals = std::find(stages.begin(), stages.end(), kRereferralStage) != stages.end();
    html += flow_sentence(input, items, rereferrals);
    const std::string description =
        "Where families go in an average reported year, stage by stage: contacts and requests, front-door "
        "decisions, early help, social care, how early help cases closed" +
        std::string(rereferrals ? ", and whether families were referred again within 12 months" : "") +
        "; one bar per scenario, split by outcome. The figures are in the data table.";
    charts.push_back({"flow-chart", charts::flow_chart(items, stages, names, description)});
    html += chart_figure("flow-chart", "Families at each stage, per year", description) + escape_html(description) +
            "</figcaption>\n";
    return html + flow_table(items, stages, names) + "</figure>\n</section>\n";
}

// ---------------------------------------------------------------------------------------------------
// Published figures beside the model's

namespace {

// Each figure's label: its name, and its period when another figure (of another targets file) has that name.
std::vector<std::string> published_labels(const std::vector<PublishedRow>& rows) {
    std::vector<std::string> labels;
    for (const PublishedRow& row : rows) {
        const PublishedFigure& f = *row.figure;
        std::size_t named = 0;
        for (const PublishedRow& other : rows) named += other.figure->name == f.name ? 1 : 0;
        labels.push_back(humane(f.name) + (named > 1 ? " (" + f.period + ")" : ""));
    }
    return labels;
}

std::string published_intro(const ReportInput& input, const std::vector<PublishedRow>& rows) {
    std::size_t consistent = 0;
    for (const PublishedRow& row : rows) consistent += row.consistent ? 1 : 0;
    std::vector<std::string> files;
    for (const PublishedRow& row : rows)
        if (std::find(files.begin(), files.end(), row.figure->targets_file) == files.end())
            files.push_back(row.figure->targets_file);
    std::string file_list;
    for (const std::string& file : files)
        file_list += (file_list.empty() ? "" : ", ") + ("<code>" + escape_html(file) + "</code>");
    return "<p>How well does the model reproduce the council's own numbers? The " +
           plural(rows.size(), "figure", "figures") + " below come from the council's papers (" + file_list +
           ", each with its source). The " + std::string(input.comparison ? "baseline's " : "") +
           "runs give the model's value of each over the same months. <strong>" + std::to_string(consistent) + " of " +
           std::to_string(rows.size()) +
           "</strong> published figures lie within the model's range, once that range allows for the figure's own "
           "uncertainty (its sampling error, and an allowance for differences between the council's recording "
           "and the model's definitions). A figure outside it is a part of the story the model does not tell "
           "well: read its projections of that part with care.</p>\n";
}

std::string published_row(const PublishedRow& row, const std::string& label) {
    const PublishedFigure& f = *row.figure;
    const ValueKind kind = f.kind == "proportion"       ? ValueKind::percent
                           : f.kind == "rate_per_10000" ? ValueKind::rate
                                                        : ValueKind::count;
    const std::string unit = f.kind == "proportion" ? "%" : "";
    const std::string published = f.published_low == f.published_high ? display(f.published, kind) + unit
                                                                      : display(f.published_low, kind) + unit + " to " +
                                                                            display(f.published_high, kind) + unit;
    std::string verdict = "not available";
    if (std::isfinite(row.median))
        verdict = row.consistent                       ? "yes"
                  : f.published_high < row.widened_low ? "no: the model is higher"
                                                       : "no: the model is lower";
    if (std::isfinite(row.median) && !row.consistent && !f.known_gap.empty())
        verdict += "<br><small>what the model lacks: " + escape_html(f.known_gap) + "</small>";
    return "<tr data-figure=\"" + escape_html(f.name) + "\" data-published=\"" + exact_number(f.published) +
           "\" data-median=\"" + exact_number(row.median) + "\" data-low=\"" + exact_number(row.low) +
           "\" data-high=\"" + exact_number(row.high) + "\" data-consistent=\"" + (row.consistent ? "yes" : "no") +
           "\"><th scope=\"row\">" + escape_html(label) + "<br><span class=\"interval\">" + escape_html(f.indicator) +
           ", " + escape_html(f.kind) + "</span></th><td>" + escape_html(f.period) + "</td><td>" + number(published) +
           "</td><td>" +
           (std::isfinite(row.median) ? number(display(row.median, kind) + unit) + " <span class=\"interval\">(" +
                                            number(display(row.low, kind)) + " to " + number(display(row.high, kind)) +
                                            "; widened " + number(display(row.widened_low, kind)) + " to " +
                                            number(display(row.widened_high, kind)) + ")</span>"
                                      : std::string("not available")) +
           "</td><td>" + verdict + "</td><td>" + escape_html(f.source) + "</td></tr>\n";
}

}  // namespace

std::string published_section(const ReportInput& input, const std::vector<PublishedRow>& rows,
                              std::vector<PageChart>& charts) {
    std::string html = section_start("published", "Published figures beside the model's");
    if (rows.empty()) {
        return html +
               "<p>No published figures were set beside these results: no calibration targets file names this "
               "council and a period these results report. (ehsim run and compare look in the calibration/targets "
               "folder above the scenario file, or take <code>--targets FILE</code>.)</p>\n</section>\n";
    }
    html += published_intro(input, rows);
    const std::vector<std::string> labels = published_labels(rows);
    const std::string description =
        "Each published figure at 100%, with the model's median (dot), the middle 90% of its runs (thick bar) "
        "and that range widened for the figure's own uncertainty (thin line), as percentages of the published "
        "value. The figures are in the table below.";
    const std::string spec = charts::published_chart(rows, labels, description);
    if (!spec.empty()) {
        charts.push_back({"published-chart", spec});
        html += chart_figure("published-chart", "The model against each published figure", description) +
                escape_html(description) +
                " The vermillion tick marks the published value (two ticks: the ends of a published "
                "range).</figcaption>\n</figure>\n";
    }
    html +=
        "<div class=\"table-wrap\"><table id=\"published-table\">\n<caption>Published figures and the model's "
        "value of each: median of runs, the middle nine in ten runs, and that range widened for the figure's "
        "own uncertainty.</caption>\n" +
        table_head({"Figure", "Period", "Published", "Model", "Within the model's range?", "Source"});
    for (std::size_t i = 0; i < rows.size(); ++i) html += published_row(rows[i], labels[i]);
    return html + "</tbody></table></div>\n</section>\n";
}

}  // namespace ehsim::output
