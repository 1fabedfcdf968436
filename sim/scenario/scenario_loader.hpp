// Scenario files: YAML in, typed and validated parameters out. Every bad input throws ScenarioError
// with one line "file:line:column: key: problem".
#pragma once

#include <string>

#include "sim/model/parameters.hpp"
#include "sim/scenario/scenario_paths.hpp"
#include "sim/scenario/scenario_schema.hpp"
#include "sim/scenario/schema.hpp"

namespace ehsim::scenario {

model::Scenario load_scenario_file(const std::string& path);
// `file` names the text in error messages.
model::Scenario load_scenario_text(const std::string& text, const std::string& file);

// The resolved scenario (every key, defaults filled in) as YAML that loads back to the same scenario.
std::string resolved_yaml(const model::Scenario& scenario);

}  // namespace ehsim::scenario
