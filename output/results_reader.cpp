#include "output/results_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/hdf5_internal.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_internal;

void check_format(hid_t root, const std::string& expected, int version) {
    if (!has_attribute(root, "format"))
        throw std::runtime_error("not an ehsim results file (no root attribute 'format')");
    const std::string format = read_string_attribute(root, "/", "format");
    if (format != expected) {
        const std::string hint = format == "ehsim-run"           ? " (the results of ehsim run)"
                                 : format == "ehsim-comparison"  ? " (the results of ehsim compare)"
                                 : format == "ehsim-calibration" ? " (the results of ehsim calibrate)"
                                                                 : "";
        throw std::runtime_error("is an '" + format + "' file" + hint + ", not an '" + expected + "' file");
    }
    const std::int64_t found = read_i64_attribute(root, "/", "format_version");
    if (found != version) {
        throw std::runtime_error("format_version " + std::to_string(found) + " of '" + expected +
                                 "' files is not supported (this ehsim reads version " + std::to_string(version) + ")");
    }
}

// The run metadata a run file keeps at its root; a comparison file keeps all but the scenario's name and file.
RunMetadata read_run_attributes(hid_t root, bool with_scenario) {
    RunMetadata m;
    m.ehsim_version = read_string_attribute(root, "/", "ehsim_version");
    m.git_commit = read_string_attribute(root, "/", "git_commit");
    if (with_scenario) {
        m.scenario_name = read_string_attribute(root, "/", "scenario_name");
        m.scenario_file = read_string_attribute(root, "/", "scenario_file");
    }
    m.seed = read_u64_attribute(root, "/", "seed");
    m.replications = read_u64_attribute(root, "/", "replications");
    m.start_date = read_string_attribute(root, "/", "start_date");
    m.warm_up_years = read_double_attribute(root, "/", "warm_up_years");
    m.horizon_years = read_double_attribute(root, "/", "horizon_years");
    m.created_utc = read_string_attribute(root, "/", "created_utc");
    // Files written before `--posterior` existed have no posterior_file: their parameters were the scenario's own.
    m.posterior_file = has_attribute(root, "posterior_file") ? read_string_attribute(root, "/", "posterior_file") : "";
    if (has_attribute(root, "shard_count")) {  // a shard of a larger job (`ehsim run --shard K/N`)
        m.shard_index = read_u64_attribute(root, "/", "shard_index");
        m.shard_count = read_u64_attribute(root, "/", "shard_count");
        m.first_replication = read_u64_attribute(root, "/", "first_replication");
        m.job_replications = read_u64_attribute(root, "/", "job_replications");
    }
    return m;
}

// scenario/changes_in_words and scenario/assumptions/ (files written before the report existed have neither).
void read_scenario_notes(hid_t scenario, const std::string& path, RunMetadata& m) {
    if (has_link(scenario, "changes_in_words")) m.changes_in_words = read_strings(scenario, path, "changes_in_words");
    if (!has_link(scenario, "assumptions")) return;
    Handle group = open_group(scenario, path, "assumptions");
    const std::string group_path = child_path(path, "assumptions");
    const std::vector<std::string> parameter = read_strings(group.get(), group_path, "parameter");
    const std::vector<std::string> value = read_strings(group.get(), group_path, "value");
    const std::vector<std::string> note = read_strings(group.get(), group_path, "note");
    const std::vector<double> line = read_doubles(group.get(), group_path, "line", {parameter.size()});
    if (value.size() != parameter.size() || note.size() != parameter.size())
        throw std::runtime_error(group_path + " has columns of different lengths");
    for (std::size_t i = 0; i < parameter.size(); ++i)
        m.assumptions.push_back(
            {parameter[i], value[i], note[i],
             std::isfinite(line[i]) && line[i] >= 0 && line[i] < 1e9 ? static_cast<int>(line[i]) : 0});
}

