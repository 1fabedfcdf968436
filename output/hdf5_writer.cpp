#include "output/hdf5_writer.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/hdf5_internal.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_internal;

// ---------------------------------------------------------------------------------------------------
// Validation

struct Series {
    const char* group;  // "monthly", "by_locality", "annual"
    const std::vector<Indicator>* indicators;
    std::vector<std::uint64_t> dims;     // the shape every indicator of the series has
    std::vector<std::string> dim_names;  // one per dimension, for messages
    const char* dimensions;              // the `dimensions` attribute
};

std::vector<Series> series_of(const RunRecord& record) {
    const std::uint64_t replications = record.metadata.replications;
    const std::uint64_t months = record.months.size();
    const std::uint64_t localities = record.localities.size();
    const std::uint64_t years = record.years.size();
    return {
        {"monthly", &record.monthly, {replications, months}, {"replications", "months"}, "replication,month"},
        {"by_locality",
         &record.by_locality,
         {replications, localities, months},
         {"replications", "localities", "months"},
         "replication,locality,month"},
        {"annual", &record.annual, {replications, years}, {"replications", "years"}, "replication,year"},
    };
}

void validate_series(const Series& series) {
    std::set<std::string> names;
    for (const Indicator& indicator : *series.indicators) {
        if (indicator.name.empty()) {
            throw std::invalid_argument(std::string("an indicator in ") + series.group + " has no name");
        }
        check_text(std::string("the name of an indicator in ") + series.group, indicator.name);
        const std::string label = std::string("indicator '") + series.group + "/" + indicator.name + "'";
        check_link_name(label, indicator.name);
        if (!names.insert(indicator.name).second) throw std::invalid_argument(label + " appears twice");
        check_text(label + " unit", indicator.unit);
        check_text(label + " description", indicator.description);
        check_value_count(label, indicator.values.size(), series.dims, series.dim_names);
    }
}

// ---------------------------------------------------------------------------------------------------
// Run files

// `group_path` is the path of `group` in the file, for messages.
void write_indicator(Writer& writer, hid_t group, const std::string& group_path, const Series& series,
                     const Indicator& indicator) {
    const std::string path = group_path + "/" + indicator.name;
    const std::vector<hsize_t> dims(series.dims.begin(), series.dims.end());
    Handle dataset = writer.create_dataset(group, path, indicator.name, H5T_IEEE_F64LE, dims, true);
    Writer::write_doubles(dataset.get(), path, indicator.values);
    writer.string_attribute(dataset.get(), path, "unit", indicator.unit);
    writer.string_attribute(dataset.get(), path, "description", indicator.description);
    writer.string_attribute(dataset.get(), path, "dimensions", series.dimensions);
    dataset.close("writing dataset " + path);
}

void write_scenario_attributes(Writer& writer, hid_t object, const std::string& path, const RunMetadata& m) {
    writer.string_attribute(object, path, "scenario_name", m.scenario_name);
    writer.string_attribute(object, path, "scenario_file", m.scenario_file);
}

// The attributes of a run's metadata, with the scenario's name and file only if `with_scenario` (a
// comparison file keeps those on each record's group). The order is that of every file written so far.
void write_run_attributes(Writer& writer, hid_t object, const std::string& path, const RunMetadata& m,
                          bool with_scenario) {
    const hid_t u64 = H5T_STD_U64LE;
    const hid_t f64 = H5T_IEEE_F64LE;
    writer.string_attribute(object, path, "ehsim_version", m.ehsim_version);
    writer.string_attribute(object, path, "git_commit", m.git_commit);
    if (with_scenario) write_scenario_attributes(writer, object, path, m);
    writer.number_attribute(object, path, "seed", u64, H5T_NATIVE_UINT64, m.seed);
    writer.number_attribute(object, path, "replications", u64, H5T_NATIVE_UINT64, m.replications);
    writer.string_attribute(object, path, "start_date", m.start_date);
    writer.number_attribute(object, path, "warm_up_years", f64, H5T_NATIVE_DOUBLE, m.warm_up_years);
    writer.number_attribute(object, path, "horizon_years", f64, H5T_NATIVE_DOUBLE, m.horizon_years);
    writer.string_attribute(object, path, "created_utc", m.created_utc);
    writer.string_attribute(object, path, "posterior_file", m.posterior_file);
    if (m.shard_count == 0) return;  // a whole job's file has no shard attributes
    writer.number_attribute(object, path, "shard_index", u64, H5T_NATIVE_UINT64, m.shard_index);
    writer.number_attribute(object, path, "shard_count", u64, H5T_NATIVE_UINT64, m.shard_count);
    writer.number_attribute(object, path, "first_replication", u64, H5T_NATIVE_UINT64, m.first_replication);
    writer.number_attribute(object, path, "job_replications", u64, H5T_NATIVE_UINT64, m.job_replications);
}

