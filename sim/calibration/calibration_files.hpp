// The files of a calibration: a targets file (published figures of one council and period) and a set-up
// file (the scenario, the targets, the uncertain parameters with their priors, and the algorithm's
// settings). Both are read with one clear error per mistake, naming the file, line, column and key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/calibration/abc_smc.hpp"
#include "sim/calibration/history_matching.hpp"
#include "sim/calibration/priors.hpp"

namespace ehsim::calibration {

enum class TargetKind { count, proportion, rate_per_10000, range, difference };
enum class SamplingError { none, binomial, poisson, stated };

// One published figure, as the model's indicator over a period of calendar months.
struct Target {
    std::string name;                                  // short, unique in the file: names the figure in outputs
    std::string indicator;                             // a reported indicator (docs/indicators.md)
    std::string from, to;                              // "YYYY-MM": the months the figure covers (inclusive)
    std::string compared_with_from, compared_with_to;  // difference: the earlier period it is measured against
    TargetKind kind = TargetKind::count;
    double value = 0;             // not for a range
    double lower = 0, upper = 0;  // a range: "about 1,000" as 900 to 1,100
    SamplingError sampling_error = SamplingError::none;
    double denominator = 0;     // binomial: the cases the % is of; rate: the children it is per
    double standard_error = 0;  // stated
    double discrepancy = 0;     // model-discrepancy allowance, as a share of the value
    std::string source;         // council paper, section, table or figure
    // Why the figure is shown beside the fit but not fitted (a definition that differs from the model's count),
    // or empty: a figure that cannot mean what the model counts would pull every parameter to a wrong place.
    std::string not_fitted;
    // What the model lacks that the figure depends on (a mechanism, a change of recording), or empty: said beside
    // the figure wherever it falls outside the model's range, so a reader learns why, not only that it missed.
    std::string known_gap;
    std::string written_at;  // "file:line:column: targets[i]", for errors found later

    // The standard deviation of the figure's error, in the indicator's units: sampling error and
    // discrepancy in quadrature.
    double error_sd() const;
    double discrepancy_sd() const;  // the discrepancy allowance alone, in the indicator's units
    Observation observation() const;
};

struct TargetsFile {
    std::string file;
    std::string council;
    std::string description;
    std::vector<Target> targets;
};

// The targets that are fitted (without those marked not_fitted), in the file's order.
TargetsFile fitted_targets(const TargetsFile& targets);

struct UncertainParameter {
    std::string path;  // a number in the resolved scenario, e.g. need.incidence_level_3_per_family_per_year
    Prior prior;
    std::string why;
    std::string written_at;  // "file:line:column: parameters[i]", for errors found later
};

struct CalibrationSetup {
    std::string file;
    std::string scenario_file;  // resolved against the set-up file's folder
    std::string targets_file;
    std::vector<UncertainParameter> parameters;
    AbcSettings algorithm;  // threads and checkpoint are set by the command line
    // History matching before ABC-SMC: set by a `history_matching:` section (or `ehsim calibrate
    // --history-match`, with its defaults); its seed is the set-up's, its threads the command line's.
    std::optional<HistoryMatchingSettings> history_matching;
};

// Throw scenario::ScenarioError ("file:line:column: key: problem").
TargetsFile load_targets_file(const std::string& path);
TargetsFile load_targets_text(const std::string& text, const std::string& file);
CalibrationSetup load_calibration_setup(const std::string& path);
CalibrationSetup load_calibration_setup_text(const std::string& text, const std::string& file);

const char* to_string(TargetKind kind);

}  // namespace ehsim::calibration