// published_figures/ under the group at `path`, if there is one.
std::vector<PublishedFigure> read_published_figures(hid_t parent, const std::string& path, std::uint64_t replications) {
    if (!has_link(parent, "published_figures")) return {};
    Handle group = open_group(parent, path, "published_figures");
    const std::string group_path = child_path(path, "published_figures");
    const hid_t g = group.get();
    const std::vector<std::string> name = read_strings(g, group_path, "name");
    const std::size_t count = name.size();
    const auto strings = [&](const char* column) {
        std::vector<std::string> values = read_strings(g, group_path, column);
        if (values.size() != count)
            throw std::runtime_error(group_path + "/" + column + " has " + std::to_string(values.size()) +
                                     " rows but " + group_path + "/name has " + std::to_string(count));
        return values;
    };
    const auto doubles = [&](const char* column) { return read_doubles(g, group_path, column, {count}); };
    const std::vector<std::string> indicator = strings("indicator"), period = strings("period"), kind = strings("kind"),
                                   source = strings("source"), file = strings("targets_file");
    // Files written before known_gap was recorded (2026-12-08) have none to say.
    const std::vector<std::string> gap =
        has_link(g, "known_gap") ? strings("known_gap") : std::vector<std::string>(count);
    const std::vector<double> published = doubles("published"), low = doubles("published_low"),
                              high = doubles("published_high"), error = doubles("error_sd");
    const std::vector<double> model = read_doubles(g, group_path, "model", {replications, count});
    std::vector<PublishedFigure> figures(count);
    for (std::size_t f = 0; f < count; ++f) {
        figures[f] = {name[f], indicator[f], period[f], kind[f], source[f], file[f],
                      gap[f],  published[f], low[f],    high[f], error[f],  {}};
        figures[f].model.reserve(replications);
        for (std::size_t r = 0; r < replications; ++r) figures[f].model.push_back(model[r * count + f]);
    }
    return figures;
}

struct Axes {
    std::vector<std::string> months, years, localities;
};

Axes read_axes(hid_t root) {
    Handle axes = open_group(root, "/", "axes");
    Axes read{read_strings(axes.get(), "/axes", "months"), read_strings(axes.get(), "/axes", "years"),
              read_strings(axes.get(), "/axes", "localities")};
    // Months are "YYYY-MM": anything else is not a file ehsim wrote (and must not reach a report unescaped).
    for (const std::string& month : read.months) {
        const bool digits =
            month.size() == 7 && month[4] == '-' &&
            std::all_of(month.begin(), month.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
            month[5] >= '0' && month[5] <= '1' && month[6] >= '0' && month[6] <= '9';
        if (!digits) throw std::runtime_error("/axes/months holds '" + month + "', not a month as YYYY-MM");
    }
    return read;
}

// The indicators of one series group (e.g. /options/a/monthly) that `wanted` asks for (all when nullopt).
std::vector<Indicator> read_series(hid_t parent, const std::string& parent_path, const char* series,
                                   const std::vector<hsize_t>& shape,
                                   const std::optional<std::vector<std::string>>& wanted) {
    Handle group = open_group(parent, parent_path, series);
    const std::string path = child_path(parent_path, series);
    std::vector<std::string> names = link_names(group.get(), path);
    if (wanted) {
        std::vector<std::string> present;
        for (const std::string& name : *wanted)
            if (std::find(names.begin(), names.end(), name) != names.end()) present.push_back(name);
        names = std::move(present);
    }
    std::vector<Indicator> indicators;
    indicators.reserve(names.size());
    for (const std::string& name : names) {
        Indicator indicator;
        indicator.name = name;
        indicator.values = read_doubles(group.get(), path, name, shape);
        Handle dataset(H5Dopen2(group.get(), name.c_str(), H5P_DEFAULT), H5Dclose,
                       "opening dataset " + child_path(path, name));
        indicator.unit = read_string_attribute(dataset.get(), child_path(path, name), "unit");
        indicator.description = read_string_attribute(dataset.get(), child_path(path, name), "description");
        indicators.push_back(std::move(indicator));
    }
    return indicators;
}

// A record's series under the group at `path` (the root of a run file, or /baseline, /options/<name>, ...).
void read_series_groups(hid_t group, const std::string& path, RunRecord& record, const ResultsSelection& selection) {
    const hsize_t replications = record.metadata.replications;
    const hsize_t months = record.months.size(), localities = record.localities.size(), years = record.years.size();
    record.monthly = read_series(group, path, "monthly", {replications, months}, selection.monthly);
    record.by_locality =
        read_series(group, path, "by_locality", {replications, localities, months}, selection.by_locality);
    record.annual = read_series(group, path, "annual", {replications, years}, selection.annual);
}

// A record of a comparison file: the root's metadata and axes, the group's own scenario (when it has one).
RunRecord read_compared_record(hid_t parent, const std::string& parent_path, const std::string& name,
                               const RunRecord& shared, bool with_scenario, const ResultsSelection& selection) {
    Handle group = open_group(parent, parent_path, name);
    const std::string path = child_path(parent_path, name);
    RunRecord record;
    record.metadata = shared.metadata;
    record.months = shared.months;
    record.years = shared.years;
    record.localities = shared.localities;
    if (with_scenario) {
        record.metadata.scenario_name = read_string_attribute(group.get(), path, "scenario_name");
        record.metadata.scenario_file = read_string_attribute(group.get(), path, "scenario_file");
        Handle scenario = open_group(group.get(), path, "scenario");
        record.metadata.scenario_resolved =
            read_scalar_string(scenario.get(), child_path(path, "scenario"), "resolved_yaml");
        read_scenario_notes(scenario.get(), child_path(path, "scenario"), record.metadata);
    } else {
        record.metadata.scenario_name = read_string_attribute(group.get(), path, "of");
    }
    read_series_groups(group.get(), path, record, selection);
    if (with_scenario)
        record.published_figures = read_published_figures(group.get(), path, record.metadata.replications);
    return record;
}

std::vector<ComparisonSummaryRow> read_summary(hid_t root) {
    Handle group = open_group(root, "/", "summary");
    const hid_t g = group.get();
    const std::vector<std::string> option = read_strings(g, "/summary", "option");
    const std::size_t rows = option.size();
    const auto strings = [&](const char* name) {
        std::vector<std::string> column = read_strings(g, "/summary", name);
        if (column.size() != rows) {
            throw std::runtime_error("/summary/" + std::string(name) + " has " + std::to_string(column.size()) +
                                     " rows but /summary/option has " + std::to_string(rows));
        }
        return column;
    };
    const auto doubles = [&](const char* name) { return read_doubles(g, "/summary", name, {rows}); };
    const std::vector<std::string> indicator = strings("indicator"), year = strings("year");
    const std::vector<double> baseline_mean = doubles("baseline_mean"), option_mean = doubles("option_mean"),
                              difference_mean = doubles("difference_mean"), low = doubles("difference_low"),
                              high = doubles("difference_high"), lower = doubles("probability_lower"),
                              ratio = doubles("variance_ratio");
    std::vector<ComparisonSummaryRow> summary;
    summary.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        summary.push_back({option[i], indicator[i], year[i], baseline_mean[i], option_mean[i], difference_mean[i],
                           low[i], high[i], lower[i], ratio[i]});
    }
    return summary;
}