// axes/{months,years,localities} under the group at `path`.
void write_axes(Writer& writer, hid_t parent, const std::string& path, const RunRecord& record) {
    const std::string axes_path = child_path(path, "axes");
    Handle axes = create_group(parent, path, "axes");
    writer.string_array(axes.get(), axes_path + "/months", "months", record.months);
    writer.string_array(axes.get(), axes_path + "/years", "years", record.years);
    writer.string_array(axes.get(), axes_path + "/localities", "localities", record.localities);
    axes.close("closing group " + axes_path);
}

// scenario/resolved_yaml, scenario/changes_in_words and scenario/assumptions/ under the group at `path`.
void write_scenario_group(Writer& writer, hid_t parent, const std::string& path, const RunMetadata& m) {
    const std::string scenario_path = child_path(path, "scenario");
    Handle scenario = create_group(parent, path, "scenario");
    writer.scalar_string(scenario.get(), scenario_path + "/resolved_yaml", "resolved_yaml", m.scenario_resolved);
    writer.string_array(scenario.get(), scenario_path + "/changes_in_words", "changes_in_words", m.changes_in_words,
                        "the option's changes (or the scenario's dated changes), in words");
    const std::string assumptions_path = child_path(scenario_path, "assumptions");
    Handle assumptions = create_group(scenario.get(), scenario_path, "assumptions");
    std::vector<std::string> parameter, value, note;
    std::vector<double> line;
    for (const ScenarioAssumption& assumption : m.assumptions) {
        parameter.push_back(assumption.parameter);
        value.push_back(assumption.value);
        note.push_back(assumption.note);
        line.push_back(static_cast<double>(assumption.line));
    }
    const hid_t a = assumptions.get();
    writer.string_array(a, assumptions_path + "/parameter", "parameter", parameter,
                        "key path of a value no source supports (marked assumed, or uncited)");
    writer.string_array(a, assumptions_path + "/value", "value", value, "the value as the scenario file writes it");
    writer.string_array(a, assumptions_path + "/note", "note", note, "the file's comment on it (empty: none)");
    writer.double_array(a, assumptions_path + "/line", "line", line, "line in the scenario file, from 1");
    assumptions.close("closing group " + assumptions_path);
    scenario.close("closing group " + scenario_path);
}

// published_figures/ under the group at `path`, if the record has any: each figure's description, its
// published value and error, and the model's value of it in every replication ([replications][figures]).
void write_published_figures(Writer& writer, hid_t parent, const std::string& path, const RunRecord& record) {
    const std::vector<PublishedFigure>& figures = record.published_figures;
    if (figures.empty()) return;
    const std::string group_path = child_path(path, "published_figures");
    Handle group = create_group(parent, path, "published_figures");
    const hid_t g = group.get();
    const auto strings = [&](const char* name, std::string PublishedFigure::*member, const char* description) {
        std::vector<std::string> column;
        for (const PublishedFigure& figure : figures) column.push_back(figure.*member);
        writer.string_array(g, group_path + "/" + name, name, column, description);
    };
    const auto doubles = [&](const char* name, double PublishedFigure::*member, const char* description) {
        std::vector<double> column;
        for (const PublishedFigure& figure : figures) column.push_back(figure.*member);
        writer.double_array(g, group_path + "/" + name, name, column, description);
    };
    strings("name", &PublishedFigure::name, "the figure's name in its targets file");
    strings("indicator", &PublishedFigure::indicator, "the model's indicator");
    strings("period", &PublishedFigure::period, "the months the figure covers");
    strings("kind", &PublishedFigure::kind, "count, proportion, rate_per_10000, range or difference");
    strings("source", &PublishedFigure::source, "council paper, section, figure");
    strings("targets_file", &PublishedFigure::targets_file, "the calibration targets file it comes from");
    strings("known_gap", &PublishedFigure::known_gap,
            "what the model lacks that the figure depends on, from the targets file (empty: none said)");
    doubles("published", &PublishedFigure::published, "the published value (a range: its middle)");
    doubles("published_low", &PublishedFigure::published_low, "a range's lower end; otherwise the value");
    doubles("published_high", &PublishedFigure::published_high, "a range's upper end; otherwise the value");
    doubles("error_sd", &PublishedFigure::error_sd,
            "standard deviation of the figure's sampling error and model-discrepancy allowance");
    const std::size_t replications = record.metadata.replications;
    std::vector<double> model(replications * figures.size());
    for (std::size_t f = 0; f < figures.size(); ++f)
        for (std::size_t r = 0; r < replications; ++r) model[r * figures.size() + f] = figures[f].model[r];
    const std::string model_path = group_path + "/model";
    Handle dataset =
        writer.create_dataset(g, model_path, "model", H5T_IEEE_F64LE, {replications, figures.size()}, true);
    Writer::write_doubles(dataset.get(), model_path, model);
    writer.string_attribute(dataset.get(), model_path, "description",
                            "the model's value of each figure in each replication (NaN: the run did not reach it)");
    writer.string_attribute(dataset.get(), model_path, "dimensions", "replication, figure");
    dataset.close("writing dataset " + model_path);
    group.close("closing group " + group_path);
}

