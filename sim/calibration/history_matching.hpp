// History matching in waves over any simulator (Vernon et al. 2010; Andrianakis et al. 2015 for stochastic
// models): each wave runs a space-filling design inside the space the earlier waves left, emulates every
// figure's mean with a Gaussian process, and cuts the inputs whose implausibility exceeds the cut-off. What is
// left is where ABC-SMC then looks (AbcSettings::support). Knows nothing of families.
//
// Coordinates: the parameters move in the same working coordinates as ABC-SMC's particles (the logarithm for
// a log-uniform prior, the value itself otherwise), so the emulators see a log-uniform input evenly spread.
//
// Deterministic: the designs come from the seed's streams, run i of wave w is simulated on its own streams
// keyed (w, i), and the emulators are fitted in a fixed order; the thread count changes nothing.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/design.hpp"
#include "sim/calibration/emulator.hpp"
#include "sim/calibration/implausibility.hpp"
#include "sim/calibration/priors.hpp"

namespace ehsim::calibration {

struct HistoryMatchingSettings {
    std::size_t points_per_wave = 0;  // 0: ten per parameter (Loeppky et al. 2009's rule of thumb)
    std::size_t replications = 2;     // runs per design point: their mean is emulated, their spread measured
    double cutoff = 3;                // Pukelsheim's three-sigma rule
    ImplausibilityRule rule = ImplausibilityRule::second_largest;
    std::size_t maximum_waves = 5;
    // Stop when a wave shrinks the non-implausible volume by less than this share of what was left.
    double minimum_volume_reduction = 0.1;
    // Or when, inside the space left, every figure's emulator variance is below this share of the other
    // variances (observation, discrepancy, the model's own run-to-run spread): a new wave could not sharpen it.
    double emulator_variance_ratio = 0.1;
    std::size_t volume_samples = 20000;  // Monte Carlo points for each wave's remaining volume
    Correlation correlation = Correlation::matern52;
    std::uint64_t seed = 1;
    unsigned threads = 1;
    // A shard of a job array (the first wave's design is fixed before anything runs): run wave 1's design runs,
    // return them in first_wave_runs, and stop there.
    bool first_wave_runs_only = false;
};

// One figure as history matching reads it: a value or a range (a range's spread counts as a uniform
// error), the variance of its observation error, and the model discrepancy's variance.
struct MatchedFigure {
    double lower = 0, upper = 0;
    double observation_variance = 0, discrepancy_variance = 0;
};

// The simulated figures of one run at natural parameter values; (wave, run) key its random streams. NaN: the
// run gives no value for that figure (the point is left out of that figure's emulator).
using WaveSimulator =
    std::function<std::vector<double>(const std::vector<double>& parameters, std::uint64_t wave, std::uint64_t run)>;

struct WaveRecord {
    Eigen::MatrixXd design;             // points x parameters, natural values
    Eigen::MatrixXd means;              // points x figures: the mean over the point's runs (NaN: no value)
    Eigen::VectorXd run_variance;       // per figure: the pooled variance of one run about its point's mean
    Eigen::MatrixXd loo_errors;         // points x figures: leave-one-out standardised errors (NaN: left out)
    Eigen::VectorXd loo_within_2;       // per figure: the share of |error| <= 2
    Eigen::VectorXd emulator_variance;  // per figure: the median emulator variance over the space left
    Eigen::VectorXd other_variance;     // per figure: observation + discrepancy + run-to-run variance
    // Per figure: the closest any design point's mean came to the observed value, in sd of the other
    // variances (the emulator's aside). Above the cut-off: no run of this wave met the figure.
    Eigen::VectorXd closest;
    double volume = 1, volume_standard_error = 0;  // the share of the prior box left after this wave
    std::uint64_t simulations = 0;
    double wall_seconds = 0;
    double simulation_seconds = 0, emulation_seconds = 0;  // of which: running the design; fitting the emulators
};

struct HistoryMatchingResult {
    HistoryMatchingSettings settings;  // as run (the points per wave resolved)
    std::vector<WaveRecord> waves;
    std::string stop_reason;
    std::uint64_t simulations = 0;
    std::vector<std::string> warnings;  // e.g. a wave that left no point: the wave before stands
    // Whether natural parameter values lie in the space left (inside the priors' box and no wave cuts them).
    // Shares its emulators: copies are cheap, and it is safe to call from several threads.
    std::function<bool(const std::vector<double>&)> contains;
    // The same for many parameter sets at once (one per row): cheaper per set, because the emulators predict
    // them together.
    std::function<std::vector<bool>(const Eigen::MatrixXd&)> contains_all;
    // A box (natural values) holding the space left: the last wave's non-implausible points' bounding box with a
    // margin, or the priors' box. For AbcSettings::support_lower and support_upper.
    std::vector<double> box_lower, box_upper;
    // The last wave's emulators read as a prediction of one run (AbcSettings::surrogate): per figure, the emulated
    // mean and its variance plus the wave's run-to-run variance. Safe to call from several threads.
    RunSurrogate predict_runs;
    // What decides the space left, for a checkpoint's fingerprint.
    std::uint64_t fingerprint = 0;
    // With first_wave_runs_only: every run of wave 1's design (point by point, replication by replication).
    std::vector<std::vector<double>> first_wave_runs;
};

// The design points of each wave: the settings' own, or ten per parameter.
std::size_t points_per_wave(const HistoryMatchingSettings& settings, std::size_t parameters);

struct HistoryMatchingResult;
struct HistoryMatchingProgress {
    std::function<void(std::size_t wave, const WaveRecord&)> wave_done;
    std::function<void(const HistoryMatchingResult&)> finished;
};

// The priors' box in working coordinates: a uniform or log-uniform prior's bounds; otherwise its 0.1% and
// 99.9% quantiles (the last 0.2% of a prior's mass is not worth a wave's design points).
Box working_box(const std::vector<Prior>& priors);

// Throws std::invalid_argument for settings that cannot work (fewer design points than the emulators'
// mean function needs, a cut-off that is not positive, a figure with an empty range, ...).
HistoryMatchingResult history_match(const std::vector<Prior>& priors, const std::vector<MatchedFigure>& figures,
                                    const WaveSimulator& simulator, const HistoryMatchingSettings& settings,
                                    const HistoryMatchingProgress& progress = {});

}  // namespace ehsim::calibration
