#include "output/calibration_results_reader.hpp"

#include <hdf5.h>

#include <algorithm>
#include <limits>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "output/hdf5_internal.hpp"

namespace ehsim::output {
namespace {

using namespace hdf5_internal;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The names of a group's links in the order they were created (the writer tracks it, as netCDF-4 does), or by
// name when the group does not track it.
std::vector<std::string> names_in_creation_order(hid_t group, const std::string& path) {
    hid_t properties = H5Gget_create_plist(group);
    unsigned flags = 0;
    if (properties >= 0) {
        if (H5Pget_link_creation_order(properties, &flags) < 0) flags = 0;
        H5Pclose(properties);
    }
    if ((flags & H5P_CRT_ORDER_INDEXED) == 0) return link_names(group, path);
    std::vector<std::string> names;
    const auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
    };
    hsize_t position = 0;
    check(H5Literate(group, H5_INDEX_CRT_ORDER, H5_ITER_INC, &position, collect, &names), "listing " + path);
    return names;
}

// Every string attribute of the root, in creation order when the file tracks it (others are left out).
std::vector<std::pair<std::string, std::string>> root_attributes(hid_t root) {
    std::vector<std::string> names;
    const auto collect = [](hid_t, const char* name, const H5A_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
    };
    hsize_t position = 0;
    if (H5Aiterate2(root, H5_INDEX_CRT_ORDER, H5_ITER_INC, &position, collect, &names) < 0) {
        names.clear();
        position = 0;
        check(H5Aiterate2(root, H5_INDEX_NAME, H5_ITER_INC, &position, collect, &names), "listing the attributes of /");
    }
    std::vector<std::pair<std::string, std::string>> attributes;
    for (const std::string& name : names) {
        Handle attribute(H5Aopen(root, name.c_str(), H5P_DEFAULT), H5Aclose, "opening attribute '" + name + "' of /");
        Handle type(H5Aget_type(attribute.get()), H5Tclose, "reading attribute '" + name + "' of /");
        Handle space(H5Aget_space(attribute.get()), H5Sclose, "reading attribute '" + name + "' of /");
        if (H5Tget_class(type.get()) != H5T_STRING || H5Sget_simple_extent_ndims(space.get()) != 0) continue;
        attributes.emplace_back(name, read_string_attribute(root, "/", name.c_str()));
    }
    return attributes;
}

// A float64 variable of any shape: its sizes and values (row-major), and its description ("" if none).
struct Variable {
    std::vector<hsize_t> shape;
    std::vector<double> values;
    std::string description;
};

Variable read_variable(hid_t group, const std::string& group_path, const std::string& name) {
    const std::string path = child_path(group_path, name);
    const std::string what = "reading " + path;
    if (!has_link(group, name)) throw std::runtime_error("the variable " + path + " is missing");
    Handle dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT), H5Dclose, what);
    Handle type(H5Dget_type(dataset.get()), H5Tclose, what);
    if (H5Tget_class(type.get()) != H5T_FLOAT) throw std::runtime_error(path + " is not a variable of numbers");
    Handle space(H5Dget_space(dataset.get()), H5Sclose, what);
    const int rank = check(H5Sget_simple_extent_ndims(space.get()), what);
    Variable variable;
    variable.shape.resize(static_cast<std::size_t>(rank));
    if (rank > 0) check(H5Sget_simple_extent_dims(space.get(), variable.shape.data(), nullptr), what);
    const hssize_t count = check(H5Sget_simple_extent_npoints(space.get()), what);
    variable.values.resize(static_cast<std::size_t>(count));
    if (count > 0)
        check(H5Dread(dataset.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, variable.values.data()), what);
    if (has_attribute(dataset.get(), "description"))
        variable.description = read_string_attribute(dataset.get(), path, "description");
    return variable;
}

// A variable of draws: [chain, draw], flattened chain by chain.
Variable read_draws(hid_t group, const std::string& group_path, const std::string& name) {
    Variable variable = read_variable(group, group_path, name);
    if (variable.shape.size() != 2 || variable.values.empty())
        throw std::runtime_error(child_path(group_path, name) + " is not a [chain, draw] variable with draws");
    return variable;
}

