// Commissioning options: a file that names its baseline (`extends:`) and lists only what changes, each
// change from the start or from a date. The result is the baseline scenario with the undated changes
// applied and one parameter change (model::ParameterChange) per later date.
#pragma once

#include <string>
#include <vector>

#include "sim/model/parameters.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_paths.hpp"

namespace ehsim::scenario {

struct LoadedOption {
    model::Scenario scenario;   // ready to run, with its dated parameter changes
    std::string baseline_file;  // the file `extends:` names, resolved against the option file's folder
    std::string description;
};

// Throws ScenarioError ("file:line:column: key: problem") for a bad option or baseline.
LoadedOption load_option_file(const std::string& path);
// With `baseline`, the option applies to that scenario instead of the file `extends:` names (which must
// still exist): how an option is rebuilt on a baseline whose parameters were drawn from a posterior.
LoadedOption load_option_text(const std::string& text, const std::string& file,
                              const model::Scenario* baseline = nullptr);

// A scenario file, or an option file (one with `extends:`) as the scenario it makes.
model::Scenario load_scenario_or_option_file(const std::string& path);

// A scenario or option file whose (baseline's) numbers at some paths take drawn values: a run or a comparison
// on a posterior draws one parameter set per replication, and an option is rebuilt on its drawn baseline.
class DrawnScenario {
public:
    // Throws ScenarioError naming the file when a path is not a number of its (baseline) scenario.
    DrawnScenario(const std::string& file, const std::vector<std::string>& paths);
    model::Scenario with(const std::vector<double>& values) const;

private:
    std::string file_, text_;
    bool option_ = false;
    model::Scenario baseline_;
    ScenarioNumbers numbers_;
};

}  // namespace ehsim::scenario