// monthly/, by_locality/ and annual/ with every indicator of the record, under the group at `path`.
void write_series_groups(Writer& writer, hid_t parent, const std::string& path, const RunRecord& record) {
    for (const Series& series : series_of(record)) {
        const std::string series_path = child_path(path, series.group);
        Handle group = create_group(parent, path, series.group);
        for (const Indicator& indicator : *series.indicators)
            write_indicator(writer, group.get(), series_path, series, indicator);
        group.close("closing group " + series_path);
    }
}

// A record's own contents in the existing `group` (at `path`): the scenario's name and file as attributes and
// scenario/resolved_yaml (if `with_scenario`), then its series. The axes are shared, so not included.
void write_record(Writer& writer, hid_t group, const std::string& path, const RunRecord& record, bool with_scenario) {
    if (with_scenario) {
        write_scenario_attributes(writer, group, path, record.metadata);
        write_scenario_group(writer, group, path, record.metadata);
    }
    write_series_groups(writer, group, path, record);
}

// ---------------------------------------------------------------------------------------------------
// Comparison files

// The record's validate_for_hdf5, its message prefixed with `label` (e.g. "option 'a'").
void validate_record(const RunRecord& record, const std::string& label) {
    try {
        validate_for_hdf5(record);
    } catch (const std::invalid_argument& error) {
        throw std::invalid_argument(label + ": " + error.what());
    }
}

void check_same_axes(const RunRecord& baseline, const RunRecord& other, const std::string& label) {
    if (other.metadata.replications != baseline.metadata.replications) {
        throw std::invalid_argument(label + " has " + std::to_string(other.metadata.replications) +
                                    " replications but the baseline has " +
                                    std::to_string(baseline.metadata.replications));
    }
    const auto compare = [&](const char* axis, const std::vector<std::string>& mine,
                             const std::vector<std::string>& base) {
        if (mine.size() != base.size()) {
            throw std::invalid_argument(label + " has " + std::to_string(mine.size()) + " " + axis +
                                        " but the baseline has " + std::to_string(base.size()));
        }
        const auto differ = std::mismatch(mine.begin(), mine.end(), base.begin());
        if (differ.first != mine.end()) {
            throw std::invalid_argument(label + " has " + axis + "[" + std::to_string(differ.first - mine.begin()) +
                                        "] = '" + *differ.first + "' but the baseline has '" + *differ.second + "'");
        }
    };
    compare("months", other.months, baseline.months);
    compare("years", other.years, baseline.years);
    compare("localities", other.localities, baseline.localities);
}

