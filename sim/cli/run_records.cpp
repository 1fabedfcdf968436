#include "sim/cli/run_records.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "ehsim/version.hpp"
#include "sim/calibration/model_calibration.hpp"
#include "sim/model/indicator_values.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_notes.hpp"

namespace ehsim::cli {

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

output::RunRecord build_run_record(const model::Scenario& scenario, const std::string& scenario_file,
                                   std::uint64_t seed, const std::vector<model::ReplicationResult>& results,
                                   const ScenarioNotes& notes) {
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
    const int months = results.front().months;
    const model::Date start = *model::parse_iso_date(scenario.time.start_date);
    const model::Calendar calendar(start, months);
    for (int month = 0; month < months; ++month) record.months.push_back(calendar.month_label(month));
    for (int year = 0; (year + 1) * 12 <= months; ++year) {
        const model::Date first = model::add_months(start, year * 12);
        char label[48];
        std::snprintf(label, sizeof label, "%04d-%02d to %s", first.year, first.month,
                      calendar.month_label(year * 12 + 11).c_str());
        record.years.push_back(label);
    }
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

std::vector<calibration::TargetsFile> targets_for_report(const model::Scenario& scenario,
                                                         const std::string& scenario_file,
                                                         const std::vector<std::string>& named) {
    const int reported_months = static_cast<int>(std::lround(scenario.time.horizon_years * 12.0));
    std::vector<calibration::TargetsFile> chosen;
    for (const std::string& path : named) {
        calibration::TargetsFile file = calibration::load_targets_file(path);
        const calibration::TargetFigures figures(scenario, file);  // throws for a period before the first month
        if (figures.months_needed() > reported_months) {
            throw scenario::ScenarioError(path + ": its figures need " + std::to_string(figures.months_needed()) +
                                          " reported months but the scenario reports " +
                                          std::to_string(reported_months));
        }
        chosen.push_back(std::move(file));
    }
    if (!named.empty()) return chosen;

    namespace fs = std::filesystem;
    std::error_code error;
    fs::path folder = fs::absolute(fs::path(scenario_file), error).parent_path();
    if (error) return chosen;
    for (;; folder = folder.parent_path()) {
        std::error_code missing;  // a folder without calibration/targets is not an error
        if (fs::is_directory(folder / "calibration" / "targets", missing)) break;
        if (folder.empty() || folder == folder.root_path()) return chosen;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder / "calibration" / "targets", error))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& path : files) {
        // Files of other councils are not read further (nor their mistakes reported here).
        try {
            const YAML::Node council = YAML::LoadFile(path.string())["council"];
            if (!council || !council.IsScalar() || council.Scalar() != scenario.council) continue;
        } catch (const YAML::Exception&) {
            std::cerr << "note: the report leaves out " << path.string() << ": it is not YAML\n";
            continue;
        }
        try {
            // Named as a reader would type it: relative to the working folder where that is shorter.
            std::error_code unnamed;
            const fs::path name = fs::proximate(path, unnamed);
            calibration::TargetsFile file =
                calibration::load_targets_file(unnamed || name.empty() ? path.string() : name.string());
            // Only the figures whose periods the run reports.
            const std::string first_month = scenario.time.start_date.substr(0, 7);
            std::vector<calibration::Target> reported;
            for (const calibration::Target& target : file.targets) {
                if (target.from < first_month ||
                    (!target.compared_with_from.empty() && target.compared_with_from < first_month))
                    continue;
                calibration::TargetsFile one{file.file, file.council, file.description, {target}};
                if (calibration::TargetFigures(scenario, one).months_needed() <= reported_months)
                    reported.push_back(target);
            }
            if (reported.empty()) continue;
            file.targets = std::move(reported);
            chosen.push_back(std::move(file));
        } catch (const std::exception& failure) {
            // A file nobody named must not stop the run: it is left out, and said so.
            std::cerr << "note: the report leaves out " << path.string() << ": " << failure.what() << "\n";
        }
    }
    return chosen;
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

double quantile(std::vector<double> values, double q) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); }),
                 values.end());
    if (values.empty()) return std::nan("");
    std::sort(values.begin(), values.end());
    const double position = q * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const auto above = std::min(below + 1, values.size() - 1);
    return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

double mean_of_finite(const std::vector<double>& values) {
    double total = 0.0;
    std::size_t count = 0;
    for (const double value : values)
        if (std::isfinite(value)) {
            total += value;
            ++count;
        }
    return count ? total / static_cast<double>(count) : std::nan("");
}

std::string format_value(double value) {
    char text[32];
    if (!std::isfinite(value)) return "-";
    if (std::abs(value) >= 1e6)
        std::snprintf(text, sizeof text, "%.2fm", value / 1e6);
    else if (std::abs(value) >= 1e4)
        std::snprintf(text, sizeof text, "%.1fk", value / 1e3);
    else if (std::abs(value) >= 100)
        std::snprintf(text, sizeof text, "%.0f", value);
    else
        std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

ParameterDraws::ParameterDraws(const std::string& posterior_file, const std::vector<std::string>& scenario_files,
                               const kernel::RandomStreams& streams)
    : streams_(streams) {
    if (posterior_file.empty()) return;
    posterior_ = output::read_posterior(posterior_file);
    for (const std::string& file : scenario_files) drawn_.emplace_back(file, posterior_.parameters);
}

std::vector<model::Scenario> ParameterDraws::scenarios(std::uint64_t replication) const {
    kernel::RandomEngine random = streams_.stream(replication, "posterior draw", 0);
    const auto draw = std::min<std::size_t>(
        posterior_.draws - 1, static_cast<std::size_t>(random.uniform() * static_cast<double>(posterior_.draws)));
    std::vector<double> values(posterior_.parameters.size());
    for (std::size_t p = 0; p < values.size(); ++p) values[p] = posterior_.value(draw, p);
    std::vector<model::Scenario> scenarios;
    for (const scenario::DrawnScenario& drawn : drawn_) scenarios.push_back(drawn.with(values));
    return scenarios;
}

}  // namespace ehsim::cli
