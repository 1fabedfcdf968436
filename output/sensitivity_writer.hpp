// Writes a sensitivity study (`ehsim sensitivity`) to HDF5, and reads it back for its report: the inputs with their
// ranges, the outputs (published figures) with the replication noise of their means, Morris's mu, mu* and sigma and
// Sobol's first-order and total indices with their bootstrap intervals, [input, output] each. Layout:
// docs/output-format.md ("Sensitivity files"). Written atomically, like every results file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ehsim::output {

// The outputs are the published figures' model counterparts and, with an option, its paired effect on indicators
// in reported years (option minus baseline on the same replications' streams).
inline constexpr const char* kFigureOutput = "published figure";
inline constexpr const char* kEffectOutput = "option effect";

struct SensitivityRecord {
    std::string setup_file, scenario_file, targets_file, version;
    std::uint64_t seed = 0, replications = 0;
    std::vector<std::string> inputs;
    std::vector<std::string> input_why;  // the set-up's reason each is uncertain ("" when not given)
    std::vector<double> input_lower, input_upper;
    std::vector<std::string> outputs, indicators;
    std::vector<std::string> output_periods;  // a figure's months, an effect's reported year
    std::vector<std::string> output_kinds;    // kFigureOutput or kEffectOutput
    std::vector<double> replication_noise;    // per output
    std::vector<std::string> negligible;      // inputs that matter for no output
    double negligible_threshold = 0.05;
    std::vector<double> negligible_for;    // [input][output]: 1 where the input matters little for the output, else 0
    std::string option_file, option_name;  // empty without an option
    std::vector<std::string> option_changes;  // in words
    bool has_morris = false;
    std::uint64_t trajectories = 0, levels = 0;
    std::vector<double> mu, mu_star, sigma;  // [input][output], row-major
    bool has_sobol = false;
    std::uint64_t base_samples = 0, evaluations = 0;
    double confidence = 0.9;
    std::vector<double> first, first_lower, first_upper, total, total_lower, total_upper;  // [input][output]
    std::vector<double> output_variance;                                                   // per output
};

// Throws std::runtime_error (one line) when the file cannot be written; `path` is then untouched.
void write_sensitivity_hdf5(const SensitivityRecord& record, const std::string& path);

// Reads a file of write_sensitivity_hdf5 back. Throws std::runtime_error with one line "<path>: <problem>" when it
// is missing, not HDF5, not an ehsim sensitivity file, or lacks or misshapes what it should hold.
SensitivityRecord read_sensitivity_hdf5(const std::string& path);

}  // namespace ehsim::output