void validate_comparison(const RunRecord& baseline, const std::vector<std::string>& option_names,
                         const std::vector<ComparedOption>& options, const std::vector<ComparisonSummaryRow>& summary) {
    if (option_names.size() != options.size()) {
        throw std::invalid_argument("a comparison has " + std::to_string(option_names.size()) + " option names for " +
                                    std::to_string(options.size()) + " options");
    }
    std::set<std::string> names;
    for (std::size_t k = 0; k < option_names.size(); ++k) {
        const std::string& name = option_names[k];
        const std::string position = "option " + std::to_string(k + 1);
        if (name.empty()) throw std::invalid_argument(position + " has no name");
        check_text("the name of " + position, name);
        check_link_name("option name '" + name + "'", name);
        if (!names.insert(name).second) throw std::invalid_argument("option name '" + name + "' appears twice");
        if (options[k].option == nullptr || options[k].difference == nullptr) {
            throw std::invalid_argument("option '" + name + "' has no " +
                                        (options[k].option == nullptr ? "record" : "difference record"));
        }
    }
    validate_record(baseline, "baseline");
    for (std::size_t k = 0; k < options.size(); ++k) {
        const std::string option_label = "option '" + option_names[k] + "'";
        const std::string difference_label = "the difference of option '" + option_names[k] + "'";
        validate_record(*options[k].option, option_label);
        validate_record(*options[k].difference, difference_label);
        check_same_axes(baseline, *options[k].option, option_label);
        check_same_axes(baseline, *options[k].difference, difference_label);
    }
    for (std::size_t i = 0; i < summary.size(); ++i) {
        const ComparisonSummaryRow& row = summary[i];
        const std::string label = "summary row " + std::to_string(i + 1);
        check_text(label + " option", row.option);
        check_text(label + " indicator", row.indicator);
        check_text(label + " year", row.year);
        if (names.count(row.option) == 0)
            throw std::invalid_argument(label + " is about '" + row.option + "', which is not one of the options");
    }
}

void write_summary(Writer& writer, hid_t parent, const std::vector<ComparisonSummaryRow>& summary) {
    const auto strings = [&](std::string ComparisonSummaryRow::*field) {
        std::vector<std::string> column;
        column.reserve(summary.size());
        for (const ComparisonSummaryRow& row : summary) column.push_back(row.*field);
        return column;
    };
    const auto doubles = [&](double ComparisonSummaryRow::*field) {
        std::vector<double> column;
        column.reserve(summary.size());
        for (const ComparisonSummaryRow& row : summary) column.push_back(row.*field);
        return column;
    };
    Handle group = create_group(parent, "/", "summary");
    const hid_t g = group.get();
    writer.string_array(g, "/summary/option", "option", strings(&ComparisonSummaryRow::option), "option name");
    writer.string_array(g, "/summary/indicator", "indicator", strings(&ComparisonSummaryRow::indicator),
                        "annual indicator key");
    writer.string_array(g, "/summary/year", "year", strings(&ComparisonSummaryRow::year),
                        "year label, as in /axes/years");
    writer.double_array(g, "/summary/baseline_mean", "baseline_mean", doubles(&ComparisonSummaryRow::baseline_mean),
                        "mean of the baseline across replications");
    writer.double_array(g, "/summary/option_mean", "option_mean", doubles(&ComparisonSummaryRow::option_mean),
                        "mean of the option across replications");
    writer.double_array(g, "/summary/difference_mean", "difference_mean",
                        doubles(&ComparisonSummaryRow::difference_mean),
                        "mean of the paired difference (option minus baseline)");
    writer.double_array(g, "/summary/difference_low", "difference_low", doubles(&ComparisonSummaryRow::difference_low),
                        "lower end of the 90% interval of the mean difference");
    writer.double_array(g, "/summary/difference_high", "difference_high",
                        doubles(&ComparisonSummaryRow::difference_high),
                        "upper end of the 90% interval of the mean difference");
    writer.double_array(g, "/summary/probability_lower", "probability_lower",
                        doubles(&ComparisonSummaryRow::probability_lower),
                        "share of replications in which the option is lower than the baseline");
    writer.double_array(g, "/summary/variance_ratio", "variance_ratio", doubles(&ComparisonSummaryRow::variance_ratio),
                        "variance of the paired difference over the sum of the baseline's and the option's variances");
    group.close("closing group /summary");
}

}  // namespace

