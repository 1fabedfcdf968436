// Commissioning options: a file that names its baseline (`extends:`) and lists only what changes, each
// change from the start or from a date. The result is the baseline scenario with the undated changes
// applied and one parameter change (model::ParameterChange) per later date.
#pragma once

#include <string>

#include "sim/model/parameters.hpp"

namespace ehsim::scenario {

struct LoadedOption {
    model::Scenario scenario;   // ready to run, with its dated parameter changes
    std::string baseline_file;  // the file `extends:` names, resolved against the option file's folder
    std::string description;
};

// Throws ScenarioError ("file:line:column: key: problem") for a bad option or baseline.
LoadedOption load_option_file(const std::string& path);
LoadedOption load_option_text(const std::string& text, const std::string& file);

// A scenario file, or an option file (one with `extends:`) as the scenario it makes.
model::Scenario load_scenario_or_option_file(const std::string& path);

}  // namespace ehsim::scenario
