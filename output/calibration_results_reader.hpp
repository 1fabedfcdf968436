// Reads back what a calibration report shows from the file of `ehsim calibrate` (ArviZ InferenceData in HDF5,
// root attribute format "ehsim-calibration"; written by sim/cli/calibrate_command.cpp through
// output/inference_data_writer.hpp, laid out as docs/output-format.md describes): the published figures with
// the posterior-predictive draws, the parameters' prior and posterior draws, each generation's diagnostics and
// the provenance. This header does not expose HDF5 itself.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ehsim::output {

// One published figure (a target) and the model's posterior-predictive draws of it.
struct CalibrationTarget {
    std::string name;       // constant_data/target, in the file's order
    std::string indicator;  // from posterior_predictive/<name>'s description "<indicator> from <from> to <to>"
    std::string from, to;   // "YYYY-MM"; empty when the description is not of that form
    std::string source;     // observed_data/<name>'s description: where the figure was published
    double observed;        // observed_data/<name>: the published value (a range's midpoint)
    double lower, upper;    // constant_data/lower, upper: equal to `observed` unless the figure is a range
    double error_sd;        // constant_data/error_sd: sampling error and discrepancy (NaN if the file has none)
    double distance_scale;  // constant_data/distance_scale (NaN if the file has none)
    std::vector<double> predictive;  // posterior_predictive/<name>, every chain's draws in turn

    bool range() const { return lower < upper; }
};

// One uncertain parameter: its scenario path, and its draws from the prior and the equal-weight posterior.
struct CalibrationParameter {
    std::string path;               // the variable's name: a number of the resolved scenario
    std::string prior_kind;         // from the description "<kind> prior; <why>" (empty if not of that form)
    std::string why;                // the rest of that description
    std::vector<double> prior;      // prior/<path>
    std::vector<double> posterior;  // posterior/<path>
};

// One generation of ABC-SMC (abc_generations); NaN where the file lacks a column.
struct CalibrationGeneration {
    double tolerance, acceptance_rate, effective_sample_size, simulations, proposals_outside_prior, wall_seconds;
};

struct CalibrationResults {
    std::string path;
    // Every root attribute, in the file's order (provenance: ehsim_version, git_commit, created_utc, seed,
    // particles, stop_reason, total_simulations, setup_file, setup_fnv1a64, scenario_file, ...).
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string scenario_name, council;  // from the root attribute scenario_resolved (empty if absent)
    std::vector<CalibrationTarget> targets;
    std::vector<CalibrationParameter> parameters;  // in the order of posterior's variables
    std::vector<CalibrationGeneration> generations;

    // A root attribute's value, or "" when the file does not have it.
    std::string attribute(const std::string& name) const;
};

// Throws std::runtime_error with one line "<path>: <problem>" when the file is missing, is not HDF5, is not an
// ehsim calibration file (naming what it is instead, e.g. the results of ehsim run), or lacks or misshapes a
// group or variable the report needs (posterior, prior, posterior_predictive, observed_data, constant_data,
// abc_generations).
CalibrationResults read_calibration_results(const std::string& path);

}  // namespace ehsim::output