void validate_for_hdf5(const RunRecord& record) {
    const RunMetadata& m = record.metadata;
    check_text("metadata.ehsim_version", m.ehsim_version);
    check_text("metadata.git_commit", m.git_commit);
    check_text("metadata.scenario_name", m.scenario_name);
    check_text("metadata.scenario_file", m.scenario_file);
    check_text("metadata.scenario_resolved", m.scenario_resolved);
    check_text("metadata.start_date", m.start_date);
    check_text("metadata.created_utc", m.created_utc);
    check_text("metadata.posterior_file", m.posterior_file);
    const auto check_labels = [](const char* axis, const std::vector<std::string>& labels) {
        for (std::size_t i = 0; i < labels.size(); ++i)
            check_text(std::string(axis) + "[" + std::to_string(i) + "]", labels[i]);
    };
    check_labels("months", record.months);
    check_labels("years", record.years);
    check_labels("localities", record.localities);
    for (const Series& series : series_of(record)) validate_series(series);
    for (std::size_t i = 0; i < m.assumptions.size(); ++i) {
        const std::string at = "metadata.assumptions[" + std::to_string(i) + "]";
        check_text(at + ".parameter", m.assumptions[i].parameter);
        check_text(at + ".value", m.assumptions[i].value);
        check_text(at + ".note", m.assumptions[i].note);
    }
    for (std::size_t i = 0; i < m.changes_in_words.size(); ++i)
        check_text("metadata.changes_in_words[" + std::to_string(i) + "]", m.changes_in_words[i]);
    for (const PublishedFigure& figure : record.published_figures) {
        const std::string at = "published figure '" + figure.name + "'";
        for (const std::string* text : {&figure.name, &figure.indicator, &figure.period, &figure.kind, &figure.source,
                                        &figure.targets_file, &figure.known_gap})
            check_text(at, *text);
        if (figure.model.size() != m.replications)
            throw std::invalid_argument(at + " has " + std::to_string(figure.model.size()) + " model values for " +
                                        std::to_string(m.replications) + " replications");
    }
}

void write_hdf5(const RunRecord& record, const std::string& path) {
    validate_for_hdf5(record);
    write_atomically(path, [&](Writer& writer, hid_t root) {
        writer.string_attribute(root, "/", "format", "ehsim-run");
        writer.number_attribute(root, "/", "format_version", H5T_STD_I32LE, H5T_NATIVE_INT, hdf5_format_version);
        write_run_attributes(writer, root, "/", record.metadata, true);
        write_scenario_group(writer, root, "/", record.metadata);
        write_axes(writer, root, "/", record);
        write_series_groups(writer, root, "/", record);
        write_published_figures(writer, root, "/", record);
    });
}

void write_comparison_hdf5(const RunRecord& baseline, const std::vector<std::string>& option_names,
                           const std::vector<ComparedOption>& options, const std::vector<ComparisonSummaryRow>& summary,
                           const std::string& path) {
    validate_comparison(baseline, option_names, options, summary);
    write_atomically(path, [&](Writer& writer, hid_t root) {
        writer.string_attribute(root, "/", "format", "ehsim-comparison");
        writer.number_attribute(root, "/", "format_version", H5T_STD_I32LE, H5T_NATIVE_INT,
                                hdf5_comparison_format_version);
        write_run_attributes(writer, root, "/", baseline.metadata, false);
        writer.string_array_attribute(root, "/", "options", option_names);
        write_axes(writer, root, "/", baseline);
        {
            Handle group = create_group(root, "/", "baseline");
            write_record(writer, group.get(), "/baseline", baseline, true);
            write_published_figures(writer, group.get(), "/baseline", baseline);
            group.close("closing group /baseline");
        }
        // Option names may be any UTF-8: say so in their links, for readers that decode by the link's encoding.
        Handle utf8_names(H5Pcreate(H5P_LINK_CREATE), H5Pclose, "creating link creation properties");
        check(H5Pset_char_encoding(utf8_names.get(), H5T_CSET_UTF8), "marking link names as UTF-8");
        Handle options_group = create_group(root, "/", "options");
        Handle differences_group = create_group(root, "/", "differences");
        for (std::size_t k = 0; k < options.size(); ++k) {
            const std::string& name = option_names[k];
            const std::string option_path = "/options/" + name;
            Handle option = create_group(options_group.get(), "/options", name, utf8_names.get());
            write_record(writer, option.get(), option_path, *options[k].option, true);
            option.close("closing group " + option_path);

            const std::string difference_path = "/differences/" + name;
            Handle difference = create_group(differences_group.get(), "/differences", name, utf8_names.get());
            writer.string_attribute(difference.get(), difference_path, "of", name + " minus baseline");
            write_record(writer, difference.get(), difference_path, *options[k].difference, false);
            difference.close("closing group " + difference_path);
        }
        differences_group.close("closing group /differences");
        options_group.close("closing group /options");
        write_summary(writer, root, summary);
    });
}

void skip_hdf5_cleanup_at_exit() {
    if (H5dont_atexit() < 0) throw std::runtime_error("cannot turn off HDF5's clean-up at exit (H5dont_atexit failed)");
}

}  // namespace ehsim::output