// Runs `read` with HDF5 quiet, turning any failure into one line naming the file.
template <typename Read>
auto reading(const std::string& path, Read read) {
    try {
        const QuietErrors quiet;
        return read();
    } catch (const std::exception& error) {
        throw std::runtime_error(path + ": " + error.what());
    }
}

}  // namespace

std::string results_format(const std::string& path) { return root_attribute(path, "format"); }

std::string root_attribute(const std::string& path, const std::string& name) {
    return reading(path, [&] {
        Handle file = open_for_reading(path);
        return has_attribute(file.get(), name.c_str()) ? read_string_attribute(file.get(), "/", name.c_str())
                                                       : std::string();
    });
}

RunRecord read_run(const std::string& path, const ResultsSelection& selection) {
    return reading(path, [&] {
        Handle file = open_for_reading(path);
        const hid_t root = file.get();
        check_format(root, "ehsim-run", 1);
        RunRecord record;
        record.metadata = read_run_attributes(root, true);
        {
            Handle scenario = open_group(root, "/", "scenario");
            record.metadata.scenario_resolved = read_scalar_string(scenario.get(), "/scenario", "resolved_yaml");
            read_scenario_notes(scenario.get(), "/scenario", record.metadata);
        }
        Axes axes = read_axes(root);
        record.months = std::move(axes.months);
        record.years = std::move(axes.years);
        record.localities = std::move(axes.localities);
        read_series_groups(root, "/", record, selection);
        record.published_figures = read_published_figures(root, "/", record.metadata.replications);
        return record;
    });
}

ComparisonResults read_comparison(const std::string& path, const ResultsSelection& selection) {
    return reading(path, [&] {
        Handle file = open_for_reading(path);
        const hid_t root = file.get();
        check_format(root, "ehsim-comparison", 1);
        RunRecord shared;
        shared.metadata = read_run_attributes(root, false);
        Axes axes = read_axes(root);
        shared.months = std::move(axes.months);
        shared.years = std::move(axes.years);
        shared.localities = std::move(axes.localities);

        ComparisonResults results;
        results.option_names = read_string_array_attribute(root, "/", "options");
        results.baseline = read_compared_record(root, "/", "baseline", shared, true, selection);
        {
            Handle options = open_group(root, "/", "options");
            for (const std::string& name : results.option_names)
                results.options.push_back(
                    read_compared_record(options.get(), "/options", name, shared, true, selection));
        }
        if (selection.differences) {
            Handle differences = open_group(root, "/", "differences");
            for (const std::string& name : results.option_names) {
                results.differences.push_back(
                    read_compared_record(differences.get(), "/differences", name, shared, false, selection));
            }
        }
        results.summary = read_summary(root);
        return results;
    });
}

}  // namespace ehsim::output
