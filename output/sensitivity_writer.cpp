#include "output/sensitivity_writer.hpp"

#include <stdexcept>

#include "output/hdf5_internal.hpp"

namespace ehsim::output {

using namespace hdf5_internal;

namespace {

// A float64 dataset of shape [input, output] with a description.
void matrix(Writer& writer, hid_t group, const std::string& path, const char* name, const std::vector<double>& values,
            std::size_t inputs, std::size_t outputs, const char* description) {
    const std::string where = child_path(path, name);
    check_value_count(where, values.size(), {inputs, outputs}, {"input", "output"});
    Handle dataset = writer.create_dataset(group, path, name, H5T_IEEE_F64LE, {inputs, outputs}, false);
    Writer::write_doubles(dataset.get(), where, values);
    writer.string_attribute(dataset.get(), where, "description", description);
    dataset.close("writing " + where);
}

void write_morris(Writer& writer, hid_t root, const SensitivityRecord& record) {
    const std::size_t k = record.inputs.size(), m = record.outputs.size();
    Handle group = create_group(root, "/", "morris");
    writer.number_attribute(group.get(), "/morris", "trajectories", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                            record.trajectories);
    writer.number_attribute(group.get(), "/morris", "levels", H5T_STD_U64LE, H5T_NATIVE_UINT64, record.levels);
    matrix(writer, group.get(), "/morris", "mu", record.mu, k, m, "mean elementary effect over the input's range");
    matrix(writer, group.get(), "/morris", "mu_star", record.mu_star, k, m,
           "mean absolute elementary effect over the input's range (screening: importance)");
    matrix(writer, group.get(), "/morris", "sigma", record.sigma, k, m,
           "standard deviation of the elementary effects (non-linearity and interactions)");
    group.close("writing /morris");
}

void write_sobol(Writer& writer, hid_t root, const SensitivityRecord& record) {
    const std::size_t k = record.inputs.size(), m = record.outputs.size();
    Handle group = create_group(root, "/", "sobol");
    writer.number_attribute(group.get(), "/sobol", "base_samples", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                            record.base_samples);
    writer.number_attribute(group.get(), "/sobol", "evaluations", H5T_STD_U64LE, H5T_NATIVE_UINT64, record.evaluations);
    writer.number_attribute(group.get(), "/sobol", "confidence", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, record.confidence);
    const struct {
        const char* name;
        const std::vector<double>& values;
        const char* description;
    } parts[] = {
        {"first_order", record.first, "first-order index (Saltelli 2010's estimator)"},
        {"first_order_lower", record.first_lower, "lower end of its bootstrap percentile interval"},
        {"first_order_upper", record.first_upper, "upper end of its bootstrap percentile interval"},
        {"total", record.total, "total index (Jansen's estimator)"},
        {"total_lower", record.total_lower, "lower end of its bootstrap percentile interval"},
        {"total_upper", record.total_upper, "upper end of its bootstrap percentile interval"},
    };
    for (const auto& part : parts)
        matrix(writer, group.get(), "/sobol", part.name, part.values, k, m, part.description);
    writer.double_array(group.get(), "/sobol", "variance", record.output_variance,
                        "variance of each output's mean over the design");
    group.close("writing /sobol");
}

}  // namespace

void write_sensitivity_hdf5(const SensitivityRecord& record, const std::string& path) {
    const std::size_t k = record.inputs.size(), m = record.outputs.size();
    if (record.input_lower.size() != k || record.input_upper.size() != k || record.input_why.size() != k ||
        record.replication_noise.size() != m || record.indicators.size() != m || record.output_periods.size() != m ||
        record.output_kinds.size() != m)
        throw std::invalid_argument("sensitivity record: inputs or outputs of different lengths");
    write_atomically(path, [&](Writer& writer, hid_t root) {
        writer.string_attribute(root, "/", "format", "ehsim-sensitivity");
        writer.string_attribute(root, "/", "ehsim_version", record.version);
        writer.string_attribute(root, "/", "setup_file", record.setup_file);
        writer.string_attribute(root, "/", "scenario_file", record.scenario_file);
        writer.string_attribute(root, "/", "targets_file", record.targets_file);
        writer.number_attribute(root, "/", "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, record.seed);
        writer.number_attribute(root, "/", "replications", H5T_STD_U64LE, H5T_NATIVE_UINT64, record.replications);
        writer.number_attribute(root, "/", "negligible_threshold", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                                record.negligible_threshold);
        if (!record.option_file.empty()) {
            writer.string_attribute(root, "/", "option_file", record.option_file);
            writer.string_attribute(root, "/", "option_name", record.option_name);
            writer.string_array(root, "/", "option_changes", record.option_changes,
                                "what the option changes, in words");
        }
        writer.string_array(root, "/", "inputs", record.inputs, "the set-up's uncertain parameters (scenario paths)");
        writer.string_array(root, "/", "input_why", record.input_why, "why the set-up says each is uncertain");
        writer.double_array(root, "/", "input_lower", record.input_lower, "the lower end of each input's range");
        writer.double_array(root, "/", "input_upper", record.input_upper, "the upper end of each input's range");
        writer.string_array(root, "/", "outputs", record.outputs,
                            "the targets file's figures (target names), then an option's effects");
        writer.string_array(root, "/", "indicators", record.indicators, "each output's indicator");
        writer.string_array(root, "/", "output_periods", record.output_periods,
                            "a figure's months, or the reported year of an option's effect");
        writer.string_array(root, "/", "output_kinds", record.output_kinds,
                            "published figure (its model counterpart) or option effect (option minus baseline)");
        writer.double_array(root, "/", "replication_noise", record.replication_noise,
                            "standard error of a design point's mean over its replications, averaged over points");
        writer.string_array(root, "/", "negligible_inputs", record.negligible,
                            "inputs that matter for no output by every method run");
        matrix(writer, root, "/", "negligible", record.negligible_for, k, m,
               "1 where the input matters little for the output by every method run (negligible_threshold), else 0");
        if (record.has_morris) write_morris(writer, root, record);
        if (record.has_sobol) write_sobol(writer, root, record);
    });
}

}  // namespace ehsim::output
