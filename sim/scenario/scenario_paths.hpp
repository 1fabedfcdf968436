// Typed access to a scenario's values by their paths, as calibration set-ups and options' `set` name them
// ("need.incidence_level_3_per_family_per_year", "teams[2].fte", "early_help.lead_professional_shares.health"):
// through the scenario table, with the loader's checks and messages, and without writing YAML and reading
// it again.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>
#include <vector>

#include "sim/model/parameters.hpp"
#include "sim/scenario/schema.hpp"
#include "sim/scenario/schema_values.hpp"

namespace ehsim::scenario {

// The value at `path`. Throws std::invalid_argument naming what is missing, with "did you mean".
std::unique_ptr<SchemaValue> scenario_value(model::Scenario& scenario, const std::string& path);

// The number at `path`, to read or set. Throws std::invalid_argument when the path is missing or its value
// is not a number (text, a flag, a choice, a section or a list).
double& scenario_number(model::Scenario& scenario, const std::string& path);

// The paths a path with selectors names: "teams[role=social_worker].caseload_per_fte" is every
// "teams[i].caseload_per_fte" whose item has role social_worker (in the items' order), so that one calibrated
// number can stand for several places that share it. A path without selectors is itself. Throws
// std::invalid_argument when a selector's list is missing or not a list, its items have no such key, or no item
// matches.
std::vector<std::string> matching_paths(const model::Scenario& scenario, const std::string& path);

// Sets the value at `path` from YAML (a number, a word, a section, one share, ...) as the loader reads that
// key: the same checks of type and bounds, the same messages, positions those of `value` in the context's
// file. Checks across keys are check_scenario's (scenario_checks.hpp). A path with selectors sets every place it
// matches. Throws std::invalid_argument for a missing path and ScenarioError for a bad value.
void set_scenario_value(model::Scenario& scenario, const std::string& path, const YAML::Node& value,
                        ReadContext& context);

// A scenario whose numbers at some paths take other values: how calibration proposes parameter sets and how
// runs draw them from a posterior. A path may name one of a set of shares that sum to 1
// ("social_care.assessment_outcomes.not_in_need"): the shares not named keep their proportions to each other
// and are rescaled to make up the rest, so a calibration can fit one outcome's share without the others. A path
// may have selectors (matching_paths): its value is set at every place it matches.
class ScenarioNumbers {
public:
    // Throws std::invalid_argument naming a path that is missing or not a number.
    ScenarioNumbers(const model::Scenario& base, std::vector<std::string> paths);
    // The scenario with these values, checked as the loader checks a file; throws ScenarioError naming the
    // first problem as a file with these values would ("(scenario with drawn parameters):line:column: key:
    // problem"). `horizon_months` > 0 overrides the horizon.
    model::Scenario with(const std::vector<double>& values, int horizon_months = 0) const;
    const std::vector<std::string>& paths() const { return paths_; }

private:
    // A set of shares some of whose members are paths: where it is, and which of its keys are not paths.
    struct SharedSet {
        std::string path;
        std::vector<std::string> others;
    };
    void rescale_others(model::Scenario& scenario) const;

    model::Scenario base_;
    std::vector<std::string> paths_;
    std::vector<std::vector<std::string>> places_;  // for each path, the paths without selectors it sets
    std::vector<SharedSet> shared_sets_;
};

}  // namespace ehsim::scenario
