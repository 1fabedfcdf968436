#include "sim/experiment/run_records.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "ehsim/version.hpp"
#include "sim/calibration/model_calibration.hpp"
#include "sim/model/indicator_values.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_notes.hpp"

namespace ehsim::experiment {

std::string utc_now() {
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

ScenarioNotes read_scenario_notes(const std::string& file, bool with_baseline) {
    const auto read = [](const std::string& path) -> std::string {
        std::ifstream in(path);
        if (!in) return "";
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    };
    ScenarioNotes notes;
    const std::string text = read(file);
    if (text.empty()) return notes;
    const auto add = [&](const std::string& of, const std::string& path) {
        for (const scenario::UnsupportedValue& value : scenario::unsupported_values(of, path))
            notes.assumptions.push_back({value.parameter, value.value, value.note, value.line});
    };
    if (with_baseline) {
        const std::string baseline = scenario::extended_file(text, file);
        if (!baseline.empty()) {
            if (const std::string base_text = read(baseline); !base_text.empty()) add(base_text, baseline);
            // The option's own values are named as changes, after the baseline's.
            const std::size_t first = notes.assumptions.size();
            add(text, file);
            for (std::size_t i = first; i < notes.assumptions.size(); ++i)
                notes.assumptions[i].parameter = "option: " + notes.assumptions[i].parameter;
            notes.changes_in_words = scenario::changes_in_words(text, file);
            return notes;
        }
    }
    add(text, file);
    notes.changes_in_words = scenario::changes_in_words(text, file);
    return notes;
}

std::vector<std::string> year_labels(const std::string& start_date, int months) {
    const model::Date start = *model::parse_iso_date(start_date);
    const model::Calendar calendar(start, months);
    std::vector<std::string> labels;
    for (int year = 0; (year + 1) * 12 <= months; ++year) {
        const model::Date first = model::add_months(start, year * 12);
        char label[48];
        std::snprintf(label, sizeof label, "%04d-%02d to %s", first.year, first.month,
                      calendar.month_label(year * 12 + 11).c_str());
        labels.push_back(label);
    }
    return labels;
}

output::RunRecord build_run_record(const model::Scenario& scenario, const std::string& scenario_file,
                                   std::uint64_t seed, const std::vector<model::ReplicationResult>& results,
                                   const ScenarioNotes& notes, const std::string& posterior_file) {
    output::RunRecord record;
    record.metadata = output::RunMetadata{kVersion,
                                          kGitCommit,
                                          scenario.name,
                                          scenario_file,
                                          scenario::resolved_yaml(scenario),
                                          seed,
                                          results.size(),
                                          scenario.time.start_date,
                                          scenario.time.warm_up_years,
                                          scenario.time.horizon_years,
                                          utc_now(),
                                          "",
                                          {},
                                          {}};
    record.metadata.assumptions = notes.assumptions;
    record.metadata.changes_in_words = notes.changes_in_words;
    record.metadata.posterior_file = posterior_file;
    const int months = results.front().months;
    const model::Date start = *model::parse_iso_date(scenario.time.start_date);
    const model::Calendar calendar(start, months);
    for (int month = 0; month < months; ++month) record.months.push_back(calendar.month_label(month));
    record.years = year_labels(scenario.time.start_date, months);
    for (const auto& locality : scenario.localities) record.localities.push_back(locality.name);
    for (const auto& definition : model::kIndicators) {
        output::Indicator monthly{
            std::string(definition.name), std::string(definition.unit), std::string(definition.description), {}};
        output::Indicator annual = monthly;
        for (const auto& result : results) {
            const auto month_values = model::monthly_values(result, definition);
            monthly.values.insert(monthly.values.end(), month_values.begin(), month_values.end());
            const auto year_values = model::annual_values(result, definition);
            annual.values.insert(annual.values.end(), year_values.begin(), year_values.end());
        }
        record.monthly.push_back(std::move(monthly));
        record.annual.push_back(std::move(annual));
    }
    for (int tally = 0; tally < model::kLocalityTallies; ++tally) {
        const auto& definition = model::kLocalityIndicators[static_cast<std::size_t>(tally)];
        output::Indicator by_locality{
            std::string(definition.name), std::string(definition.unit), std::string(definition.description), {}};
        for (const auto& result : results)
            by_locality.values.insert(
                by_locality.values.end(),
                result.locality_tallies.begin() + static_cast<long>(tally) * result.localities * months,
                result.locality_tallies.begin() + static_cast<long>(tally + 1) * result.localities * months);
        record.by_locality.push_back(std::move(by_locality));
    }
    return record;
}

void add_published_figures(output::RunRecord& record, const model::Scenario& scenario,
                           const std::vector<model::ReplicationResult>& results,
                           const std::vector<calibration::TargetsFile>& targets) {
    static const char* const kinds[] = {"count", "proportion", "rate_per_10000", "range", "difference"};
    for (const calibration::TargetsFile& file : targets) {
        const calibration::TargetFigures figures(scenario, file);
        std::vector<std::vector<double>> values;  // [replication][target]
        values.reserve(results.size());
        for (const model::ReplicationResult& result : results) values.push_back(figures.figures(result));
        for (std::size_t t = 0; t < file.targets.size(); ++t) {
            const calibration::Target& target = file.targets[t];
            output::PublishedFigure figure;
            figure.name = target.name;
            figure.indicator = target.indicator;
            figure.period = target.from + (target.to == target.from ? "" : " to " + target.to);
            if (target.kind == calibration::TargetKind::difference)
                figure.period +=
                    " compared with " + target.compared_with_from +
                    (target.compared_with_to == target.compared_with_from ? "" : " to " + target.compared_with_to);
            figure.kind = kinds[static_cast<int>(target.kind)];
            figure.source = target.source;
            figure.targets_file = file.file;
            figure.known_gap = target.known_gap;
            const bool range = target.kind == calibration::TargetKind::range;
            figure.published = range ? (target.lower + target.upper) / 2.0 : target.value;
            figure.published_low = range ? target.lower : target.value;
            figure.published_high = range ? target.upper : target.value;
            figure.error_sd = target.error_sd();
            for (const std::vector<double>& replication : values) figure.model.push_back(replication[t]);
            record.published_figures.push_back(std::move(figure));
        }
    }
}

output::RunRecord difference_record(const output::RunRecord& option, const output::RunRecord& baseline) {
    output::RunRecord difference = option;
    difference.metadata.scenario_name = option.metadata.scenario_name + " minus " + baseline.metadata.scenario_name;
    auto subtract = [](std::vector<output::Indicator>& from, const std::vector<output::Indicator>& base) {
        if (from.size() != base.size()) throw std::logic_error("difference of records of different shapes");
        for (std::size_t i = 0; i < from.size(); ++i) {
            if (from[i].values.size() != base[i].values.size())
                throw std::logic_error("difference of records of different shapes");
            for (std::size_t j = 0; j < from[i].values.size(); ++j) from[i].values[j] -= base[i].values[j];
            from[i].description = "option minus baseline, paired by replication: " + from[i].description;
        }
    };
    subtract(difference.monthly, baseline.monthly);
    subtract(difference.annual, baseline.annual);
    subtract(difference.by_locality, baseline.by_locality);
    return difference;
}

}  // namespace ehsim::experiment
