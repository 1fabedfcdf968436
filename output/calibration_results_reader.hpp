// Reads back what a calibration report shows from the file of `ehsim calibrate` (ArviZ InferenceData in HDF5,
// root attribute format "ehsim-calibration"; written by sim/experiment/calibration_results.cpp through
// output/inference_data_writer.hpp, laid out as docs/output-format.md describes): the published figures with
// the posterior-predictive draws, the parameters' prior and posterior draws, each generation's diagnostics and
// the provenance. This header does not expose HDF5 itself.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace ehsim::output {

// One published figure (a target) and the model's posterior-predictive draws of it. What the file records of
// the figure is read from observed_data's attributes "<key>:<name>"; files written before ehsim recorded them
// give what the variables' descriptions say instead.
struct CalibrationTarget {
    std::string name;  // constant_data/target, in the file's order
    // The targets file's kind: count, proportion, rate_per_10000, range or difference ("" when not recorded).
    std::string kind;
    std::string indicator;  // indicator:<name>, or from posterior_predictive/<name>'s description
                            // "<indicator> from <from> to <to>"
    std::string from, to;   // "YYYY-MM" (from:<name>, to:<name>, or that description; empty when neither)
    std::string compared_with_from, compared_with_to;  // a difference: the earlier period ("" when not recorded)
    // Where the figure was published: source:<name>, or observed_data/<name>'s description.
    std::string source;
    std::string not_fitted;  // not_fitted:<name>: why the figure is shown but was not fitted ("" when fitted)
    std::string known_gap;   // known_gap:<name>: what the model lacks for the figure ("" when the file says nothing)
    double observed;         // observed_data/<name>: the published value (a range's midpoint)
    double lower, upper;     // constant_data/lower, upper: equal to `observed` unless the figure is a range
    double error_sd;         // constant_data/error_sd: sampling error and discrepancy (NaN if the file has none)
    double distance_scale;   // constant_data/distance_scale (NaN if the file has none)
    std::vector<double> predictive;  // posterior_predictive/<name>, every chain's draws in turn

    bool range() const { return lower < upper; }
};

// One uncertain parameter: its scenario path, its prior as the set-up file gives it, and its draws from the
// prior and the equal-weight posterior.
struct CalibrationParameter {
    std::string path;  // the variable's name: a number of the resolved scenario
    // uniform, log_uniform, normal, beta or gamma: constant_data's attribute prior_distribution:<path>, or from
    // the description "<kind> prior; <why>" (empty if neither)
    std::string prior_kind;
    std::string why;  // the rest of that description
    // The prior's two numbers and what they mean (constant_data/prior_first, prior_second and the attributes
    // prior_first:<path>, prior_second:<path>, e.g. "mean" and "sd"): NaN and "" for uniform and log_uniform.
    double first = std::numeric_limits<double>::quiet_NaN(), second = std::numeric_limits<double>::quiet_NaN();
    std::string first_name, second_name;
    // The prior's bounds (constant_data/prior_lower, prior_upper; -inf or inf when unbounded): NaN when the
    // file does not record them.
    double lower = std::numeric_limits<double>::quiet_NaN(), upper = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> prior;      // prior/<path>
    std::vector<double> posterior;  // posterior/<path>
};

// One generation of ABC-SMC (abc_generations); NaN where the file lacks a column.
struct CalibrationGeneration {
    double tolerance, acceptance_rate, effective_sample_size, simulations, proposals_outside_prior, wall_seconds;
    double distinct_particles, moves;  // different parameter sets; mcmc_moves' steps per copy
    double proposals_screened;         // delayed acceptance: steps the emulators refused (not simulated)
};

// One wave of history matching (history_matching_waves), when the calibration ran it.
struct CalibrationWave {
    double volume, volume_standard_error, points, simulations, wall_seconds;
    std::vector<double> loo_within_2, closest;  // per target, in the targets' order
};

struct CalibrationResults {
    std::string path;
    // Every root attribute, in the file's order (provenance: ehsim_version, git_commit, created_utc, seed,
    // particles, stop_reason, total_simulations, setup_file, setup_fnv1a64, scenario_file, ...).
    std::vector<std::pair<std::string, std::string>> attributes;
    std::string scenario_name, council;  // from the root attribute scenario_resolved (empty if absent)
    std::string targets_council;         // the targets file's council: observed_data's attribute council
    std::vector<CalibrationTarget> targets;
    std::vector<CalibrationParameter> parameters;  // in the order of posterior's variables
    std::vector<CalibrationGeneration> generations;
    // History matching before ABC-SMC: empty when the calibration did not run it.
    std::vector<CalibrationWave> waves;
    std::string history_matching_stop, history_matching_rule;
    double history_matching_cutoff = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::string> history_matching_warnings;

    // A root attribute's value, or "" when the file does not have it.
    std::string attribute(const std::string& name) const;
};

// Throws std::runtime_error with one line "<path>: <problem>" when the file is missing, is not HDF5, is not an
// ehsim calibration file (naming what it is instead, e.g. the results of ehsim run), or lacks or misshapes a
// group or variable the report needs (posterior, prior, posterior_predictive, observed_data, constant_data,
// abc_generations).
CalibrationResults read_calibration_results(const std::string& path);

}  // namespace ehsim::output
