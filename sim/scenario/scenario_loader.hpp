// Scenario files: YAML in, typed and validated parameters out. Every bad input throws ScenarioError
// with one line "file:line:column: key: problem".
#pragma once

#include <string>
#include <vector>

#include "sim/model/parameters.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {

model::Scenario load_scenario_file(const std::string& path);
// `file` names the text in error messages.
model::Scenario load_scenario_text(const std::string& text, const std::string& file);

// The resolved scenario (every key, defaults filled in) as YAML that loads back to the same scenario.
std::string resolved_yaml(const model::Scenario& scenario);

// A scenario whose numbers at some paths ("need.incidence_level_3_per_family_per_year") take other values:
// how calibration proposes parameter sets and how runs draw them from a posterior.
class ScenarioNumbers {
public:
    // Throws std::invalid_argument naming a path that is missing or not a number.
    ScenarioNumbers(const model::Scenario& base, std::vector<std::string> paths);
    // Throws ScenarioError when a value makes the scenario invalid. `horizon_months` > 0 overrides the horizon.
    model::Scenario with(const std::vector<double>& values, int horizon_months = 0) const;
    const std::vector<std::string>& paths() const { return paths_; }

private:
    YAML::Node tree_;
    std::vector<std::string> paths_;
};

// docs/scenario-reference.md, generated from the loader's own table.
std::string reference_markdown();

}  // namespace ehsim::scenario
