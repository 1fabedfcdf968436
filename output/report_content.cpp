#include "output/report_content.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/kernel/statistics.hpp"
#include "sim/model/indicators.hpp"

namespace ehsim::output {
namespace {

using kernel::finite_sorted;
using kernel::mean_of_finite;
using kernel::quantile_of_sorted;
using model::kIndicators;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The annual series of the re-referral cohort ("Within 12 months of closing"): closures, and the share of them
// referred again, counted only for years whose 12 months after closure the runs saw.
constexpr const char* kClosures = "closures";
constexpr const char* kRereferral = "rereferral_within_12_months_pct";

// The indicators of one part of the report, by their rank there (indicators of one rank in table order).
template <typename Rank>
std::vector<const model::IndicatorDefinition*> ranked(Rank rank) {
    std::vector<const model::IndicatorDefinition*> shown;
    for (const model::IndicatorDefinition& indicator : kIndicators)
        if (rank(indicator) > 0) shown.push_back(&indicator);
    std::stable_sort(shown.begin(), shown.end(), [&](const auto* a, const auto* b) { return rank(*a) < rank(*b); });
    return shown;
}

std::uint8_t chart_rank(const model::IndicatorDefinition& indicator) { return indicator.report.chart.rank; }
std::uint8_t flow_rank(const model::IndicatorDefinition& indicator) { return indicator.report.flow.rank; }

// A month-by-month chart of the indicator table: the indicators of one chart rank, added up.
struct FanDefinition {
    std::string id, title, unit;
    ValueKind kind;
    std::vector<std::string> indicators;
};

std::vector<FanDefinition> fan_definitions() {
    std::vector<FanDefinition> definitions;
    std::uint8_t rank = 0;
    for (const model::IndicatorDefinition* indicator : ranked(chart_rank)) {
        if (indicator->report.chart.rank != rank) {
            rank = indicator->report.chart.rank;
            const std::string unit(indicator->unit);
            definitions.push_back({std::string(indicator->report.chart.id),
                                   std::string(indicator->report.chart.title),
                                   indicator->kind == model::IndicatorKind::flow ? unit + " per month" : unit,
                                   kind_of_unit(unit),
                                   {}});
        }
        definitions.back().indicators.emplace_back(indicator->name);
    }
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

// The baseline's summary row of one indicator: the mean and middle 90% of its replications' final year.
SummaryRow baseline_summary(const RunRecord& baseline, const SummaryIndicator& indicator) {
    const std::size_t years = baseline.years.size(), last = years - 1;
    SummaryRow row{"", indicator.key, baseline.years[last], kNaN, kNaN, kNaN, kNaN, kNaN};
    if (const Indicator* found = find_indicator(baseline.annual, indicator.key)) {
        std::vector<double> values;
        values.reserve(baseline.metadata.replications);
        for (std::size_t r = 0; r < baseline.metadata.replications; ++r)
            values.push_back(found->values[r * years + last]);
        row.value = mean_of_finite(values);
        const std::vector<double> sorted = finite_sorted(std::move(values));
        row.low = quantile_of_sorted(sorted, 0.05);
        row.high = quantile_of_sorted(sorted, 0.95);
    }
    return row;
}

// One chart's fans, one per scenario; empty when a scenario lacks one of its indicators (older files may).
std::vector<std::vector<FanMonth>> fans_of(const std::vector<const RunRecord*>& records,
                                           const std::vector<std::string>& names) {
    const std::size_t months = records.front()->months.size();
    const std::size_t replications = records.front()->metadata.replications;
    std::vector<std::vector<const Indicator*>> parts;
    for (const RunRecord* record : records) {
        std::vector<const Indicator*> found;
        for (const std::string& name : names)
            if (const Indicator* indicator = find_indicator(record->monthly, name)) found.push_back(indicator);
        if (found.size() != names.size()) return {};
        parts.push_back(std::move(found));
    }
    std::vector<std::vector<FanMonth>> fans;
    std::vector<double> values(replications);
    for (const std::vector<const Indicator*>& indicators : parts) {
        std::vector<FanMonth> fan(months);
        for (std::size_t month = 0; month < months; ++month) {
            for (std::size_t r = 0; r < replications; ++r) {
                double total = 0.0;
                for (const Indicator* indicator : indicators) total += indicator->values[r * months + month];
                values[r] = total;
            }
            fan[month] = fan_of(values);
        }
        fans.push_back(std::move(fan));
    }
    return fans;
}

// The per-locality series of every scenario, or an empty list when a scenario lacks one.
std::vector<const Indicator*> locality_series(const ReportInput& input, const std::string& name) {
    std::vector<const Indicator*> series;
    for (const RunRecord* record : records_of(input)) {
        const Indicator* found = find_indicator(record->by_locality, name);
        if (found == nullptr) return {};
        series.push_back(found);
    }
    return series;
}

// One scenario's per-locality caseload series, looked up once (not for every run, locality and month).
struct CaseloadSeries {
    const Indicator *in_use, *slots, *waiting, *wait_days, *allocations;
};

// One locality row of one scenario: the final year's caseload, waits and queue.
LocalityRow locality_row(const RunRecord& baseline, const std::string& scenario, std::size_t l,
                         const CaseloadSeries& series) {
    const std::size_t months = baseline.months.size(), replications = baseline.metadata.replications;
    const std::size_t localities = baseline.localities.size();
    const auto [first, end] = final_year_months(baseline);
    const auto at = [&](const Indicator* indicator, std::size_t r, std::size_t m) {
        return indicator->values[(r * localities + l) * months + m];
    };
    LocalityRow row{scenario, baseline.localities[l], kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, kNaN, ""};
    std::vector<double> utilisation(replications), wait(replications), at_end(replications);
    for (std::size_t r = 0; r < replications; ++r) {
        double used = 0, places = 0, days = 0, allocated = 0;
        for (std::size_t m = first; m < end; ++m) {
            used += at(series.in_use, r, m);
            places += at(series.slots, r, m);
            days += at(series.wait_days, r, m);
            allocated += at(series.allocations, r, m);
        }
        utilisation[r] = places > 0 ? 100.0 * used / places : kNaN;
        wait[r] = allocated > 0 ? days / allocated : kNaN;
        at_end[r] = at(series.waiting, r, end - 1);
    }
    row.utilisation_mean = mean_of_finite(utilisation);
    const std::vector<double> sorted_utilisation = finite_sorted(utilisation);
    row.utilisation_low = quantile_of_sorted(sorted_utilisation, 0.05);
    row.utilisation_high = quantile_of_sorted(sorted_utilisation, 0.95);
    row.wait_days_mean = mean_of_finite(wait);
    const std::vector<double> sorted_wait = finite_sorted(wait);
    row.wait_days_low = quantile_of_sorted(sorted_wait, 0.05);
    row.wait_days_high = quantile_of_sorted(sorted_wait, 0.95);
    row.waiting_at_end_median = quantile_of_sorted(finite_sorted(at_end), 0.5);
    for (std::size_t m = 0; m < months && row.first_month_with_waiting.empty(); ++m) {
        std::size_t with_waiting = 0;
        for (std::size_t r = 0; r < replications; ++r) with_waiting += at(series.waiting, r, m) > 0 ? 1 : 0;
        if (2 * with_waiting >= replications) row.first_month_with_waiting = baseline.months[m];
    }
    return row;
}

// The re-referral cohort of one scenario's runs: per year, those referred again and those not, averaged over
// the years whose rate is defined (NaN for a run with none).
std::pair<std::vector<double>, std::vector<double>> rereferrals(const Indicator& closures, const Indicator& rate,
                                                                std::size_t replications, std::size_t years) {
    std::vector<double> again(replications, kNaN), not_again(replications, kNaN);
    for (std::size_t r = 0; r < replications; ++r) {
        double referred = 0.0, closed = 0.0;
        std::size_t followed = 0;
        for (std::size_t y = 0; y < years; ++y) {
            const double percent = rate.values[r * years + y];
            if (!std::isfinite(percent)) continue;
            const double count = closures.values[r * years + y];
            referred += count * percent / 100.0;
            closed += count;
            ++followed;
        }
        if (followed == 0) continue;
        again[r] = referred / static_cast<double>(followed);
        not_again[r] = (closed - referred) / static_cast<double>(followed);
    }
    return {again, not_again};
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// What a report is made from

ResultsSelection report_selection() {
    ResultsSelection selection;
    std::vector<std::string> monthly, annual;
    for (const FanDefinition& definition : fan_definitions())
        monthly.insert(monthly.end(), definition.indicators.begin(), definition.indicators.end());
    for (const SummaryIndicator& indicator : summary_indicators()) annual.push_back(indicator.key);
    std::vector<std::string> flows;
    for (const model::IndicatorDefinition* indicator : ranked(flow_rank)) flows.emplace_back(indicator->name);
    flows.insert(flows.end(), {kClosures, kRereferral});
    for (const std::string& flow : flows)
        if (std::find(annual.begin(), annual.end(), flow) == annual.end()) annual.push_back(flow);
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

std::vector<std::string> scenario_names(const ReportInput& input) {
    std::vector<std::string> names{input.results.baseline.metadata.scenario_name};
    names.insert(names.end(), input.results.option_names.begin(), input.results.option_names.end());
    return names;
}

std::pair<std::size_t, std::size_t> final_year_months(const RunRecord& record) {
    const std::size_t months = record.months.size();
    if (record.years.empty() || months < 12) return {0, months};
    const std::size_t end = record.years.size() * 12;
    return {end - 12, end};
}

ValueKind kind_of_unit(std::string_view unit) {
    if (unit == "%") return ValueKind::percent;
    if (unit == "GBP") return ValueKind::money;
    if (unit == "days" || unit.rfind("per ", 0) == 0) return ValueKind::rate;
    return ValueKind::count;
}

// ---------------------------------------------------------------------------------------------------
// The one-minute summary

const std::vector<SummaryIndicator>& summary_indicators() {
    static const std::vector<SummaryIndicator> indicators = [] {
        std::vector<SummaryIndicator> shown;
        for (const model::IndicatorDefinition* indicator :
             ranked([](const model::IndicatorDefinition& i) { return i.report.summary.rank; })) {
            shown.push_back({std::string(indicator->name), std::string(indicator->report.summary.label),
                             kind_of_unit(indicator->unit)});
        }
        return shown;
    }();
    return indicators;
}

bool clear_effect(const SummaryRow& row) {
    return !row.option.empty() && std::isfinite(row.low) && std::isfinite(row.high) &&
           (row.low > 0.0 || row.high < 0.0);
}

std::vector<SummaryRow> report_summary(const ReportInput& input) {
    const RunRecord& baseline = input.results.baseline;
    if (baseline.years.empty()) return {};
    const std::string& year = baseline.years.back();
    std::vector<SummaryRow> rows;
    for (const SummaryIndicator& indicator : summary_indicators())
        rows.push_back(baseline_summary(baseline, indicator));
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

// ---------------------------------------------------------------------------------------------------
// Fan charts

FanMonth fan_of(std::vector<double> values) {
    const std::vector<double> sorted = finite_sorted(std::move(values));
    return {quantile_of_sorted(sorted, 0.05), quantile_of_sorted(sorted, 0.25), quantile_of_sorted(sorted, 0.50),
            quantile_of_sorted(sorted, 0.75), quantile_of_sorted(sorted, 0.95)};
}

std::vector<FanChart> report_fan_charts(const ReportInput& input) {
    const RunRecord& baseline = input.results.baseline;
    std::vector<FanChart> charts;
    if (baseline.months.empty() || baseline.metadata.replications == 0) return charts;
    for (FanDefinition& definition : fan_definitions()) {
        std::vector<std::vector<FanMonth>> fans = fans_of(records_of(input), definition.indicators);
        if (fans.empty()) continue;
        charts.push_back({std::move(definition.id), std::move(definition.title), std::move(definition.unit),
                          definition.kind, std::move(definition.indicators), scenario_names(input), std::move(fans)});
    }
    return charts;
}

// ---------------------------------------------------------------------------------------------------
// Localities

std::vector<LocalityRow> report_localities(const ReportInput& input) {
    std::vector<LocalityRow> rows;
    const RunRecord& baseline = input.results.baseline;
    if (baseline.months.empty() || baseline.metadata.replications == 0) return rows;
    const std::size_t localities = baseline.localities.size();
    const std::vector<const Indicator*> in_use = locality_series(input, "caseload_slots_in_use"),
                                        slots = locality_series(input, "caseload_slots"),
                                        waiting = locality_series(input, "waiting_families"),
                                        wait_days = locality_series(input, "wait_days_of_allocations"),
                                        allocations = locality_series(input, "allocations");
    if (in_use.empty() || slots.empty() || waiting.empty() || wait_days.empty() || allocations.empty()) return rows;
    const std::vector<std::string> names = scenario_names(input);
    for (std::size_t s = 0; s < names.size(); ++s) {
        const CaseloadSeries series{in_use[s], slots[s], waiting[s], wait_days[s], allocations[s]};
        for (std::size_t l = 0; l < localities; ++l) rows.push_back(locality_row(baseline, names[s], l, series));
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

std::vector<LocalityChart> report_locality_charts(const ReportInput& input) {
    const RunRecord& baseline = input.results.baseline;
    const std::size_t localities = baseline.localities.size(), months = baseline.months.size();
    const std::size_t replications = baseline.metadata.replications, scenarios = records_of(input).size();
    const std::vector<const Indicator*> slots = locality_series(input, "caseload_slots"),
                                        in_use = locality_series(input, "caseload_slots_in_use"),
                                        waiting = locality_series(input, "waiting_families");
    if (slots.empty() || in_use.empty() || waiting.empty()) return {};
    std::vector<LocalityChart> charts{
        {"localities-utilisation", "Caseload places in use at each month's end, by locality", "% of places in use", {}},
        {"localities-waiting",
         "Families waiting for a lead professional at each month's end, by locality",
         "families waiting",
         {}}};
    std::vector<double> utilisation(replications), waiting_families(replications);
    for (std::size_t l = 0; l < localities; ++l) {
        for (std::size_t s = 0; s < scenarios; ++s) {
            for (std::size_t m = 0; m < months; ++m) {
                for (std::size_t r = 0; r < replications; ++r) {
                    const std::size_t at = (r * localities + l) * months + m;
                    const double places = slots[s]->values[at];
                    utilisation[r] = places > 0 ? 100.0 * in_use[s]->values[at] / places : kNaN;
                    waiting_families[r] = waiting[s]->values[at];
                }
                charts[0].fan.push_back(fan_of(utilisation));
                charts[1].fan.push_back(fan_of(waiting_families));
            }
        }
    }
    return charts;
}

// ---------------------------------------------------------------------------------------------------
// Where families go

std::vector<FlowItem> report_flows(const ReportInput& input) {
    std::vector<FlowItem> items;
    const RunRecord& baseline = input.results.baseline;
    const std::size_t years = baseline.years.size(), replications = baseline.metadata.replications;
    if (years == 0 || replications == 0) return items;
    const std::vector<std::string> names = scenario_names(input);
    const std::vector<const RunRecord*> records = records_of(input);
    const std::vector<const model::IndicatorDefinition*> parts = ranked(flow_rank);
    std::vector<double> per_run(replications);
    for (std::size_t s = 0; s < records.size(); ++s) {
        for (const model::IndicatorDefinition* part : parts) {
            const Indicator* indicator = find_indicator(records[s]->annual, std::string(part->name));
            if (indicator == nullptr) continue;
            for (std::size_t r = 0; r < replications; ++r) {
                double total = 0.0;
                for (std::size_t y = 0; y < years; ++y) total += indicator->values[r * years + y];
                per_run[r] = total / static_cast<double>(years);
            }
            items.push_back({std::string(part->report.flow.stage), std::string(part->report.flow.category), names[s],
                             mean_of_finite(per_run)});
        }
        const Indicator* closures = find_indicator(records[s]->annual, kClosures);
        const Indicator* rate = find_indicator(records[s]->annual, kRereferral);
        if (closures == nullptr || rate == nullptr) continue;
        const auto [again, not_again] = rereferrals(*closures, *rate, replications, years);
        const double again_mean = mean_of_finite(again);
        if (!std::isfinite(again_mean)) continue;
        items.push_back({"Within 12 months of closing", "referred again", names[s], again_mean});
        items.push_back({"Within 12 months of closing", "not referred again", names[s], mean_of_finite(not_again)});
    }
    return items;
}

// ---------------------------------------------------------------------------------------------------
// Published figures beside the model's

std::vector<PublishedRow> report_published(const ReportInput& input) {
    std::vector<PublishedRow> rows;
    for (const PublishedFigure& figure : input.results.baseline.published_figures) {
        const std::vector<double> sorted = finite_sorted(figure.model);
        PublishedRow row{&figure,
                         quantile_of_sorted(sorted, 0.5),
                         quantile_of_sorted(sorted, 0.05),
                         quantile_of_sorted(sorted, 0.95),
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

}  // namespace ehsim::output
