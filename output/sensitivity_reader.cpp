// The reading half of sensitivity_writer.hpp: a sensitivity file back into its record, for the report.
#include <stdexcept>

#include "output/hdf5_internal.hpp"
#include "output/sensitivity_writer.hpp"

namespace ehsim::output {

using namespace hdf5_internal;

namespace {

// Strings that files written before a dataset existed lack: `fallback` for each of `count`.
std::vector<std::string> strings_or(hid_t root, const char* name, std::size_t count, const std::string& fallback) {
    if (!has_link(root, name)) return std::vector<std::string>(count, fallback);
    std::vector<std::string> values = read_strings(root, "/", name);
    if (values.size() != count)
        throw std::runtime_error("/" + std::string(name) + " has " + std::to_string(values.size()) + " values, not " +
                                 std::to_string(count));
    return values;
}

void read_morris(hid_t root, SensitivityRecord& record) {
    const hsize_t k = record.inputs.size(), m = record.outputs.size();
    record.has_morris = has_link(root, "morris");
    if (!record.has_morris) return;
    Handle group = open_group(root, "/", "morris");
    record.trajectories = read_u64_attribute(group.get(), "/morris", "trajectories");
    record.levels = read_u64_attribute(group.get(), "/morris", "levels");
    record.mu = read_doubles(group.get(), "/morris", "mu", {k, m});
    record.mu_star = read_doubles(group.get(), "/morris", "mu_star", {k, m});
    record.sigma = read_doubles(group.get(), "/morris", "sigma", {k, m});
}

void read_sobol(hid_t root, SensitivityRecord& record) {
    const hsize_t k = record.inputs.size(), m = record.outputs.size();
    record.has_sobol = has_link(root, "sobol");
    if (!record.has_sobol) return;
    Handle group = open_group(root, "/", "sobol");
    record.base_samples = read_u64_attribute(group.get(), "/sobol", "base_samples");
    record.evaluations = read_u64_attribute(group.get(), "/sobol", "evaluations");
    record.confidence = read_double_attribute(group.get(), "/sobol", "confidence");
    for (const auto& [name, values] :
         {std::pair{"first_order", &record.first}, std::pair{"first_order_lower", &record.first_lower},
          std::pair{"first_order_upper", &record.first_upper}, std::pair{"total", &record.total},
          std::pair{"total_lower", &record.total_lower}, std::pair{"total_upper", &record.total_upper}})
        *values = read_doubles(group.get(), "/sobol", name, {k, m});
    record.output_variance = read_doubles(group.get(), "/sobol", "variance", {m});
}

}  // namespace

SensitivityRecord read_sensitivity_hdf5(const std::string& path) {
    try {
        const QuietErrors quiet;
        Handle file = open_for_reading(path);
        const hid_t root = file.get();
        const std::string format =
            has_attribute(root, "format") ? read_string_attribute(root, "/", "format") : std::string();
        if (format != "ehsim-sensitivity")
            throw std::runtime_error(
                "not a sensitivity file (format 'ehsim-sensitivity', written by ehsim "
                "sensitivity)");
        SensitivityRecord record;
        record.version = read_string_attribute(root, "/", "ehsim_version");
        record.setup_file = read_string_attribute(root, "/", "setup_file");
        record.scenario_file = read_string_attribute(root, "/", "scenario_file");
        record.targets_file = read_string_attribute(root, "/", "targets_file");
        record.seed = read_u64_attribute(root, "/", "seed");
        record.replications = read_u64_attribute(root, "/", "replications");
        if (has_attribute(root, "negligible_threshold"))
            record.negligible_threshold = read_double_attribute(root, "/", "negligible_threshold");
        if (has_attribute(root, "option_file")) {
            record.option_file = read_string_attribute(root, "/", "option_file");
            record.option_name = read_string_attribute(root, "/", "option_name");
            record.option_changes = read_strings(root, "/", "option_changes");
        }
        record.inputs = read_strings(root, "/", "inputs");
        record.outputs = read_strings(root, "/", "outputs");
        const hsize_t k = record.inputs.size(), m = record.outputs.size();
        record.input_why = strings_or(root, "input_why", k, "");
        record.input_lower = read_doubles(root, "/", "input_lower", {k});
        record.input_upper = read_doubles(root, "/", "input_upper", {k});
        record.indicators = strings_or(root, "indicators", m, "");
        record.output_periods = strings_or(root, "output_periods", m, "");
        record.output_kinds = strings_or(root, "output_kinds", m, kFigureOutput);
        record.replication_noise = read_doubles(root, "/", "replication_noise", {m});
        record.negligible = read_strings(root, "/", "negligible_inputs");
        record.negligible_for = has_link(root, "negligible") ? read_doubles(root, "/", "negligible", {k, m})
                                                             : std::vector<double>(k * m, 0.0);
        read_morris(root, record);
        read_sobol(root, record);
        return record;
    } catch (const std::exception& error) {
        throw std::runtime_error(path + ": " + error.what());
    }
}

}  // namespace ehsim::output
