// Which of a calibration set-up's uncertain parameters matter for which published figure (`ehsim sensitivity`):
// Morris screening and Sobol' indices over the parameters' prior ranges, for the mean of each figure's model
// counterpart over replications run on common random numbers (every design point uses the same replication
// streams, so a difference between points is the parameters', not the families' luck).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibration/calibration_files.hpp"
#include "sim/calibration/sensitivity.hpp"
#include "sim/experiment/design_shards.hpp"

namespace ehsim::experiment {

struct SensitivitySettings {
    bool morris = true, sobol = false;
    std::size_t trajectories = 20;       // Morris r
    unsigned levels = 4;                 // Morris p
    std::size_t base_samples = 64;       // Sobol' N: N (k + 2) design points
    std::size_t bootstrap = 1000;        // Sobol' resamples
    std::uint64_t replications = 4;      // per design point, averaged
    std::uint64_t seed = 1;              // of the designs and the replications' streams
    double negligible_threshold = 0.05;  // Morris: mu* over the largest; Sobol': the total index's upper bound
    unsigned threads = 1;
    // With an option file (one `ehsim compare` takes, extending the set-up's scenario), its paired effect on each
    // indicator in each year is an output too (option_effects.hpp: empty lists give its defaults).
    std::string option_file;
    std::vector<std::string> effect_indicators, effect_years;
    // A job array without MPI (design_shards.hpp): evaluate only a shard of the design's points into its file (no
    // indices), or take every point from the shards and go on as one process would. Its identity is set here.
    DesignShardRequest design_shards;
};

struct SensitivityStudy {
    std::string setup_file, scenario_file, targets_file;
    std::vector<std::string> inputs;   // parameter paths
    std::vector<std::string> why;      // the set-up's reason each is uncertain ("" when it gives none)
    std::vector<double> lower, upper;  // their ranges: a uniform prior's bounds, else its 0.1% and 99.9% quantiles
    // Every output: the targets' figures, then the option's effects (indicator by indicator, year by year).
    std::vector<std::string> outputs, indicators;  // names and indicators
    std::vector<std::string> periods;              // a figure's months ("2016-04 to 2017-03"), an effect's year
    std::vector<bool> is_effect;                   // an option's paired effect, not a published figure's counterpart
    std::vector<double> replication_noise;         // per output: the standard error of a point's mean, averaged
    std::optional<calibration::MorrisResult> morris;
    std::optional<calibration::SobolResult> sobol;
    std::vector<std::string> negligible;  // inputs that matter for no output, by every method run
    std::vector<bool> negligible_for;     // [input][output]: the input matters little for it, by every method run
    std::string option_name;              // with an option: its name and its changes in words
    std::vector<std::string> option_changes;
    SensitivitySettings settings;
    // A shard's run: its design points went to its file; there are no indices.
    bool shard_only = false;
    std::uint64_t design_points = 0, shard_first = 0, shard_end = 0;
};

// Loads the set-up and any option (throws scenario::ScenarioError naming file, line and key, and
// std::invalid_argument for an unknown effect indicator or year) before running the methods asked for.
// The result depends on the settings' seed, never on the thread count.
SensitivityStudy run_sensitivity(const std::string& setup_file, const SensitivitySettings& settings);

}  // namespace ehsim::experiment
