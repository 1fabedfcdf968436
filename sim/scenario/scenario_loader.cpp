#include "sim/scenario/scenario_loader.hpp"

#include "sim/scenario/scenario_checks.hpp"

namespace ehsim::scenario {

model::Scenario load_scenario_text(const std::string& text, const std::string& file) {
    ReadContext context(file);
    const YAML::Node root = parse_yaml(text, context);
    if (!root || root.IsNull()) context.fail(YAML::Mark::null_mark(), "", "the file is empty");
    model::Scenario scenario;
    scenario_schema().read(root, scenario, context, "");
    check_across_keys(scenario, context);
    return scenario;
}

model::Scenario load_scenario_file(const std::string& path) {
    return load_scenario_text(read_text_file(path, "scenario"), path);
}

std::string resolved_yaml(const model::Scenario& scenario) {
    YAML::Emitter out;
    out.SetDoublePrecision(17);
    scenario_schema().write(out, scenario);
    return std::string(out.c_str()) + "\n";
}

}  // namespace ehsim::scenario
