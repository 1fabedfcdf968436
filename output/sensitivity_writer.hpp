// Writes a sensitivity study (`ehsim sensitivity`) to HDF5: the inputs with their ranges, the outputs (published
// figures) with the replication noise of their means, Morris's mu, mu* and sigma and Sobol's first-order and total
// indices with their bootstrap intervals, [input, output] each. Layout: docs/output-format.md ("Sensitivity
// files"). Written atomically, like every results file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ehsim::output {

struct SensitivityRecord {
    std::string setup_file, scenario_file, targets_file, version;
    std::uint64_t seed = 0, replications = 0;
    std::vector<std::string> inputs;
    std::vector<double> input_lower, input_upper;
    std::vector<std::string> outputs, indicators;
    std::vector<double> replication_noise;  // per output
    std::vector<std::string> negligible;
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

}  // namespace ehsim::output