// A 1-D variable of `size` values along a dimension such as target or generation.
std::vector<double> read_column(hid_t group, const std::string& group_path, const std::string& name, std::size_t size,
                                bool required) {
    if (!required && !has_link(group, name)) return std::vector<double>(size, kNaN);
    Variable variable = read_variable(group, group_path, name);
    if (variable.shape.size() != 1 || variable.values.size() != size) {
        throw std::runtime_error(child_path(group_path, name) + " has " + std::to_string(variable.values.size()) +
                                 " values but " + std::to_string(size) + " were expected");
    }
    return variable.values;
}

// A top-level key of the resolved scenario's YAML ("name: minimal"), unquoted; "" if absent.
std::string yaml_key(const std::string& yaml, const std::string& key) {
    const std::regex line("(^|\n)" + key + ":[ \t]*([^\n]*)");
    std::smatch match;
    if (!std::regex_search(yaml, match, line)) return "";
    std::string value = match[2];
    while (!value.empty() && (value.back() == ' ' || value.back() == '\r')) value.pop_back();
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
        const char quote = value.front();
        value = value.substr(1, value.size() - 2);
        const std::string doubled(2, quote);
        for (std::size_t at = value.find(doubled); at != std::string::npos; at = value.find(doubled, at + 1))
            value.erase(at, 1);
    }
    return value;
}

// A group's string attribute `name`, or "" when the group does not have it (as in files written before ehsim
// recorded it).
std::string optional_attribute(hid_t group, const std::string& group_path, const std::string& name) {
    if (!has_attribute(group, name.c_str())) return "";
    return read_string_attribute(group, group_path, name.c_str());
}

void check_calibration_format(hid_t root) {
    if (!has_attribute(root, "format"))
        throw std::runtime_error("not an ehsim calibration file (no root attribute 'format')");
    const std::string format = read_string_attribute(root, "/", "format");
    if (format == "ehsim-calibration") return;
    const std::string what = format == "ehsim-run"          ? " (the results of ehsim run)"
                             : format == "ehsim-comparison" ? " (the results of ehsim compare)"
                                                            : "";
    throw std::runtime_error("is an '" + format + "' file" + what +
                             ", not a calibration file (format 'ehsim-calibration', written by ehsim calibrate)");
}

}  // namespace

std::string CalibrationResults::attribute(const std::string& name) const {
    for (const auto& [key, value] : attributes)
        if (key == name) return value;
    return "";
}

