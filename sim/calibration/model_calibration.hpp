// The Early Help model as a calibration's simulator: uncertain parameters (paths into the scenario) in,
// the published figures' model counterparts out, one replication per proposal on its own streams.
#pragma once

#include <string>
#include <vector>

#include "sim/calibration/calibration_files.hpp"
#include "sim/model/early_help_model.hpp"
#include "sim/model/parameters.hpp"
#include "sim/scenario/scenario_paths.hpp"

namespace ehsim::calibration {

// The model's counterparts of a targets file's figures: which indicator over which reported months.
class TargetFigures {
public:
    // Throws scenario::ScenarioError naming the target when its period starts before the scenario's first
    // reported month.
    TargetFigures(const model::Scenario& scenario, const TargetsFile& targets);
    // The figures of a finished replication (of a scenario with the same start date); NaN where the run
    // did not reach a figure's period.
    std::vector<double> figures(const model::ReplicationResult& result) const;
    // Reported months a run needs for every figure (12 more after a 12-month rate's period).
    int months_needed() const { return months_needed_; }

private:
    struct Figure {
        std::size_t indicator;
        int first, last;                              // reported months, from 0 at the start date
        int compared_first = -1, compared_last = -1;  // a difference
    };
    std::vector<Figure> figures_;
    int months_needed_ = 0;
};

class ModelCalibration {
public:
    // Throws scenario::ScenarioError naming the set-up or targets file when a parameter path is not a
    // number of the scenario, a prior reaches values the scenario refuses, or a target's period is outside
    // the scenario's reported years.
    ModelCalibration(const model::Scenario& scenario, const TargetsFile& targets,
                     const std::vector<UncertainParameter>& parameters, const std::string& setup_file,
                     std::uint64_t seed);

    // The targets' figures from one replication run with these parameter values; (generation, index) key
    // its random streams. The run covers only the months the targets need (and 12 more for 12-month rates).
    std::vector<double> simulate(const std::vector<double>& values, std::uint64_t generation,
                                 std::uint64_t index) const;

    std::vector<Observation> observations() const;
    std::vector<Prior> priors() const;
    int months_needed() const { return figures_.months_needed(); }

private:
    static scenario::ScenarioNumbers numbers_of(const model::Scenario& scenario,
                                                const std::vector<UncertainParameter>& parameters,
                                                const std::string& setup_file);

    scenario::ScenarioNumbers numbers_;
    TargetFigures figures_;
    std::vector<Prior> priors_;
    std::vector<Target> targets_;
    std::uint64_t seed_;
};

}  // namespace ehsim::calibration
