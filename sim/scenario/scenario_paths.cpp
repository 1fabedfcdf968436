#include "sim/scenario/scenario_paths.hpp"

#include <algorithm>
#include <stdexcept>

#include "sim/model/calendar.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_schema.hpp"

namespace ehsim::scenario {

namespace {

const char* const kDrawnFile = "(scenario with drawn parameters)";

// The message a file with these values gives, with the line and column of the key at fault: written out
// only to name the place, and so only when the typed checks have already failed.
[[noreturn]] void fail_as_written(const model::Scenario& scenario, const ScenarioError& typed) {
    YAML::Emitter out;
    out << YAML::Load(resolved_yaml(scenario));
    load_scenario_text(out.c_str(), kDrawnFile);
    throw typed;
}

}  // namespace

std::unique_ptr<SchemaValue> scenario_value(model::Scenario& scenario, const std::string& path) {
    return value_at(std::make_unique<SectionValue<model::Scenario>>(scenario, scenario_schema()), path);
}

double& scenario_number(model::Scenario& scenario, const std::string& path) {
    double* number = scenario_value(scenario, path)->number();
    if (number == nullptr) throw std::invalid_argument("'" + path + "' is not a number of the scenario");
    return *number;
}

void set_scenario_value(model::Scenario& scenario, const std::string& path, const YAML::Node& value,
                        ReadContext& context) {
    scenario_value(scenario, path)->read(value, context, path);
}

ScenarioNumbers::ScenarioNumbers(const model::Scenario& base, std::vector<std::string> paths)
    : base_(base), paths_(std::move(paths)) {
    // As a file holds it: dated parameter sets come from option files, not from the scenario's keys.
    base_.parameter_changes.clear();
    for (const std::string& path : paths_) scenario_number(base_, path);
    for (const std::string& path : paths_) {
        const std::size_t dot = path.rfind('.');
        if (dot == std::string::npos) continue;
        const std::string parent = path.substr(0, dot);
        if (!scenario_value(base_, parent)->is_shares()) continue;
        if (std::any_of(shared_sets_.begin(), shared_sets_.end(),
                        [&](const SharedSet& set) { return set.path == parent; }))
            continue;
        SharedSet set{parent, {}};
        for (const std::string& key : scenario_value(base_, parent)->keys())
            if (std::find(paths_.begin(), paths_.end(), parent + "." + key) == paths_.end()) set.others.push_back(key);
        shared_sets_.push_back(set);
    }
}

void ScenarioNumbers::rescale_others(model::Scenario& scenario) const {
    for (const SharedSet& set : shared_sets_) {
        const std::unique_ptr<SchemaValue> shares = scenario_value(scenario, set.path);
        double named = 0, others = 0;
        for (const std::string& key : shares->keys()) {
            const double value = *shares->member(key)->number();
            const bool other = std::find(set.others.begin(), set.others.end(), key) != set.others.end();
            (other ? others : named) += value;
        }
        // Shares named past 1, or no other share to make up the rest: left as they are, for the check to refuse.
        if (named > 1 || others <= 0) continue;
        for (const std::string& key : set.others) *shares->member(key)->number() *= (1 - named) / others;
    }
}

model::Scenario ScenarioNumbers::with(const std::vector<double>& values, int horizon_months) const {
    if (values.size() != paths_.size()) throw std::invalid_argument("ScenarioNumbers: one value per path");
    model::Scenario scenario = base_;
    for (std::size_t i = 0; i < paths_.size(); ++i) scenario_number(scenario, paths_[i]) = values[i];
    rescale_others(scenario);
    if (horizon_months > 0) {
        scenario.time.horizon_years = horizon_months / 12.0;
        // Dated changes after a shortened horizon cannot happen in it: they are dropped, not refused.
        const auto start = model::parse_iso_date(scenario.time.start_date);
        const std::string end = start ? model::to_iso(model::add_months(*start, horizon_months)) : std::string();
        std::erase_if(scenario.changes, [&](const model::DatedChange& change) { return !(change.date < end); });
    }
    ReadContext context(kDrawnFile);
    try {
        check_scenario(scenario, context);
    } catch (const ScenarioError& error) {
        fail_as_written(scenario, error);
    }
    return scenario;
}

}  // namespace ehsim::scenario