namespace {

// The published figures: constant_data's target coordinate gives their order.
void read_targets(hid_t root, CalibrationResults& results) {
    Handle constant = open_group(root, "/", "constant_data");
    const std::vector<std::string> names = read_strings(constant.get(), "/constant_data", "target");
    const std::size_t n = names.size();
    if (n == 0) throw std::runtime_error("/constant_data/target names no published figure");
    const std::vector<double> lower = read_column(constant.get(), "/constant_data", "lower", n, true),
                              upper = read_column(constant.get(), "/constant_data", "upper", n, true),
                              error_sd = read_column(constant.get(), "/constant_data", "error_sd", n, false),
                              scale = read_column(constant.get(), "/constant_data", "distance_scale", n, false);
    Handle observed = open_group(root, "/", "observed_data");
    Handle predictive = open_group(root, "/", "posterior_predictive");
    static const std::regex period("(\\S+) from (\\S+) to (\\S+)");
    for (std::size_t k = 0; k < n; ++k) {
        CalibrationTarget target;
        target.name = names[k];
        const Variable value = read_variable(observed.get(), "/observed_data", target.name);
        if (value.values.size() != 1)
            throw std::runtime_error("/observed_data/" + target.name + " is not a single value");
        target.observed = value.values.front();
        target.source = value.description;
        target.lower = lower[k];
        target.upper = upper[k];
        target.error_sd = error_sd[k];
        target.distance_scale = scale[k];
        Variable draws = read_draws(predictive.get(), "/posterior_predictive", target.name);
        std::smatch match;
        if (std::regex_match(draws.description, match, period)) {
            target.indicator = match[1];
            target.from = match[2];
            target.to = match[3];
        } else {
            target.indicator = draws.description;
        }
        target.predictive = std::move(draws.values);
        // What the targets file says of the figure, where the file records it.
        const auto recorded = [&](const char* key, std::string& field) {
            const std::string text = optional_attribute(observed.get(), "/observed_data", key + (":" + target.name));
            if (!text.empty()) field = text;
        };
        recorded("kind", target.kind);
        recorded("indicator", target.indicator);
        recorded("from", target.from);
        recorded("to", target.to);
        recorded("compared_with_from", target.compared_with_from);
        recorded("compared_with_to", target.compared_with_to);
        recorded("source", target.source);
        recorded("not_fitted", target.not_fitted);
        recorded("known_gap", target.known_gap);
        results.targets.push_back(std::move(target));
    }
    results.targets_council = optional_attribute(observed.get(), "/observed_data", "council");
}

// The parameters: every variable of the posterior but its dimensions, and the same in the prior.
void read_parameters(hid_t root, CalibrationResults& results) {
    Handle posterior = open_group(root, "/", "posterior");
    Handle prior = open_group(root, "/", "prior");
    static const std::regex about("([A-Za-z_]+) prior; ?(.*)");
    for (const std::string& name : names_in_creation_order(posterior.get(), "/posterior")) {
        if (name == "chain" || name == "draw") continue;
        CalibrationParameter parameter;
        parameter.path = name;
        Variable draws = read_draws(posterior.get(), "/posterior", name);
        std::smatch match;
        if (std::regex_match(draws.description, match, about)) {
            parameter.prior_kind = match[1];
            parameter.why = match[2];
        } else {
            parameter.why = draws.description;
        }
        parameter.posterior = std::move(draws.values);
        parameter.prior = read_draws(prior.get(), "/prior", name).values;
        results.parameters.push_back(std::move(parameter));
    }
    if (results.parameters.empty()) throw std::runtime_error("/posterior holds no parameter");
}

// The priors as the set-up file gives them, where the file records them (constant_data's parameter).
void read_priors(hid_t root, CalibrationResults& results) {
    Handle constant = open_group(root, "/", "constant_data");
    if (has_link(constant.get(), "parameter")) {
        const std::vector<std::string> paths = read_strings(constant.get(), "/constant_data", "parameter");
        const auto column = [&](const char* name) {
            return read_column(constant.get(), "/constant_data", name, paths.size(), false);
        };
        const std::vector<double> first = column("prior_first"), second = column("prior_second"),
                                  low = column("prior_lower"), high = column("prior_upper");
        for (CalibrationParameter& parameter : results.parameters) {
            const auto at = std::find(paths.begin(), paths.end(), parameter.path);
            if (at == paths.end()) continue;
            const std::size_t p = static_cast<std::size_t>(at - paths.begin());
            parameter.first = first[p];
            parameter.second = second[p];
            parameter.lower = low[p];
            parameter.upper = high[p];
            const auto text = [&](const std::string& key) {
                return optional_attribute(constant.get(), "/constant_data", key + ":" + parameter.path);
            };
            if (const std::string kind = text("prior_distribution"); !kind.empty()) parameter.prior_kind = kind;
            parameter.first_name = text("prior_first");
            parameter.second_name = text("prior_second");
        }
    }
}

// How the calibration went, generation by generation.
void read_generations(hid_t root, CalibrationResults& results) {
    Handle history = open_group(root, "/", "abc_generations");
    const Variable tolerance = read_variable(history.get(), "/abc_generations", "tolerance");
    if (tolerance.shape.size() != 1) throw std::runtime_error("/abc_generations/tolerance is not 1-D");
    const std::size_t generations = tolerance.values.size();
    const auto column = [&](const char* name, bool required) {
        return read_column(history.get(), "/abc_generations", name, generations, required);
    };
    const std::vector<double> acceptance = column("acceptance_rate", true), ess = column("effective_sample_size", true),
                              simulations = column("simulations", true),
                              outside = column("proposals_outside_prior", false), wall = column("wall_seconds", false),
                              distinct = column("distinct_particles", false), moves = column("moves", false),
                              screened = column("proposals_screened", false);
    for (std::size_t g = 0; g < generations; ++g) {
        results.generations.push_back({tolerance.values[g], acceptance[g], ess[g], simulations[g], outside[g], wall[g],
                                       distinct[g], moves[g], screened[g]});
    }
}

// History matching's waves, if the calibration ran it (files without the group have none).
void read_waves(hid_t root, CalibrationResults& results) {
    if (!has_link(root, "history_matching_waves")) return;
    const std::string path = "/history_matching_waves";
    Handle group = open_group(root, "/", "history_matching_waves");
    const Variable volume = read_variable(group.get(), path, "volume");
    if (volume.shape.size() != 1) throw std::runtime_error(path + "/volume is not 1-D");
    const std::size_t waves = volume.values.size(), targets = results.targets.size();
    const auto column = [&](const char* name) { return read_column(group.get(), path, name, waves, false); };
    const std::vector<double> error = column("volume_standard_error"), points = column("points"),
                              simulations = column("simulations"), wall = column("wall_seconds");
    // The waves emulate the fitted figures only (their own target coordinate): each is placed at its figure in
    // the targets' order, and a figure shown but not fitted has none (NaN).
    std::vector<std::size_t> slot;
    if (has_link(group.get(), "target")) {
        for (const std::string& name : read_strings(group.get(), path, "target")) {
            const auto found = std::find_if(results.targets.begin(), results.targets.end(),
                                            [&](const CalibrationTarget& target) { return target.name == name; });
            if (found == results.targets.end())
                throw std::runtime_error(path + "/target names '" + name + "', which is not a published figure here");
            slot.push_back(static_cast<std::size_t>(found - results.targets.begin()));
        }
    } else {
        for (std::size_t k = 0; k < targets; ++k) slot.push_back(k);
    }
    const auto by_target = [&](const char* name) {
        std::vector<double> placed(waves * targets, kNaN);
        if (!has_link(group.get(), name)) return placed;
        Variable variable = read_variable(group.get(), path, name);
        if (variable.values.size() != waves * slot.size())
            throw std::runtime_error(path + "/" + name + " is not [wave, target]");
        for (std::size_t w = 0; w < waves; ++w)
            for (std::size_t k = 0; k < slot.size(); ++k)
                placed[w * targets + slot[k]] = variable.values[w * slot.size() + k];
        return placed;
    };
    const std::vector<double> loo = by_target("loo_within_2"), closest = by_target("closest");
    for (std::size_t w = 0; w < waves; ++w) {
        const auto row = [&](const std::vector<double>& values) {
            return std::vector<double>(values.begin() + static_cast<std::ptrdiff_t>(w * targets),
                                       values.begin() + static_cast<std::ptrdiff_t>((w + 1) * targets));
        };
        results.waves.push_back(
            {volume.values[w], error[w], points[w], simulations[w], wall[w], row(loo), row(closest)});
    }
    results.history_matching_stop = optional_attribute(group.get(), path, "stop_reason");
    results.history_matching_rule = optional_attribute(group.get(), path, "implausibility");
    if (const std::string cutoff = optional_attribute(group.get(), path, "cutoff"); !cutoff.empty())
        results.history_matching_cutoff = std::stod(cutoff);
    for (std::size_t w = 1;; ++w) {
        const std::string warning = optional_attribute(group.get(), path, "warning_" + std::to_string(w));
        if (warning.empty()) break;
        results.history_matching_warnings.push_back(warning);
    }
}

}  // namespace

CalibrationResults read_calibration_results(const std::string& path) {
    try {
        const QuietErrors quiet;
        Handle file = open_for_reading(path);
        const hid_t root = file.get();
        check_calibration_format(root);
        CalibrationResults results;
        results.path = path;
        results.attributes = root_attributes(root);
        const std::string resolved = results.attribute("scenario_resolved");
        results.scenario_name = yaml_key(resolved, "name");
        results.council = yaml_key(resolved, "council");
        read_targets(root, results);
        read_parameters(root, results);
        read_priors(root, results);
        read_generations(root, results);
        read_waves(root, results);
        return results;
    } catch (const std::exception& error) {
        throw std::runtime_error(path + ": " + error.what());
    }
}

}  // namespace ehsim::output
