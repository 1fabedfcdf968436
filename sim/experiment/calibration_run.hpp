// A calibration of a scenario's uncertain parameters to a council's published figures (`ehsim calibrate`):
// ABC-SMC, an equal-weight resample of its posterior and fresh posterior-predictive runs of it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/calibration_files.hpp"
#include "sim/calibration/model_calibration.hpp"
#include "sim/experiment/design_shards.hpp"
#include "sim/kernel/random_streams.hpp"

namespace ehsim::experiment {

// What the command line may set over the set-up file's algorithm.
struct CalibrationOverrides {
    unsigned threads = 1;
    std::optional<std::size_t> particles;
    std::optional<double> budget_minutes;
    std::string checkpoint_file;
    std::optional<bool> history_match;  // --history-match / --no-history-match over the set-up file
};

// What a calibration reports as it goes.
struct CalibrationProgress {
    calibration::HistoryMatchingProgress history_matching;
    calibration::AbcProgress abc;
};

struct CalibrationOutcome {
    std::optional<calibration::HistoryMatchingResult> history_matching;  // when ABC-SMC started inside its space
    calibration::AbcResult result;
    std::vector<std::size_t> chosen;             // the particles of the equal-weight resample, shuffled
    std::vector<std::vector<double>> predicted;  // [run][figure]: posterior-predictive, with discrepancy
    std::vector<double> resampled(std::size_t parameter) const;  // the parameter's value in each draw
    // A shard's run (design_shards.hpp): its runs of history matching's first wave went to its file, nothing else ran.
    bool shard_only = false;
    std::uint64_t design_runs = 0, shard_first = 0, shard_end = 0;
};

class Calibration {
public:
    // Loads the set-up file, its scenario and its targets file. Throws scenario::ScenarioError naming the
    // file, line and key (a parameter path that is not a number of the scenario, a figure outside its
    // reported years, ...).
    explicit Calibration(const std::string& setup_file);
    // The same set-up fitted to other values of its figures (synthetic data: calibration::synthetic_targets)
    // with another seed for everything random (the set-up's, history matching's and the simulations').
    Calibration(const std::string& setup_file, calibration::TargetsFile targets, std::uint64_t seed);

    const calibration::CalibrationSetup& setup() const { return setup_; }
    const std::string& setup_file() const { return setup_file_; }
    const model::Scenario& scenario() const { return scenario_; }
    const calibration::TargetsFile& targets() const { return targets_; }
    const calibration::ModelCalibration& model() const { return model_; }
    // The scenario's own value of each uncertain parameter, in the set-up's order.
    std::vector<double> scenario_values() const;

    // The set-up file's algorithm with `overrides`, salted with what else decides the result, so that a
    // checkpoint of another scenario, other parameter paths or other figures is never resumed.
    calibration::AbcSettings settings(const CalibrationOverrides& overrides) const;
    // Throws std::invalid_argument when ABC-SMC refuses these settings with this set-up's priors and figures
    // (run() would throw the same, but only after the caller has said it is starting).
    void check(const calibration::AbcSettings& settings) const;

    // History matching's settings, if it runs: the set-up file's section, or its defaults when the command
    // line asks for it; none when the command line says not to.
    std::optional<calibration::HistoryMatchingSettings> history_matching(const CalibrationOverrides& overrides) const;

    // Runs history matching when `history_matching` is given, then ABC-SMC inside the space it leaves (from the
    // checkpoint with `resume`; the result is the same), then `predictive_runs` runs of the posterior's first
    // draws. The outcome depends on the set-up's seed, never on the thread count.
    CalibrationOutcome run(const calibration::AbcSettings& settings,
                           const std::optional<calibration::HistoryMatchingSettings>& history_matching, bool resume,
                           std::size_t predictive_runs, const CalibrationProgress& progress = {},
                           const DesignShardRequest& design_shards = {}) const;

private:
    std::string first_wave_identity(const calibration::HistoryMatchingSettings& matching,
                                    const calibration::AbcSettings& settings) const;

    std::string setup_file_;
    calibration::CalibrationSetup setup_;
    model::Scenario scenario_;
    calibration::TargetsFile targets_;
    calibration::ModelCalibration model_;
};

// What a council would publish if the model were right: each run's figure plus a draw of the figure's
// discrepancy allowance (the run's own randomness is the sampling error already). `predicted` is [run][figure].
void add_discrepancy(std::vector<std::vector<double>>& predicted, const calibration::TargetsFile& targets,
                     const kernel::RandomStreams& streams);

// How a scenario (or option), with parameters drawn from a posterior or its own, reproduces a targets file's
// figures that a calibration did not see: a held-out check (`ehsim calibrate --predict`).
struct Prediction {
    calibration::TargetsFile targets;
    std::vector<std::vector<double>> predicted;  // [replication][figure], with discrepancy
    bool drawn = false;                          // the parameters were drawn from a posterior
};
// Throws scenario::ScenarioError when the scenario's reported months end before the figures need.
Prediction predict(const std::string& targets_file, const std::string& scenario_file, const std::string& posterior_file,
                   std::uint64_t replications, std::uint64_t seed, unsigned threads);

// One figure against the model's median and 90% interval.
struct FigureFit {
    double low, median, high;
    bool inside;  // the published value (or range) meets the interval
};
std::vector<FigureFit> figure_fits(const calibration::TargetsFile& targets,
                                   const std::vector<std::vector<double>>& predicted);

}  // namespace ehsim::experiment
